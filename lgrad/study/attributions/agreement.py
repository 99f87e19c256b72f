"""How far the ranking methods agree: Spearman's ρ between their scores, seed by seed, and their seed-mean top five.

Each seed gives every method one score per input variable (:func:`lgrad.study.attributions.scores.method_scores`).
:func:`agreement_matrix` correlates every pair of methods on each seed and averages ρ over the seeds; :func:`consensus`
averages each method's shares (scores divided by the sum of their absolute values) over the seeds and ranks the
variables by it, which is what :func:`top_table` lists and where :func:`reference_ranks` looks the reference up.

"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.stats import spearmanr


def _stack(scores: Sequence[Mapping[str, np.ndarray]], methods: Sequence[str]) -> np.ndarray:
    """Scores as an array (seeds, methods, features)."""
    if not scores:
        return np.empty((0, len(methods), 0))
    return np.stack([np.stack([np.asarray(seed[m], dtype=float) for m in methods]) for seed in scores])


def agreement_matrix(
    scores: Sequence[Mapping[str, np.ndarray]], methods: Sequence[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The mean over seeds of Spearman's ρ between every pair of ``methods``, and on how many seeds each is defined.

    Args:
        scores: one mapping per seed, method name → one score per variable.
        methods: the methods to compare, in the order of the rows and columns.

    Returns:
        ``(mean_rho, n_seeds)``, two square DataFrames indexed by method; ``mean_rho`` is NaN where no seed defines ρ.
    """
    stacked = _stack(scores, methods)
    m = len(methods)
    rho = np.full((len(stacked), m, m), np.nan)
    for s, seed in enumerate(stacked):
        ok = np.flatnonzero(np.isfinite(seed).all(1) & (np.ptp(seed, axis=1) > 0))  # the methods that rank here
        if len(ok) == 1:
            rho[s, ok[0], ok[0]] = 1.0
        elif len(ok) > 1:
            rho[s, ok[:, None], ok[None, :]] = np.atleast_2d(spearmanr(seed[ok], axis=1).statistic)
    defined = np.isfinite(rho)
    n = defined.sum(0)
    total = np.where(defined, rho, 0.0).sum(0)
    mean = np.divide(total, n, out=np.full((m, m), np.nan), where=n > 0)
    return pd.DataFrame(mean, index=methods, columns=methods), pd.DataFrame(n, index=methods, columns=methods)


def shares(score: np.ndarray) -> np.ndarray:
    """A score vector divided by the sum of its absolute values (so the learning gradient's is unchanged); all NaN when
    that sum is zero or not finite."""
    score = np.asarray(score, dtype=float)
    total = np.abs(score).sum()
    return score / total if np.isfinite(total) and total > 0 else np.full_like(score, np.nan)


def consensus(
    scores: Sequence[Mapping[str, np.ndarray]], methods: Sequence[str], features: Sequence[str]
) -> pd.DataFrame:
    """Each method's shares (:func:`shares`) averaged over the seeds where they are defined: rows are ``features``,
    columns ``methods``; NaN for a method no seed defines."""
    stacked = _stack(scores, methods)
    table = np.full((len(features), len(methods)), np.nan)
    for j in range(len(methods)):
        rows = [shares(seed[j]) for seed in stacked]
        rows = [row for row in rows if np.isfinite(row).all()]
        if rows:
            table[:, j] = np.mean(rows, axis=0)
    return pd.DataFrame(table, index=list(features), columns=list(methods))


def ranking(column: pd.Series) -> list[str]:
    """The variables of a :func:`consensus` column, most relevant first (ties keep the data set's order); empty if the
    column is not defined."""
    if not np.isfinite(column.to_numpy()).all():
        return []
    return [column.index[i] for i in np.argsort(-column.to_numpy(), kind="stable")]


def top_table(mean_shares: pd.DataFrame, reference: Sequence[str], k: int = 5) -> pd.DataFrame:
    """Each method's top ``k`` by its seed-mean shares, and the rank (1 = most relevant) of each ``reference`` variable
    in the same ranking; a method with no ranking says so. ``reference`` variables not in the data are left out."""
    shown = [name for name in reference if name in mean_shares.index]
    rows = []
    for method in mean_shares.columns:
        order = ranking(mean_shares[method])
        row = {"method": method, f"top {k} (seed mean, most relevant first)": ", ".join(order[:k]) or "— (no ranking)"}
        for name in shown:
            row[name] = order.index(name) + 1 if order else None
        rows.append(row)
    return pd.DataFrame(rows)


def reference_ranks(mean_shares: pd.DataFrame, reference: Sequence[str]) -> pd.DataFrame:
    """The rank (1-based) of every ``reference`` variable in every method's seed-mean ranking: rows the reference
    variables found in the data, columns the methods that rank; empty if none of them is in the data."""
    shown = [name for name in reference if name in mean_shares.index]
    ranked = {m: ranking(mean_shares[m]) for m in mean_shares.columns}
    ranked = {m: order for m, order in ranked.items() if order}
    return pd.DataFrame({m: [order.index(name) + 1 for name in shown] for m, order in ranked.items()}, index=shown)
