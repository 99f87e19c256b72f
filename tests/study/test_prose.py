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


# --- attributions ---


def _study(learned, requested=200, shuffled_learned=None, scores=None):
    from types import SimpleNamespace

    n = len(learned)
    return SimpleNamespace(
        seeds=list(range(n)),
        requested=requested,
        learned=list(learned),
        test_accuracy=np.linspace(0.9, 1.0, n),
        shuffled_learned=list(shuffled_learned if shuffled_learned is not None else learned),
        shuffled_test_accuracy=np.full(n, 0.6),
        majority_share=np.full(n, 0.63),
        scores=scores if scores is not None else [{}] * sum(learned),
        class_names=("malignant", "benign"),
        n_test=114,
        settings={"ig_steps": 16, "permutation_repeats": 5, "loss": "mse", "gradenfs_beta": 0.7, "compared_beta": 0.9},
        checks={"saliency_probability_rho": 0.99, "gradenfs_beta_rho": 0.98, "ig_completeness_error": 0.001},
    )


def test_the_attribution_seeds_sentence_counts_what_was_left_out():
    every = prose.attribution_seeds(_study([True] * 3, requested=3))
    assert "all 3 seeds of the `seeds` parameter" in every and "Every one of them learned" in every
    assert "median test accuracy is 95.0 %" in every
    some = prose.attribution_seeds(_study([True, False, True, True], requested=200))
    assert "the first 4 of the `seeds` parameter's 200" in some and "1 of them learned nothing" in some
    assert "use the 3 networks" in some
    none = prose.attribution_seeds(_study([False, False]))
    assert "None of the 2 networks learned anything" in none and "median" not in none


def test_the_choices_say_the_dependence_only_where_it_was_measured():
    text = prose.attribution_choices(_study([True]))
    assert "gives Saliency nearly the same ranking (a mean Spearman ρ of 0.990" in text and "β = 0.9 ranks" in text
    assert "at most 0.10 % of the mean" in text
    study = _study([True])
    study.checks["ig_completeness_error"] = 3e-7
    assert "at most less than 0.01 %" not in prose.attribution_choices(study)
    assert "is less than 0.01 % of the mean" in prose.attribution_choices(study)
    empty = _study([False], scores=[])
    empty.checks = {"saliency_probability_rho": float("nan"), "gradenfs_beta_rho": float("nan")}
    text = prose.attribution_choices(empty)
    assert "Spearman" not in text and "completeness" not in text and "β = 0.7" in text


def _rho(values):
    names = ["learning gradient", "A", "B"]
    return pd.DataFrame(values, index=names, columns=names), pd.DataFrame(
        np.full((3, 3), 4), index=names, columns=names
    )


def test_the_agreement_paragraph_orders_the_methods_and_words_the_closeness():
    mean, n = _rho([[1, 0.5, 0.95], [0.5, 1, 0.2], [0.95, 0.2, 1]])
    text = prose.agreement_paragraph(mean, n)
    assert "highest first: B 0.95; A 0.50" in text
    assert "The closest, B, gives nearly the same ranking; the farthest, A, a loosely related ranking" in text
    assert "from 0.20 (A against B) to 0.95 (learning gradient against B)" in text
    assert [prose.agreement_word(r) for r in (0.95, 0.8, 0.5, 0.1)] == [
        "nearly the same ranking", "a similar ranking", "a loosely related ranking", "a different ranking",
    ]  # fmt: skip
    assert "Averaged over the seeds, the" in text
    n.loc["A", "B"] = n.loc["B", "A"] = 3
    assert "only the seeds where both methods rank, 3 to 4 here" in prose.agreement_paragraph(mean, n)
    empty, n = _rho(np.full((3, 3), np.nan))
    assert prose.agreement_paragraph(empty, n).startswith("No network learned")


def test_the_top5_sentence_counts_shared_variables():
    column = "top 5 (seed mean, most relevant first)"
    table = pd.DataFrame(
        {
            "method": ["learning gradient", "A", "B"],
            column: ["a, b, c, d, e", "e, d, c, b, a", "a, x, y, z, w"],
        }
    )
    text = prose.attribution_top5(table)
    assert "1 of the 2 other methods (A) has the same 5" in text and "the fewest shared is 1 (B)" in text
    assert "The most relevant variable is a for 2 of the 3 methods" in text
    table[column] = "— (no ranking)"
    assert prose.attribution_top5(table).startswith("No method ranks anything")


def test_the_reference_is_placed_in_each_ranking_or_said_not_to_apply():
    names = ["worst area", "worst smoothness", "mean texture"]
    ranks = pd.DataFrame({"learning gradient": [1, 7, 20], "Saliency": [2, 3, 4]}, index=names)
    text = prose.wdbc_reference(ranks, "breast_cancer", names, "QUOTE", "CITE")
    assert text.startswith("> QUOTE\n>\n> — CITE")
    assert (
        "worst area is ranked 1 by the learning gradient, 1 to 2 across the 2 methods, and is in the top 5 of 2" in text
    )
    assert (
        "mean texture is ranked 20 by the learning gradient, 4 to 20 across the 2 methods, and is in the top 5 of 1"
        in text
    )
    assert "1 of the 2 methods (Saliency) puts all three in its top 5" in text
    ranks["Saliency"] = [9, 9, 9]
    assert "worst area is ranked 1 by the learning gradient, 1 to 9 across" in prose.wdbc_reference(
        ranks, "breast_cancer", names, "Q", "C"
    )
    assert "No method puts all three" in prose.wdbc_reference(ranks, "breast_cancer", names, "Q", "C")
    ranks["learning gradient"] = [9, 9, 9]
    assert "in the top 5 of none of them" in prose.wdbc_reference(ranks, "breast_cancer", names, "Q", "C")
    assert "no rank to report" in prose.wdbc_reference(pd.DataFrame(index=names), "breast_cancer", names, "Q", "C")
    csv = prose.wdbc_reference(pd.DataFrame(), "/tmp/my.csv", names, "Q", "C")
    assert "built on `/tmp/my.csv`, where they are not all input variables" in csv and "Q" not in csv
    same_names = prose.wdbc_reference(ranks, "/tmp/my.csv", names, "Q", "C")
    assert "variables carry the reference's names" in same_names and "worst area is ranked 9" in same_names


def test_the_randomization_verdict_follows_the_rule():
    from lgrad.study.randomization import COMPARISONS

    summary = pd.DataFrame(
        {
            "pairs": [3, 3, 3],
            "mean spearman": [0.1, 0.9, 0.8],
            "min spearman": [0.0, 0.8, 0.7],
            "max spearman": [0.2, 0.95, 0.9],
            "mean l1": [0.7, 0.1, 0.2],
            "min l1": [0.6, 0.05, 0.1],
        },
        index=list(COMPARISONS),
    )
    text = prose.randomization_paragraph(summary, {"model": True, "data": False}, _study([True] * 3))
    assert "re-initialized weights: mean ρ 0.10 (from 0.00 to 0.20), mean L1 distance 70.0 percentage points" in text
    assert "**passes** the model randomization check and **fails** the data randomization check" in text
    assert "every one of them ranks its inputs" in text
    partial = prose.randomization_paragraph(
        summary, {"model": None, "data": None}, _study([True] * 3, None, [True, False, True])
    )
    assert "1 of them learned nothing" in partial and "cannot be judged" in partial
    summary["pairs"] = 0
    assert prose.randomization_paragraph(summary, {}, _study([False])).startswith("No network learned")
    assert prose.agreement_caption(0).endswith("none did, so the matrix is empty")
    assert prose.randomization_caption(2).endswith("the others'")
