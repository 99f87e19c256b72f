"""lgrad.study.convergence: the per-epoch measures on hand-made relevance rows, and the criterion for one run and for
many."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from matplotlib.figure import Figure

import lgrad
from lgrad.figures.plots import convergence_figure
from lgrad.figures.provenance import plotted_data
from lgrad.study import convergence


def test_settles_is_the_convergence_chapters_criterion():
    outcomes = set()
    for scale in (0.1, 0.2, 0.3, 3.0):  # the late steps against the early ones (the bound is 0.25)
        t = np.r_[0, np.cumsum(np.r_[np.ones(5), scale * np.ones(5)])]  # 11 epochs, 10 steps
        relevance = np.array([0.4, 0.3, 0.2, 0.1]) + t[:, None] * np.array([0.01, -0.01, 0, 0])
        expected = convergence.convergence_summary(SimpleNamespace(relevance=relevance), k=2)["settles"]
        assert convergence.settles(relevance[None])[0] == expected == (scale <= convergence.SETTLE_RATIO)
        outcomes.add(bool(expected))
    assert outcomes == {True, False}


def fake_history(rows) -> SimpleNamespace:
    rows = np.asarray(rows, dtype=float)
    return SimpleNamespace(relevance=rows / rows.sum(axis=1, keepdims=True))


def test_measures_on_hand_made_rows():
    history = fake_history([[4, 3, 2, 1], [1, 2, 3, 4], [1, 2, 3, 4]])
    conv = convergence.convergence(history, k=2)
    assert list(conv["epoch"]) == [1, 2, 3]
    assert np.isnan(conv["l1_change"].iloc[0])
    assert conv["l1_change"].iloc[1] == pytest.approx(0.3 + 0.1 + 0.1 + 0.3)
    assert conv["l1_change"].iloc[2] == 0.0
    assert conv["spearman_final"].tolist() == pytest.approx([-1.0, 1.0, 1.0])
    assert conv["top_k_shared_final"].tolist() == [0, 2, 2]


def test_summary_epochs_from_which_the_ranking_stays():
    rows = [[4, 3, 2, 1], [1, 2, 3, 4], [4, 3, 2, 1], [1, 2, 3.5, 4], [1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]]
    summary = convergence.convergence_summary(fake_history(rows), k=2, window=2)
    assert summary["top_k_final_from"] == 4
    assert summary["spearman_09_from"] == 4
    assert summary["epochs"] == 7 and summary["k"] == 2


def test_summary_criterion():
    moving_then_still = [[4, 3, 2, 1], [1, 2, 3, 4], [4, 3, 2, 1], [2, 2, 3, 3], [2, 2, 3, 3], [2, 2, 3, 3]]
    summary = convergence.convergence_summary(fake_history(moving_then_still), k=2, window=2)
    assert summary["late_change"] == 0.0 and summary["early_change"] > 0
    assert summary["settles"] is True
    alternating = [[4, 3, 2, 1], [1, 2, 3, 4]] * 3
    summary = convergence.convergence_summary(fake_history(alternating), k=2, window=2)
    assert summary["change_ratio"] == pytest.approx(1.0)
    assert summary["settles"] is False


def test_rejects_a_run_without_learning_gradient(breast_cancer):
    history = lgrad.train(breast_cancer, epochs=3, record=None)
    with pytest.raises(ValueError, match="record=None"):
        convergence.convergence(history)


def test_summary_needs_three_epochs():
    with pytest.raises(ValueError, match="at least 3 epochs"):
        convergence.convergence_summary(fake_history([[1, 2], [2, 1]]), k=1)


KNOWN = [
    [0.4, 0.3, 0.2, 0.1],  # the final ranking reversed
    [0.1, 0.2, 0.3, 0.4],  # the final bars
    [0.1, 0.4, 0.2, 0.3],
    [0.1, 0.2, 0.3, 0.4],
    [0.1, 0.2, 0.3, 0.4],
    [0.1, 0.2, 0.3, 0.4],
]


def test_a_run_with_a_known_answer():
    conv = convergence.convergence(fake_history(KNOWN), k=2)
    # |Δ| per variable: e2 .3+.1+.1+.3, e3 0+.2+.1+.1, e4 the same back, then nothing moves
    np.testing.assert_allclose(conv["l1_change"].iloc[1:], [0.8, 0.4, 0.4, 0.0, 0.0], atol=1e-12)
    # Spearman with ranks (1, 2, 3, 4): reversed -1; e3's ranks (1, 4, 2, 3): 1 - 6 * (0+4+1+1) / (4 * 15) = 0.4
    np.testing.assert_allclose(conv["spearman_final"], [-1.0, 1.0, 0.4, 1.0, 1.0, 1.0], atol=1e-12)
    # top 2 {4th, 3rd}: e1 has {1st, 2nd}, e3 has {2nd, 4th}
    assert conv["top_k_shared_final"].tolist() == [0, 2, 1, 2, 2, 2]
    summary = convergence.convergence_summary(fake_history(KNOWN), k=2, window=2)
    assert summary["early_change"] == pytest.approx(0.6) and summary["late_change"] == pytest.approx(0.0)
    assert summary["change_ratio"] == pytest.approx(0.0) and summary["settles"] is True
    assert summary["spearman_first"] == pytest.approx(-1.0)
    assert (summary["spearman_09_from"], summary["top_k_final_from"]) == (4, 4)
    wandering = KNOWN[:3] * 2  # changes .8, .4, .6, .8, .4: the last two are the first two, late / early = 1
    summary = convergence.convergence_summary(fake_history(wandering), k=2, window=2)
    assert summary["change_ratio"] == pytest.approx(1.0) and summary["settles"] is False


def test_the_settle_criterion_at_its_threshold():
    # changes 0.8 then 0.2 (two variables trade 0.1): late / early = 0.25, the threshold; 0.8 then 0.4: 0.5, does not
    settling = [[0.4, 0.3, 0.2, 0.1], [0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.4, 0.3]]
    assert convergence.convergence_summary(fake_history(settling), k=2, window=1)["change_ratio"] == pytest.approx(0.25)
    not_settling = [[0.4, 0.3, 0.2, 0.1], [0.1, 0.2, 0.3, 0.4], [0.1, 0.4, 0.2, 0.3]]
    summary = convergence.convergence_summary(fake_history(not_settling), k=2, window=1)
    assert summary["change_ratio"] == pytest.approx(0.5) and summary["settles"] is False


def test_on_a_real_run_the_measures_follow_their_definitions(breast_cancer):
    history = lgrad.train(breast_cancer, epochs=6, seed=0)
    conv = convergence.convergence(history)
    expected = np.abs(np.diff(history.relevance, axis=0)).sum(axis=1)
    np.testing.assert_allclose(conv["l1_change"].iloc[1:], expected)
    ranks = np.argsort(np.argsort(history.relevance, axis=1), axis=1)  # no ties in a real run
    d = ranks - ranks[-1]
    n = history.relevance.shape[1]
    np.testing.assert_allclose(conv["spearman_final"], 1 - 6 * (d**2).sum(axis=1) / (n * (n**2 - 1)), atol=1e-12)
    final_top = set(history.top_features(5))
    names = np.asarray(history.feature_names)
    shared = [len(final_top & set(names[np.argsort(-row)[:5]])) for row in history.relevance]
    assert conv["top_k_shared_final"].tolist() == shared


def test_figure_carries_its_numbers():
    conv = convergence.convergence(fake_history([[4, 3, 2, 1], [1, 2, 3, 4], [1, 2, 3, 4]]), k=2)
    fig = convergence_figure(conv)
    assert isinstance(fig, Figure)
    assert plotted_data(fig)["top_k_shared_final"].tolist() == [0, 2, 2]
    with pytest.raises(ValueError, match="missing columns"):
        convergence_figure(conv.drop(columns="spearman_final"))
