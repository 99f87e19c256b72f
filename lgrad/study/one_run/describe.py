"""Describing the data for the book: the features as measurement × statistic, the class balance, and the blocks
of strongly correlated variables (the paper's Fig. 4).

The breast-cancer features are named ``mean <measurement>``, ``<measurement> error`` (the standard error) and
``worst <measurement>`` (the mean of the three largest values) for ten measurements of the cell nuclei in an image.
The functions here read that naming (:func:`lgrad.study.blocks.split_name`); a CSV dataset whose names do not
follow it gets a plain list instead. The blocks themselves are found in :mod:`lgrad.study.blocks`.

"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..blocks import split_name

STATISTICS = ("mean", "standard error", "worst")
"""The three statistics of each measurement, as the columns of :func:`feature_grid`."""


MEASUREMENTS = {
    "radius": "mean distance from the center to points on the perimeter",
    "texture": "standard deviation of the gray-scale values",
    "perimeter": "perimeter of the nucleus",
    "area": "area of the nucleus",
    "smoothness": "local variation in radius lengths",
    "compactness": "perimeter² / area − 1",
    "concavity": "severity of the concave portions of the contour",
    "concave points": "number of concave portions of the contour",
    "symmetry": "symmetry of the nucleus",
    "fractal dimension": "“coastline approximation” − 1",
}
"""The ten measurements of the Wisconsin Diagnostic Breast Cancer data and what each measures (its documentation)."""


def feature_grid(ds: Any) -> pd.DataFrame:
    """One row per measurement; columns ``measurement``, ``what it measures`` and, per statistic, the variable's
    mean over all rows in original units (rounded to 3 significant digits).

    For a dataset whose names do not all follow the mean/error/worst pattern: one row per variable with its mean.
    """
    names = list(ds.feature_names)
    means = ds.raw[names].mean()
    parts = {name: split_name(name) for name in names}
    if any(part is None for part in parts.values()):
        return pd.DataFrame({"variable": names, "mean over all rows": [_sig3(means[n]) for n in names]})
    measurements = list(dict.fromkeys(part[0] for part in parts.values()))
    rows = []
    for measurement in measurements:
        row = {"measurement": measurement, "what it measures": MEASUREMENTS.get(measurement, "")}
        for statistic in STATISTICS:
            match = [n for n, part in parts.items() if part == (measurement, statistic)]
            row[statistic] = _sig3(means[match[0]]) if match else ""
        rows.append(row)
    return pd.DataFrame(rows)


def class_balance(ds: Any) -> pd.DataFrame:
    """Rows per class in the whole data set and in the training and test parts.

    Columns: ``target``, ``class``, ``all rows``, ``share``, ``train``, ``test``.
    """
    target = ds.raw["target"].to_numpy()
    train = ds.y_train.numpy().astype(int)
    test = ds.y_test.numpy().astype(int)
    rows = []
    for label, name in enumerate(ds.class_names):
        count = int((target == label).sum())
        rows.append(
            {
                "target": label,
                "class": name,
                "all rows": count,
                "share": count / len(target),
                "train": int((train == label).sum()),
                "test": int((test == label).sum()),
            }
        )
    return pd.DataFrame(rows)


def blocks_table(blocks: Sequence[Sequence[str]]) -> pd.DataFrame:
    """The blocks of :func:`correlated_blocks` with the measurements and statistics each joins."""
    rows = []
    for number, block in enumerate(blocks, start=1):
        parts = [split_name(name) for name in block]
        known = [part for part in parts if part is not None]
        rows.append(
            {
                "block": number,
                "variables": ", ".join(block),
                "measurements": ", ".join(dict.fromkeys(part[0] for part in known)),
                "statistics": ", ".join(s for s in STATISTICS if any(part[1] == s for part in known)),
            }
        )
    return pd.DataFrame(rows, columns=["block", "variables", "measurements", "statistics"])


def joins(block: Sequence[str], first: str, second: str) -> bool:
    """Whether ``block`` holds the ``first`` and the ``second`` statistic (of :data:`STATISTICS`) of one measurement.

    Example: ``joins(["mean radius", "radius error"], "mean", "standard error")`` is ``True``.
    """
    parts = {split_name(name) for name in block} - {None}
    return any((measurement, second) in parts for measurement, statistic in parts if statistic == first)


def _sig3(value: float) -> float:
    return float(f"{value:.3g}") if np.isfinite(value) else value
