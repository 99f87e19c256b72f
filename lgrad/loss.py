"""Cost functions. ``"mse"`` is the paper's eq. 4 with its one half: C = 1/(2m) Σ (ŷ − y)²."""

from __future__ import annotations

import torch
import torch.nn.functional as F

LOSSES = ("mse", "bce")


def batch_cost(loss: str, y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The mean over the batch of the per-example cost (what the SGD step differentiates)."""
    if loss == "mse":
        return 0.5 * F.mse_loss(y_hat, y)
    return F.binary_cross_entropy(y_hat, y)


def example_cost(loss: str, y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The cost of each example, shape ``(batch,)``: ½(ŷ − y)² for mse, −y log ŷ − (1 − y) log(1 − ŷ) for bce."""
    if loss == "mse":
        return 0.5 * (y_hat - y) ** 2
    return F.binary_cross_entropy(y_hat, y, reduction="none")
