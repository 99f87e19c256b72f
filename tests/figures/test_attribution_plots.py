"""lgrad.figures.attribution_plots: the figures draw exactly the agreement and randomization numbers they are given."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lgrad.figures import attribution_plots as attributions
from lgrad.figures.provenance import MIN_TEXT_PX, drawn_size, plotted_data, shown_text_px
from lgrad.study.attributions import agreement as method_agreement
from lgrad.study.attributions import randomization
from lgrad.study.attributions.scores import METHODS

FEATURES = [f"variable {i}" for i in range(30)]


def made_up(n_seeds: int = 3):
    """Agreement and randomization inputs of the book's shapes: 9 methods, 30 variables."""
    rng = np.random.default_rng(0)
    scores = [{m: rng.random(30) for m in METHODS} for _ in range(n_seeds)]
    mean, n = method_agreement.agreement_matrix(scores, list(METHODS))
    vectors = [rng.dirichlet(np.ones(30)) for _ in range(3 * n_seeds)]
    trained, fresh, shuffled = vectors[:n_seeds], vectors[n_seeds : 2 * n_seeds], vectors[2 * n_seeds :]
    table = randomization.randomization_table(list(range(n_seeds)), trained, fresh, shuffled)
    return mean, n, table, randomization.profiles(FEATURES, trained, fresh, shuffled)


def test_the_heatmap_writes_each_mean_rho():
    mean, n, _, _ = made_up()
    fig = attributions.agreement_heatmap(mean, n)
    written = [float(t.get_text()) for t in fig.axes[0].texts]
    np.testing.assert_allclose(written, mean.to_numpy().ravel(), atol=0.005)
    assert "mean over 3 seed(s)" in fig.axes[0].get_title()
    np.testing.assert_array_equal(plotted_data(fig)["mean_spearman"], mean.to_numpy())


def test_the_randomization_figure_draws_the_profiles_and_every_pair():
    _, _, table, profiles = made_up()
    fig = attributions.randomization_figure(table, profiles)
    top = fig.axes[0]
    for line, column in zip(top.get_lines(), profiles.columns, strict=True):
        np.testing.assert_allclose(line.get_ydata(), 100 * profiles[column])
        assert line.get_label() == column
    data = plotted_data(fig)
    assert data["spearman"] == table["spearman"].tolist() and len(data["comparison"]) == len(table)


def test_with_nothing_learned_the_figures_say_so():
    names = list(METHODS)
    empty = pd.DataFrame(np.nan, index=names, columns=names)
    fig = attributions.agreement_heatmap(empty, pd.DataFrame(0, index=names, columns=names))
    assert fig.axes[0].texts[0].get_text().startswith("No network learned")
    table = pd.DataFrame(columns=["seed", "comparison", "spearman", "l1"])
    frame = pd.DataFrame(np.nan, index=FEATURES, columns=["trained", *randomization.COMPARISONS[:2]])
    fig = attributions.randomization_figure(table, frame)
    assert all(ax.texts[0].get_text().startswith("No network learned") for ax in fig.axes)


@pytest.mark.parametrize("which", ["agreement", "randomization"])
def test_the_figures_text_is_legible_in_the_book(which):
    mean, n, table, profiles = made_up()
    fig = (
        attributions.agreement_heatmap(mean, n)
        if which == "agreement"
        else attributions.randomization_figure(table, profiles)
    )
    drawn = drawn_size(fig)
    assert shown_text_px(drawn) >= MIN_TEXT_PX, drawn["smallest_text"]
