"""Oracle 1: lgrad's training and learning gradient against the paper's Algorithms 1 and 2 written by hand in NumPy.

Both start from the same initial weights (``lgrad.build_model`` in float64) and visit the examples in the same order
(``lgrad.epoch_orders``). Tolerances, all stated here:

- lgrad in float64: normalized relevance, per-batch relevance and final weights to 1e-12 absolute (they are O(1) or
  less); raw relevance (a sum of |∂C_i/∂x| over hundreds of examples, not O(1)) to 1e-12 relative to the largest
  entry of its row.
- lgrad in float32: normalized relevance to 1e-6 absolute against the float64 oracle.

Learning rates: 0.5 (the book's default) for mini-batches and full batch; per-example SGD (``batch_size=1``) takes
455 steps an epoch, so it runs at 0.1, and at 0.01 for relu + bce, whose unbounded hidden units otherwise grow the
weights by orders of magnitude (a diverging run, where rounding differences are amplified). At 0.5, per-example SGD
in float32 drifts from the float64 trajectory by ~2e-6 in three epochs (rounding amplified by large steps, not the
recorder). The bce cost is computed from the logit, so its gradient is ŷ − y even where the sigmoid saturates
(``test_bce_gradient_is_y_hat_minus_y_when_the_sigmoid_saturates``).
"""

from __future__ import annotations

import numpy as np
import oracle_numpy
import pytest
import torch

import lgrad

EPOCHS = 3
ABS_TOL = 1e-12
REL_TOL = 1e-12
FLOAT32_TOL = 1e-6
BATCH_SIZES = [1, 32, "full"]  # 32 leaves a short last batch: 455 = 14 * 32 + 7


def learning_rate(batch_size, activation, loss) -> float:
    if batch_size != 1:
        return 0.5
    return 0.01 if (activation, loss) == ("relu", "bce") else 0.1


def run_oracle(ds, *, hidden, activation, loss, batch_size, lr, seed=0, epochs=EPOCHS, keep_example_grads=False):
    """The NumPy trainer from lgrad's initial weights and example order (nothing else is taken from lgrad)."""
    model = lgrad.build_model(ds.n_features, hidden, activation, seed=seed, dtype=torch.float64)
    weights = [linear.weight.detach().numpy().copy() for linear in model.linears]
    biases = [linear.bias.detach().numpy().copy() for linear in model.linears]
    n_train = len(ds.y_train)
    orders = [order.numpy() for order in lgrad.epoch_orders(n_train, epochs, seed)]
    oracle = oracle_numpy.train(
        weights,
        biases,
        ds.X_train.numpy(),
        ds.y_train.numpy(),
        orders,
        activation=activation,
        loss=loss,
        lr=lr,
        batch_size=n_train if batch_size == "full" else batch_size,
        keep_example_grads=keep_example_grads,
    )
    return oracle


def train_beside_oracle(ds, seed, *, dtype=torch.float64, record="epoch", **settings):
    """The NumPy oracle and lgrad.train, run with the same settings, seed and epochs."""
    oracle = run_oracle(ds, seed=seed, **settings)
    history = lgrad.train(ds, **settings, epochs=EPOCHS, seed=seed, dtype=dtype, record=record)
    return oracle, history


def assert_rows_close(actual: np.ndarray, expected: np.ndarray, rel: float) -> None:
    """|actual − expected| <= rel × (largest |expected| of the row), for every entry."""
    assert actual.shape == expected.shape
    scale = np.abs(expected).max(axis=-1, keepdims=True)
    excess = np.abs(actual - expected) / scale
    assert excess.max() <= rel, f"largest relative difference {excess.max():.3g} > {rel:g}"


def assert_weights_close(model, oracle, tol: float) -> None:
    for linear, w, b in zip(model.linears, oracle.weights, oracle.biases, strict=True):
        np.testing.assert_allclose(linear.weight.detach().double().numpy(), w, rtol=0, atol=tol)
        np.testing.assert_allclose(linear.bias.detach().double().numpy(), b, rtol=0, atol=tol)


@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("activation", ["sigmoid", "relu", "tanh"])
@pytest.mark.parametrize("batch_size", BATCH_SIZES)
def test_float64_matches_hand_written_backprop(breast_cancer, seed, batch_size, activation, loss):
    lr = learning_rate(batch_size, activation, loss)
    oracle, history = train_beside_oracle(
        breast_cancer, seed, hidden=(3,), activation=activation, loss=loss, batch_size=batch_size, lr=lr
    )

    assert history.relevance.shape == (EPOCHS, breast_cancer.n_features)
    np.testing.assert_allclose(history.relevance, oracle.relevance, rtol=0, atol=ABS_TOL)
    assert_rows_close(history.raw_relevance, oracle.raw_relevance, REL_TOL)
    assert_weights_close(history.model, oracle, ABS_TOL)


@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
@pytest.mark.parametrize("batch_size", BATCH_SIZES)
def test_float32_matches_float64_oracle(breast_cancer, seed, batch_size, activation, loss):
    lr = learning_rate(batch_size, activation, loss)
    oracle, history = train_beside_oracle(
        breast_cancer, seed, dtype=torch.float32, hidden=(3,), activation=activation, loss=loss,
        batch_size=batch_size, lr=lr,
    )  # fmt: skip

    assert history.config["dtype"] == "float32"
    assert history.model.linears[0].weight.dtype == torch.float32
    np.testing.assert_allclose(history.relevance, oracle.relevance, rtol=0, atol=FLOAT32_TOL)


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_deeper_network_matches_hand_written_backprop(breast_cancer, seed, activation):
    """Algorithm 1's recursion c^(l) = f'(z^(l)) ⊙ W^(l+1)ᵀ c^(l+1) through two hidden layers."""
    oracle, history = train_beside_oracle(
        breast_cancer, seed, hidden=(4, 3), activation=activation, loss="mse", batch_size=32, lr=0.5
    )

    np.testing.assert_allclose(history.relevance, oracle.relevance, rtol=0, atol=ABS_TOL)
    assert_rows_close(history.raw_relevance, oracle.raw_relevance, REL_TOL)
    assert_weights_close(history.model, oracle, ABS_TOL)


@pytest.mark.parametrize("batch_size", BATCH_SIZES)
def test_batch_rows_match_oracle_per_batch_sums(breast_cancer, seed, batch_size):
    lr = learning_rate(batch_size, "sigmoid", "mse")
    oracle, history = train_beside_oracle(
        breast_cancer, seed, record="batch", hidden=(3,), activation="sigmoid", loss="mse", batch_size=batch_size, lr=lr
    )

    n_train = len(breast_cancer.y_train)
    n_batches = 1 if batch_size == "full" else -(-n_train // batch_size)
    assert history.batch_relevance.shape == (EPOCHS * n_batches, breast_cancer.n_features)
    np.testing.assert_array_equal(history.batch_epoch, np.repeat(np.arange(EPOCHS), n_batches))
    np.testing.assert_array_equal(history.batch_epoch, oracle.batch_epoch)
    np.testing.assert_allclose(history.batch_relevance, oracle_numpy.normalize(oracle.batch_raw), rtol=0, atol=ABS_TOL)
    np.testing.assert_allclose(history.batch_relevance.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(history.relevance, oracle.relevance, rtol=0, atol=ABS_TOL)
    for epoch in range(EPOCHS):  # the batch rows of an epoch add up to its epoch row (before normalizing)
        assert_rows_close(
            oracle.batch_raw[oracle.batch_epoch == epoch].sum(axis=0), history.raw_relevance[epoch], 1e-12
        )


def test_short_last_batch_examples_weigh_like_the_others(breast_cancer, seed):
    """The recorder undoes the 1/B of the mean-reduced cost per batch: a 7-example batch is not weighed as 32."""
    oracle = run_oracle(
        breast_cancer, hidden=(3,), activation="sigmoid", loss="mse", batch_size=32, lr=0.5, seed=seed,
        keep_example_grads=True,
    )  # fmt: skip
    per_epoch = 15  # 14 batches of 32 and one of 7
    assert [len(g) for g in oracle.example_grads[:per_epoch]] == [32] * 14 + [7]
    history = lgrad.train(breast_cancer, batch_size=32, lr=0.5, epochs=EPOCHS, seed=seed, dtype=torch.float64)
    expected = np.array(
        [
            np.abs(np.concatenate(oracle.example_grads[e * per_epoch : (e + 1) * per_epoch])).sum(0)
            for e in range(EPOCHS)
        ]
    )
    assert_rows_close(history.raw_relevance, expected, REL_TOL)


def test_bce_gradient_is_y_hat_minus_y_when_the_sigmoid_saturates():
    logits = torch.tensor([20.0, 30.0, 40.0], dtype=torch.float64, requires_grad=True)
    y = torch.zeros(3, dtype=torch.float64)
    lgrad.example_cost("bce", logits, y).sum().backward()
    expected = torch.sigmoid(logits.detach()) - y  # Algorithm 2's c^(L) for bce with a sigmoid output
    torch.testing.assert_close(logits.grad, expected, rtol=0, atol=1e-12)
