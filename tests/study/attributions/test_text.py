"""lgrad.study.attributions.text: each sentence follows the numbers it states."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lgrad.study.attributions import text as attributions_text


def summary(epochs: int, since: int, **more) -> dict:
    return {"epochs": epochs, "top_k_final_from": since, "k": 5, **more}


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
    every = attributions_text.attribution_seeds(_study([True] * 3, requested=3))
    assert "all 3 seeds of the `seeds` parameter" in every and "Every one of them learned" in every
    assert "median test accuracy is 95.0 %" in every
    some = attributions_text.attribution_seeds(_study([True, False, True, True], requested=200))
    assert "the first 4 of the `seeds` parameter's 200" in some and "1 of them learned nothing" in some
    assert "use the 3 networks" in some
    none = attributions_text.attribution_seeds(_study([False, False]))
    assert "None of the 2 networks learned anything" in none and "median" not in none


def test_the_choices_say_the_dependence_only_where_it_was_measured():
    text = attributions_text.attribution_choices(_study([True]))
    assert "gives Saliency nearly the same ranking (a mean Spearman ρ of 0.990" in text and "β = 0.9 ranks" in text
    assert "at most 0.10 % of the mean" in text
    study = _study([True])
    study.checks["ig_completeness_error"] = 3e-7
    assert "at most less than 0.01 %" not in attributions_text.attribution_choices(study)
    assert "is less than 0.01 % of the mean" in attributions_text.attribution_choices(study)
    empty = _study([False], scores=[])
    empty.checks = {"saliency_probability_rho": float("nan"), "gradenfs_beta_rho": float("nan")}
    text = attributions_text.attribution_choices(empty)
    assert "Spearman" not in text and "completeness" not in text and "β = 0.7" in text


def _rho(values):
    names = ["learning gradient", "A", "B"]
    return pd.DataFrame(values, index=names, columns=names), pd.DataFrame(
        np.full((3, 3), 4), index=names, columns=names
    )


def test_the_agreement_paragraph_orders_the_methods_and_words_the_closeness():
    mean, n = _rho([[1, 0.5, 0.95], [0.5, 1, 0.2], [0.95, 0.2, 1]])
    text = attributions_text.agreement_paragraph(mean, n)
    assert "highest first: B 0.95; A 0.50" in text
    assert "The closest, B, gives nearly the same ranking; the farthest, A, a loosely related ranking" in text
    assert "from 0.20 (A against B) to 0.95 (learning gradient against B)" in text
    assert [attributions_text.agreement_word(r) for r in (0.95, 0.8, 0.5, 0.1)] == [
        "nearly the same ranking", "a similar ranking", "a loosely related ranking", "a different ranking",
    ]  # fmt: skip
    assert "Averaged over the seeds, the" in text
    n.loc["A", "B"] = n.loc["B", "A"] = 3
    assert "only the seeds where both methods rank, 3 to 4 here" in attributions_text.agreement_paragraph(mean, n)
    empty, n = _rho(np.full((3, 3), np.nan))
    assert attributions_text.agreement_paragraph(empty, n).startswith("No network learned")


def test_the_top5_sentence_counts_shared_variables():
    column = "top 5 (seed mean, most relevant first)"
    table = pd.DataFrame(
        {
            "method": ["learning gradient", "A", "B"],
            column: ["a, b, c, d, e", "e, d, c, b, a", "a, x, y, z, w"],
        }
    )
    text = attributions_text.attribution_top5(table)
    assert "1 of the 2 other methods (A) has the same 5" in text and "the fewest shared is 1 (B)" in text
    assert "The most relevant variable is a for 2 of the 3 methods" in text
    table[column] = "— (no ranking)"
    assert attributions_text.attribution_top5(table).startswith("No method ranks anything")


def test_the_reference_is_placed_in_each_ranking_or_said_not_to_apply():
    names = ["worst area", "worst smoothness", "mean texture"]
    ranks = pd.DataFrame({"learning gradient": [1, 7, 20], "Saliency": [2, 3, 4]}, index=names)
    text = attributions_text.wdbc_reference(ranks, "breast_cancer", names, "QUOTE", "CITE")
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
    assert "worst area is ranked 1 by the learning gradient, 1 to 9 across" in attributions_text.wdbc_reference(
        ranks, "breast_cancer", names, "Q", "C"
    )
    assert "No method puts all three" in attributions_text.wdbc_reference(ranks, "breast_cancer", names, "Q", "C")
    ranks["learning gradient"] = [9, 9, 9]
    assert "in the top 5 of none of them" in attributions_text.wdbc_reference(ranks, "breast_cancer", names, "Q", "C")
    assert "no rank to report" in attributions_text.wdbc_reference(
        pd.DataFrame(index=names), "breast_cancer", names, "Q", "C"
    )
    csv = attributions_text.wdbc_reference(pd.DataFrame(), "/tmp/my.csv", names, "Q", "C")
    assert "built on `/tmp/my.csv`, where they are not all input variables" in csv and "Q" not in csv
    same_names = attributions_text.wdbc_reference(ranks, "/tmp/my.csv", names, "Q", "C")
    assert "variables carry the reference's names" in same_names and "worst area is ranked 9" in same_names


def test_the_randomization_verdict_follows_the_rule():
    from lgrad.study.attributions.randomization import COMPARISONS

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
    text = attributions_text.randomization_paragraph(summary, {"model": True, "data": False}, _study([True] * 3))
    assert "re-initialized weights: mean ρ 0.10 (from 0.00 to 0.20), mean L1 distance 70.0 percentage points" in text
    assert "**passes** the model randomization check and **fails** the data randomization check" in text
    assert "every one of them ranks its inputs" in text
    partial = attributions_text.randomization_paragraph(
        summary, {"model": None, "data": None}, _study([True] * 3, None, [True, False, True])
    )
    assert "1 of them learned nothing" in partial and "cannot be judged" in partial
    summary["pairs"] = 0
    assert attributions_text.randomization_paragraph(summary, {}, _study([False])).startswith("No network learned")
    assert attributions_text.agreement_caption(0).endswith("none did, so the matrix is empty")
    assert attributions_text.randomization_caption(2).endswith("the others'")
