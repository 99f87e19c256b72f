"""The retrained networks summarized: per ranking and k the mean test accuracy over the seeds and its
standard error, the curves, and the smallest k within one standard error of the full model.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

FULL = "all variables"


TOLERANCE = 1e-12
"""Slack for comparing means of accuracies computed in different orders."""


def summarize(table: pd.DataFrame) -> pd.DataFrame:
    """Per ranking and k: the mean test accuracy over seeds, its standard error (sample standard deviation / √n),
    the number of networks and how many learned nothing."""
    grouped = table.groupby(["ranking", "k"], sort=False)
    return pd.DataFrame(
        {
            "mean": grouped["test_accuracy"].mean(),
            "se": grouped["test_accuracy"].std(ddof=1) / np.sqrt(grouped["test_accuracy"].count()),
            "n": grouped["test_accuracy"].count(),
            "learned_nothing": grouped["learned"].apply(lambda s: int((~s).sum())),
        }
    ).reset_index()


def curves(table: pd.DataFrame, full: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """:func:`summarize` of each ranking in ``names`` for k = 1 … n, the full model's runs standing in at k = n
    (every ranking keeps all variables there)."""
    at_n = [full.assign(ranking=name) for name in names]
    rows = pd.concat([table[table["ranking"].isin(names)], *at_n], ignore_index=True)
    return summarize(rows).sort_values(["ranking", "k"], key=_ranking_order(names)).reset_index(drop=True)


def _ranking_order(names: Sequence[str]):
    position = {name: i for i, name in enumerate(names)}
    return lambda column: column.map(position) if column.name == "ranking" else column


def smallest_k(ks: Sequence[int], means: Sequence[float], full_mean: float, full_se: float) -> tuple[int | None, bool]:
    """The smallest k whose mean accuracy is within one standard error of the full model's (at least
    ``full_mean − full_se``; above the full model counts as within), and whether every larger k stays within.

    Returns ``(None, False)`` when no k is within (or every mean is missing).
    """
    ks, means = np.asarray(ks), np.asarray(means, dtype=float)
    if len(ks) != len(means):
        raise ValueError(f"ks and means must have the same length, got {len(ks)} and {len(means)}")
    order = np.argsort(ks, kind="stable")
    ks, means = ks[order], means[order]
    within = np.nan_to_num(means, nan=-np.inf) >= full_mean - full_se - TOLERANCE
    if not within.any():
        return None, False
    first = int(np.argmax(within))
    return int(ks[first]), bool(within[first:].all())


def smallest_k_table(curve: pd.DataFrame, full_mean: float, full_se: float) -> pd.DataFrame:
    """Per ranking of ``curve`` (:func:`curves`): the smallest k within one standard error of the full model, whether
    it stays within, the mean and standard error there, and how many of its networks learned nothing."""
    rows = []
    for name, part in curve.groupby("ranking", sort=False):
        k, stays = smallest_k(part["k"], part["mean"], full_mean, full_se)
        at = part[part["k"] == k].iloc[0] if k is not None else {"mean": np.nan, "se": np.nan}
        rows.append(
            {"ranking": name, "smallest k": k, "stays within": stays, "mean": float(at["mean"]),
             "se": float(at["se"]), "learned nothing": int(part["learned_nothing"].sum()),
             "networks": int(part["n"].sum())}
        )  # fmt: skip
    return pd.DataFrame(rows)


def full_mean_se(full: pd.DataFrame) -> tuple[float, float]:
    """The full model's mean test accuracy over seeds and its standard error (0 when every seed agrees)."""
    mean, se, _ = _mean_se(full["test_accuracy"])
    return mean, se


def _mean_se(values: pd.Series) -> tuple[float, float, int]:
    """Mean, standard error (sample standard deviation / √n; rounding noise below :data:`TOLERANCE` is 0) and n."""
    values = np.asarray(values, dtype=float)
    se = float(values.std(ddof=1) / np.sqrt(len(values))) if len(values) > 1 else float("nan")
    return float(values.mean()), 0.0 if abs(se) <= TOLERANCE else se, len(values)
