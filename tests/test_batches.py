"""ShuffledBatches feeds every epoch the same tensors, refilled in its order: exactly X[order] split in batches."""

from __future__ import annotations

import pytest
import torch

import lgrad
from lgrad.batches import ShuffledBatches


@pytest.mark.parametrize("size", [1, 32, 455])
def test_each_epoch_is_the_order_split_in_batches_in_the_same_tensors(breast_cancer, size):
    X, y = breast_cancer.X_train, breast_cancer.y_train
    X_before = X.clone()
    batches = ShuffledBatches(X, y, size)
    seen = None
    for order in lgrad.epoch_orders(len(y), 3, seed=5):
        pairs = list(batches.epoch(order))
        expected = list(zip(X[order].split(size), y[order].split(size), strict=True))
        assert len(pairs) == len(expected) == -(-len(y) // size)  # a short last batch is kept
        for (xb, yb), (xe, ye) in zip(pairs, expected, strict=True):
            assert torch.equal(xb, xe) and torch.equal(yb, ye)
        ids = [id(xb) for xb, _ in pairs]
        assert seen is None or ids == seen
        seen = ids
    assert torch.equal(X, X_before)  # the source is never written


def test_mismatched_rows_are_refused(breast_cancer):
    with pytest.raises(ValueError, match="same, non-zero number of rows, got 455 and 454"):
        ShuffledBatches(breast_cancer.X_train, breast_cancer.y_train[:-1], 8)
