"""The chapters' parameters: their names, defaults, how command-line text becomes a value, and their checks.

Every chapter notebook has a cell tagged ``parameters`` that sets these names to :data:`lgrad.DEFAULTS`.
``make book SEED=7`` or ``lgrad book --seed 7 -p epochs 60`` override some of them; :func:`resolve` turns the
overrides into a complete, checked set of values *before any notebook starts*, and :func:`params_name` names the
book built with them (``seed-7_epochs-60``), from the values that differ from the defaults.

Errors are :class:`ParameterError`, a ``ValueError`` whose message is one line naming the parameter and what is
allowed, e.g. ``epochs must be an integer >= 3, got 0``, built by the core's own checks (:mod:`lgrad.checks`).
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .checks import (
    check_batch_size,
    check_choice,
    check_hidden,
    check_int,
    check_lr,
    check_seed,
    check_test_size,
)
from .defaults import DEFAULTS

# The allowed choices come from the core modules, imported only when a value is checked: reading the defaults and
# naming a build must stay fast (no torch import) so that a book with nothing changed is not rebuilt in seconds.


def _activations() -> tuple[str, ...]:
    from .model import ACTIVATIONS

    return tuple(ACTIVATIONS)


def _losses() -> tuple[str, ...]:
    from .loss import LOSSES

    return tuple(LOSSES)


def _scales() -> tuple[str, ...]:
    from .data import SCALES

    return tuple(SCALES)


def _bundled() -> tuple[str, ...]:
    from .data import BUNDLED

    return tuple(BUNDLED)


class ParameterError(ValueError):
    """A parameter that cannot be used; the message is one line naming it and what is allowed."""


@dataclass(frozen=True)
class Parameter:
    """One chapter parameter.

    Attributes:
        name: the name set in the notebooks' ``parameters`` cell (``seed``); its ``make`` variable is the upper case.
        help: one line for ``lgrad --help``.
        parse: turns command-line text into a value; text it cannot read is passed on unchanged, so that ``check``
            reports it with the same message as any other bad value.
        check: returns the value normalized, or raises ``ValueError``/``TypeError`` with the core's message.
    """

    name: str
    help: str
    parse: Callable[[str], Any]
    check: Callable[[Any], Any]
    choices: Callable[[], tuple[str, ...]] | None = None

    @property
    def default(self) -> Any:
        return DEFAULTS.get(self.name)


def _int_text(text: str) -> Any:
    try:
        return int(text.strip())
    except ValueError:
        return _float_text(text)  # "2.5" is then reported as the number it is


def _float_text(text: str) -> Any:
    try:
        return float(text.strip())
    except ValueError:
        return text


def _hidden_text(text: str) -> Any:
    """``3``, ``3,2``, ``(3, 2)``, ``[3 2]`` → ``(3, 2)``."""
    parts = [p for p in re.split(r"[\s,]+", text.strip().strip("()[]")) if p]
    try:
        return tuple(int(p) for p in parts)
    except ValueError:
        return text


def _check_dataset(value: Any) -> str:
    if isinstance(value, str) and value in _bundled():
        return value
    if isinstance(value, (str, Path)) and _is_csv(value):
        return str(Path(value).resolve())
    bundled = ", ".join(repr(name) for name in _bundled())
    raise ValueError(f"dataset must be one of {bundled} or the path of an existing CSV file, got {value!r}")


def _check_target(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and value.strip()):
        return value
    raise ValueError(f"target must be the name of the target column of a CSV dataset, got {value!r}")


def _text(text: str) -> str:
    return text.strip()


def _optional_text(text: str) -> str | None:
    text = text.strip()
    return None if text in ("", "None", "none") else text


PARAMETERS: dict[str, Parameter] = {
    p.name: p
    for p in (
        Parameter("seed", "seed of the split, the initial weights and the example order", _int_text, check_seed),
        Parameter(
            "epochs",
            "passes over the training set (at least 3: the training chapter compares early and late epochs)",
            _int_text,
            lambda v: check_int("epochs", v, minimum=3),
        ),
        Parameter("hidden", "hidden-layer sizes, e.g. 3 or 8,4", _hidden_text, check_hidden),
        Parameter(
            "activation",
            "hidden activation",
            _text,
            lambda v: check_choice("activation", v, _activations()),
            _activations,
        ),
        Parameter("loss", "cost", _text, lambda v: check_choice("loss", v, _losses()), _losses),
        Parameter(
            "lr",
            "SGD learning rate",
            _float_text,
            check_lr,
        ),
        Parameter(
            "batch_size",
            "examples per mini-batch, or full (one batch of every training example)",
            _int_text,
            check_batch_size,
        ),
        Parameter(
            "test_size",
            "fraction of rows held out for testing",
            _float_text,
            check_test_size,
        ),
        Parameter("dataset", "a bundled dataset or the path of a CSV file", _text, _check_dataset, _bundled),
        Parameter("target", "target column of a CSV dataset", _optional_text, _check_target),
        Parameter(
            "scale",
            "rows the standardization is fitted on",
            _text,
            lambda v: check_choice("scale", v, _scales()),
            _scales,
        ),
    )
}
"""Every chapter parameter, in the order used for names and help."""


def defaults() -> dict[str, Any]:
    """The default value of every parameter (:data:`lgrad.DEFAULTS`; ``target`` is ``None`` for bundled data).

    The defaults are the core's own and are not checked here (``tests/test_params.py`` does), so this stays fast.
    """
    return {name: _plain(p.default) for name, p in PARAMETERS.items()}


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def normalize(name: str, value: Any) -> Any:
    """Check one value with the core's checks and return it normalized (``hidden`` as a list of ints)."""
    if name not in PARAMETERS:
        raise ParameterError(f"unknown parameter {name!r}; allowed: {', '.join(PARAMETERS)}")
    try:
        value = PARAMETERS[name].check(value)
    except (TypeError, ValueError) as err:
        raise ParameterError(_one_line(str(err))) from None
    return _plain(value)  # a tuple becomes a list: what papermill injects and JSON keeps


def parse(name: str, text: str) -> Any:
    """Read one value given as command-line text (``"7"``, ``"8,4"``, ``"relu"``) and check it."""
    key = name.strip().lower().replace("-", "_")
    if key not in PARAMETERS:
        raise ParameterError(f"unknown parameter {name!r}; allowed: {', '.join(PARAMETERS)}")
    return normalize(key, PARAMETERS[key].parse(text))


def parse_assignments(text: str) -> list[tuple[str, str]]:
    """Split ``"seed=7 epochs=60"`` into ``[("seed", "7"), ("epochs", "60")]``."""
    pairs = []
    for item in text.split():
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ParameterError(f"PARAMS must be name=value pairs separated by spaces, got {item!r}")
        pairs.append((name, value))
    return pairs


def resolve(overrides: Mapping[str, Any] | Iterable[tuple[str, Any]] = ()) -> dict[str, Any]:
    """All parameters: the defaults updated with ``overrides`` (text or values), every value checked.

    Raises:
        ParameterError: one line naming the first bad parameter and what is allowed.
    """
    items = overrides.items() if isinstance(overrides, Mapping) else overrides
    values = defaults()
    for name, value in items:
        key = str(name).strip().lower().replace("-", "_")
        values[key] = parse(key, value) if isinstance(value, str) else normalize(key, value)
    if values != defaults():
        _check_together(values)
    return values


def overrides_of(values: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters whose value differs from the default, in :data:`PARAMETERS` order."""
    base = defaults()
    return {name: values[name] for name in PARAMETERS if name in values and values[name] != base[name]}


def params_name(values: Mapping[str, Any]) -> str:
    """The folder name of the book built with ``values``: ``default``, or ``seed-7_epochs-60`` from the overrides."""
    changed = overrides_of(values)
    if not changed:
        return "default"
    return "_".join(f"{name.replace('_', '-')}-{_value_name(name, value)}" for name, value in changed.items())


def dataset_digest(values: Mapping[str, Any]) -> str | None:
    """The sha256 of a CSV dataset's bytes (so that editing the file re-executes the chapters), else ``None``."""
    dataset = values.get("dataset")
    if _is_csv(dataset):
        return hashlib.sha256(Path(dataset).read_bytes()).hexdigest()
    return None


def _is_csv(value: Any) -> bool:
    return isinstance(value, (str, Path)) and str(value).lower().endswith(".csv") and Path(value).is_file()


def help_lines() -> list[str]:
    """One line per parameter: name, default, help (and the allowed choices)."""
    lines = []
    for name, p in PARAMETERS.items():
        choices = f": {', '.join(p.choices())}" if p.choices else ""
        lines.append(f"  {name:<11} default {p.default!r:<16} {p.help}{choices}")
    return lines


def _check_together(values: dict[str, Any]) -> None:
    dataset = values["dataset"]
    if not _is_csv(dataset):
        return
    if values["target"] is None:
        raise ParameterError(f"target must name the target column of {dataset!r} (e.g. TARGET=diagnosis), got None")
    from .data import load_dataset  # the core reads and checks the file, with its own messages

    try:
        load_dataset(
            dataset,
            test_size=values["test_size"],
            seed=values["seed"],
            scale=values["scale"],
            target=values["target"],
        )
    except (TypeError, ValueError) as err:
        raise ParameterError(_one_line(str(err))) from None


def _value_name(name: str, value: Any) -> str:
    if name == "dataset" and _is_csv(value):
        value = Path(value).stem
    elif isinstance(value, (list, tuple)):
        value = "-".join(str(v) for v in value)
    elif isinstance(value, float):
        value = f"{value:g}"
    return re.sub(r"[^A-Za-z0-9.+-]+", "", str(value)) or "x"


def _one_line(message: str) -> str:
    return " ".join(message.split())


def literal(value: Any) -> str:
    """The Python literal of a parameter value (for error messages and notebook checks)."""
    return repr(tuple(value) if isinstance(value, list) else value)


def read_parameters_cell(source: str) -> dict[str, Any]:
    """The ``name = literal`` assignments of a notebook's parameters cell (other statements are ignored)."""
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                found[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue
    return found
