"""lgrad.study.attributions.captum_methods: Captum's attributions of the logit against oracles written with autograd and
by hand."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import lgrad
from lgrad.study.attributions.captum_methods import (
    deeplift,
    input_x_gradient,
    integrated_gradients,
    logit_network,
    probability_saliency,
    saliency,
)

TOL = 1e-10


@pytest.fixture
def tiny(seed):
    """A float64 network 4 → 3 → 2 → 1 (two hidden activations, so DeepLift meets a reused module) and 6 rows."""
    model = lgrad.build_model(4, (3, 2), "sigmoid", seed=seed, dtype=torch.float64)
    X = torch.from_numpy(np.random.default_rng(seed).normal(size=(6, 4)))
    return model, X


def logit_gradient(model, X):
    """∂z/∂x of every row by autograd on the model itself (the oracle)."""
    x = X.clone().requires_grad_(True)
    model.logits(x).sum().backward()
    return x.grad


def test_the_logit_network_is_the_models_logit(tiny):
    model, X = tiny
    torch.testing.assert_close(logit_network(model)(X)[:, 0], model.logits(X), rtol=0, atol=0)
    activations = [m for m in logit_network(model) if not isinstance(m, torch.nn.Linear)]
    assert len(activations) == 2 and activations[0] is not activations[1]
    with pytest.raises(TypeError, match="model must be an lgrad MLP"):
        logit_network(torch.nn.Linear(4, 1))


def test_saliency_and_input_x_gradient_against_autograd(tiny):
    model, X = tiny
    grad = logit_gradient(model, X)
    np.testing.assert_allclose(saliency(model, X), grad.abs().mean(0).numpy(), rtol=TOL)
    np.testing.assert_allclose(input_x_gradient(model, X), (X * grad).abs().mean(0).numpy(), rtol=TOL)


def test_probability_saliency_is_the_logits_times_the_sigmoids_slope(tiny):
    model, X = tiny
    p = torch.sigmoid(model.logits(X)).detach()
    expected = (logit_gradient(model, X) * (p * (1 - p))[:, None]).abs().mean(0)
    np.testing.assert_allclose(probability_saliency(model, X), expected.numpy(), rtol=TOL)


def test_integrated_gradients_and_deeplift_are_exact_on_a_linear_network(seed):
    """Without a hidden layer z = w·x + b: from the baseline 0 both attribute w_k x_k to input k."""
    model = lgrad.build_model(4, (3,), "sigmoid", seed=seed, dtype=torch.float64)
    linear = lgrad.MLP(4, (1,), "relu").double()
    X = torch.from_numpy(np.random.default_rng(seed).normal(size=(5, 4)))
    with torch.no_grad():  # a ReLU network that stays linear: its hidden unit is positive on every row
        linear.linears[0].weight.copy_(model.linears[0].weight[:1])
        linear.linears[0].bias.fill_(100.0)
        linear.linears[1].weight.fill_(2.0)
    w = 2.0 * linear.linears[0].weight[0].detach()
    expected = (X * w).abs().mean(0).numpy()
    ig, error = integrated_gradients(linear, X, n_steps=4)
    np.testing.assert_allclose(ig, expected, rtol=1e-9)
    assert error < 1e-9
    np.testing.assert_allclose(deeplift(linear, X), expected, rtol=1e-9)


def test_integrated_gradients_completeness_error_shrinks_with_steps(tiny):
    model, X = tiny
    few, error_few = integrated_gradients(model, X, n_steps=2)
    many, error_many = integrated_gradients(model, X, n_steps=64)
    assert error_many < error_few and error_many < 1e-6
    with pytest.raises(ValueError, match="n_steps must be an integer >= 1"):
        integrated_gradients(model, X, n_steps=0)


def test_deeplift_satisfies_summation_to_delta_on_a_hidden_layer_network(tiny):
    """DeepLift's rescale rule: each row's attributions sum to z(x) − z(0) (a multi-layer net, two activations)."""
    model, X = tiny
    from captum.attr import DeepLift

    with pytest.warns(UserWarning, match="Setting forward, backward hooks"):  # what lgrad's deeplift silences
        attribution = DeepLift(logit_network(model)).attribute(X.clone().requires_grad_(True), target=0)
    change = model.logits(X) - model.logits(torch.zeros_like(X))
    torch.testing.assert_close(attribution.sum(1), change.detach(), rtol=1e-8, atol=1e-10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = deeplift(model, X)
    np.testing.assert_allclose(ours, attribution.detach().abs().mean(0).numpy(), rtol=TOL)
