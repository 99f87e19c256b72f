"""Reading the data: groups of strongly correlated input variables (the blocks of the paper's Fig. 4)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .checks import check_float


def correlation(ds: Any) -> pd.DataFrame:
    """Pearson correlation of the features of ``ds`` over all its rows in original units (``ds.raw``)."""
    names = list(ds.feature_names)
    return ds.raw[names].corr(method="pearson")


def correlated_blocks(ds: Any, threshold: float = 0.9) -> list[list[str]]:
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
    strong = np.abs(corr.to_numpy()) >= threshold
    group = list(range(len(names)))  # union-find parents

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    for i, j in zip(*np.nonzero(np.triu(strong, k=1)), strict=True):
        group[root(int(j))] = root(int(i))
    members: dict[int, list[str]] = {}
    for i, name in enumerate(names):
        members.setdefault(root(i), []).append(name)
    blocks = [m for m in members.values() if len(m) > 1]
    return sorted(blocks, key=lambda m: names.index(m[0]))
