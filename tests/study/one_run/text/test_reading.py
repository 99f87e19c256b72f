"""lgrad.study.one_run.text.reading: the settings table, the sensitivity and the conclusions follow the numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lgrad.book import params as book_params
from lgrad.study.one_run import sensitivity
from lgrad.study.one_run.text import reading as reading_text


def test_the_why_column_says_as_the_paper_only_for_the_papers_values():
    tried = reading_text.tried_values(sensitivity.VARIATIONS, book_params.defaults())
    assert reading_text.setting_reason("epochs", 40, tried) == "as the paper"
    assert reading_text.setting_reason("epochs", 60, tried).startswith("set for this build (the book's default is 40)")
    assert reading_text.setting_reason("loss", "bce", tried).startswith("set for this build")
    assert reading_text.setting_reason("seed", 0, tried).startswith("fixed in advance")
    assert "fixed in advance" not in reading_text.setting_reason("seed", 7, tried)
    assert "80/20" in reading_text.setting_reason("test_size", 0.2, tried)
    assert "80/20" not in reading_text.setting_reason("test_size", 0.1, tried)
    assert tried["lr"] == ["0.05", "2"] and "0.05, 2 in the sensitivity table" in reading_text.setting_reason(
        "lr", 0.5, tried
    )
    table = reading_text.settings_table(book_params.resolve([("epochs", "60")]), tried, 29)
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
    assert reading_text.sensitivity_top5(moving, [["x", "y"]]).startswith(
        "The top five moves much more than the accuracy"
    )
    steady = made_up_table(base, [("lr", 0.80, base, 5), ("batch size", 0.70, "b, a, c, d, e", 5)])
    text = reading_text.sensitivity_top5(steady, [])
    assert text.startswith("The top five moves no more than the accuracy") and "enter or leave" not in text
    movers = reading_text.sensitivity_top5(moving, [["x", "y"]])
    assert "Of the 6 variables that enter or leave the top five across the variations, 2 belong to a block" in movers


def test_conclusions_count_what_they_say():
    table = made_up_table("a, b, c, d, e", [("lr", 0.98, "a, b, c, x, y", 3), ("batch size", 0.90, "a, b, c, d, e", 5)])
    text = reading_text.conclusions(
        table, {"n_perfect_test": 0, "n_seeds": 10, "n_learned": 10, "n_distinct_top5_sets": 7}
    )
    assert "survives some of the 2 settings changed here" in text
    assert "those that lose more are: batch size = v" in text
    assert "Exactly 100 % is reached by none of the 10 seeds." in text
    assert "the seeds give 7 different top fives in 10 runs that learned, and 1 of the 2 setting changes" in text
