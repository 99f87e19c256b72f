"""Cost functions of the network's output logits.

The paper's binary costs take one logit per example, z^(L) (ŷ = sigmoid(z^(L))): ``"mse"`` is its eq. 4 with the
one half, C = 1/(2m) Σ (ŷ − y)²; ``"bce"`` is the binary cross-entropy, computed from the logit so that its gradient
stays exactly ŷ − y where the sigmoid saturates. Targets are 0.0 or 1.0.

``"ce"`` is the cross-entropy for several classes: logits of shape (batch, classes), targets the class indices
(integers in [0, classes)), C_i = −log softmax(z_i)[y_i]. Every batch cost is the mean of the examples' costs.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

LOSSES = ("mse", "bce")
"""The binary costs of one logit per example (the paper's network, :func:`lgrad.train`)."""
MULTICLASS_LOSSES = ("ce",)
"""The costs of one logit per class (:func:`lgrad.train_cnn`)."""
ALL_LOSSES = LOSSES + MULTICLASS_LOSSES


def batch_cost(loss: str, logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The mean over the batch of the per-example cost (what the SGD step differentiates)."""
    if loss == "mse":
        return 0.5 * F.mse_loss(torch.sigmoid(logits), y)
    if loss == "bce":
        return F.binary_cross_entropy_with_logits(logits, y)
    if loss == "ce":
        return F.cross_entropy(logits, y)
    raise ValueError(_unknown(loss))


def example_cost(loss: str, logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The cost of each example, shape ``(batch,)``: ½(ŷ − y)² for mse, −y log ŷ − (1 − y) log(1 − ŷ) for bce,
    −log softmax(z)[y] for ce."""
    if loss == "mse":
        return 0.5 * (torch.sigmoid(logits) - y) ** 2
    if loss == "bce":
        return F.binary_cross_entropy_with_logits(logits, y, reduction="none")
    if loss == "ce":
        return F.cross_entropy(logits, y, reduction="none")
    raise ValueError(_unknown(loss))


def _unknown(loss: object) -> str:
    return f"loss must be one of {', '.join(repr(name) for name in ALL_LOSSES)}, got {loss!r}"
