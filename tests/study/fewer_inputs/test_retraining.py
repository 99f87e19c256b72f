"""lgrad.study.fewer_inputs.retraining: the masking, the batched retraining and the whole study on a small problem."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch

import lgrad
from lgrad.model import build_model
from lgrad.study import references, runs
from lgrad.study.fewer_inputs import rankings, retraining
from lgrad.study.fewer_inputs.rankings import LASSONET, LEARNING_GRADIENT, RANDOM

SETTINGS = {"hidden": [3], "activation": "sigmoid", "loss": "mse", "lr": 0.5, "batch_size": 64, "epochs": 3}


def test_a_kept_dataset_keeps_exactly_the_kept_columns_and_zeros_elsewhere(breast_cancer):
    keep = [17, 0, 3]
    before = breast_cancer.X_train.clone()
    kept = retraining.kept_dataset(breast_cancer, keep)
    dropped = [i for i in range(30) if i not in keep]
    for part in ("X_train", "X_test"):
        original, masked = getattr(breast_cancer, part), getattr(kept, part)
        assert torch.equal(masked[:, keep], original[:, keep])
        assert (masked[:, dropped] == 0).all()
        assert not (original[:, dropped] == 0).all()
    assert torch.equal(kept.y_train, breast_cancer.y_train) and torch.equal(kept.y_test, breast_cancer.y_test)
    assert kept.feature_names == breast_cancer.feature_names
    assert kept.settings["kept"] == [breast_cancer.feature_names[i] for i in (0, 3, 17)]
    assert torch.equal(breast_cancer.X_train, before)  # the original is untouched


@pytest.mark.parametrize(("keep", "message"), [([], "at least one"), ([1, 1], "no index twice"), ([30], "keep")])
def test_a_bad_set_of_kept_columns_is_named(breast_cancer, keep, message):
    with pytest.raises((ValueError, TypeError), match=message):
        retraining.kept_dataset(breast_cancer, keep)


def test_a_subset_dataset_has_only_the_kept_columns_in_data_order(breast_cancer):
    subset = retraining.subset_dataset(breast_cancer, [5, 2])
    assert subset.feature_names == (breast_cancer.feature_names[2], breast_cancer.feature_names[5])
    assert torch.equal(subset.X_test, breast_cancer.X_test[:, [2, 5]])
    assert list(subset.raw.columns) == [*subset.feature_names, "target"]


def test_a_masked_network_in_train_many_is_lgrad_train_on_the_masked_dataset(breast_cancer):
    """One call with several kept sets gives each seed what lgrad.train gives on its masked data set; the dropped
    columns' first-layer weights never move from their initial values."""
    keeps = [[0, 1, 2], [7], [4, 20, 21, 29]]
    seeds = [3, 4, 5]
    datasets = [retraining.kept_dataset(breast_cancer, keep) for keep in keeps]
    settings = {**runs.train_settings(SETTINGS), "dtype": "float64"}
    many = lgrad.train_many(datasets, seeds, **settings)
    for data, seed, keep, history in zip(datasets, seeds, keeps, many, strict=True):
        one = lgrad.train(data, seed=seed, **settings)
        np.testing.assert_allclose(history.train_loss, one.train_loss, rtol=1e-9)
        np.testing.assert_array_equal(history.test_accuracy, one.test_accuracy)
        for a, b in zip(history.model.parameters(), one.model.parameters(), strict=True):
            np.testing.assert_allclose(a.detach(), b.detach(), rtol=1e-9, atol=1e-12)
        initial = build_model(30, (3,), seed=seed, dtype=torch.float64).linears[0].weight
        dropped = [i for i in range(30) if i not in keep]
        assert torch.equal(history.model.linears[0].weight[:, dropped], initial[:, dropped])
        assert not torch.equal(history.model.linears[0].weight[:, keep], initial[:, keep])


def test_retrain_trains_each_distinct_network_once_in_one_call(breast_cancer, monkeypatch):
    calls = []
    real = retraining.train_many
    monkeypatch.setattr(retraining, "train_many", lambda data, seeds, **kw: calls.append(len(seeds)) or real(
        data, seeds, **kw))  # fmt: skip
    order_a = np.arange(30)
    order_b = np.r_[0, np.arange(29, 0, -1)]  # the same first variable as order_a, then different ones
    seeds = [0, 1]
    table = retraining.retrain(
        breast_cancer, {"a": [order_a] * 2, "b": [order_b] * 2}, seeds, SETTINGS, ks=[1, 2], fixed={"p": [5, 6, 7]}
    )
    assert calls == [len(seeds) * (1 + 2 + 1)]  # k=1 shared by a and b; k=2 differs; the fixed set
    assert len(table) == 2 * 2 * 2 + 2
    shared = table[table["k"] == 1].groupby("seed")["network"].nunique()
    assert (shared == 1).all()
    assert set(table[table["ranking"] == "p"]["k"]) == {3}
    assert table["learned"].all() and table["test_accuracy"].between(0, 1).all()
    with pytest.raises(ValueError, match="one order per seed"):
        retraining.retrain(breast_cancer, {"a": [order_a]}, seeds, SETTINGS, ks=[1])


def test_learned_agrees_with_the_recorded_learning_gradient(breast_cancer):
    """The check after training flags the networks whose recorded learning gradient is degenerate, and no other."""
    datasets = [breast_cancer, retraining.kept_dataset(breast_cancer, [0, 1])]
    for lr in (0.5, 1e6):
        recorded = lgrad.train_many(datasets, [0, 1], lr=lr, epochs=3, batch_size=64)
        flags = retraining.learned(recorded, datasets, "mse", chunk=1)
        assert flags.tolist() == [h.degenerate_from() is None for h in recorded]
        assert flags.all() if lr == 0.5 else not flags.any()


def test_the_published_three_are_found_by_name(breast_cancer):
    keep = retraining.published_keep(breast_cancer.feature_names)
    assert [breast_cancer.feature_names[i] for i in keep] == list(references.WDBC_PLANE_FEATURES)
    assert retraining.published_keep(["a", "b", "worst area"]) is None


def _synthetic(n_features: int = 6, n_rows: int = 200) -> lgrad.Dataset:
    """Noise columns of which 1 and 3 decide the class; not the paper's data (no published three)."""
    rng = np.random.default_rng(1)
    X = rng.standard_normal((n_rows, n_features))
    y = (X[:, 1] + X[:, 3] > 0).astype(float)
    names = tuple(f"x{i}" for i in range(n_features))
    cut = n_rows * 3 // 4
    return lgrad.Dataset(
        name="synthetic", feature_names=names, class_names=("0", "1"),
        X_train=torch.from_numpy(X[:cut]), y_train=torch.from_numpy(y[:cut]),
        X_test=torch.from_numpy(X[cut:]), y_test=torch.from_numpy(y[cut:]),
        raw=pd.DataFrame(X, columns=names).assign(target=y.astype(int)), settings={},
    )  # fmt: skip


def test_the_whole_study_on_a_small_problem_is_complete_and_reproducible():
    data = _synthetic()
    settings = {**SETTINGS, "lr": 2.0, "epochs": 4, "batch_size": 32}
    base = lgrad.train(data, seed=5, **runs.train_settings(settings))
    study = retraining.run_study(data, base, [5, 6], settings)
    assert study.missing == {} and set(study.orders) == set(rankings.RANKINGS)
    assert study.published is None
    assert sorted(study.curve["k"].unique().tolist()) == list(range(1, 7))
    assert (study.curve.groupby("ranking")["n"].min() == 2).all()
    assert study.ktable["ranking"].tolist() == list(rankings.RANKINGS)
    assert study.true_k_ranking == LEARNING_GRADIENT and study.true_k["k"].tolist() == [1, 3]
    assert study.full["seed"].tolist() == [5, 6]
    first = retraining.first_variables(study, data.feature_names, n=2)
    assert first[RANDOM] == "a new order per seed" and first[LASSONET].count(",") == 1
    again = retraining.run_study(data, base, [5, 6], settings)
    pd.testing.assert_frame_equal(again.table, study.table)
    pd.testing.assert_frame_equal(again.ktable, study.ktable)
    fewer = retraining.run_study(data, base, [5, 6], settings, ks=[1, 2])
    assert sorted(fewer.curve["k"].unique().tolist()) == [1, 2, 6] and fewer.true_k["k"].tolist() == [1]
