"""lgrad.study.fewer_inputs.rankings: the rankings the chapter Fewer inputs retrains on, each against a known answer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch

import lgrad
from lgrad.study import references
from lgrad.study.fewer_inputs import rankings
from lgrad.study.gradenfs import gradenfs_scores


def _two_feature_problem(n_features: int = 6, n_rows: int = 240, seed: int = 0) -> lgrad.Dataset:
    """Standardized noise columns where only columns 2 and 4 decide the class (y = 1 when 2·x2 − x4 > 0)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_rows, n_features))
    y = (2 * X[:, 2] - X[:, 4] > 0).astype(float)
    names = tuple(f"x{i}" for i in range(n_features))
    train, test = slice(0, n_rows * 3 // 4), slice(n_rows * 3 // 4, None)
    return lgrad.Dataset(
        name="synthetic", feature_names=names, class_names=("0", "1"),
        X_train=torch.from_numpy(X[train]), y_train=torch.from_numpy(y[train]),
        X_test=torch.from_numpy(X[test]), y_test=torch.from_numpy(y[test]),
        raw=pd.DataFrame(X, columns=names).assign(target=y.astype(int)), settings={},
    )  # fmt: skip


def test_order_of_sorts_high_to_low_keeps_ties_in_column_order_and_refuses_no_ranking():
    assert rankings.order_of([0.1, 0.5, 0.1, 0.3]).tolist() == [1, 3, 0, 2]
    with pytest.raises(rankings.NoRankingError, match="all equal"):
        rankings.order_of([0.0, 0.0])
    with pytest.raises(rankings.NoRankingError, match="not finite"):
        rankings.order_of([1.0, np.nan])


def test_the_random_ranking_is_a_permutation_fixed_by_the_seed(seed):
    first = rankings.random_ranking(30, 7)
    assert sorted(first.tolist()) == list(range(30))
    np.random.seed(123)  # global state is not read
    torch.manual_seed(123)
    assert rankings.random_ranking(30, 7).tolist() == first.tolist()
    assert rankings.random_ranking(30, 8).tolist() != first.tolist()
    with pytest.raises(ValueError, match="seed"):
        rankings.random_ranking(30, -1)


def test_the_learning_gradient_ranking_is_the_last_epochs_order_and_a_stuck_run_ranks_nothing(
    healthy_and_stuck, breast_cancer
):
    (healthy, _), stuck = healthy_and_stuck
    order = rankings.learning_gradient_ranking(healthy)
    assert [breast_cancer.feature_names[i] for i in order[:5]] == healthy.top_features(5)
    with pytest.raises(rankings.NoRankingError, match="learned nothing"):
        rankings.learning_gradient_ranking(stuck)


def test_the_seed_averaged_ranking_averages_the_runs_that_learned(healthy_and_stuck):
    healthy, stuck = healthy_and_stuck
    mean = (healthy[0].relevance[-1] + healthy[1].relevance[-1]) / 2
    assert rankings.seed_averaged_ranking(healthy).tolist() == np.argsort(-mean, kind="stable").tolist()
    alone = rankings.seed_averaged_ranking([healthy[1], stuck])
    assert alone.tolist() == rankings.learning_gradient_ranking(healthy[1]).tolist()
    with pytest.raises(rankings.NoRankingError, match="none of the 1 runs"):
        rankings.seed_averaged_ranking([stuck])


def test_the_gradenfs_ranking_orders_its_scores(healthy_and_stuck, breast_cancer):
    (first, _), stuck = healthy_and_stuck
    scores = gradenfs_scores(first, len(breast_cancer.y_train), references.GRADENFS_BETA)
    assert (
        rankings.gradenfs_ranking(first, len(breast_cancer.y_train)).tolist()
        == np.argsort(-scores, kind="stable").tolist()
    )
    with pytest.raises(rankings.NoRankingError, match="learned nothing"):
        rankings.gradenfs_ranking(stuck, len(breast_cancer.y_train))


def test_permutation_importance_puts_the_deciding_columns_first_and_is_fixed_by_the_seed():
    data = _two_feature_problem()
    history = lgrad.train(data, lr=2.0, epochs=30, seed=0)
    assert history.test_accuracy[-1] > 0.9
    order = rankings.permutation_ranking(history.model, data.X_train, data.y_train, "mse", seed=3)
    assert set(order[:2].tolist()) == {2, 4}
    again = rankings.permutation_ranking(history.model, data.X_train, data.y_train, "mse", seed=3)
    assert again.tolist() == order.tolist()


def test_lassonet_puts_the_two_deciding_features_first_deterministically_and_leaves_torch_as_it_was():
    data = _two_feature_problem()
    torch.manual_seed(5)
    state = torch.get_rng_state()
    order = rankings.lassonet_ranking(data.X_train, data.y_train, seed=0)
    assert torch.equal(torch.get_rng_state(), state)
    assert sorted(order.tolist()) == list(range(6))
    assert set(order[:2].tolist()) == {2, 4}
    assert rankings.lassonet_ranking(data.X_train, data.y_train, seed=0).tolist() == order.tolist()
    with pytest.raises(ValueError, match="unknown LassoNet option"):
        rankings.lassonet_ranking(data.X_train, data.y_train, seed=0, gamma=1.0)


def test_all_rankings_leave_out_what_a_stuck_base_run_cannot_rank(healthy_and_stuck, breast_cancer):
    healthy, stuck = healthy_and_stuck
    orders, missing = rankings.all_rankings(breast_cancer, stuck, [stuck, healthy[1]], [0, 1], "mse", (3,))
    assert set(missing) == {rankings.LEARNING_GRADIENT, rankings.GRADENFS, rankings.PERMUTATION}
    assert set(orders) == {rankings.SEED_AVERAGED, rankings.LASSONET, rankings.RANDOM}
    assert orders[rankings.RANDOM][0].tolist() == rankings.random_ranking(30, 0).tolist()
    assert orders[rankings.RANDOM][1].tolist() == rankings.random_ranking(30, 1).tolist()
    assert all(len(per_seed) == 2 for per_seed in orders.values())


def test_phrases_name_the_rankings_in_a_sentence():
    assert rankings.phrases([rankings.LASSONET]) == "LassoNet"
    assert rankings.phrases([rankings.RANDOM, rankings.GRADENFS]) == "the random order and GradEnFS"
    assert rankings.phrases(["a", "b", "c"]) == "a, b and c"
