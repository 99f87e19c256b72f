"""lgrad.study.one_run.text.minibatch: the sentences of the mini-batch chapter follow the numbers they state."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from lgrad.study.one_run import minibatch
from lgrad.study.one_run.text import minibatch as minibatch_text

from ..made_up import made_up_steps as _made_up


def test_steps_that_rank_nothing_are_left_out() -> None:
    raw = np.array([[0.6, 0.4], [0.0, 0.0], [0.4, 0.6], [np.nan, 1.0]])
    history = _made_up([[0.6, 0.4], [0.0, 0.0], [0.4, 0.6], [0.0, 0.0]], [0, 0, 1, 1], raw=raw)
    np.testing.assert_array_equal(minibatch.rankable_batches(history), [True, False, True, False])
    table, summary = minibatch.batch_variation(history)
    assert summary["steps"] == 2 and summary["all_steps"] == 4
    assert np.isnan(summary["within_share"])  # one ranking step per epoch: nothing to split within
    assert "fall in 2 epochs: too few to split" in minibatch_text.variation_sentence(summary, None)


def test_one_step_per_epoch_has_no_variation_within() -> None:
    history = _made_up([[0.6, 0.4], [0.4, 0.6], [0.5, 0.5]], [0, 1, 2])
    table, summary = minibatch.batch_variation(history)
    assert summary["steps_per_epoch"] == 1 and np.isnan(summary["within_share"])
    assert table["sd within epochs"].isna().all()
    assert "single step" in minibatch_text.variation_sentence(summary, None)
    assert "no variable varies within an epoch" in minibatch_text.variable_sentence(table, None)


def test_steps_sentence() -> None:
    assert minibatch_text.steps_sentence([29] * 40, 455, 16) == (
        "The 455 training rows make 29 steps per epoch (mini-batches of 16 rows, the last one of 7): "
        "1160 steps over the 40 epochs."
    )
    assert "(mini-batches of 16 rows):" in minibatch_text.steps_sentence([28] * 2, 448, 16)
    assert minibatch_text.steps_sentence([1] * 3, 455, "full").startswith("Each of the 3 epochs is one step")


def test_variation_and_variable_sentences() -> None:
    table = SimpleNamespace()
    summary = {"steps": 10, "all_steps": 10, "epochs": 2, "steps_per_epoch": 5, "within_share": 0.8}
    summary["top1_agreement"] = 0.9
    text = minibatch_text.variation_sentence(summary, None)
    assert "80 % of the variation" in text and "20 % between the 2 epochs' means" in text
    assert "the steps of one epoch differ more than the epochs do" in text and "in 90 % of these steps" in text
    assert (
        minibatch_text.variation_sentence({**summary, "within_share": 0.2}, None).count("the epochs differ more") == 1
    )
    status = "this run learned nothing: from epoch 2 on its learning gradient is zero"
    assert minibatch_text.variation_sentence(summary, status).endswith(f"Beware: {status}.")
    assert "not ranked" in minibatch_text.variable_sentence(table, status)


def test_variable_sentence_names_the_most_variable_first() -> None:
    history = _made_up([[0.7, 0.2, 0.1], [0.3, 0.5, 0.2], [0.5, 0.4, 0.1], [0.5, 0.4, 0.1]], [0, 0, 1, 1])
    table, _ = minibatch.batch_variation(history)
    text = minibatch_text.variable_sentence(table, None, k=2)
    assert text.startswith("The shares that swing most from step to step within an epoch are those of x0 (sd")
    assert text.index("x0") < text.index("x1") and "x2" not in text.split(";")[0]
