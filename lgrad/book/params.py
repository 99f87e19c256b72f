"""The chapters' parameters: names, defaults, command-line text to values, and checks. :func:`resolve` turns the
overrides (``make book SEED=7``, ``lgrad book -p epochs 60``) into a complete, checked set of values before any
notebook starts, or raises :class:`ParameterError` (one line naming the parameter and what is allowed);
:func:`params_name` names their book (``seed-7_epochs-60``). The defaults and a build's name import no torch."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from .. import checks
from ..defaults import DEFAULTS, STUDY_DEFAULTS


class ParameterError(ValueError):
    """A parameter that cannot be used; the message is one line naming it and what is allowed."""


def _choices(parameter: str) -> Callable[[], tuple[str, ...]]:
    def choices() -> tuple[str, ...]:
        from .. import data, loss, model

        allowed = {"activation": model.ACTIVATIONS, "loss": loss.LOSSES, "scale": data.SCALES, "dataset": data.BUNDLED}
        return tuple(allowed[parameter])

    return choices


@dataclass(frozen=True)
class Parameter:
    """One chapter parameter: its ``name`` (the ``make`` variable is its upper case), one line of ``help``, ``parse``
    (command-line text to a value; text it cannot read is passed on unchanged, for ``check`` to report), ``check``
    (the value normalized, or the core's ``ValueError``/``TypeError``) and, for a choice, the allowed ``choices``."""

    name: str
    help: str
    parse: Callable[[str], Any]
    check: Callable[[Any], Any]
    choices: Callable[[], tuple[str, ...]] | None = None


def _number(text: str, kinds: tuple[type, ...] = (int, float)) -> Any:
    for kind in kinds:
        with suppress(ValueError):
            return kind(text.strip())
    return text


def _hidden_text(text: str) -> Any:
    """``3``, ``3,2``, ``(3, 2)``, ``[3 2]`` → ``(3, 2)``."""
    try:
        return tuple(int(p) for p in re.split(r"[\s,]+", text.strip().strip("()[]")) if p)
    except ValueError:
        return text


def _optional_text(text: str) -> str | None:
    return None if text.strip() in ("", "None", "none") else text.strip()


def _dataset(value: Any) -> str:
    return checks.check_dataset(value, _choices("dataset")())


def _count(name: str, help: str, minimum: int) -> Parameter:
    return Parameter(name, help, _number, lambda value: checks.check_int(name, value, minimum=minimum))


def _choice(name: str) -> Callable[[Any], Any]:
    return lambda value: checks.check_choice(name, value, _choices(name)())


_float = partial(_number, kinds=(float,))
_target = partial(checks.check_label, "target", what="the name of the target column of a CSV dataset")
_label = partial(checks.check_label, "positive", what="a label of the target column of the dataset")

PARAMETERS: dict[str, Parameter] = {
    p.name: p
    for p in (
        Parameter("seed", "seed of the split, the initial weights and the example order", _number, checks.check_seed),
        _count("epochs", "passes over the training set (at least 3: early and late epochs are compared)", 3),
        Parameter("hidden", "hidden-layer sizes, e.g. 3 or 8,4", _hidden_text, checks.check_hidden),
        Parameter("activation", "hidden activation", str.strip, _choice("activation"), _choices("activation")),
        Parameter("loss", "cost", str.strip, _choice("loss"), _choices("loss")),
        Parameter("lr", "SGD learning rate", _float, checks.check_lr),
        Parameter("batch_size", "examples per mini-batch, or full (all in one)", _number, checks.check_batch_size),
        Parameter("test_size", "fraction of rows held out for testing", _float, checks.check_test_size),
        Parameter("dataset", "a bundled dataset or a CSV file's path", str.strip, _dataset, _choices("dataset")),
        Parameter("scale", "rows the standardization is fitted on", str.strip, _choice("scale"), _choices("scale")),
        Parameter("target", "target column of a CSV dataset", _optional_text, _target),
        Parameter("positive", "the target's label that is class 1 (default: the later one)", _optional_text, _label),
        _count("seeds", "networks trained side by side in the chapters across seeds", 2),
        _count("retrain_seeds", "seeds per point of the retraining on fewer inputs", 2),
        _count("long_epochs", "epochs of the long runs that show where the ranking goes", 3),
        _count("cnn_epochs", "epochs of the digits CNN", 1),
    )
}
"""Every chapter parameter, in the order used for names and help."""


def defaults() -> dict[str, Any]:
    """The default value of every parameter (:data:`lgrad.DEFAULTS`; ``target`` is ``None`` for bundled data)."""
    return {name: _plain({**DEFAULTS, **STUDY_DEFAULTS}.get(name)) for name in PARAMETERS}


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _key(name: Any) -> str:
    key = str(name).strip().lower().replace("-", "_")
    if key not in PARAMETERS:
        raise ParameterError(f"unknown parameter {name!r}; allowed: {', '.join(PARAMETERS)}")
    return key


def normalize(name: str, value: Any) -> Any:
    """Check one value with the core's checks and return it normalized (``hidden`` as a list of ints)."""
    try:
        return _plain(PARAMETERS[_key(name)].check(value))  # a list: what papermill injects and JSON keeps
    except (TypeError, ValueError) as err:
        raise ParameterError(" ".join(str(err).split())) from None


def parse(name: str, text: str) -> Any:
    """Read one value given as command-line text (``"7"``, ``"8,4"``, ``"relu"``) and check it."""
    return normalize(_key(name), PARAMETERS[_key(name)].parse(text))


def parse_assignments(text: str) -> list[tuple[str, str]]:
    """Split ``"seed=7 epochs=60"`` into ``[("seed", "7"), ("epochs", "60")]``."""
    pairs = [item.partition("=") for item in text.split()]
    for name, sep, value in pairs:
        if not sep or not name:
            raise ParameterError(f"PARAMS must be name=value pairs separated by spaces, got {name + sep + value!r}")
    return [(name, value) for name, _, value in pairs]


def resolve(overrides: Mapping[str, Any] | Iterable[tuple[str, Any]] = ()) -> dict[str, Any]:
    """All parameters: the defaults updated with ``overrides`` (text or values), every value checked.

    Raises:
        ParameterError: one line naming the first bad parameter and what is allowed.
    """
    values = defaults()
    for name, value in overrides.items() if isinstance(overrides, Mapping) else overrides:
        values[_key(name)] = parse(name, value) if isinstance(value, str) else normalize(name, value)
    if _is_csv(values["dataset"]) or values["positive"] is not None:
        _check_data(values)
    return values


def overrides_of(values: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters whose value differs from the default, in :data:`PARAMETERS` order."""
    base = defaults()
    return {name: values[name] for name in PARAMETERS if name in values and values[name] != base[name]}


def params_name(values: Mapping[str, Any]) -> str:
    """The folder name of the book built with ``values``: ``default``, or ``seed-7_epochs-60`` from the overrides."""
    changed = overrides_of(values)
    return "_".join(f"{name.replace('_', '-')}-{_value_name(name, v)}" for name, v in changed.items()) or "default"


def dataset_files(values: Mapping[str, Any]) -> list[Path]:
    """The CSV file of a CSV dataset (editing it re-executes the chapters), else nothing."""
    return [Path(values["dataset"])] if _is_csv(values.get("dataset")) else []


def help_lines() -> list[str]:
    """One line per parameter: name, default, help (and the allowed choices)."""
    choices = {name: ": " + ", ".join(p.choices()) if p.choices else "" for name, p in PARAMETERS.items()}
    return [f"  {n:<13} default {v!r:<16} {PARAMETERS[n].help}{choices[n]}" for n, v in defaults().items()]


def _is_csv(value: Any) -> bool:
    return isinstance(value, str | Path) and str(value).lower().endswith(".csv") and Path(value).is_file()


def _check_data(values: dict[str, Any]) -> None:
    """A CSV dataset needs its target column; the core reads and checks the data, with its own messages."""
    if values["target"] is None and _is_csv(values["dataset"]):
        raise ParameterError(f"target must name the target column of {values['dataset']!r} (e.g. TARGET=diagnosis)")
    from ..data import load_dataset

    settings = {k: values[k] for k in ("test_size", "seed", "scale", "target", "positive")}
    try:
        load_dataset(values["dataset"], **settings)
    except (TypeError, ValueError) as err:
        raise ParameterError(" ".join(str(err).split())) from None


def _value_name(name: str, value: Any) -> str:
    if name == "dataset" and _is_csv(value):
        value = Path(value).stem
    elif isinstance(value, list | tuple):
        value = "-".join(str(v) for v in value)
    elif isinstance(value, float):
        value = f"{value:g}"
    return re.sub(r"[^A-Za-z0-9.+-]+", "", str(value)) or "x"
