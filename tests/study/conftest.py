"""Fixtures shared by the study's tests."""

from __future__ import annotations

import pytest

import lgrad


@pytest.fixture(scope="module")
def healthy_and_stuck(breast_cancer):
    """Two short runs that learned (recorded per mini-batch) and one whose cost diverged."""
    healthy = lgrad.train_many(breast_cancer, [0, 1], epochs=3, batch_size=64, record="batch")
    stuck = lgrad.train(breast_cancer, lr=1e6, epochs=3, seed=0)
    return healthy, stuck
