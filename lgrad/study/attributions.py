"""The post-hoc alternative to the learning gradient: Captum's ``Saliency`` on a model after training.

It computes the same quantity, Σ_i |∂C_i/∂x|, but with a second forward and backward pass over the data, which the
learning gradient avoids by reading the training step's own backward pass (:mod:`lgrad.capture`).
"""

from __future__ import annotations

import numpy as np
import torch
from captum.attr import Saliency

from ..loss import example_cost


def saliency_relevance(model: torch.nn.Module, X: torch.Tensor, y: torch.Tensor, loss: str = "mse") -> np.ndarray:
    """Σ_i |∂C_i/∂x| over the rows of ``X`` at the model's current parameters (not normalized)."""
    saliency = Saliency(lambda inputs: example_cost(loss, model.logits(inputs), y))
    return saliency.attribute(X.detach().requires_grad_(True), abs=True).sum(0).double().numpy()
