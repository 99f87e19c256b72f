"""lgrad.study.convergence: the per-epoch measures on hand-made relevance rows, and the summary's criterion."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from matplotlib.figure import Figure

import lgrad
from lgrad.figures.plots import convergence_figure
from lgrad.figures.provenance import plotted_data
from lgrad.study import convergence


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


def test_on_a_real_run_the_last_epoch_agrees_with_itself(breast_cancer):
    history = lgrad.train(breast_cancer, epochs=6, seed=0)
    conv = convergence.convergence(history)
    assert conv["spearman_final"].iloc[-1] == pytest.approx(1.0)
    assert conv["top_k_shared_final"].iloc[-1] == 5
    expected = np.abs(np.diff(history.relevance, axis=0)).sum(axis=1)
    np.testing.assert_allclose(conv["l1_change"].iloc[1:], expected)


def test_figure_carries_its_numbers():
    conv = convergence.convergence(fake_history([[4, 3, 2, 1], [1, 2, 3, 4], [1, 2, 3, 4]]), k=2)
    fig = convergence_figure(conv)
    assert isinstance(fig, Figure)
    assert plotted_data(fig)["top_k_shared_final"].tolist() == [0, 2, 2]
    with pytest.raises(ValueError, match="missing columns"):
        convergence_figure(conv.drop(columns="spearman_final"))
