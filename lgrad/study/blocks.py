"""Blocks of strongly correlated variables, found from the data, and a variable read as its block.

The breast-cancer features are named ``mean <measurement>``, ``<measurement> error`` (the standard error) and
``worst <measurement>`` (the mean of the three largest values) for ten measurements of the cell nuclei in an image
(:func:`split_name` reads that naming). :func:`correlated_blocks` joins variables linked by chains of strong
correlation (the data chapter's blocks, the paper's Fig. 4); :func:`block_units` and :func:`as_units` read a
variable as its block, so that two runs that pick near-duplicates agree (the chapter across seeds).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import connected_components

from ..checks import check_float

BLOCK_THRESHOLD = 0.9
"""Variables joined by chains of correlations at least this strong (in absolute value) form a block."""


def correlation(ds: Any) -> pd.DataFrame:
    """Pearson correlation of the features of ``ds`` over all its rows in original units (``ds.raw``)."""
    names = list(ds.feature_names)
    return ds.raw[names].corr(method="pearson")


def correlated_blocks(ds: Any, threshold: float = BLOCK_THRESHOLD) -> list[list[str]]:
    """Groups of variables linked by chains of strong correlation, ``|r| >= threshold`` (Pearson, all rows).

    The groups are the connected components, of two variables or more, of the graph joining every pair with
    ``|r| >= threshold``. Each group lists its variables in the dataset's column order; groups are ordered by
    their first variable.

    Example:
        >>> correlated_blocks(lgrad.load_dataset("breast_cancer"))[0][:3]
        ['mean radius', 'mean perimeter', 'mean area']
    """
    threshold = check_float("threshold", threshold, minimum=0.0, maximum=1.0, min_inclusive=False)
    corr = correlation(ds)
    names = list(corr.columns)
    _, component = connected_components(np.abs(corr.to_numpy()) >= threshold, directed=False)
    members: dict[int, list[str]] = {}
    for name, label in zip(names, component, strict=True):
        members.setdefault(int(label), []).append(name)
    blocks = [m for m in members.values() if len(m) > 1]
    return sorted(blocks, key=lambda m: names.index(m[0]))


def split_name(name: str) -> tuple[str, str] | None:
    """``"worst radius"`` → ``("radius", "worst")``; ``None`` for a name outside the mean/error/worst pattern."""
    if name.startswith("mean "):
        return name.removeprefix("mean "), "mean"
    if name.startswith("worst "):
        return name.removeprefix("worst "), "worst"
    if name.endswith(" error"):
        return name.removesuffix(" error"), "standard error"
    return None


def block_label(block: Sequence[str]) -> str:
    """A short name for a block of variables: ``mean/worst texture``, ``radius/perimeter/area error``; the
    variables joined by ", " when their names do not follow the mean/error/worst pattern."""
    parts = [split_name(name) for name in block]
    if any(part is None for part in parts):
        return ", ".join(block)
    by_measurements: dict[tuple[str, ...], list[str]] = {}
    for statistic in ("mean", "standard error", "worst"):
        measurements = tuple(part[0] for part in parts if part[1] == statistic)
        if measurements:
            by_measurements.setdefault(measurements, []).append(statistic)
    words = []
    for measurements, statistics in by_measurements.items():
        errors = "standard error" in statistics
        front = "/".join(s for s in statistics if s != "standard error")
        what = "/".join(measurements)
        if front:
            words.append(f"{front} {what}")
        if errors:
            words.append(f"{what} error")
    return ", ".join(words)


def block_units(feature_names: Sequence[str], blocks: Sequence[Sequence[str]]) -> dict[str, str]:
    """Each variable's unit: the label of its block (:func:`block_label`), or its own name outside any block."""
    units = {name: name for name in feature_names}
    for block in blocks:
        label = block_label(block)
        for name in block:
            units[name] = label
    return units


def as_units(names: Iterable[str], units: dict[str, str]) -> set[str]:
    """The set of units (blocks, or lone variables) that ``names`` fall in; a name unknown to ``units`` (a variable
    the data does not have) is its own unit."""
    return {units.get(name, name) for name in names}
