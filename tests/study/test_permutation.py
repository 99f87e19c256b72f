"""lgrad.study.permutation: permutation importance scored by the network's own cost."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch

import lgrad
from lgrad.study import permutation
from lgrad.study.permutation import TrainedNetwork, negative_cost, permutation_importance


@pytest.fixture(scope="module")
def run():
    ds = lgrad.load_dataset(seed=0)
    return ds, lgrad.train(ds, epochs=3, batch_size=64, record="batch", seed=0, dtype="float64")


def test_a_feature_the_network_ignores_has_permutation_importance_zero(run):
    ds, history = run
    model = copy.deepcopy(history.model)
    with torch.no_grad():
        model.linears[0].weight[:, 3] = 0.0  # input 3 no longer reaches the network
    importance = permutation_importance(model, ds.X_test, ds.y_test, loss="mse", n_repeats=3, seed=1)
    assert importance.shape == (ds.n_features,)
    assert importance[3] == 0.0
    assert (np.delete(importance, 3) != 0).all()


def test_permutation_importance_is_the_mean_rise_of_the_cost_when_a_column_is_shuffled(run):
    """The oracle: shuffle one column by hand as scikit-learn does (each repeat shuffles the index again and applies
    it to the column as the last repeat left it, all from one seed drawn from ``random_state``), and read the cost."""
    ds, history = run
    model, X, y = history.model, ds.X_train, ds.y_train
    base = lgrad.example_cost("mse", model.logits(X), y).mean().item()
    got = permutation_importance(model, X, y, loss="mse", n_repeats=2, seed=5)
    for column in range(2):
        rng = np.random.RandomState(np.random.RandomState(5).randint(np.iinfo(np.int32).max + 1))
        order, shuffled, rises = np.arange(len(X)), X.clone(), []
        for _ in range(2):
            rng.shuffle(order)
            shuffled[:, column] = shuffled[order, column]
            rises.append(lgrad.example_cost("mse", model.logits(shuffled), y).mean().item() - base)
        assert got[column] == pytest.approx(np.mean(rises), rel=1e-9, abs=1e-15)
    assert np.array_equal(got, permutation_importance(model, X, y, loss="mse", n_repeats=2, seed=5))


def test_the_estimator_and_its_scorer_are_the_networks_own(run):
    ds, history = run
    estimator = TrainedNetwork(history.model, "bce").fit(None, None)
    assert list(estimator.classes_) == [0, 1]
    logits = history.model.logits(ds.X_test).detach()
    np.testing.assert_array_equal(estimator.predict(ds.X_test.numpy()), (logits >= 0).numpy().astype(int))
    expected = -lgrad.example_cost("bce", logits, ds.y_test).mean().item()
    assert negative_cost(estimator, ds.X_test.numpy(), ds.y_test.numpy()) == pytest.approx(expected, rel=1e-12)


def test_the_networks_cost_is_the_trained_cost(healthy_and_stuck, breast_cancer):
    """The score permutation importance perturbs, on unshuffled rows, is the training cost the run measured."""
    (first, _), _ = healthy_and_stuck
    network = permutation.TrainedNetwork(first.model, "mse")
    assert network.fit(None, None) is network
    cost = -permutation.negative_cost(network, breast_cancer.X_train.numpy(), breast_cancer.y_train.numpy())
    assert cost == pytest.approx(first.train_loss[-1], rel=1e-6)
