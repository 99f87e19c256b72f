"""The GradEnFS score (Liu et al., AISTATS 2024): a decayed running sum of mean |∂C/∂x| over the training steps.

The closest published relative of the learning gradient: where the paper sums |∂C_i/∂x| over an epoch's examples,
GradEnFS keeps one score per feature that every mini-batch step updates as ``score ← β·score + mean_i |∂C_i/∂x|``,
so recent steps weigh more. Here it is read from the same recorded backward passes (``record="batch"``): no
training of its own.
"""

from __future__ import annotations

import numpy as np

from ..history import History
from .references import GRADENFS_BETA


def batch_sizes(n_examples: int, batch_size: int | str, steps: int) -> np.ndarray:
    """The number of examples of each of ``steps`` mini-batch steps: full batches, then a short last one per epoch."""
    size = n_examples if batch_size == "full" else int(batch_size)
    per_epoch = [size] * (n_examples // size) + ([n_examples % size] if n_examples % size else [])
    if steps % len(per_epoch):
        raise ValueError(f"steps must be a multiple of the {len(per_epoch)} batches of an epoch, got {steps}")
    return np.tile(per_epoch, steps // len(per_epoch))


def gradenfs_scores(history: History, n_examples: int, beta: float = GRADENFS_BETA) -> np.ndarray:
    """The GradEnFS score of every feature after the last step: ``score_t = β·score_{t-1} + mean|∂C/∂x|_t``.

    Args:
        history: a run trained with ``record="batch"`` (it keeps the raw per-batch sums Σ_i |∂C_i/∂x|).
        n_examples: the number of training rows (to know each batch's size, the last one may be short).
        beta: the decay, in [0, 1); 0 keeps the last step only.

    Returns:
        The scores, shape (n_features,), not normalized.
    """
    rows = history.raw_batch_relevance
    if rows is None:
        raise ValueError("history must be recorded with record='batch' for the GradEnFS score")
    if not 0 <= beta < 1:
        raise ValueError(f"beta must be in [0, 1), got {beta!r}")
    means = rows / batch_sizes(n_examples, history.config["batch_size"], len(rows))[:, None]
    weights = beta ** np.arange(len(means) - 1, -1, -1, dtype=float)
    return weights @ means
