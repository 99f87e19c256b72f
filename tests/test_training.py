"""lgrad.train: its arguments are validated with messages that name the parameter, the value and what is allowed;
the History it returns is complete and self-consistent. (Exactness is in test_oracle.py and test_captum.py, the
recorder's side effects in test_capture.py.)"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import torch

import lgrad

SEED_RANGE = r"an integer in \[0, 9223372036854775807\]"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (dict(epochs=0), ValueError, r"epochs must be an integer >= 1, got 0"),
        (dict(epochs=2.5), TypeError, r"epochs must be an integer >= 1, got 2\.5 \(float\)"),
        (dict(epochs="3"), TypeError, r"epochs must be an integer >= 1, got '3' \(str\)"),
        (dict(lr=-1), ValueError, r"lr must be a finite number > 0, got -1"),
        (dict(lr=0), ValueError, r"lr must be a finite number > 0, got 0"),
        (dict(lr=math.nan), ValueError, r"lr must be a finite number > 0, got nan"),
        (dict(lr=math.inf), ValueError, r"lr must be a finite number > 0, got inf"),
        (dict(lr="0.5"), TypeError, r"lr must be a finite number > 0, got '0\.5' \(str\)"),
        (dict(batch_size=0), ValueError, r"batch_size must be an integer >= 1 or 'full', got 0"),
        (dict(batch_size=-3), ValueError, r"batch_size must be an integer >= 1 or 'full', got -3"),
        (dict(batch_size="half"), ValueError, r"batch_size must be an integer >= 1 or 'full', got 'half'"),
        (dict(batch_size=2.5), TypeError, r"batch_size must be an integer >= 1 or 'full', got 2\.5 \(float\)"),
        (dict(batch_size=True), TypeError, r"batch_size must be an integer >= 1 or 'full', got True \(bool\)"),
        (dict(activation="tanhh"), ValueError, r"activation must be one of 'sigmoid', 'relu', 'tanh', got 'tanhh'"),
        (dict(loss="hinge"), ValueError, r"loss must be one of 'mse', 'bce', got 'hinge'"),
        (
            dict(hidden=(0,)),
            ValueError,
            r"hidden must be a non-empty sequence of integers >= 1, e\.g\. \(3,\), got \(0,\)",
        ),
        (dict(hidden=(3, -1)), ValueError, r"hidden must be .*, got \(3, -1\)"),
        (dict(hidden="3"), TypeError, r"hidden must be a non-empty sequence of integers >= 1, e\.g\. \(3,\), got '3'"),
        (dict(hidden=(2.5,)), TypeError, r"hidden must be .*, got \(2\.5,\)"),
        (dict(seed=-1), ValueError, rf"seed must be {SEED_RANGE}, got -1"),
        (dict(seed=2**63), ValueError, rf"seed must be {SEED_RANGE}, got 9223372036854775808"),
        (dict(seed=1.5), TypeError, rf"seed must be {SEED_RANGE}, got 1\.5 \(float\)"),
        (dict(seed="0"), TypeError, rf"seed must be {SEED_RANGE}, got '0' \(str\)"),
        (dict(record="step"), ValueError, r"record must be one of 'epoch', 'batch', None, got 'step'"),
        (dict(dtype=torch.int64), ValueError, r"dtype must be one of torch\.float32, torch\.float64, got torch\.int64"),
        (dict(dtype="float16"), ValueError, r"dtype must be one of 'float32', 'float64', got 'float16'"),
        (dict(momentum=1), ValueError, r"momentum must be a finite number >= 0 and < 1, got 1"),
        (dict(momentum=-0.1), ValueError, r"momentum must be a finite number >= 0 and < 1, got -0\.1"),
    ],
    ids=lambda v: repr(v) if isinstance(v, dict) else "",
)
def test_bad_argument_is_named_with_its_value_and_what_is_allowed(breast_cancer, kwargs, error, message):
    settings = dict(epochs=1, **{k: v for k, v in kwargs.items() if k != "epochs"})
    if "epochs" in kwargs:
        settings["epochs"] = kwargs["epochs"]
    with pytest.raises(error, match=f"^{message}$"):
        lgrad.train(breast_cancer, **settings)


def test_dataset_must_be_a_dataset():
    with pytest.raises(TypeError, match=r"^dataset must be an lgrad Dataset \(from lgrad\.load_dataset\), got str$"):
        lgrad.train("breast_cancer")


def test_history_shapes_config_and_metrics(breast_cancer, seed):
    history = lgrad.train(breast_cancer, epochs=3, seed=seed, batch_size=32, lr=0.5)
    n_features = breast_cancer.n_features
    assert history.epochs == 3
    assert history.feature_names == list(breast_cancer.feature_names)
    for name in ("relevance", "raw_relevance"):
        assert getattr(history, name).shape == (3, n_features)
        assert getattr(history, name).dtype == np.float64
    np.testing.assert_allclose(history.relevance.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert (history.relevance >= 0).all() and (history.raw_relevance > 0).all()
    np.testing.assert_allclose(history.relevance, lgrad.normalize(history.raw_relevance), rtol=0, atol=0)
    for name in ("train_loss", "train_accuracy", "test_loss", "test_accuracy"):
        values = getattr(history, name)
        assert values.shape == (3,) and np.isfinite(values).all()
    assert ((history.train_accuracy >= 0) & (history.train_accuracy <= 1)).all()
    assert history.train_loss[-1] < history.train_loss[0]  # it learns
    assert history.test_accuracy[-1] > history.test_accuracy[0]
    assert history.config == {
        "dataset": "breast_cancer",
        "test_size": 0.2,
        "split_seed": 0,
        "stratify": True,
        "scale": "train",
        "target": None,
        "positive": None,
        "hidden": [3],
        "activation": "sigmoid",
        "loss": "mse",
        "lr": 0.5,
        "batch_size": 32,
        "epochs": 3,
        "seed": seed,
        "record": "epoch",
        "momentum": 0.0,
        "dtype": "float32",
    }
    assert isinstance(history.model, lgrad.MLP)


def test_metrics_are_those_of_the_returned_model(breast_cancer, seed):
    history = lgrad.train(breast_cancer, epochs=2, seed=seed, dtype=torch.float64)
    with torch.no_grad():
        logits = history.model.logits(breast_cancer.X_test)
        y_hat = history.model(breast_cancer.X_test)
    accuracy = float(((y_hat >= 0.5) == (breast_cancer.y_test >= 0.5)).double().mean())
    assert history.test_accuracy[-1] == accuracy
    assert history.test_loss[-1] == float(lgrad.batch_cost("mse", logits, breast_cancer.y_test))


def test_full_batch_is_one_batch_of_every_example(breast_cancer, seed):
    n_train = len(breast_cancer.y_train)
    full = lgrad.train(breast_cancer, epochs=2, seed=seed, batch_size="full", record="batch")
    everything = lgrad.train(breast_cancer, epochs=2, seed=seed, batch_size=n_train, record="batch")
    bigger = lgrad.train(breast_cancer, epochs=2, seed=seed, batch_size=10 * n_train, record="batch")
    assert full.batch_relevance.shape == (2, breast_cancer.n_features)
    for other in (everything, bigger):
        np.testing.assert_array_equal(full.relevance, other.relevance)
        np.testing.assert_array_equal(full.batch_relevance, other.batch_relevance)
        assert torch.equal(full.model.linears[0].weight, other.model.linears[0].weight)
    assert full.config["batch_size"] == "full"


def test_on_epoch_end_is_called_after_each_epoch(breast_cancer, seed):
    calls = []
    lgrad.train(breast_cancer, epochs=3, seed=seed, on_epoch_end=lambda epoch, model: calls.append(epoch))
    assert calls == [1, 2, 3]


def test_dtype_by_name_and_by_torch_dtype_agree(breast_cancer, seed):
    by_name = lgrad.train(breast_cancer, epochs=1, seed=seed, dtype="float64")
    by_dtype = lgrad.train(breast_cancer, epochs=1, seed=seed, dtype=torch.float64)
    np.testing.assert_array_equal(by_name.relevance, by_dtype.relevance)
    assert by_name.config["dtype"] == by_dtype.config["dtype"] == "float64"
    assert by_name.model.linears[0].weight.dtype == torch.float64


@pytest.fixture(scope="module")
def separable(tmp_path_factory) -> lgrad.Dataset:
    """200 rows whose class is the sign of ``signal`` (|signal| >= 0.5: a margin), beside two columns of noise."""
    rng = np.random.default_rng(0)
    n = 200
    signal = rng.uniform(0.5, 2, size=n) * np.where(np.arange(n) % 2, 1, -1)
    frame = pd.DataFrame(
        {
            "noise a": rng.normal(size=n),
            "signal": signal,
            "noise b": rng.normal(size=n),
            "label": np.where(signal > 0, "yes", "no"),
        }
    )
    path = tmp_path_factory.mktemp("separable") / "separable.csv"
    frame.to_csv(path, index=False)
    return lgrad.load_dataset(path, target="label", test_size=0.25, seed=0)


@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize(
    ("activation", "hidden"), [("sigmoid", (3,)), ("relu", (3,)), ("tanh", (3,)), ("tanh", (4, 2))]
)
def test_every_activation_and_loss_learns_a_separable_problem(separable, seed, activation, hidden, loss):
    """Ten epochs separate the classes perfectly, and the learning gradient puts the one informative column first."""
    history = lgrad.train(separable, epochs=10, seed=seed, lr=1.0, activation=activation, loss=loss, hidden=hidden)
    assert history.model.activation == activation and history.model.hidden == hidden
    assert history.train_loss[-1] < 0.5 * history.train_loss[0]
    assert history.train_accuracy[-1] == history.test_accuracy[-1] == 1.0
    assert history.top_features(1) == ["signal"] and history.relevance[-1, 1] > 0.8


def test_the_default_run_learns_breast_cancer(breast_cancer, seed):
    """The book's settings reach at least 95 % accuracy on both parts within ten epochs (the paper trains 40)."""
    history = lgrad.train(breast_cancer, epochs=10, seed=seed)
    assert history.train_accuracy[-1] >= 0.95 and history.test_accuracy[-1] >= 0.95
    assert history.train_loss[-1] < 0.5 * history.train_loss[0]


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_full_batch_steps_are_sgd_with_momentum(breast_cancer, seed, momentum):
    """Three full-batch epochs equal three steps written by hand: v = momentum * v + grad, w = w - lr * v."""
    lr, epochs = 0.5, 3
    history = lgrad.train(
        breast_cancer, epochs=epochs, seed=seed, lr=lr, momentum=momentum, batch_size="full", dtype=torch.float64
    )
    model = lgrad.build_model(breast_cancer.n_features, seed=seed, dtype=torch.float64)
    params = list(model.parameters())
    velocity = [torch.zeros_like(p) for p in params]
    for _ in range(epochs):
        cost = lgrad.batch_cost("mse", model.logits(breast_cancer.X_train), breast_cancer.y_train)
        grads = torch.autograd.grad(cost, params)
        with torch.no_grad():
            for p, v, g in zip(params, velocity, grads, strict=True):
                v.mul_(momentum).add_(g)
                p.sub_(lr * v)
    for trained, by_hand in zip(history.model.parameters(), params, strict=True):
        torch.testing.assert_close(trained, by_hand, rtol=0, atol=1e-12)
