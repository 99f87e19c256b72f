"""The settings of the paper's method that a run on one's own table takes, and the ``lgrad analyze``
command that repeats it.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from typing import Any

from ...defaults import DEFAULTS

METHOD_KEYS = ("seed", "epochs", "hidden", "activation", "loss", "lr", "batch_size", "test_size", "scale")
"""The settings of the paper's method that a run on one's own table takes (its data come from the file)."""


def method_settings(params: Mapping[str, Any]) -> dict[str, Any]:
    """The settings of :data:`METHOD_KEYS` among ``params`` (e.g. a chapter's parameters, whose ``dataset`` is not
    the table analysed)."""
    return {key: params[key] for key in METHOD_KEYS if key in params}


def changed_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The settings of :data:`METHOD_KEYS` whose value differs from :data:`lgrad.DEFAULTS`, in that order."""
    return {
        key: settings[key] for key in METHOD_KEYS if key in settings and _same(settings[key]) != _same(DEFAULTS[key])
    }


def _same(value: Any) -> Any:
    return tuple(value) if isinstance(value, list | tuple) else value


def command_line(csv: str, target: str, positive: Any = None, settings: Mapping[str, Any] | None = None) -> str:
    """The ``lgrad analyze`` command that repeats an analysis: the file, its target, the label of class 1 if one was
    chosen, and each method setting that differs from the defaults (``--seed 7 -p epochs 60``)."""
    words = ["lgrad", "analyze", str(csv), "--target", str(target)]
    if positive is not None:
        words += ["--positive", str(positive)]
    for key, value in changed_settings(settings or {}).items():
        text = ",".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
        words += ["--seed", text] if key == "seed" else ["-p", key, text]
    return shlex.join(words)
