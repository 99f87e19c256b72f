"""lgrad.study.across_seeds.summaries: every reading of a study, on made-up runs."""

from __future__ import annotations

import numpy as np
import pytest

from lgrad.study.across_seeds import seed_runs, summaries
from lgrad.study.across_seeds.accuracy import CrossValidation

from .made_up import FINALS, made_up


def test_rankings_leave_out_the_runs_that_learned_nothing():
    ranking = summaries.ranking_summary(made_up(FINALS), ["a", "b"], k=2)
    assert ranking["n_seeds"] == 4 and ranking["n_learned"] == 3
    assert dict(ranking["frequency"]) == {"a": 2, "b": 2, "c": 1, "d": 1, "e": 0, "f": 0}
    assert list(ranking["overlaps"]) == [2, 2, 0]
    assert list(ranking["overlap_counts"]) == [1, 0, 2]
    assert ranking["exact_set"] == 2 and ranking["exact_order"] == 2
    assert ranking["common_set"] == ["a", "b"] and ranking["common_count"] == 2 and ranking["n_sets"] == 2
    assert ranking["mean_top"] == ["a", "b"] and ranking["mean_top_overlap"] == 2
    assert -1 <= ranking["tau"] <= 1 and 0 <= ranking["w"] <= 1


def test_a_study_where_nothing_learned_ranks_nothing():
    ranking = summaries.ranking_summary(made_up([[0] * 6, [0] * 6]), ["a", "b"], k=2)
    assert ranking["n_learned"] == 0 and ranking["mean_top"] == [] and ranking["common_set"] is None
    assert np.isnan(ranking["tau"]) and np.isnan(ranking["w"])
    conv = summaries.convergence_over_seeds(made_up([[0] * 6, [0] * 6]))
    assert conv["n_learned"] == 0 and conv["settle"] == 0 and np.isnan(conv["step_mean"]).all()


def test_blocks_count_a_run_that_reaches_a_block_through_any_member():
    units = {"a": "ab", "b": "ab", "c": "c", "d": "d", "e": "ef", "f": "ef"}
    reading = summaries.block_summary(made_up(FINALS), units, ["b", "e"], k=2)
    assert reading["reference_units"] == ["ab", "ef"]
    assert list(reading["covered"]) == [1, 1, 0]  # tops: {a, b}, {a, b}, {c, d}
    assert list(reading["covered_counts"]) == [1, 2, 0]
    assert reading["covers_all"] == 0 and reading["same_units"] == 0
    assert dict(reading["frequency"]) == {"ab": 2, "c": 1, "d": 1, "ef": 0}
    assert reading["variable_overlap_mean"] == pytest.approx(2 / 3)


def test_accuracy_summary_counts_rows_and_compares_with_chance():
    runs_ = made_up(FINALS, accuracy=[1.0, 0.9, 0.9, 0.8])
    cv = CrossValidation(2, 1, 20, np.array([9, 9]), np.array([10, 10]), np.array([0, 0]))
    found = summaries.accuracy_summary(runs_, cv)
    assert found["perfect"] == 1 and found["perfect_share"] == 0.25
    assert list(found["errors"]) == [1, 2, 1]
    assert found["cv"] == 0.9 and found["expected_perfect"] == pytest.approx(0.9**10)
    assert found["expected_errors"].sum() == pytest.approx(4 * (0.9**10 + 10 * 0.9**9 * 0.1 + 45 * 0.9**8 * 0.01))
    assert found["ci_contains_cv"] == 4
    assert found["perfect_low"] == pytest.approx(0.025**0.1)
    assert 0 < found["perfect_pvalue"] <= 1


def test_convergence_over_seeds_measures_the_l1_steps():
    conv = summaries.convergence_over_seeds(made_up(FINALS, epochs=4), k=2)
    assert conv["n_learned"] == 3 and list(conv["epoch"]) == [1, 2, 3, 4]
    assert np.isnan(conv["step_mean"][0]) and conv["to_last_mean"][-1] == 0
    assert conv["step_mean"][1] == pytest.approx(conv["step_mean"][3])  # linear paths: equal steps
    assert conv["settle"] == 0  # a constant step never settles
    assert conv["same_as_last_share"][-1] == 1.0


def test_the_long_runs_against_the_book_runs():
    book = made_up(FINALS, epochs=4)
    longer = made_up([[1, 2, 3, 4, 5, 6], *FINALS[1:]], epochs=8, key="long")
    longer.relevance[:, :4] = book.relevance  # the first epochs repeat the book's runs
    study = seed_runs.SeedStudy(settings={}, runs={"both": book, "long": longer}, cv=None)
    found = summaries.long_summary(study, k=2)
    assert found["longer"] and found["n_learned"] == 3 and found["prefix_max_diff"] == 0
    assert found["prefix_same_top"] == 3
    assert found["kept"] == 2  # the first run's top two moved from {a, b} to {e, f}
    assert list(found["overlap_counts"]) == [1, 0, 2]
