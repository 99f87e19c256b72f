"""The paper's network: fully connected n_inputs → hidden... → 1, chosen hidden activation, sigmoid output, initial
weights drawn from the seed's own stream."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from scipy import stats

import lgrad
from lgrad.seeding import generator


@pytest.mark.parametrize("hidden", [(3,), (4, 3)])
@pytest.mark.parametrize("activation", ["sigmoid", "relu", "tanh"])
def test_structure_and_forward(seed, hidden, activation):
    model = lgrad.build_model(30, hidden, activation, seed=seed, dtype=torch.float64)
    assert isinstance(model, lgrad.MLP)
    assert model.hidden == hidden and model.activation == activation
    sizes = [(linear.in_features, linear.out_features) for linear in model.linears]
    assert sizes == list(zip((30, *hidden), (*hidden, 1), strict=True))
    x = torch.randn(7, 30, dtype=torch.float64)
    y_hat = model(x)
    assert y_hat.shape == (7,) and ((y_hat > 0) & (y_hat < 1)).all()
    # by hand: f(W x + b) through the hidden layers, then a sigmoid
    f = {"sigmoid": torch.sigmoid, "relu": torch.relu, "tanh": torch.tanh}[activation]
    a = x
    for linear in model.linears[:-1]:
        a = f(a @ linear.weight.T + linear.bias)
    expected = torch.sigmoid(a @ model.linears[-1].weight.T + model.linears[-1].bias).squeeze(-1)
    torch.testing.assert_close(y_hat, expected, rtol=0, atol=1e-15)


NUMPY_ACTIVATIONS = {
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "relu": lambda z: np.maximum(z, 0),
    "tanh": np.tanh,
}


@pytest.mark.parametrize("hidden", [(3,), (5, 2)])
@pytest.mark.parametrize("activation", ["sigmoid", "relu", "tanh"])
def test_forward_equals_numpy_with_the_models_weights(seed, hidden, activation):
    """ŷ = sigmoid(W_L f(... f(W_1 x + b_1) ...) + b_L), written in NumPy from the state dict; logits is z_L."""
    model = lgrad.build_model(4, hidden, activation, seed=seed, dtype=torch.float64)
    weights = {k: v.numpy() for k, v in model.state_dict().items()}
    x = np.random.default_rng(seed).normal(scale=3, size=(64, 4))
    a = x
    for layer in range(len(hidden)):
        a = NUMPY_ACTIVATIONS[activation](a @ weights[f"linears.{layer}.weight"].T + weights[f"linears.{layer}.bias"])
    z = (a @ weights[f"linears.{len(hidden)}.weight"].T + weights[f"linears.{len(hidden)}.bias"])[:, 0]
    with torch.no_grad():
        logits, y_hat = model.logits(torch.from_numpy(x)).numpy(), model(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(logits, z, rtol=0, atol=1e-14)
    np.testing.assert_allclose(y_hat, 1 / (1 + np.exp(-z)), rtol=0, atol=1e-15)
    assert np.ptp(y_hat) > 1e-3  # the inputs do reach the output


def test_initial_weights_are_the_documented_float64_draws(seed):
    """Each layer's weight then bias, drawn in float64 from U(-1/sqrt(fan_in), 1/sqrt(fan_in)) on the init stream."""
    model = lgrad.build_model(30, (3,), seed=seed, dtype=torch.float64)
    gen = generator(seed, "init")
    for linear in model.linears:
        bound = 1 / math.sqrt(linear.in_features)
        for param in (linear.weight, linear.bias):
            expected = torch.empty(param.shape, dtype=torch.float64).uniform_(-bound, bound, generator=gen)
            assert torch.equal(param.detach(), expected)


def test_initial_weights_are_uniform_over_the_whole_range(seed):
    """A Kolmogorov-Smirnov test of each layer's weights and biases against U(-b, b), b = 1/sqrt(fan_in)."""
    model = lgrad.build_model(40, (500,), seed=seed, dtype=torch.float64)
    for linear in model.linears:
        bound = 1 / math.sqrt(linear.in_features)
        for name in ("weight", "bias"):
            draws = getattr(linear, name).detach().numpy().ravel()
            if draws.size < 100:
                continue
            result = stats.kstest(draws, stats.uniform(loc=-bound, scale=2 * bound).cdf)
            assert result.pvalue > 1e-3, (linear, name, result)


def test_initial_weights_come_from_the_seed(seed):
    a = lgrad.build_model(30, (3,), seed=seed)
    b = lgrad.build_model(30, (3,), seed=seed)
    c = lgrad.build_model(30, (3,), seed=seed + 1)
    for pa, pb, pc in zip(a.parameters(), b.parameters(), c.parameters(), strict=True):
        assert torch.equal(pa, pb)
        assert not torch.equal(pa, pc)
    # the activation does not change the draw
    assert torch.equal(lgrad.build_model(30, (3,), "relu", seed=seed).linears[0].weight, a.linears[0].weight)


def test_initial_weights_lie_in_pytorchs_default_range(seed):
    model = lgrad.build_model(30, (50,), seed=seed, dtype=torch.float64)
    for linear in model.linears:
        bound = 1 / math.sqrt(linear.in_features)
        for p in (linear.weight, linear.bias):
            assert p.abs().max() <= bound
    w = model.linears[0].weight.detach().numpy().ravel()  # 1500 draws: spread over the whole range
    assert w.min() < -0.9 / math.sqrt(30) and w.max() > 0.9 / math.sqrt(30)
    assert abs(w.mean()) < 0.02


def test_float32_and_float64_start_from_the_same_weights_up_to_rounding(seed):
    m32 = lgrad.build_model(30, (3,), seed=seed, dtype=torch.float32)
    m64 = lgrad.build_model(30, (3,), seed=seed, dtype=torch.float64)
    for p32, p64 in zip(m32.parameters(), m64.parameters(), strict=True):
        assert p32.dtype == torch.float32 and p64.dtype == torch.float64
        np.testing.assert_allclose(p32.detach().double().numpy(), p64.detach().numpy(), rtol=2**-24, atol=0)
    assert lgrad.build_model(30, seed=seed, dtype="float64").linears[0].weight.dtype == torch.float64


def test_parameters_require_grad_and_no_hooks(seed):
    model = lgrad.build_model(30, seed=seed)
    assert all(p.requires_grad and p.is_leaf for p in model.parameters())
    assert not model._forward_hooks and not model._backward_hooks


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (dict(n_inputs=0), ValueError, r"n_inputs must be an integer >= 1, got 0"),
        (dict(n_inputs="30"), TypeError, r"n_inputs must be an integer >= 1, got '30' \(str\)"),
        (
            dict(hidden=(0,)),
            ValueError,
            r"hidden must be a non-empty sequence of integers >= 1, e\.g\. \(3,\), got \(0,\)",
        ),
        (dict(hidden="3"), TypeError, r"hidden must be .*, got '3'"),
        (dict(activation="tanhh"), ValueError, r"activation must be one of 'sigmoid', 'relu', 'tanh', got 'tanhh'"),
        (dict(dtype=torch.int64), ValueError, r"dtype must be one of torch\.float32, torch\.float64, got torch\.int64"),
        (dict(seed=-1), ValueError, r"seed must be an integer in \[0, 9223372036854775807\], got -1"),
    ],
    ids=lambda v: repr(v) if isinstance(v, dict) else "",
)
def test_bad_argument(kwargs, error, message):
    settings = {"n_inputs": 30, "seed": 0, **kwargs}
    with pytest.raises(error, match=f"^{message}$"):
        lgrad.build_model(**settings)


def test_seed_is_required():
    with pytest.raises(TypeError):
        lgrad.build_model(30)
