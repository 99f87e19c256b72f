"""lgrad.study.seeds: the designs against single trainings, the cache, and every reading of a study on made-up runs."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

import lgrad
from lgrad.study import convergence, runs, seeds
from lgrad.study.accuracy import CrossValidation

SHORT = {"epochs": 3}


@pytest.fixture(scope="module")
def tiny() -> seeds.SeedStudy:
    """Three seeds from 1, three epochs, long runs of five."""
    return seeds._compute(runs.run_settings(SHORT, seed=1), 3, 5)


def test_each_seed_of_the_study_is_lgrad_train_with_that_seed(tiny):
    both = tiny.runs["both"]
    assert list(both.split_seeds) == list(both.train_seeds) == [1, 2, 3]
    for i, seed in enumerate([1, 2, 3]):
        ds = lgrad.load_dataset(seed=seed)
        history = lgrad.train(ds, seed=seed, epochs=3)
        np.testing.assert_allclose(both.relevance[i], history.relevance, atol=1e-4)
        assert both.tops()[i] == history.top_features(5)
        assert both.test_correct[i] == round(float(history.test_accuracy[-1]) * len(ds.y_test))
    assert both.n_test == 114 and both.n_train == 455


def test_the_designs_vary_what_they_say(tiny):
    small, fixed_split, fixed_init, long = (tiny.runs[k] for k in ("small_test", "split_fixed", "init_fixed", "long"))
    assert small.n_test == 57 and small.n_train == 512
    assert list(fixed_split.split_seeds) == [1, 1, 1] and list(fixed_split.train_seeds) == [1, 2, 3]
    assert list(fixed_init.split_seeds) == [1, 2, 3] and list(fixed_init.train_seeds) == [1, 1, 1]
    history = lgrad.train(lgrad.load_dataset(seed=1), seed=3, epochs=3)
    np.testing.assert_allclose(fixed_split.relevance[2], history.relevance, atol=1e-4)
    history = lgrad.train(lgrad.load_dataset(seed=3), seed=1, epochs=3)
    np.testing.assert_allclose(fixed_init.relevance[2], history.relevance, atol=1e-4)
    assert long.epochs == 5 and long.n_seeds == 3
    assert tiny.cv.trainings == seeds.CV_SPLITS * seeds.CV_REPEATS
    counted = tiny.trainings()
    assert counted["networks"].sum() == 3 * 5 + 100
    assert counted.loc[counted["design"] == seeds.DESIGNS["long"], "example gradients"].item() == 3 * 5 * 455


def test_a_10_percent_book_split_is_not_trained_twice():
    study = seeds._compute(runs.run_settings(SHORT, test_size=0.1), 2, 4)
    assert study.runs["small_test"] is study.runs["both"]
    assert len(study.trainings()) == 5  # both, split fixed, init fixed, long, cross-validation


def test_the_cache_computes_once_and_gives_back_the_same_numbers(tiny, tmp_path, monkeypatch):
    monkeypatch.setenv(runs.RUN_CACHE_ENV, str(tmp_path))
    calls = []
    monkeypatch.setattr(seeds, "_compute", lambda *args: calls.append(args) or tiny)
    settings = runs.run_settings(SHORT, seed=1)
    first = seeds.seed_study(settings, 3, 5)
    again = seeds.seed_study(settings, 3, 5)
    assert len(calls) == 1 and len(list(tmp_path.glob("seeds-*.npz"))) == 1
    for study in (first, again):
        for key in seeds.DESIGNS:
            for name in ("relevance", "rankable", "test_accuracy", "split_seeds", "train_seeds"):
                np.testing.assert_array_equal(getattr(study.runs[key], name), getattr(tiny.runs[key], name))
            assert study.runs[key].n_test == tiny.runs[key].n_test
        np.testing.assert_array_equal(study.cv.correct, tiny.cv.correct)
        assert study.cv.accuracy == tiny.cv.accuracy
        assert study.settings == tiny.settings
    seeds.seed_study(settings, 3, 6)
    seeds.seed_study(runs.run_settings(SHORT, seed=1, lr=0.1), 3, 5)
    assert len(calls) == 3, "other sizes or settings are another study"


def test_a_saved_study_keeps_a_shared_design_shared(tmp_path):
    study = seeds._compute(runs.run_settings(SHORT, test_size=0.1), 2, 4)
    loaded = seeds.load_study(seeds.save_study(study, tmp_path / "s.npz"))
    assert loaded.runs["small_test"] is loaded.runs["both"]


def test_the_study_checks_its_sizes():
    with pytest.raises(ValueError, match="seeds must be an integer >= 2"):
        seeds.seed_study(runs.run_settings(SHORT), 1, 5)
    with pytest.raises(ValueError, match="long_epochs must be an integer >= 3"):
        seeds.seed_study(runs.run_settings(SHORT), 2, 2)


# --- made-up runs ---

NAMES = ("a", "b", "c", "d", "e", "f")


def made_up(final_rows, epochs: int = 4, accuracy=None, n_test: int = 10, key: str = "both") -> seeds.SeedRuns:
    """Runs whose relevance moves linearly from uniform to ``final_rows``; a row of zeros learned nothing."""
    final = np.asarray(final_rows, dtype=float)
    learned = final.sum(axis=1) > 0
    final = np.where(learned[:, None], final / np.where(learned, final.sum(axis=1), 1)[:, None], 0.0)
    uniform = np.full(final.shape[1], 1 / final.shape[1])
    weights = np.linspace(0, 1, epochs)
    relevance = np.stack([[(1 - w) * uniform + w * row if ok else 0 * row for w in weights]
                          for row, ok in zip(final, learned, strict=True)])  # fmt: skip
    accuracy = np.ones(len(final)) if accuracy is None else np.asarray(accuracy, dtype=float)
    return seeds.SeedRuns(
        design=key,
        feature_names=NAMES,
        split_seeds=np.arange(len(final)),
        train_seeds=np.arange(len(final)),
        relevance=relevance,
        rankable=np.repeat(learned[:, None], epochs, axis=1),
        test_accuracy=np.repeat(accuracy[:, None], epochs, axis=1),
        n_test=n_test,
        n_train=20,
    )


FINALS = [[6, 5, 4, 3, 2, 1], [6, 5, 1, 2, 3, 4], [1, 2, 6, 5, 4, 3], [0, 0, 0, 0, 0, 0]]


def test_rankings_leave_out_the_runs_that_learned_nothing():
    ranking = seeds.ranking_summary(made_up(FINALS), ["a", "b"], k=2)
    assert ranking["n_seeds"] == 4 and ranking["n_learned"] == 3
    assert dict(ranking["frequency"]) == {"a": 2, "b": 2, "c": 1, "d": 1, "e": 0, "f": 0}
    assert list(ranking["overlaps"]) == [2, 2, 0]
    assert list(ranking["overlap_counts"]) == [1, 0, 2]
    assert ranking["exact_set"] == 2 and ranking["exact_order"] == 2
    assert ranking["common_set"] == ["a", "b"] and ranking["common_count"] == 2 and ranking["n_sets"] == 2
    assert ranking["mean_top"] == ["a", "b"] and ranking["mean_top_overlap"] == 2
    assert -1 <= ranking["tau"] <= 1 and 0 <= ranking["w"] <= 1


def test_a_study_where_nothing_learned_ranks_nothing():
    ranking = seeds.ranking_summary(made_up([[0] * 6, [0] * 6]), ["a", "b"], k=2)
    assert ranking["n_learned"] == 0 and ranking["mean_top"] == [] and ranking["common_set"] is None
    assert np.isnan(ranking["tau"]) and np.isnan(ranking["w"])
    conv = seeds.convergence_over_seeds(made_up([[0] * 6, [0] * 6]))
    assert conv["n_learned"] == 0 and conv["settle"] == 0 and np.isnan(conv["step_mean"]).all()


def test_blocks_count_a_run_that_reaches_a_block_through_any_member():
    units = {"a": "ab", "b": "ab", "c": "c", "d": "d", "e": "ef", "f": "ef"}
    reading = seeds.block_summary(made_up(FINALS), units, ["b", "e"], k=2)
    assert reading["reference_units"] == ["ab", "ef"]
    assert list(reading["covered"]) == [1, 1, 0]  # tops: {a, b}, {a, b}, {c, d}
    assert list(reading["covered_counts"]) == [1, 2, 0]
    assert reading["covers_all"] == 0 and reading["same_units"] == 0
    assert dict(reading["frequency"]) == {"ab": 2, "c": 1, "d": 1, "ef": 0}
    assert reading["variable_overlap_mean"] == pytest.approx(2 / 3)


def test_accuracy_summary_counts_rows_and_compares_with_chance():
    runs_ = made_up(FINALS, accuracy=[1.0, 0.9, 0.9, 0.8])
    cv = CrossValidation(2, 1, 20, np.array([9, 9]), np.array([10, 10]), np.array([0, 0]))
    found = seeds.accuracy_summary(runs_, cv)
    assert found["perfect"] == 1 and found["perfect_share"] == 0.25
    assert list(found["errors"]) == [1, 2, 1]
    assert found["cv"] == 0.9 and found["expected_perfect"] == pytest.approx(0.9**10)
    assert found["expected_errors"].sum() == pytest.approx(4 * (0.9**10 + 10 * 0.9**9 * 0.1 + 45 * 0.9**8 * 0.01))
    assert found["ci_contains_cv"] == 4
    assert found["perfect_low"] == pytest.approx(0.025**0.1)
    assert 0 < found["perfect_pvalue"] <= 1


def test_settles_is_the_convergence_chapters_criterion():
    outcomes = set()
    for scale in (0.1, 0.2, 0.3, 3.0):  # the late steps against the early ones (the bound is 0.25)
        t = np.r_[0, np.cumsum(np.r_[np.ones(5), scale * np.ones(5)])]  # 11 epochs, 10 steps
        relevance = np.array([0.4, 0.3, 0.2, 0.1]) + t[:, None] * np.array([0.01, -0.01, 0, 0])
        expected = convergence.convergence_summary(SimpleNamespace(relevance=relevance), k=2)["settles"]
        assert seeds.settles(relevance[None])[0] == expected == (scale <= convergence.SETTLE_RATIO)
        outcomes.add(bool(expected))
    assert outcomes == {True, False}


def test_convergence_over_seeds_measures_the_l1_steps():
    conv = seeds.convergence_over_seeds(made_up(FINALS, epochs=4), k=2)
    assert conv["n_learned"] == 3 and list(conv["epoch"]) == [1, 2, 3, 4]
    assert np.isnan(conv["step_mean"][0]) and conv["to_last_mean"][-1] == 0
    assert conv["step_mean"][1] == pytest.approx(conv["step_mean"][3])  # linear paths: equal steps
    assert conv["settle"] == 0  # a constant step never settles
    assert conv["same_as_last_share"][-1] == 1.0


def test_the_long_runs_against_the_book_runs():
    book = made_up(FINALS, epochs=4)
    longer = made_up([[1, 2, 3, 4, 5, 6], *FINALS[1:]], epochs=8, key="long")
    longer.relevance[:, :4] = book.relevance  # the first epochs repeat the book's runs
    study = seeds.SeedStudy(settings={}, runs={"both": book, "long": longer}, cv=None)
    found = seeds.long_summary(study, k=2)
    assert found["longer"] and found["n_learned"] == 3 and found["prefix_max_diff"] == 0
    assert found["prefix_same_top"] == 3
    assert found["kept"] == 2  # the first run's top two moved from {a, b} to {e, f}
    assert list(found["overlap_counts"]) == [1, 0, 2]


def test_sources_compare_designs_with_as_many_seeds():
    runs_ = {key: made_up(FINALS, accuracy=[1.0, 0.9, 0.9, 0.8], key=key) for key in seeds.DESIGNS}
    runs_["split_fixed"] = made_up(FINALS[:2], accuracy=[0.9, 0.9], key="split_fixed")
    study = seeds.SeedStudy(settings={}, runs=runs_, cv=None)
    found = seeds.sources(study, ["a", "b"], k=2)
    assert [row["seeds"] for row in found.values()] == [2, 2, 2]
    assert found["split_fixed"]["accuracy_sd"] == 0.0 and found["both"]["accuracy_sd"] == pytest.approx(0.05)
    table = seeds.sources_table(found)
    assert list(table.columns) == ["measure", *(seeds.DESIGNS[k] for k in ("both", "split_fixed", "init_fixed"))]
    assert table.set_index("measure").loc["test accuracy, sd (pp)"].tolist() == [5.0, 0.0, 5.0]


def test_the_ranking_table_lists_the_frequent_variables_and_the_papers():
    ranking = seeds.ranking_summary(made_up(FINALS), ["a", "f"], k=2)
    units = {name: name for name in NAMES} | {"a": "ab", "b": "ab"}
    table = seeds.ranking_table(ranking, ranking, units, ["a", "f"], rows=2)
    assert list(table["variable"]) == ["a", "b", "f"]
    assert list(table["block"]) == ["ab", "ab", ""]
    assert list(table["top 5, book split"]) == ["67 %", "67 %", "0 %"]
    assert table["paper's rank"].tolist() == [1, pd_na(), 2]


def pd_na():
    import pandas as pd

    return pd.NA
