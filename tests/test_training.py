"""lgrad.train: its arguments are validated with messages that name the parameter, the value and what is allowed;
the History it returns is complete and self-consistent. (Exactness is in test_oracle.py and test_captum.py, the
recorder's side effects in test_capture.py.)"""

from __future__ import annotations

import math

import numpy as np
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


def test_every_activation_and_loss_trains(breast_cancer, seed):
    for activation in ("sigmoid", "relu", "tanh"):
        for loss in ("mse", "bce"):
            history = lgrad.train(breast_cancer, epochs=2, seed=seed, activation=activation, loss=loss, hidden=(4, 2))
            assert np.isfinite(history.relevance).all(), (activation, loss)
            assert history.model.activation == activation and history.model.hidden == (4, 2)
