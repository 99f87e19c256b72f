"""Argument validation shared by every public function.

Each check raises ``TypeError`` for a value of the wrong type and ``ValueError`` for a value out of range, with a
message that names the parameter, shows the value given and says what is allowed, e.g.
``epochs must be an integer >= 1, got 0``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

MAX_SEED = 2**63 - 1


def check_int(name: str, value: Any, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as an ``int`` if it is an integer in ``[minimum, maximum]``."""
    allowed = _int_range(minimum, maximum)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be {allowed}, got {value!r} ({type(value).__name__})")
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be {allowed}, got {value!r}")
    return int(value)


def check_float(
    name: str,
    value: Any,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    min_inclusive: bool = True,
    max_inclusive: bool = True,
) -> float:
    """Return ``value`` as a finite ``float`` inside the given bounds."""
    parts = []
    if minimum is not None:
        parts.append(f"{'>=' if min_inclusive else '>'} {minimum:g}")
    if maximum is not None:
        parts.append(f"{'<=' if max_inclusive else '<'} {maximum:g}")
    allowed = "a finite number" + (" " + " and ".join(parts) if parts else "")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {allowed}, got {value!r} ({type(value).__name__})")
    given, value = value, float(value)
    too_low = minimum is not None and (value < minimum if min_inclusive else value <= minimum)
    too_high = maximum is not None and (value > maximum if max_inclusive else value >= maximum)
    if not math.isfinite(value) or too_low or too_high:
        raise ValueError(f"{name} must be {allowed}, got {given!r}")
    return value


def check_choice(name: str, value: Any, allowed: Iterable[Any]) -> Any:
    """Return ``value`` if it is one of ``allowed``."""
    allowed = tuple(allowed)
    options = ", ".join(repr(a) for a in allowed)
    if not any(type(value) is type(a) for a in allowed):
        raise TypeError(f"{name} must be one of {options}, got {value!r} ({type(value).__name__})")
    if value not in allowed:
        raise ValueError(f"{name} must be one of {options}, got {value!r}")
    return value


def check_dataset(value: Any, bundled: Iterable[str]) -> str:
    """Return a bundled dataset's name as given, or an existing CSV file's absolute path."""
    bundled = tuple(bundled)
    if isinstance(value, str) and value in bundled:
        return value
    if isinstance(value, str | Path) and str(value).lower().endswith(".csv") and Path(value).is_file():
        return str(Path(value).resolve())
    names = ", ".join(repr(name) for name in bundled)
    raise ValueError(f"dataset must be one of {names} or the path of an existing CSV file, got {value!r}")


def check_label(name: str, value: Any, what: str) -> Any:
    """Return ``value`` if it is ``None`` or a non-empty string (a column name or a class label of a CSV)."""
    if value is None or (isinstance(value, str) and value.strip()):
        return value
    raise ValueError(f"{name} must be {what}, got {value!r}")


def check_seed(value: Any, name: str = "seed") -> int:
    """Return ``value`` if it is a usable seed: an integer in ``[0, 2**63 - 1]``."""
    return check_int(name, value, minimum=0, maximum=MAX_SEED)


def check_batch_size(batch_size: int | str) -> int | str:
    """Return ``batch_size`` if it is an integer >= 1 or ``"full"`` (one batch of every example)."""
    if batch_size == "full":
        return batch_size
    allowed = "an integer >= 1 or 'full'"
    if isinstance(batch_size, str):
        raise ValueError(f"batch_size must be {allowed}, got {batch_size!r}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral):
        raise TypeError(f"batch_size must be {allowed}, got {batch_size!r} ({type(batch_size).__name__})")
    if batch_size < 1:
        raise ValueError(f"batch_size must be {allowed}, got {batch_size!r}")
    return int(batch_size)


def check_test_size(value: Any) -> float:
    """Return the fraction of rows held out for testing, a number strictly between 0 and 1."""
    return check_float("test_size", value, minimum=0, maximum=1, min_inclusive=False, max_inclusive=False)


def check_lr(value: Any) -> float:
    """Return the learning rate, a finite number > 0."""
    return check_float("lr", value, minimum=0, min_inclusive=False)


def check_hidden(value: Any, name: str = "hidden") -> tuple[int, ...]:
    """Return the hidden-layer sizes as a tuple of integers >= 1 (an int means one hidden layer)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = (value,)
    allowed = "a non-empty sequence of integers >= 1, e.g. (3,)"
    if isinstance(value, str) or not isinstance(value, Sequence) or len(value) == 0:
        raise TypeError(f"{name} must be {allowed}, got {value!r}")
    for size in value:
        if isinstance(size, bool) or not isinstance(size, numbers.Integral):
            raise TypeError(f"{name} must be {allowed}, got {value!r}")
        if size < 1:
            raise ValueError(f"{name} must be {allowed}, got {value!r}")
    return tuple(int(size) for size in value)


def _int_range(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f"an integer in [{minimum}, {maximum}]"
    if minimum is not None:
        return f"an integer >= {minimum}"
    if maximum is not None:
        return f"an integer <= {maximum}"
    return "an integer"
