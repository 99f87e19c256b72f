"""Metrics of a trained network on held-out rows, computed here so that the figures only draw them."""

from __future__ import annotations

import numpy as np
import torch


def confusion_counts(model: torch.nn.Module, X: torch.Tensor, y: torch.Tensor) -> np.ndarray:
    """2×2 counts ``[true, predicted]`` of ``model`` (a probability of class 1 per row) thresholded at 0.5."""
    dtype = next(model.parameters()).dtype
    with torch.no_grad():
        prob = model(X.to(dtype)).reshape(-1).double().numpy()
    predicted = (prob >= 0.5).astype(int)
    truth = y.reshape(-1).numpy().astype(int)
    counts = np.zeros((2, 2), dtype=int)
    np.add.at(counts, (truth, predicted), 1)
    return counts
