"""lgrad.study.attributions.study: the seeds, the runs that learned and those that did not, on short runs."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import lgrad
from lgrad.book.params import resolve
from lgrad.study.attributions.randomization import COMPARISONS
from lgrad.study.attributions.study import attribution_study, study_seeds, training_settings
from lgrad.study.runs import seed_datasets


def test_the_seeds_are_the_first_of_the_seeds_parameter():
    assert study_seeds({"seed": 5, "seeds": 200}, max_seeds=30) == list(range(5, 35))
    assert study_seeds({"seed": 0, "seeds": 3}) == [0, 1, 2]
    with pytest.raises(ValueError, match="seeds must be an integer >= 1"):
        study_seeds({"seed": 0, "seeds": 0})


def test_seed_s_is_split_by_s_as_load_dataset_does():
    ds = seed_datasets(training_settings(resolve([("test_size", "0.3")])), [4])[0]
    expected = lgrad.load_dataset(seed=4, test_size=0.3)
    assert torch.equal(ds.X_test, expected.X_test) and torch.equal(ds.y_train, expected.y_train)


def test_a_short_study_scores_every_network_that_learned():
    study = attribution_study(resolve([("seeds", "3"), ("epochs", "3")]))
    assert study.seeds == [0, 1, 2] and study.learned == [True] * 3 and study.ranked_seeds == [0, 1, 2]
    assert len(study.scores) == 3 and set(study.scores[0]) == set(study.methods)
    history = lgrad.train_many(seed_datasets(training_settings(resolve()), [1]), [1], epochs=3, record="batch")[0]
    np.testing.assert_allclose(study.scores[1]["learning gradient"], history.relevance[-1], rtol=1e-6)
    assert set(study.randomization["comparison"]) == set(COMPARISONS)
    assert list(study.profiles.columns) == ["trained", *COMPARISONS[:2]]
    assert 0 <= study.checks["ig_completeness_error"] < 0.01


def test_runs_that_learned_nothing_are_left_out_and_counted():
    study = attribution_study(resolve([("seeds", "2"), ("epochs", "3"), ("lr", "1000000")]))
    assert study.learned == [False, False] and study.scores == [] and study.randomization.empty
    assert np.isnan(study.checks["saliency_probability_rho"])
