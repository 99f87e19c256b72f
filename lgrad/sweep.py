"""A grid of training settings x seeds, one joblib task per grid point, each task one batched :func:`train_many`.

The tasks go through ``joblib.Parallel``, so where they run is joblib's choice of backend: local processes by
default, or a Dask cluster with the same code under ``joblib.parallel_config(backend="dask")`` once a
``dask.distributed.Client`` is connected.
"""

from __future__ import annotations

import inspect
import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import joblib

from .data import Dataset
from .history import History
from .many import check_datasets, train_many

SETTINGS = tuple(name for name in inspect.signature(train_many).parameters if name not in ("dataset", "seeds"))


def sweep(
    dataset: Dataset | Sequence[Dataset],
    grid: Mapping[str, Sequence[Any]],
    seeds: Iterable[int],
    *,
    n_jobs: int | None = None,
    **fixed: Any,
) -> list[tuple[dict[str, Any], list[History]]]:
    """Train every seed at every point of ``grid``; return ``(point, histories)`` pairs in the grid's order.

    Args:
        dataset: as in :func:`train_many`: one shared by every seed, or one per seed.
        grid: setting name -> the values to try, e.g. ``{"lr": [0.1, 0.5], "batch_size": [1, 32]}``; the points
            are every combination, the first setting varying slowest.
        seeds: the seeds trained at every point (one :func:`train_many` call, so one joblib task, per point).
        n_jobs: joblib's ``n_jobs``; ``None`` leaves it to joblib (and to an enclosing ``parallel_config``).
        fixed: settings shared by every point, e.g. ``epochs=40``.

    Example::

        with joblib.parallel_config(backend="dask"):   # after dask.distributed.Client(...)
            runs = sweep(dataset, {"activation": ["sigmoid", "relu"]}, range(100), epochs=40)
    """
    if not isinstance(grid, Mapping) or not grid:
        raise TypeError(f"grid must be a non-empty mapping of setting name -> values, got {grid!r}")
    for name in {**grid, **fixed}:
        if name not in SETTINGS:
            raise ValueError(f"{name!r} is not a training setting; the settings are {', '.join(SETTINGS)}")
    for name, values in grid.items():
        if isinstance(values, str) or not isinstance(values, Sequence) or len(values) == 0:
            raise TypeError(f"grid[{name!r}] must be a non-empty sequence of values, got {values!r}")
        if name in fixed:
            raise ValueError(f"{name!r} is both in grid and fixed; give it in one place")
    _, seeds = check_datasets(dataset, seeds)
    points = [dict(zip(grid, values, strict=True)) for values in itertools.product(*grid.values())]
    tasks = (joblib.delayed(train_many)(dataset, seeds, **fixed, **point) for point in points)
    return list(zip(points, joblib.Parallel(n_jobs=n_jobs)(tasks), strict=True))
