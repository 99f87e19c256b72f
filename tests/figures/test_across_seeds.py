"""lgrad.figures.across_seeds: the figures of the study across seeds draw the numbers they were given, legibly,
also for a study where no run learned."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

import lgrad
from lgrad.figures import across_seeds as seed_figures
from lgrad.figures.plots import SMALL_PT
from lgrad.figures.provenance import drawn_size, plotted_data
from lgrad.study import references, runs
from lgrad.study.across_seeds import study as across_study
from lgrad.study.across_seeds import summaries


@pytest.fixture(scope="module", params=[0.5, 1e6], ids=["learned", "learned nothing"])
def found(request):
    study = across_study._compute(runs.run_settings({"epochs": 3, "lr": request.param}), 3, 4)
    return summaries.summaries(study, lgrad.load_dataset(), references.PAPER_TOP5)


def figures(found):
    return {
        "accuracy": seed_figures.seed_accuracy(found["book"], found["small"]),
        "top5": seed_figures.seed_top5(found["ranking"], found["ranking_small"], references.PAPER_TOP5),
        "blocks": seed_figures.seed_blocks(found["block_reading"]),
        "convergence": seed_figures.seed_convergence(found["convergence"], found["long"]),
    }


def test_every_figure_draws_legibly(found):
    for name, fig in figures(found).items():
        assert isinstance(fig, Figure), name
        assert drawn_size(fig)["smallest_font_pt"] >= SMALL_PT, name


def test_the_figures_carry_the_numbers_they_draw(found):
    drawn = {name: plotted_data(fig) for name, fig in figures(found).items()}
    book = drawn["accuracy"]["book's split"]
    np.testing.assert_array_equal(book["errors"], found["book"]["errors"])
    assert book["cv"] == found["book"]["cv"]
    top5 = drawn["top5"]
    assert set(references.PAPER_TOP5) <= set(top5["variables"])
    np.testing.assert_array_equal(top5["overlap_counts_book_split"], found["ranking"]["overlap_counts"])
    n = found["ranking"]["n_learned"]
    expected = 100 * found["ranking"]["frequency"][top5["variables"]].to_numpy() / n if n else 0
    np.testing.assert_allclose(top5["share_in_top5_percent"], expected)
    assert drawn["blocks"]["paper_units"] == found["block_reading"]["reference_units"]
    np.testing.assert_array_equal(drawn["convergence"]["long_same_as_last_share"],
                                  found["long"]["convergence"]["same_as_last_share"])  # fmt: skip
