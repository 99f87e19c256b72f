"""lgrad.study.attributions.randomization: the sanity check after Adebayo et al. (2018) on tiny cases with known
answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch

import lgrad
from lgrad.study.attributions.captum_methods import saliency_relevance
from lgrad.study.attributions.randomization import (
    OTHER_SEED,
    REINITIALIZED,
    SHUFFLED,
    l1,
    passes,
    profiles,
    randomization_summary,
    randomization_table,
    reinitialized,
    shuffled_labels,
    untrained_learning_gradient,
)


def test_shuffled_labels_permute_the_training_labels_only(breast_cancer):
    shuffled = shuffled_labels(breast_cancer, 3)
    assert torch.equal(shuffled.X_train, breast_cancer.X_train) and torch.equal(shuffled.y_test, breast_cancer.y_test)
    assert torch.equal(shuffled.y_train.sort().values, breast_cancer.y_train.sort().values)
    assert not torch.equal(shuffled.y_train, breast_cancer.y_train)
    assert torch.equal(shuffled_labels(breast_cancer, 3).y_train, shuffled.y_train)  # the seed fixes it
    assert not torch.equal(shuffled_labels(breast_cancer, 4).y_train, shuffled.y_train)


def test_a_reinitialized_network_has_the_architecture_and_fresh_weights():
    model = lgrad.build_model(5, (4, 2), "tanh", seed=1, dtype=torch.float64)
    fresh = reinitialized(model, 1)
    assert fresh.activation == "tanh" and fresh.hidden == (4, 2) and fresh.linears[0].weight.dtype == torch.float64
    assert [lin.weight.shape for lin in fresh.linears] == [lin.weight.shape for lin in model.linears]
    assert not torch.equal(fresh.linears[0].weight, model.linears[0].weight)
    assert torch.equal(reinitialized(model, 1).linears[0].weight, fresh.linears[0].weight)


def test_the_untrained_learning_gradient_is_what_the_first_epoch_would_read(breast_cancer):
    """Its oracle: the recorder of a training run with a vanishing step, at the same starting weights."""
    model = lgrad.build_model(30, (3,), seed=7, dtype=torch.float64)
    got = untrained_learning_gradient(model, breast_cancer, "mse")
    raw = saliency_relevance(model, breast_cancer.X_train, breast_cancer.y_train, "mse")
    np.testing.assert_allclose(got, raw / raw.sum(), rtol=1e-12)
    run = lgrad.train(breast_cancer, epochs=1, lr=1e-12, batch_size=16, seed=7, dtype="float64")
    np.testing.assert_allclose(got, run.relevance[0], rtol=1e-8)


def test_the_table_compares_each_seed_with_its_randomized_networks_and_the_next_seed():
    a, b, c = np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.3, 0.5]), np.array([0.4, 0.4, 0.2])
    table = randomization_table([0, 1, 2], [a, b, c], [b, a, a], [a, None, c])
    assert len(table) == 2 * 3 + 2  # one shuffled run learned nothing
    row = table[(table["seed"] == 0) & (table["comparison"] == REINITIALIZED)].iloc[0]
    assert row["spearman"] == pytest.approx(-1.0) and row["l1"] == pytest.approx(0.6)
    row = table[(table["seed"] == 2) & (table["comparison"] == OTHER_SEED)].iloc[0]  # the last pairs with the first
    assert row["l1"] == pytest.approx(l1(c, a)) == pytest.approx(0.2)
    assert not ((table["seed"] == 1) & (table["comparison"] == SHUFFLED)).any()
    two = randomization_table([0, 1], [a, b], [a, b], [a, b])
    assert (two["comparison"] == OTHER_SEED).sum() == 1  # one pair, not the same pair twice
    assert (randomization_table([0], [a], [b], [a])["comparison"] != OTHER_SEED).all()
    with pytest.raises(ValueError, match="one entry per seed"):
        randomization_table([0, 1], [a], [b], [a])


def summary_of(random_rho: float, random_l1: float, yard_rho: float = 0.8, yard_l1: float = 0.2) -> pd.DataFrame:
    rows = [
        {"seed": 0, "comparison": REINITIALIZED, "spearman": random_rho, "l1": random_l1},
        {"seed": 0, "comparison": SHUFFLED, "spearman": 0.0, "l1": 0.9},
        {"seed": 0, "comparison": OTHER_SEED, "spearman": yard_rho, "l1": yard_l1},
    ]
    return randomization_summary(pd.DataFrame(rows))


def test_passes_each_branch():
    assert passes(summary_of(0.1, 0.7), REINITIALIZED) is True
    assert passes(summary_of(0.9, 0.7), REINITIALIZED) is False  # as alike as two trained seeds
    assert passes(summary_of(0.1, 0.1), REINITIALIZED) is False  # closer in L1 than two trained seeds
    no_yardstick = randomization_summary(pd.DataFrame([{"seed": 0, "comparison": SHUFFLED, "spearman": 0, "l1": 1}]))
    assert passes(no_yardstick, SHUFFLED) is None
    assert no_yardstick.loc[OTHER_SEED, "pairs"] == 0


def test_profiles_average_each_kind_of_network_over_the_seeds():
    a, b = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    frame = profiles(["x", "y"], [a, b], [a, a], [None, None])
    np.testing.assert_allclose(frame["trained"], [0.5, 0.5])
    np.testing.assert_allclose(frame[REINITIALIZED], [1.0, 0.0])
    assert frame[SHUFFLED].isna().all()
