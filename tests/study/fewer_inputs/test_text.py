"""lgrad.study.fewer_inputs.text: the chapter's sentences for each outcome."""

from __future__ import annotations

import pandas as pd
from scipy.stats import sem

from lgrad.study.fewer_inputs import rankings
from lgrad.study.fewer_inputs import summaries as retraining_summaries
from lgrad.study.fewer_inputs import text as retraining_text
from lgrad.study.fewer_inputs.rankings import LASSONET, LEARNING_GRADIENT, PERMUTATION, RANDOM, SEED_AVERAGED


def _rows(ranking, k, accuracies, learned=True):
    return pd.DataFrame(
        {"ranking": ranking, "k": k, "seed": range(len(accuracies)), "test_accuracy": accuracies, "learned": learned}
    )


def test_rankings_sentence_says_which_rank_nothing_and_why():
    assert (
        retraining_text.rankings_sentence(list(rankings.RANKINGS), {})
        == "All 6 rankings order the variables for this run."
    )
    text = retraining_text.rankings_sentence([LASSONET, RANDOM], {LEARNING_GRADIENT: "the run learned nothing (x)"})
    assert text.startswith("2 rankings of 3 order the variables")
    assert "the learning gradient of one seed ranks nothing: the run learned nothing (x)" in text


def test_networks_sentence_counts_distinct_networks_and_those_that_learned_nothing():
    table = pd.DataFrame({"network": [0, 0, 1, 2], "learned": [True, True, False, True]})
    full = pd.DataFrame({"learned": [True, True]})
    text = retraining_text.networks_sentence(table, full)
    assert "4 (ranking, k, seed) points" in text and "so 3 networks were trained" in text
    assert "1 of the 3 retrained networks and 0 of the 2 full-input ones learned nothing" in text
    assert "Every one of them learned" in retraining_text.networks_sentence(table.assign(learned=True), full)


def test_full_sentence_explains_a_zero_standard_error_and_a_full_model_that_learned_nothing():
    same = _rows(retraining_summaries.FULL, 30, [0.9825] * 4)
    assert "at least as accurate as the full model" in retraining_text.full_sentence(same)
    spread = _rows(retraining_summaries.FULL, 30, [0.97, 0.98, 0.99])
    text = retraining_text.full_sentence(spread)
    assert "98.0 %" in text and f"{100 * sem([0.97, 0.98, 0.99]):.2f} percentage points" in text
    assert "at least as accurate" not in text and "learned nothing" not in text
    assert "matching them is no achievement" in retraining_text.full_sentence(same.assign(learned=False))


def _k_table(rows):
    return pd.DataFrame(rows, columns=["ranking", "smallest k", "stays within"])


def test_smallest_k_sentence_names_the_fewest_the_never_and_the_dips():
    table = _k_table([(LEARNING_GRADIENT, 16, False), (LASSONET, 8, True), (RANDOM, None, False)])
    text = retraining_text.smallest_k_sentence(table, 30)
    assert "the learning gradient of one seed, k = 16; LassoNet, k = 8; the random order, never" in text
    assert "The fewest variables, 8 of 30, are needed by LassoNet." in text
    assert "For the learning gradient of one seed, some larger k falls below" in text
    never = retraining_text.smallest_k_sentence(_k_table([(RANDOM, None, False)]), 30)
    assert never.endswith("No ranking comes that close with fewer variables than all of them.")
    all_n = retraining_text.smallest_k_sentence(_k_table([(RANDOM, 30, True), (LASSONET, 30, True)]), 30)
    assert "No ranking gets there with fewer than all 30 variables." in all_n
    assert "No ranking orders" in retraining_text.smallest_k_sentence(_k_table([]), 30)


def test_published_sentence_compares_with_the_full_model_and_each_top_three():
    full = _rows(retraining_summaries.FULL, 30, [0.98, 0.98])
    at_three = pd.DataFrame({"ranking": [LASSONET, RANDOM, PERMUTATION], "mean": [0.97, 0.90, 0.95]})
    text = retraining_text.published_sentence(_rows("p", 3, [0.95, 0.95]), full, at_three)
    assert "95.0 %" in text and "not within one standard error of the full model's 98.0 %" in text
    assert "the top three of LassoNet do better" in text and "those of the random order do worse" in text
    assert "permutation" not in text  # as good as the published three: neither better nor worse
    within = retraining_text.published_sentence(_rows("p", 3, [0.99, 0.99]), full, at_three)
    assert ": within one standard error" in within and "no ranking's top three does better" in within
    assert "does not hold the three published variables" in retraining_text.published_sentence(None, full, at_three)


def test_true_k_sentence_within_and_beyond_two_standard_errors():
    def check(difference, se):
        return pd.DataFrame({"k": [1, 3], "masked se": [se, se], "true se": [se, se], "difference": difference})

    close = retraining_text.true_k_sentence(check([0.001, -0.001], 0.001), LEARNING_GRADIENT, 30)
    assert "+0.10, -0.10 percentage points" in close and "within two standard errors" in close
    far = retraining_text.true_k_sentence(check([0.001, 0.05], 0.001), LEARNING_GRADIENT, 30)
    assert "At k = 3 the difference is more than two standard errors" in far
    exact = retraining_text.true_k_sentence(check([0.0, 0.01], 0.0), SEED_AVERAGED, 30)
    assert "At k = 3 the difference" in exact and "At k = 1" not in exact
    assert "not made" in retraining_text.true_k_sentence(None, None, 30)


def test_aim_sentence_for_each_outcome():
    def aim(rows):
        return retraining_text.aim_sentence(_k_table([(r, k, True) for r, k in rows]), 30)

    assert "learned nothing" in aim([(LASSONET, 8), (RANDOM, 30)])
    assert "never comes within" in aim([(LEARNING_GRADIENT, None), (RANDOM, 30)])
    better = aim([(LEARNING_GRADIENT, 16), (LASSONET, 8), (RANDOM, 30)])
    assert "16 of the 30 variables, fewer than a random order needs (30): it does simplify" in better
    assert better.endswith("LassoNet needs only 8.")
    worse = aim([(LEARNING_GRADIENT, 20), (RANDOM, 20)])
    assert "no fewer than a random order needs (20)" in worse and worse.endswith("No other ranking needs fewer.")
    assert "The random order and" not in worse
    tie = aim([(LEARNING_GRADIENT, 20), (LASSONET, 5), (PERMUTATION, 5)])
    assert tie.endswith("LassoNet and permutation importance need only 5.")
