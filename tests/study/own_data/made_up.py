"""A made-up run on a reader's table, for the tests of the own-data study."""

from __future__ import annotations

import numpy as np

import lgrad


def fake_run(final, names=None, accuracy=0.9, counts=(12, 14), epochs=3) -> lgrad.History:
    """A History whose last epoch's raw learning gradient is ``final`` (earlier epochs uniform)."""
    final = np.asarray(final, dtype=float)
    names = names or [f"v{i}" for i in range(len(final))]
    raw = np.vstack([np.ones((epochs - 1, len(final))), final[None]])
    with np.errstate(invalid="ignore"):
        relevance = np.nan_to_num(raw / raw.sum(1, keepdims=True))
    series = np.full(epochs, accuracy)
    return lgrad.History(
        feature_names=list(names), relevance=relevance, raw_relevance=raw, train_loss=np.ones(epochs),
        train_accuracy=series, test_loss=np.ones(epochs), test_accuracy=series, config={},
        test_predicted_positive=np.full(epochs, 0.5), test_class_counts=np.asarray(counts),
    )  # fmt: skip
