"""lgrad.study.across_seeds.accuracy: exact binomial intervals against SciPy, the chance of a perfect score, and the
repeated stratified cross-validation against single trainings of its folds."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.stats import binomtest

import lgrad
from lgrad.study.across_seeds import accuracy

SHORT = {"hidden": (3,), "activation": "sigmoid", "loss": "mse", "lr": 0.5, "batch_size": 16, "epochs": 3}


@pytest.mark.parametrize(("k", "n"), [(0, 1), (1, 1), (0, 57), (57, 57), (114, 114), (112, 114), (3, 10), (50, 100)])
def test_clopper_pearson_is_scipys_exact_interval(k, n):
    low, high = accuracy.clopper_pearson(k, n)
    expected = binomtest(k, n).proportion_ci(confidence_level=0.95, method="exact")
    assert float(low) == pytest.approx(expected.low, abs=1e-12)
    assert float(high) == pytest.approx(expected.high, abs=1e-12)


def test_clopper_pearson_is_vectorized_and_takes_other_levels():
    k, n = np.array([0, 5, 10]), np.array([10, 10, 10])
    low, high = accuracy.clopper_pearson(k, n, level=0.9)
    for i in range(3):
        expected = binomtest(int(k[i]), int(n[i])).proportion_ci(confidence_level=0.9, method="exact")
        assert (low[i], high[i]) == pytest.approx((expected.low, expected.high), abs=1e-12)
    assert low[0] == 0.0 and high[2] == 1.0


def test_a_perfect_score_on_114_rows_allows_968_percent():
    low, _ = accuracy.clopper_pearson(114, 114)
    assert float(low) == pytest.approx(0.025 ** (1 / 114), abs=1e-12)  # (α/2)^(1/n) for k = n
    assert round(100 * float(low), 1) == 96.8


def test_a_real_count_lies_between_the_integer_counts_around_it():
    low, high = accuracy.clopper_pearson(np.array([55.0, 55.5, 56.0]), 57)
    assert low[0] < low[1] < low[2] and high[0] < high[1] < high[2]


@pytest.mark.parametrize(
    ("k", "n", "message"),
    [(5, 4, "k must hold numbers in"), (-1, 4, "k must hold numbers in"), (1, 0, "n must hold integers"),
     (1, 2.5, "n must hold integers")],
)  # fmt: skip
def test_clopper_pearson_refuses_impossible_counts(k, n, message):
    with pytest.raises(ValueError, match=message):
        accuracy.clopper_pearson(k, n)


def test_perfect_score_chance_is_p_to_the_n():
    assert accuracy.perfect_score_chance(0.978, 114) == pytest.approx(0.978**114)
    np.testing.assert_allclose(accuracy.perfect_score_chance([1.0, 0.5], [10, 2]), [1.0, 0.25])
    with pytest.raises(ValueError, match="accuracy must hold numbers in"):
        accuracy.perfect_score_chance(1.2, 3)


@pytest.mark.parametrize("scale", ["train", "all"])
def test_a_fold_is_standardized_as_load_dataset_does(scale):
    ds = lgrad.load_dataset(seed=3, scale=scale)
    rows = np.arange(len(ds.raw))
    test_rows = np.flatnonzero(np.isin(rows, rows[::7]))
    train_rows = np.setdiff1d(rows, test_rows)
    fold = accuracy.fold_dataset(ds, train_rows[::-1], test_rows, fold=4)
    values = ds.raw[list(ds.feature_names)].to_numpy()
    fitted = values[train_rows] if scale == "train" else values
    expected = (values - fitted.mean(axis=0)) / fitted.std(axis=0)
    np.testing.assert_allclose(fold.X_train.numpy(), expected[train_rows], atol=1e-12)
    np.testing.assert_allclose(fold.X_test.numpy(), expected[test_rows], atol=1e-12)
    assert torch.equal(fold.y_test, torch.from_numpy(ds.raw["target"].to_numpy(dtype=np.float64)[test_rows]))
    assert fold.settings["fold"] == 4 and fold.settings["scale"] == scale


def test_cross_validation_tests_every_row_once_per_repetition_and_matches_single_trainings():
    ds = lgrad.load_dataset()
    cv = accuracy.cross_validate(ds, SHORT, seed=5, n_splits=3, n_repeats=2)
    assert cv.trainings == 6 and cv.n_rows == 569
    assert list(cv.repeat) == [0, 0, 0, 1, 1, 1]
    for r in range(2):
        assert cv.size[cv.repeat == r].sum() == 569
    assert cv.accuracy == pytest.approx(cv.correct.sum() / (2 * 569))
    assert cv.accuracy == pytest.approx(cv.repeat_accuracy.mean())
    low, high = cv.interval()
    assert low < cv.accuracy < high

    from sklearn.model_selection import RepeatedStratifiedKFold

    from lgrad.seeding import derive_seed

    labels = ds.raw["target"].to_numpy()
    splitter = RepeatedStratifiedKFold(n_splits=3, n_repeats=2, random_state=derive_seed(5, "split") % 2**32)
    for i, (train, test) in enumerate(splitter.split(labels, labels)):
        if i in (0, 4):
            fold = accuracy.fold_dataset(ds, train, test, i)
            history = lgrad.train(fold, seed=5 + i, **SHORT)
            assert cv.correct[i] == round(float(history.test_accuracy[-1]) * len(test))


def test_cross_validation_checks_its_sizes():
    with pytest.raises(ValueError, match="n_splits must be an integer >= 2"):
        accuracy.cross_validate(lgrad.load_dataset(), SHORT, n_splits=1)
