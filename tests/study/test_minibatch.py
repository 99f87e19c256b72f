"""lgrad.study.minibatch: the base run recorded per step, the within/between-epoch split on made-up shares (with
scipy's one-way ANOVA as the oracle), and the chapter's sentences on each branch."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from scipy.stats import f_oneway

from lgrad.study import minibatch, runs


def _made_up(shares: list[list[float]], epochs: list[int], raw: np.ndarray | None = None) -> SimpleNamespace:
    """A history of normalized per-step shares (rows) with their 0-based epochs; epoch relevance = mean share."""
    shares_array, epoch_array = np.array(shares, dtype=float), np.array(epochs)
    relevance = np.array([shares_array[epoch_array == e].mean(axis=0) for e in np.unique(epoch_array)])
    return SimpleNamespace(
        feature_names=[f"x{i}" for i in range(shares_array.shape[1])],
        batch_relevance=shares_array,
        raw_batch_relevance=shares_array if raw is None else raw,
        batch_epoch=epoch_array,
        relevance=relevance,
        epochs=len(relevance),
    )


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


def test_steps_that_rank_nothing_are_left_out() -> None:
    raw = np.array([[0.6, 0.4], [0.0, 0.0], [0.4, 0.6], [np.nan, 1.0]])
    history = _made_up([[0.6, 0.4], [0.0, 0.0], [0.4, 0.6], [0.0, 0.0]], [0, 0, 1, 1], raw=raw)
    np.testing.assert_array_equal(minibatch.rankable_batches(history), [True, False, True, False])
    table, summary = minibatch.batch_variation(history)
    assert summary["steps"] == 2 and summary["all_steps"] == 4
    assert np.isnan(summary["within_share"])  # one ranking step per epoch: nothing to split within
    assert "fall in 2 epochs: too few to split" in minibatch.variation_sentence(summary, None)


def test_one_step_per_epoch_has_no_variation_within() -> None:
    history = _made_up([[0.6, 0.4], [0.4, 0.6], [0.5, 0.5]], [0, 1, 2])
    table, summary = minibatch.batch_variation(history)
    assert summary["steps_per_epoch"] == 1 and np.isnan(summary["within_share"])
    assert table["sd within epochs"].isna().all()
    assert "single step" in minibatch.variation_sentence(summary, None)
    assert "no variable varies within an epoch" in minibatch.variable_sentence(table, None)


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


def test_steps_sentence() -> None:
    assert minibatch.steps_sentence([29] * 40, 455, 16) == (
        "The 455 training rows make 29 steps per epoch (mini-batches of 16 rows, the last one of 7): "
        "1160 steps over the 40 epochs."
    )
    assert "(mini-batches of 16 rows):" in minibatch.steps_sentence([28] * 2, 448, 16)
    assert minibatch.steps_sentence([1] * 3, 455, "full").startswith("Each of the 3 epochs is one step")


def test_variation_and_variable_sentences() -> None:
    table = SimpleNamespace()
    summary = {"steps": 10, "all_steps": 10, "epochs": 2, "steps_per_epoch": 5, "within_share": 0.8}
    summary["top1_agreement"] = 0.9
    text = minibatch.variation_sentence(summary, None)
    assert "80 % of the variation" in text and "20 % between the 2 epochs' means" in text
    assert "the steps of one epoch differ more than the epochs do" in text and "in 90 % of these steps" in text
    assert minibatch.variation_sentence({**summary, "within_share": 0.2}, None).count("the epochs differ more") == 1
    status = "this run learned nothing: from epoch 2 on its learning gradient is zero"
    assert minibatch.variation_sentence(summary, status).endswith(f"Beware: {status}.")
    assert "not ranked" in minibatch.variable_sentence(table, status)


def test_variable_sentence_names_the_most_variable_first() -> None:
    history = _made_up([[0.7, 0.2, 0.1], [0.3, 0.5, 0.2], [0.5, 0.4, 0.1], [0.5, 0.4, 0.1]], [0, 0, 1, 1])
    table, _ = minibatch.batch_variation(history)
    text = minibatch.variable_sentence(table, None, k=2)
    assert text.startswith("The shares that swing most from step to step within an epoch are those of x0 (sd")
    assert text.index("x0") < text.index("x1") and "x2" not in text.split(";")[0]
