"""lgrad.study.own_data.text: the sentences that report a run on a reader's table, on made-up runs."""

from __future__ import annotations

import pandas as pd
import pytest

import lgrad
from lgrad.study.own_data import text as own_text

from .made_up import fake_run


class _Data:
    """The parts of a Dataset the sentences read."""

    def __init__(self, labels, class_names=("no", "yes"), n_features=4):
        self.raw = pd.DataFrame({"target": labels})
        self.class_names = class_names
        self.n_features = n_features


def test_the_table_sentence_counts_rows_and_labels():
    text = own_text.table_sentence(_Data([0, 1, 1, 0, 1], ("B", "M"), 1), "t.csv", "diagnosis")
    assert text == (
        "`t.csv` has 5 rows: 1 numeric input variable and the target column `diagnosis`, whose labels are "
        "B (2 rows, class 0) and M (3 rows, class 1)."
    )


def test_the_result_names_the_top_variables_and_how_many_carry_half():
    history = fake_run([1, 4, 2, 2, 1], names=["a", "b", "c", "d", "e"], accuracy=0.75, counts=(12, 14))
    text = own_text.result_paragraph(history, ("no", "yes"), None)
    assert text.startswith(
        "After 3 epochs the network classifies 75.0 % of the 26 test rows correctly, against 53.8 % for always "
        "answering the majority class, yes."
    )
    assert "the most relevant variable is **b** (40.0 %), then **c** (20.0 %) and **d** (20.0 %)" in text
    assert "the first 2 of the 5 variables together carry half" in text
    assert text.endswith("the least relevant, e, has 10.0 %.")


def test_the_result_of_a_network_no_better_than_the_majority_class_says_so():
    history = fake_run([3, 1], accuracy=0.5, counts=(10, 10))
    text = own_text.result_paragraph(history, ("no", "yes"), None)
    assert (
        "50.0 % of the 20 test rows correctly, no better than always answering either class, which scores 50.0 %"
        in text
    )
    assert "the most relevant variable is **v0** (75.0 %), then **v1** (25.0 %); it alone carries half" in text
    assert "least relevant" not in text


def test_a_network_below_the_majority_class_names_it():
    text = own_text.result_paragraph(fake_run([3, 1], accuracy=0.4, counts=(6, 14)), ("no", "yes"), None)
    assert (
        "40.0 % of the 20 test rows correctly, no better than always answering the majority class, yes, which " in text
    )


def test_a_single_variable_carries_everything():
    text = own_text.result_paragraph(fake_run([2.0]), ("no", "yes"), None)
    assert text.endswith("Its only input variable, **v0** (100.0 %), carries all of the learning gradient.")


def test_the_result_of_a_run_that_learned_nothing_ranks_nothing():
    history = fake_run([0, 0, 0])
    status = "this run learned nothing: from epoch 3 on its learning gradient is zero"
    text = own_text.result_paragraph(history, ("no", "yes"), status)
    assert "This run learned nothing: from epoch 3 on" in text
    assert "ranks no variable" in text and "most relevant" not in text


def test_the_dataset_note_says_which_table_the_chapter_reads():
    assert "The other chapters read the paper's data; this one reads `t.csv`" in own_text.dataset_note(
        "breast_cancer", "t.csv"
    )
    text = own_text.dataset_note("/home/r/mine.csv", "t.csv")
    assert "built with its own data set, `mine.csv`" in text and "still analyses the shipped `t.csv`" in text


@pytest.mark.parametrize(
    ("top", "swapped", "expected"),
    [
        (["a", "b", "c"], ["a", "b", "c", "d"], "the top 3 is the same, in the same order."),
        (["a", "b", "c"], ["b", "a", "d"], "the top 3 is b, a, d: 2 of 3 variables are shared with the run above."),
        (None, ["a"], "one of the two runs learns nothing."),
        (None, None, "both runs learn nothing."),
    ],
)
def test_the_positive_swap_sentence(top, swapped, expected):
    text = own_text.positive_swap(top, swapped, "no")
    assert text.startswith("With no as class 1 instead, ") and text.endswith(expected)


def test_the_settings_sentence_states_the_network_and_its_training():
    settings = {**lgrad.DEFAULTS, "hidden": [8, 4], "lr": 0.05, "batch_size": "full", "scale": "all", "loss": "bce"}
    text = own_text.settings_sentence(settings, 13, 104)
    assert text.startswith("The network is 13 → 8 → 4 → 1, with sigmoid hidden units and the cross-entropy as its cost")
    assert "learning rate 0.05, one batch of all 104 training rows per step" in text
    assert "for 40 epochs from seed 0; 20 % of the rows, drawn per class, are held out" in text
    assert text.endswith("standardized on all rows.")
