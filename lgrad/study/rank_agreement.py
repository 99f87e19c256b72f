"""How far rankings of the input variables agree: between runs, between methods, and with a list.

* :func:`overlap`: how many variables two top lists share (5 for a top five and itself);
* :func:`top_k`: the names of the ``k`` largest scores;
* :func:`spearman`: Spearman's ρ of two score vectors, NaN where one of them ranks nothing;
* :func:`kendall_tau_matrix`: Kendall's τ-b between every pair of runs' scores, as ``scipy.stats.kendalltau``
  computes it for one pair (for 200 runs that is 19 900 pairs: here one matrix product);
* :func:`kendall_w`: Kendall's coefficient of concordance W of ``m`` rankings of ``n`` items, with the correction
  for ties: 1 when every ranking is the same, 0 when the rank sums of the items are all equal (e.g. two reversed
  rankings).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from scipy.stats import rankdata, spearmanr


def overlap(first: Iterable[str], second: Iterable[str]) -> int:
    """How many items two lists have in common, whatever their order."""
    return len(set(first) & set(second))


def top_k(scores: np.ndarray, names: Sequence[str], k: int = 5) -> list[str]:
    """The ``k`` names of largest score, largest first; ties keep the order of ``names`` (as
    :meth:`lgrad.History.top_features`)."""
    return [names[i] for i in np.argsort(-np.asarray(scores, dtype=float), kind="stable")[:k]]


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's ρ of two score vectors (ties take their mean rank); NaN when either is constant or not finite,
    where no ranking exists to correlate."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"a and b must be vectors of the same length, got shapes {a.shape} and {b.shape}")
    if not (np.isfinite(a).all() and np.isfinite(b).all()) or np.ptp(a) == 0 or np.ptp(b) == 0:
        return float("nan")
    return float(spearmanr(a, b).statistic)


def _scores(scores: np.ndarray) -> np.ndarray:
    scores = np.asarray(scores, dtype=float)
    if scores.ndim != 2 or scores.shape[1] < 2:
        raise ValueError(f"scores must be a (runs, items) array with at least 2 items, got shape {scores.shape}")
    if not np.isfinite(scores).all():
        raise ValueError("scores must be finite: leave out the runs that learned nothing")
    return scores


def kendall_tau_matrix(scores: np.ndarray) -> np.ndarray:
    """Kendall's τ-b between the scores of every pair of runs: ``(m, m)`` from ``scores`` of shape ``(m, n)``.

    For each run the sign of every pair of items, ``sign(s_i − s_j)`` (0 for a tie), is one vector; τ-b of two runs
    is the dot product of their vectors over the square root of the product of their untied pairs. A run whose
    scores are all equal has no ranking: its τ is NaN.
    """
    scores = _scores(scores)
    i, j = np.triu_indices(scores.shape[1], k=1)
    signs = np.sign(scores[:, i] - scores[:, j])
    untied = np.abs(signs).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (signs @ signs.T) / np.sqrt(np.outer(untied, untied))


def mean_pairwise_tau(scores: np.ndarray) -> float:
    """The mean of Kendall's τ-b over all pairs of distinct runs (NaN with fewer than two runs)."""
    scores = np.asarray(scores, dtype=float)
    if scores.ndim == 2 and len(scores) < 2:
        return float("nan")
    tau = kendall_tau_matrix(scores)
    return float(np.nanmean(tau[np.triu_indices(len(tau), k=1)]))


def kendall_w(scores: np.ndarray) -> float:
    """Kendall's W of ``m`` runs ranking ``n`` items by ``scores`` (shape ``(m, n)``; higher score, better rank).

    ``W = 12 S / (m² (n³ − n) − m Σ T)`` with ``S`` the sum of squared deviations of the items' rank sums from their
    mean and ``T = Σ (t³ − t)`` over each run's groups of ``t`` tied items (average ranks). NaN with fewer than two
    runs or when every run ties all items.
    """
    scores = _scores(scores)
    m, n = scores.shape
    if m < 2:
        return float("nan")
    ranks = rankdata(scores, axis=1)
    rank_sums = ranks.sum(axis=0)
    s = float(((rank_sums - rank_sums.mean()) ** 2).sum())
    ties = sum(float((counts**3 - counts).sum()) for counts in (np.unique(row, return_counts=True)[1] for row in ranks))
    denominator = m**2 * (n**3 - n) - m * ties
    return 12 * s / denominator if denominator > 0 else float("nan")
