"""lgrad.study.attributions.scores: first-layer weights and the scores of one trained run."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import lgrad
from lgrad.study.attributions.scores import (
    METHODS,
    READS,
    first_layer_weights,
    learning_gradient,
    method_scores,
    methods_table,
)


@pytest.fixture(scope="module")
def run():
    ds = lgrad.load_dataset(seed=0)
    return ds, lgrad.train(ds, epochs=3, batch_size=64, record="batch", seed=0, dtype="float64")


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
