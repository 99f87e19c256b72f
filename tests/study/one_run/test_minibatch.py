"""lgrad.study.one_run.minibatch: the base run recorded per step, and the within/between-epoch split on made-up
shares."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from scipy.stats import f_oneway

from lgrad.study import runs
from lgrad.study.one_run import minibatch

from .made_up import made_up_steps as _made_up


def test_steps_that_differ_only_within_epochs() -> None:
    history = _made_up([[0.6, 0.4], [0.4, 0.6], [0.5, 0.5], [0.5, 0.5]], [0, 0, 1, 1])
    table, summary = minibatch.batch_variation(history)
    assert summary["within_share"] == pytest.approx(1.0)
    np.testing.assert_allclose(table["sd within epochs"], [0.1, 0.1])  # √(0.02 / (4 steps − 2 epochs))
    np.testing.assert_allclose(table["sd between epochs"], [0.0, 0.0])
    np.testing.assert_allclose(table["mean share"], [0.5, 0.5])
    assert summary["steps"] == 4 and summary["epochs"] == 2 and summary["steps_per_epoch"] == 2


def test_steps_that_differ_only_between_epochs() -> None:
    history = _made_up([[0.6, 0.4], [0.6, 0.4], [0.4, 0.6], [0.4, 0.6]], [0, 0, 1, 1])
    table, summary = minibatch.batch_variation(history)
    assert summary["within_share"] == pytest.approx(0.0)
    np.testing.assert_allclose(table["sd between epochs"], [np.std([0.6, 0.4], ddof=1)] * 2)
    assert summary["top1_agreement"] == pytest.approx(1.0)


def test_within_share_agrees_with_scipys_one_way_anova() -> None:
    """One variable: within / total = 1 / (1 + F (k − 1) / (N − k)), F from scipy.stats.f_oneway."""
    rng = np.random.default_rng(3)
    first = rng.random(7)
    epochs = [0, 0, 0, 1, 1, 2, 2]
    history = _made_up(np.c_[first, 1 - first].tolist(), epochs)
    _, summary = minibatch.batch_variation(history)
    groups = [first[np.array(epochs) == e] for e in range(3)]
    f = f_oneway(*groups).statistic
    assert summary["within_share"] == pytest.approx(1 / (1 + f * (3 - 1) / (7 - 3)), rel=1e-12)


def test_a_history_without_steps_is_refused() -> None:
    history = SimpleNamespace(batch_relevance=None, raw_batch_relevance=None, batch_epoch=None)
    with pytest.raises(ValueError, match="record='batch'"):
        minibatch.batch_variation(history)


def test_batch_run_is_the_base_run_recorded_per_step() -> None:
    settings = runs.run_settings({"epochs": 3})
    ds, history = minibatch.batch_run(settings)
    _, base = runs.run(settings)
    np.testing.assert_array_equal(history.relevance, base.relevance)
    steps = minibatch.steps_of_epochs(history)
    assert steps == [29, 29, 29] and len(history.batch_relevance) == 87
    np.testing.assert_allclose(history.batch_relevance.sum(axis=1), 1.0)
    # an epoch's learning gradient is the sum of its steps' raw ones
    np.testing.assert_allclose(history.raw_batch_relevance[:29].sum(axis=0), history.raw_relevance[0], rtol=1e-5)
