"""lgrad.study.sweep: one train_many per grid point, in the grid's order, the same Histories on a local run and on a
Dask cluster of two worker processes (through joblib's dask backend). Tolerance: the test_many one, 1e-9 in float64."""

from __future__ import annotations

import joblib
import numpy as np
import pytest
import torch
from test_many import assert_same_history

from lgrad.many import train_many
from lgrad.sweep import sweep

GRID = {"activation": ["sigmoid", "relu"], "batch_size": [32, "full"]}
SEEDS = [0, 4]
FIXED = dict(epochs=2, dtype=torch.float64, record="batch")


def test_each_grid_point_is_one_train_many_in_the_grids_order(breast_cancer):
    runs = sweep(breast_cancer, GRID, SEEDS, n_jobs=1, **FIXED)

    assert [point for point, _ in runs] == [
        {"activation": "sigmoid", "batch_size": 32},
        {"activation": "sigmoid", "batch_size": "full"},
        {"activation": "relu", "batch_size": 32},
        {"activation": "relu", "batch_size": "full"},
    ]
    for point, histories in runs:
        for history, expected in zip(histories, train_many(breast_cancer, SEEDS, **FIXED, **point), strict=True):
            assert history.config == expected.config
            np.testing.assert_array_equal(history.relevance, expected.relevance)


def test_a_dask_cluster_gives_the_local_histories(breast_cancer):
    import distributed  # pinned in requirements.txt: missing is a failure, not a skip

    local = sweep(breast_cancer, GRID, SEEDS, n_jobs=1, **FIXED)
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        distributed.Client(cluster),
        joblib.parallel_config(backend="dask"),
    ):
        remote = sweep(breast_cancer, GRID, SEEDS, **FIXED)

    assert [point for point, _ in remote] == [point for point, _ in local]
    for (_, histories), (_, expected) in zip(remote, local, strict=True):
        for history, wanted in zip(histories, expected, strict=True):
            assert_same_history(history, wanted)


@pytest.mark.parametrize(
    ("grid", "fixed", "error", "message"),
    [
        ({}, {}, TypeError, r"grid must be a non-empty mapping of setting name -> values, got \{\}"),
        ({"learning_rate": [0.1]}, {}, ValueError, r"'learning_rate' is not a training setting; the settings are .*"),
        ({"lr": [0.1]}, {"seed": 3}, ValueError, r"'seed' is not a training setting; the settings are .*"),
        ({"lr": 0.1}, {}, TypeError, r"grid\['lr'\] must be a non-empty sequence of values, got 0\.1"),
        ({"lr": []}, {}, TypeError, r"grid\['lr'\] must be a non-empty sequence of values, got \[\]"),
        ({"lr": [0.1]}, {"lr": 0.5}, ValueError, r"'lr' is both in grid and fixed; give it in one place"),
    ],
)
def test_bad_grid_is_named(breast_cancer, grid, fixed, error, message):
    with pytest.raises(error, match=f"^{message}$"):
        sweep(breast_cancer, grid, SEEDS, **fixed)


def test_bad_seeds_are_named_before_any_task_runs(breast_cancer):
    with pytest.raises(ValueError, match=r"^seeds must hold at least one seed, got an empty sequence$"):
        sweep(breast_cancer, {"lr": [0.1]}, [])
