"""Post-hoc attributions with Captum, on a model after training.

:func:`saliency_relevance` computes the learning gradient's own quantity, Σ_i |∂C_i/∂x|, but with a second forward
and backward pass over the data, which the learning gradient avoids by reading the training step's own backward pass
(:mod:`lgrad.capture`). The other functions are the established attributions the book compares it with: they
attribute the network's logit z^(L) (the evidence for class 1, before the output sigmoid, so that confident rows do
not vanish behind a saturated sigmoid) and summarize it as the mean |attribution| per variable over the rows given.
Integrated Gradients and DeepLift start from the baseline 0, which for standardized inputs is the mean row of the rows
the standardization was fitted on.
"""

from __future__ import annotations

import warnings

import numpy as np
import torch
from torch import nn
from tqdm import TqdmWarning

with warnings.catch_warnings():  # Captum imports tqdm.auto, which warns in a Jupyter kernel without ipywidgets
    warnings.filterwarnings("ignore", message="IProgress not found", category=TqdmWarning)
    from captum.attr import DeepLift, InputXGradient, IntegratedGradients, Saliency

from ...checks import check_int
from ...loss import example_cost
from ...model import ACTIVATIONS, MLP

IG_STEPS = 16
"""Integration steps of Integrated Gradients (Gauss–Legendre, Captum's default rule)."""


def saliency_relevance(model: torch.nn.Module, X: torch.Tensor, y: torch.Tensor, loss: str = "mse") -> np.ndarray:
    """Σ_i |∂C_i/∂x| over the rows of ``X`` at the model's current parameters (not normalized)."""
    saliency = Saliency(lambda inputs: example_cost(loss, model.logits(inputs), y))
    return saliency.attribute(X.detach().requires_grad_(True), abs=True).sum(0).double().numpy()


def logit_network(model: MLP) -> nn.Sequential:
    """The logit z^(L) of ``model`` as an ``nn.Sequential`` with output shape (batch, 1), for Captum.

    It shares ``model``'s linear layers (no copy) and gives every hidden layer an activation module of its own: Captum's
    DeepLift hooks each nonlinearity and needs each one used once, while :class:`~lgrad.model.MLP` reuses one module.
    """
    if not isinstance(model, MLP):
        raise TypeError(f"model must be an lgrad MLP (e.g. History.model), got {type(model).__name__}")
    layers: list[nn.Module] = []
    for linear in model.linears[:-1]:
        layers += [linear, ACTIVATIONS[model.activation]()]
    return nn.Sequential(*layers, model.linears[-1]).eval()


def _mean_abs(attribution: torch.Tensor) -> np.ndarray:
    return attribution.detach().abs().mean(0).double().numpy()


def _inputs(model: MLP, X: torch.Tensor) -> torch.Tensor:
    dtype = next(model.parameters()).dtype
    return X.detach().to(dtype).clone().requires_grad_(True)


def saliency(model: MLP, X: torch.Tensor) -> np.ndarray:
    """Mean over the rows of |∂z/∂x|, the gradient of the logit (Captum ``Saliency``)."""
    return _mean_abs(Saliency(logit_network(model)).attribute(_inputs(model, X), target=0, abs=True))


def probability_saliency(model: MLP, X: torch.Tensor) -> np.ndarray:
    """Mean over the rows of |∂ŷ/∂x|, the gradient of the predicted probability (Captum ``Saliency`` on ``model``)."""
    return _mean_abs(Saliency(model.eval()).attribute(_inputs(model, X), abs=True))


def input_x_gradient(model: MLP, X: torch.Tensor) -> np.ndarray:
    """Mean over the rows of |x · ∂z/∂x| (Captum ``InputXGradient``)."""
    return _mean_abs(InputXGradient(logit_network(model)).attribute(_inputs(model, X), target=0))


def integrated_gradients(model: MLP, X: torch.Tensor, n_steps: int = IG_STEPS) -> tuple[np.ndarray, float]:
    """Mean over the rows of |Integrated Gradients| of the logit from the baseline 0 (Captum), and what ``n_steps``
    leaves of the completeness axiom: the largest |Σ_k attribution_k − (z(x) − z(0))| over the rows, divided by the
    mean |z(x) − z(0)| (NaN if that is 0)."""
    n_steps = check_int("n_steps", n_steps, minimum=1)
    ig = IntegratedGradients(logit_network(model))
    attribution, delta = ig.attribute(_inputs(model, X), target=0, n_steps=n_steps, return_convergence_delta=True)
    attribution, delta = attribution.detach().double(), delta.detach().double()
    change = (attribution.sum(1) - delta).abs().mean()  # z(x) − z(0), row by row
    relative = float(delta.abs().max() / change) if change > 0 else float("nan")
    return _mean_abs(attribution), relative


def deeplift(model: MLP, X: torch.Tensor) -> np.ndarray:
    """Mean over the rows of |DeepLift| of the logit from the baseline 0 (Captum, rescale rule)."""
    with warnings.catch_warnings():  # Captum announces that it hooks the activations (and removes the hooks after)
        warnings.filterwarnings("ignore", message="Setting forward, backward hooks", category=UserWarning)
        return _mean_abs(DeepLift(logit_network(model)).attribute(_inputs(model, X), target=0))
