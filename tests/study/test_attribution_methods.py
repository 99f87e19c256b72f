"""lgrad.study.attribution_methods: permutation importance, first-layer weights and the scores of one trained run."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch

import lgrad
from lgrad.study.attribution_methods import (
    METHODS,
    READS,
    TrainedNetwork,
    first_layer_weights,
    learning_gradient,
    method_scores,
    methods_table,
    negative_cost,
    permutation_importance,
)


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


def test_first_layer_weights_sum_the_absolute_weights_of_each_input():
    model = lgrad.build_model(3, (2,), seed=0, dtype=torch.float64)
    with torch.no_grad():
        model.linears[0].weight.copy_(torch.tensor([[1.0, -2.0, 0.0], [-0.5, 0.25, 0.0]]))
    np.testing.assert_array_equal(first_layer_weights(model), [1.5, 2.25, 0.0])


def test_method_scores_cover_every_method_and_read_the_run(run):
    ds, history = run
    scores = method_scores(history, ds.X_train, ds.y_train, ds.X_test, ds.y_test, n_steps=8, n_repeats=2)
    assert list(scores) == [*METHODS, "IG completeness error"]
    for name in METHODS:
        assert scores[name].shape == (ds.n_features,) and np.isfinite(scores[name]).all(), name
    np.testing.assert_array_equal(scores["learning gradient"], history.relevance[-1])
    assert scores["IG completeness error"] >= 0
    assert list(methods_table()["method"]) == list(METHODS) == list(READS)


def test_a_run_that_learned_nothing_has_no_learning_gradient_to_score(run):
    ds, _ = run
    stuck = lgrad.train(ds, epochs=3, lr=1e6, seed=0)
    assert not stuck.rankable[-1]
    with pytest.raises(lgrad.DegenerateRunError):
        learning_gradient(stuck)
