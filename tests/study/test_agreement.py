"""lgrad.study.agreement: overlaps, Kendall's τ against SciPy, Kendall's W on known cases, and blocks as units."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import kendalltau, spearmanr

from lgrad.study import agreement


def test_the_overlap_of_a_set_with_itself_is_its_size():
    five = ["a", "b", "c", "d", "e"]
    assert agreement.overlap(five, five) == 5
    assert agreement.overlap(five, reversed(five)) == 5
    assert agreement.overlap(five, ["a", "x", "y"]) == 1
    assert agreement.overlap(five, []) == 0


def test_top_k_breaks_ties_by_the_names_order():
    assert agreement.top_k([0.1, 0.3, 0.3, 0.2], ["w", "x", "y", "z"], 3) == ["x", "y", "z"]


def test_kendall_w_of_identical_rankings_is_one_and_of_reversed_pairs_zero():
    row = np.array([0.4, 0.1, 0.3, 0.2, 0.5])
    assert agreement.kendall_w(np.tile(row, (7, 1))) == pytest.approx(1.0)
    assert agreement.kendall_w(np.vstack([row, -row])) == pytest.approx(0.0)
    assert agreement.kendall_w(np.vstack([row, -row, row, -row])) == pytest.approx(0.0)


def test_kendall_w_is_the_mean_spearman_correlation_rescaled():
    scores = np.random.default_rng(0).normal(size=(6, 12))
    m = len(scores)
    rho = np.mean([spearmanr(scores[i], scores[j]).statistic for i in range(m) for j in range(i + 1, m)])
    assert agreement.kendall_w(scores) == pytest.approx((rho * (m - 1) + 1) / m, abs=1e-12)


def test_kendall_w_corrects_for_ties():
    tied = np.array([[1, 1, 2, 3], [1, 1, 2, 3], [1, 1, 2, 3]], dtype=float)
    assert agreement.kendall_w(tied) == pytest.approx(1.0)
    assert np.isnan(agreement.kendall_w(np.ones((3, 4))))
    assert np.isnan(agreement.kendall_w(np.ones((1, 4))))


def test_kendall_tau_matrix_is_scipys_tau_b_for_every_pair():
    rng = np.random.default_rng(1)
    scores = rng.integers(0, 6, size=(5, 9)).astype(float)  # ties on purpose
    tau = agreement.kendall_tau_matrix(scores)
    for i in range(5):
        for j in range(5):
            assert tau[i, j] == pytest.approx(kendalltau(scores[i], scores[j]).statistic, abs=1e-12)
    mean = np.mean([tau[i, j] for i in range(5) for j in range(i + 1, 5)])
    assert agreement.mean_pairwise_tau(scores) == pytest.approx(mean)
    assert np.isnan(agreement.mean_pairwise_tau(scores[:1]))


def test_scores_must_be_finite():
    with pytest.raises(ValueError, match="scores must be finite"):
        agreement.kendall_w(np.array([[1.0, np.nan], [1.0, 2.0]]))
    with pytest.raises(ValueError, match="at least 2 items"):
        agreement.kendall_tau_matrix(np.ones((3, 1)))


def test_block_labels_group_the_statistics():
    assert agreement.block_label(["mean texture", "worst texture"]) == "mean/worst texture"
    size = ["mean radius", "mean perimeter", "mean area", "worst radius", "worst perimeter", "worst area"]
    assert agreement.block_label(size) == "mean/worst radius/perimeter/area"
    assert agreement.block_label(["radius error", "area error"]) == "radius/area error"
    assert (
        agreement.block_label(["mean concavity", "mean concave points", "worst concave points"])
        == "mean concavity/concave points, worst concave points"
    )
    assert agreement.block_label(["mean radius", "radius error"]) == "mean radius, radius error"
    assert agreement.block_label(["a", "b"]) == "a, b"


def test_units_read_each_variable_as_its_block():
    units = agreement.block_units(["mean texture", "worst texture", "worst area"], [["mean texture", "worst texture"]])
    assert units == {"mean texture": "mean/worst texture", "worst texture": "mean/worst texture",
                     "worst area": "worst area"}  # fmt: skip
    assert agreement.as_units(["mean texture", "worst texture", "worst area"], units) == {
        "mean/worst texture",
        "worst area",
    }
    assert agreement.as_units(["not in the data"], units) == {"not in the data"}
