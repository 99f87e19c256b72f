"""The GradEnFS score: a decayed sum of per-step mean |∂C/∂x|, checked against the recurrence written out."""

from __future__ import annotations

import numpy as np
import pytest

import lgrad
from lgrad.study.gradenfs import batch_sizes, gradenfs_scores


@pytest.fixture(scope="module")
def run():
    ds = lgrad.load_dataset(seed=0)
    return ds, lgrad.train(ds, epochs=3, batch_size=100, record="batch", seed=0, dtype="float64")


def test_batch_sizes_keep_the_short_last_batch():
    assert batch_sizes(455, 100, 10).tolist() == [100, 100, 100, 100, 55] * 2
    assert batch_sizes(455, "full", 3).tolist() == [455] * 3
    with pytest.raises(ValueError, match="multiple of the 5 batches"):
        batch_sizes(455, 100, 7)


def test_scores_follow_the_recurrence_step_by_step(run):
    ds, history = run
    n = len(ds.y_train)
    score = np.zeros(history.raw_relevance.shape[1])
    for row, size in zip(
        history.raw_batch_relevance, batch_sizes(n, 100, len(history.raw_batch_relevance)), strict=True
    ):
        score = 0.8 * score + row / size
    np.testing.assert_allclose(gradenfs_scores(history, n, beta=0.8), score, rtol=1e-12)


def test_raw_batch_rows_add_up_to_the_epochs(run):
    _, history = run
    per_epoch = np.add.reduceat(history.raw_batch_relevance, np.flatnonzero(np.diff(history.batch_epoch, prepend=-1)))
    np.testing.assert_allclose(per_epoch, history.raw_relevance, rtol=1e-10)


def test_beta_zero_is_the_last_step_and_bad_input_is_named(run):
    ds, history = run
    np.testing.assert_allclose(gradenfs_scores(history, len(ds.y_train), beta=0), history.raw_batch_relevance[-1] / 55)
    with pytest.raises(ValueError, match="beta must be in"):
        gradenfs_scores(history, len(ds.y_train), beta=1)
    plain = lgrad.train(ds, epochs=1, seed=0)
    with pytest.raises(ValueError, match="record='batch'"):
        gradenfs_scores(plain, len(ds.y_train))


def test_train_many_keeps_the_same_raw_batch_rows():
    ds = lgrad.load_dataset(seed=1)
    one = lgrad.train(ds, epochs=2, batch_size=64, record="batch", seed=3, dtype="float64")
    many = lgrad.train_many(ds, [3], epochs=2, batch_size=64, record="batch", dtype="float64")[0]
    np.testing.assert_allclose(many.raw_batch_relevance, one.raw_batch_relevance, rtol=1e-9)
