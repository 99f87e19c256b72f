"""Does the learning gradient converge over the epochs? The paper's section-4 claim, measured on a training run.

Three measures per epoch of :attr:`lgrad.History.relevance` (rows normalized to sum to 1):

* ``l1_change``: Σ_k |r_e,k − r_e−1,k|, how much the bars moved since the previous epoch (0: identical bars,
  2: no variable shares any relevance; ×100 it is in percentage points);
* ``spearman_final``: Spearman rank correlation of the epoch's bars with the last epoch's (1: same ranking);
* ``top_k_shared_final``: how many of the epoch's ``k`` most relevant variables are among the last epoch's ``k``.

An epoch whose learning gradient is zero or not finite ranks nothing: its two rank measures are missing (NaN), and
all of them are if the last epoch's is; :func:`convergence_summary` refuses such a run (it learned nothing).

:func:`convergence_summary` condenses them with one stated criterion, fixed in advance: the bars *settle* when the
mean change over the last ``window`` epochs is at most a quarter of the mean change over the first ``window``.

The criterion is shared by the training chapter (one run) and the chapter across seeds (:func:`settles`, for many
runs at once).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from ..checks import check_int

SETTLE_RATIO = 0.25
"""The bars settle when late changes are at most this fraction of early ones (see :func:`convergence_summary`)."""


def _relevance(history: Any) -> np.ndarray:
    relevance = np.asarray(history.relevance, dtype=float)
    if relevance.ndim != 2 or len(relevance) == 0:
        raise ValueError(f"history.relevance must be a non-empty (epochs, features) array, got shape {relevance.shape}")
    if np.isnan(relevance).any():
        raise ValueError("history holds no learning gradient (trained with record=None)")
    return relevance


def convergence(history: Any, k: int = 5) -> pd.DataFrame:
    """One row per epoch (1-based): ``epoch``, ``l1_change``, ``spearman_final``, ``top_k_shared_final``.

    Args:
        history: a :class:`lgrad.History` with a learning gradient per epoch.
        k: size of the top list compared with the last epoch's.

    Example:
        >>> conv = convergence(lgrad.train(ds, epochs=40))
        >>> conv.loc[conv.epoch == 40, "spearman_final"].item()
        1.0
    """
    relevance = _relevance(history)
    k = check_int("k", k, minimum=1, maximum=relevance.shape[1])
    final = relevance[-1]
    final_top = set(np.argsort(-final, kind="stable")[:k])
    ranks = np.isfinite(relevance).all(axis=1) & (relevance != 0).any(axis=1) & _ranks(final)
    l1 = np.r_[np.nan, np.abs(np.diff(relevance, axis=0)).sum(axis=1)]
    rho = [_spearman(row, final) if ok else np.nan for row, ok in zip(relevance, ranks, strict=True)]
    shared = [
        len(final_top & set(np.argsort(-row, kind="stable")[:k])) if ok else np.nan
        for row, ok in zip(relevance, ranks, strict=True)
    ]
    table = pd.DataFrame(
        {
            "epoch": np.arange(1, len(relevance) + 1),
            "l1_change": l1,
            "spearman_final": rho,
            "top_k_shared_final": pd.array(shared, dtype="Int64"),
        }
    )
    table.attrs["k"] = k
    return table


def convergence_summary(history: Any, k: int = 5, window: int | None = None) -> dict[str, Any]:
    """The convergence of a run in a few numbers (epochs are 1-based).

    Returns a dict with:
        ``early_change`` / ``late_change``: mean ``l1_change`` over epochs 2..window+1 and over the last ``window``
        (by default 5 epochs, fewer in a run too short for two separate windows);
        ``change_ratio``: late / early; ``settles``: ``change_ratio <= SETTLE_RATIO`` (the criterion stated above);
        ``spearman_first``: rank correlation of epoch 1 with the last epoch; ``spearman_09_from``: first epoch from
        which it stays >= 0.9; ``top_k_final_from``: first epoch from which the top-``k`` set is the final one for
        good (equal to the number of epochs if it changed at the last step); ``epochs``; ``k``.
    """
    if hasattr(history, "check_rankable"):
        history.check_rankable(-1)  # a DegenerateRunError naming the epoch: no convergence verdict for such a run
    conv = convergence(history, k=k)
    epochs = len(conv)
    if epochs < 3:
        raise ValueError(f"convergence needs a run of at least 3 epochs, got {epochs}")
    if window is None:
        window = min(5, (epochs - 1) // 2)
    window = check_int("window", window, minimum=1, maximum=(epochs - 1) // 2)
    changes = conv["l1_change"].to_numpy()[1:]
    early, late = float(changes[:window].mean()), float(changes[-window:].mean())
    ratio = late / early if early > 0 else 0.0
    return {
        "epochs": epochs,
        "k": k,
        "window": window,
        "early_change": early,
        "late_change": late,
        "change_ratio": ratio,
        "settles": bool(ratio <= SETTLE_RATIO),
        "spearman_first": float(conv["spearman_final"].iloc[0]),
        "spearman_09_from": stays_from(conv["spearman_final"].to_numpy() >= 0.9),
        "top_k_final_from": stays_from(conv["top_k_shared_final"].to_numpy() == k),
    }


def settles(relevance: np.ndarray) -> np.ndarray:
    """Per run (rows of ``relevance``, shape ``(S, E, F)``), whether its bars settle by the criterion of
    :func:`convergence_summary`: the mean L1 change over the last ``w`` epoch-to-epoch steps
    is at most :data:`SETTLE_RATIO` times the mean over the first ``w``,
    ``w = min(5, (E − 1) // 2)``."""
    steps = np.abs(np.diff(relevance, axis=1)).sum(axis=2)
    window = min(5, (relevance.shape[1] - 1) // 2)
    early, late = steps[:, :window].mean(axis=1), steps[:, -window:].mean(axis=1)
    ratio = np.divide(late, early, out=np.zeros_like(late), where=early > 0)
    return ratio <= SETTLE_RATIO


def _ranks(row: np.ndarray) -> bool:
    return bool(np.isfinite(row).all() and (row != 0).any())


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    if np.ptp(a) == 0 or np.ptp(b) == 0:  # a constant row has no ranking
        return float("nan")
    return float(spearmanr(a, b).statistic)


def stays_from(holds: np.ndarray) -> int:
    """The first 1-based epoch from which ``holds`` is true up to the end (len + 1 if false at the end)."""
    failing = np.flatnonzero(~holds)
    return int(failing[-1]) + 2 if len(failing) else 1
