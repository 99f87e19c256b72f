"""Cost functions of the output logit z^(L) (ŷ = sigmoid(z^(L))).

``"mse"`` is the paper's eq. 4 with its one half: C = 1/(2m) Σ (ŷ − y)². ``"bce"`` is the binary cross-entropy,
computed from the logit so that its gradient stays exactly ŷ − y where the sigmoid saturates.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

LOSSES = ("mse", "bce")


def batch_cost(loss: str, logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The mean over the batch of the per-example cost (what the SGD step differentiates)."""
    if loss == "mse":
        return 0.5 * F.mse_loss(torch.sigmoid(logits), y)
    return F.binary_cross_entropy_with_logits(logits, y)


def example_cost(loss: str, logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The cost of each example, shape ``(batch,)``: ½(ŷ − y)² for mse, −y log ŷ − (1 − y) log(1 − ŷ) for bce."""
    if loss == "mse":
        return 0.5 * (torch.sigmoid(logits) - y) ** 2
    return F.binary_cross_entropy_with_logits(logits, y, reduction="none")
