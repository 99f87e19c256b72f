"""Made-up per-step shares, for the tests of the mini-batch reading and its sentences."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np


def made_up_steps(shares: list[list[float]], epochs: list[int], raw: np.ndarray | None = None) -> SimpleNamespace:
    """A history of normalized per-step shares (rows) with their 0-based epochs; epoch relevance = mean share."""
    shares_array, epoch_array = np.array(shares, dtype=float), np.array(epochs)
    relevance = np.array([shares_array[epoch_array == e].mean(axis=0) for e in np.unique(epoch_array)])
    return SimpleNamespace(
        feature_names=[f"x{i}" for i in range(shares_array.shape[1])],
        batch_relevance=shares_array,
        raw_batch_relevance=shares_array if raw is None else raw,
        batch_epoch=epoch_array,
        relevance=relevance,
        epochs=len(relevance),
    )
