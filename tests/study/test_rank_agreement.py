"""lgrad.study.rank_agreement: overlaps, top lists, Spearman's ρ, Kendall's τ against SciPy and Kendall's W on known
cases."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import kendalltau, spearmanr

from lgrad.study import rank_agreement
from lgrad.study.rank_agreement import spearman


def test_the_overlap_of_a_set_with_itself_is_its_size():
    five = ["a", "b", "c", "d", "e"]
    assert rank_agreement.overlap(five, five) == 5
    assert rank_agreement.overlap(five, reversed(five)) == 5
    assert rank_agreement.overlap(five, ["a", "x", "y"]) == 1
    assert rank_agreement.overlap(five, []) == 0


def test_top_k_breaks_ties_by_the_names_order():
    assert rank_agreement.top_k([0.1, 0.3, 0.3, 0.2], ["w", "x", "y", "z"], 3) == ["x", "y", "z"]


def test_kendall_w_of_identical_rankings_is_one_and_of_reversed_pairs_zero():
    row = np.array([0.4, 0.1, 0.3, 0.2, 0.5])
    assert rank_agreement.kendall_w(np.tile(row, (7, 1))) == pytest.approx(1.0)
    assert rank_agreement.kendall_w(np.vstack([row, -row])) == pytest.approx(0.0)
    assert rank_agreement.kendall_w(np.vstack([row, -row, row, -row])) == pytest.approx(0.0)


def test_kendall_w_is_the_mean_spearman_correlation_rescaled():
    scores = np.random.default_rng(0).normal(size=(6, 12))
    m = len(scores)
    rho = np.mean([spearmanr(scores[i], scores[j]).statistic for i in range(m) for j in range(i + 1, m)])
    assert rank_agreement.kendall_w(scores) == pytest.approx((rho * (m - 1) + 1) / m, abs=1e-12)


def test_kendall_w_corrects_for_ties():
    tied = np.array([[1, 1, 2, 3], [1, 1, 2, 3], [1, 1, 2, 3]], dtype=float)
    assert rank_agreement.kendall_w(tied) == pytest.approx(1.0)
    assert np.isnan(rank_agreement.kendall_w(np.ones((3, 4))))
    assert np.isnan(rank_agreement.kendall_w(np.ones((1, 4))))


def test_kendall_tau_matrix_is_scipys_tau_b_for_every_pair():
    rng = np.random.default_rng(1)
    scores = rng.integers(0, 6, size=(5, 9)).astype(float)  # ties on purpose
    tau = rank_agreement.kendall_tau_matrix(scores)
    for i in range(5):
        for j in range(5):
            assert tau[i, j] == pytest.approx(kendalltau(scores[i], scores[j]).statistic, abs=1e-12)
    mean = np.mean([tau[i, j] for i in range(5) for j in range(i + 1, 5)])
    assert rank_agreement.mean_pairwise_tau(scores) == pytest.approx(mean)
    assert np.isnan(rank_agreement.mean_pairwise_tau(scores[:1]))


def test_scores_must_be_finite():
    with pytest.raises(ValueError, match="scores must be finite"):
        rank_agreement.kendall_w(np.array([[1.0, np.nan], [1.0, 2.0]]))
    with pytest.raises(ValueError, match="at least 2 items"):
        rank_agreement.kendall_tau_matrix(np.ones((3, 1)))


def test_spearman_of_a_method_with_itself_is_one_and_reversed_is_minus_one():
    x = np.array([0.3, 0.1, 0.5, 0.05, 0.2, 0.6])
    assert spearman(x, x) == pytest.approx(1.0)
    assert spearman(x, -x) == pytest.approx(-1.0)
    assert spearman(x, np.exp(x)) == pytest.approx(1.0)  # ranks only
    y = np.array([1.0, 2.0, 2.0, 0.0, 5.0, 3.0])  # ties take their mean rank, as SciPy's
    assert spearman(x, y) == pytest.approx(spearmanr(x, y).statistic, abs=1e-15)


def test_spearman_is_nan_without_a_ranking():
    x = np.arange(4.0)
    assert np.isnan(spearman(x, np.zeros(4)))
    assert np.isnan(spearman(x, np.array([1.0, np.nan, 2.0, 3.0])))
    with pytest.raises(ValueError, match="same length"):
        spearman(x, np.arange(3.0))
