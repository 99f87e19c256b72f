"""lgrad.study.across_seeds.study: the designs against single trainings, and the cache."""

from __future__ import annotations

import numpy as np
import pytest

import lgrad
from lgrad.study import runs
from lgrad.study.across_seeds import seed_runs
from lgrad.study.across_seeds import study as across_study

SHORT = {"epochs": 3}


@pytest.fixture(scope="module")
def tiny() -> seed_runs.SeedStudy:
    """Three seeds from 1, three epochs, long runs of five."""
    return across_study._compute(runs.run_settings(SHORT, seed=1), 3, 5)


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
    assert tiny.cv.trainings == across_study.CV_SPLITS * across_study.CV_REPEATS
    counted = tiny.trainings()
    assert counted["networks"].sum() == 3 * 5 + 100
    assert counted.loc[counted["design"] == seed_runs.DESIGNS["long"], "example gradients"].item() == 3 * 5 * 455


def test_a_10_percent_book_split_is_not_trained_twice():
    study = across_study._compute(runs.run_settings(SHORT, test_size=0.1), 2, 4)
    assert study.runs["small_test"] is study.runs["both"]
    assert len(study.trainings()) == 5  # both, split fixed, init fixed, long, cross-validation


def test_the_cache_computes_once_and_gives_back_the_same_numbers(tiny, tmp_path, monkeypatch):
    monkeypatch.setenv(runs.RUN_CACHE_ENV, str(tmp_path))
    calls = []
    monkeypatch.setattr(across_study, "_compute", lambda *args: calls.append(args) or tiny)
    settings = runs.run_settings(SHORT, seed=1)
    first = across_study.seed_study(settings, 3, 5)
    again = across_study.seed_study(settings, 3, 5)
    assert len(calls) == 1 and len(list(tmp_path.glob("seeds-*.npz"))) == 1
    for study in (first, again):
        for key in seed_runs.DESIGNS:
            for name in ("relevance", "rankable", "test_accuracy", "split_seeds", "train_seeds"):
                np.testing.assert_array_equal(getattr(study.runs[key], name), getattr(tiny.runs[key], name))
            assert study.runs[key].n_test == tiny.runs[key].n_test
        np.testing.assert_array_equal(study.cv.correct, tiny.cv.correct)
        assert study.cv.accuracy == tiny.cv.accuracy
        assert study.settings == tiny.settings
    across_study.seed_study(settings, 3, 6)
    across_study.seed_study(runs.run_settings(SHORT, seed=1, lr=0.1), 3, 5)
    assert len(calls) == 3, "other sizes or settings are another study"


def test_the_study_checks_its_sizes():
    with pytest.raises(ValueError, match="seeds must be an integer >= 2"):
        across_study.seed_study(runs.run_settings(SHORT), 1, 5)
    with pytest.raises(ValueError, match="long_epochs must be an integer >= 3"):
        across_study.seed_study(runs.run_settings(SHORT), 2, 2)
