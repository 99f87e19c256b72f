"""lgrad.study.one_run.text.training: each sentence of the training chapter follows the numbers it states."""

from __future__ import annotations

import pytest

import lgrad
from lgrad.study import run_text, text
from lgrad.study.one_run.text import training as training_text


@pytest.fixture(scope="module")
def stuck_run():
    """A learning rate so large that the output saturates after one epoch: the run learns nothing."""
    ds = lgrad.load_dataset("breast_cancer", seed=0)
    return ds, lgrad.train(ds, lr=1e6, epochs=4, seed=0)


def test_a_run_that_learned_nothing_is_said_so_with_its_epoch_and_baseline(stuck_run):
    ds, history = stuck_run
    status = run_text.learned_nothing(history, ds.class_names)
    assert status.startswith(f"this run learned nothing: from epoch {history.degenerate_from()} on")
    predicted = history.constant_prediction()
    assert f"predicts {ds.class_names[predicted]} for every test row" in status
    assert text.percent(float(history.test_accuracy[-1])) in status
    healthy = lgrad.train(ds, epochs=3, seed=0)
    assert run_text.learned_nothing(healthy, ds.class_names) is None
    paragraph = training_text.top5_paragraph(history, status, ["a", "b", "c", "d", "e"])
    assert "there is no top five" in paragraph and "most relevant variable is" not in paragraph


def summary(epochs: int, since: int, **more) -> dict:
    return {"epochs": epochs, "top_k_final_from": since, "k": 5, **more}


@pytest.mark.parametrize(
    ("epochs", "since", "expected"),
    [
        (40, 34, "The ranking settles late: the final top 5 is reached for good at epoch 34 of 40"),
        (40, 5, "The ranking settles early: the final top 5 is reached for good at epoch 5 of 40"),
        (3, 1, "The ranking is settled from the start"),
    ],
)
def test_the_ranking_sentence_follows_the_epoch_it_settles(epochs, since, expected):
    text = training_text.ranking_settles(summary(epochs, since))
    assert text.startswith(expected)
    assert all(int(n) <= epochs for n in __import__("re").findall(r"epoch (\d+)", text))


def test_rho_is_never_printed_as_nan():
    assert training_text.spearman_first(float("nan")) == "undefined (the first epoch's bars give no ranking)"
    assert training_text.spearman_first(0.234) == "ρ = 0.23"


def test_errors_are_counted_in_rows():
    assert training_text.test_errors(0, 114).endswith("this run gets every row right.")
    assert "this run is 5 rows away from 100 %" in training_text.test_errors(5, 114)
    assert "1 row away" in training_text.test_errors(1, 57)
