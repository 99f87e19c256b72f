"""lgrad.study.prose: each sentence follows the numbers it states, for the cases where a fixed sentence was false."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lgrad
from lgrad.book import params as book_params
from lgrad.study import prose, sensitivity


def test_a_guard_names_the_sentence_and_why():
    prose.guard(True, "the bars settle", "fine")
    with pytest.raises(prose.SentenceError, match=r"^the sentence 'the bars settle' no longer holds: ratio 0.9"):
        prose.guard(False, "the bars settle", "ratio 0.9")


@pytest.fixture(scope="module")
def stuck_run():
    """A learning rate so large that the output saturates after one epoch: the run learns nothing."""
    ds = lgrad.load_dataset("breast_cancer", seed=0)
    return ds, lgrad.train(ds, lr=1e6, epochs=4, seed=0)


def test_a_run_that_learned_nothing_is_said_so_with_its_epoch_and_baseline(stuck_run):
    ds, history = stuck_run
    status = prose.learned_nothing(history, ds.class_names)
    assert status.startswith(f"this run learned nothing: from epoch {history.degenerate_from()} on")
    predicted = history.constant_prediction()
    assert f"predicts {ds.class_names[predicted]} for every test row" in status
    assert prose.percent(float(history.test_accuracy[-1])) in status
    healthy = lgrad.train(ds, epochs=3, seed=0)
    assert prose.learned_nothing(healthy, ds.class_names) is None
    paragraph = prose.top5_paragraph(history, status, ["a", "b", "c", "d", "e"])
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
    text = prose.ranking_settles(summary(epochs, since))
    assert text.startswith(expected)
    assert all(int(n) <= epochs for n in __import__("re").findall(r"epoch (\d+)", text))


def test_rho_is_never_printed_as_nan():
    assert prose.spearman_first(float("nan")) == "undefined (the first epoch's bars give no ranking)"
    assert prose.spearman_first(0.234) == "ρ = 0.23"


@pytest.mark.parametrize(
    ("batch_size", "expected"),
    [(16, "mini-batches of 16 examples"), ("full", "one batch of all 455 training rows"), (1, "one example per step")],
)
def test_batches_are_described_by_their_size(batch_size, expected):
    assert prose.batches(batch_size, 455).startswith(expected)


def test_errors_are_counted_in_rows():
    assert prose.test_errors(0, 114).endswith("this run gets every row right.")
    assert "this run is 5 rows away from 100 %" in prose.test_errors(5, 114)
    assert "1 row away" in prose.test_errors(1, 57)


def test_the_why_column_says_as_the_paper_only_for_the_papers_values():
    tried = prose.tried_values(sensitivity.VARIATIONS, book_params.defaults())
    assert prose.setting_reason("epochs", 40, tried) == "as the paper"
    assert prose.setting_reason("epochs", 60, tried).startswith("set for this build (the book's default is 40)")
    assert prose.setting_reason("loss", "bce", tried).startswith("set for this build")
    assert prose.setting_reason("seed", 0, tried).startswith("fixed in advance")
    assert "fixed in advance" not in prose.setting_reason("seed", 7, tried)
    assert "80/20" in prose.setting_reason("test_size", 0.2, tried)
    assert "80/20" not in prose.setting_reason("test_size", 0.1, tried)
    assert tried["lr"] == ["0.05", "2"] and "0.05, 2 in the sensitivity table" in prose.setting_reason("lr", 0.5, tried)
    table = prose.settings_table(book_params.resolve([("epochs", "60")]), tried, 29)
    epochs_row = next(line for line in table.splitlines() if line.startswith("| Epochs |"))
    assert "60" in epochs_row and "as the paper" not in epochs_row


def made_up_table(base_top: str, rows: list[tuple[str, float, str, float]]) -> pd.DataFrame:
    """A sensitivity table: the base, then (setting, test accuracy, top five, shared with the base's five)."""
    table = [{"setting": "base", "value": "-", "test accuracy": 0.98, "top 5 (most relevant first)": base_top,
              "in paper's top 5": 1, "shared with base top 5": 5}]  # fmt: skip
    for setting, accuracy, top, shared in rows:
        table.append({"setting": setting, "value": "v", "test accuracy": accuracy, "top 5 (most relevant first)": top,
                      "in paper's top 5": 0 if np.isnan(shared) else 1, "shared with base top 5": shared})  # fmt: skip
    return pd.DataFrame(table)


def test_the_top_five_is_said_to_move_more_than_the_accuracy_only_when_it_does():
    base = "a, b, c, d, e"
    moving = made_up_table(base, [("lr", 0.98, "a, b, c, x, y", 3), ("batch size", 0.97, "x, y, z, a, b", 2)])
    assert prose.sensitivity_top5(moving, [["x", "y"]]).startswith("The top five moves much more than the accuracy")
    steady = made_up_table(base, [("lr", 0.80, base, 5), ("batch size", 0.70, "b, a, c, d, e", 5)])
    text = prose.sensitivity_top5(steady, [])
    assert text.startswith("The top five moves no more than the accuracy") and "enter or leave" not in text
    movers = prose.sensitivity_top5(moving, [["x", "y"]])
    assert "Of the 6 variables that enter or leave the top five across the variations, 2 belong to a block" in movers


def test_conclusions_count_what_they_say():
    table = made_up_table("a, b, c, d, e", [("lr", 0.98, "a, b, c, x, y", 3), ("batch size", 0.90, "a, b, c, d, e", 5)])
    text = prose.conclusions(table, {"n_perfect_test": 0, "n_seeds": 10, "n_learned": 10, "n_distinct_top5_sets": 7})
    assert "survives some of the 2 settings changed here" in text
    assert "those that lose more are: batch size = v" in text
    assert "Exactly 100 % is reached by none of the 10 seeds." in text
    assert "the seeds give 7 different top fives in 10 runs that learned, and 1 of the 2 setting changes" in text
