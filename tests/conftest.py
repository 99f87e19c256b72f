"""Fixtures shared by the whole suite; keep them generic (test-specific helpers live in their test file)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import lgrad

SEED = 0


@pytest.fixture
def seed() -> int:
    """The suite's seed. Also seeds the global RNGs, which lgrad must never read (its streams derive from the seed)."""
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    return SEED


@pytest.fixture(scope="session")
def breast_cancer() -> lgrad.Dataset:
    """The paper's data set, split and standardized with the book's defaults (455 training rows, 114 test rows)."""
    return lgrad.load_dataset("breast_cancer", test_size=0.2, seed=SEED)
