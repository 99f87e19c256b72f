"""The figure and table of the chapter Fewer inputs (lgrad/figures/retraining.py), on made-up numbers."""

import numpy as np
import pandas as pd
import pytest

from lgrad.figures import retraining as figures
from lgrad.figures.provenance import BOOK_FIGURE_WIDTH_PX, MIN_TEXT_PX, drawn_size, plotted_data, shown_text_px
from lgrad.study.fewer_inputs.rankings import LASSONET, LEARNING_GRADIENT, RANDOM


def made_up_curve(n: int = 30) -> pd.DataFrame:
    k = np.arange(1, n + 1)
    rows = []
    for name, reach in ((LEARNING_GRADIENT, 10), (LASSONET, 5), (RANDOM, n)):
        mean = 0.98 - 0.3 * np.clip(reach - k, 0, None) / reach
        rows.append(pd.DataFrame({"ranking": name, "k": k, "mean": mean, "se": 0.004, "n": 30, "learned_nothing": 0}))
    return pd.concat(rows, ignore_index=True)


def test_the_curves_figure_draws_each_ranking_the_full_model_and_the_published_point():
    curve = made_up_curve()
    fig = figures.retraining_curves(
        curve, 0.98, 0.002, {"mean": 0.95, "se": 0.001, "k": 3}, {LASSONET: 5, RANDOM: None}
    )
    data = plotted_data(fig)
    assert data["rankings"] == [LEARNING_GRADIENT, LASSONET, RANDOM]
    np.testing.assert_allclose(data[LASSONET]["mean_percent"], 100 * curve[curve["ranking"] == LASSONET]["mean"])
    assert data[LASSONET]["smallest_k"] == 5 and data[RANDOM]["smallest_k"] is None
    overview, zoom = fig.axes[:2]
    labels = [line.get_label() for line in overview.get_lines()]
    assert {LEARNING_GRADIENT, LASSONET, RANDOM, "all 30 variables"} <= set(labels)
    assert zoom.get_ylim()[0] == pytest.approx(98 - figures.ZOOM_PP)
    drawn = drawn_size(fig)
    assert drawn["width_px"] >= BOOK_FIGURE_WIDTH_PX and shown_text_px(drawn) >= MIN_TEXT_PX
    without = figures.retraining_curves(curve, 0.98, 0.0)
    assert "published" not in plotted_data(without)
    with pytest.raises(ValueError, match="missing columns"):
        figures.retraining_curves(curve.drop(columns="se"), 0.98, 0.0)


def test_the_table_says_never_within_and_counts():
    ktable = pd.DataFrame(
        {"ranking": [LASSONET, RANDOM], "smallest k": [8, None], "stays within": [False, False],
         "mean": [0.982, np.nan], "se": [0.0004, np.nan], "learned nothing": [2, 0], "networks": [900, 900]}
    )  # fmt: skip
    full = {"mean": 0.98, "se": 0.001, "k": 30, "learned nothing": 0, "networks": 30}
    published = {"mean": 0.95, "se": 0.0, "k": 3, "learned nothing": 1, "networks": 30, "within": False}
    table = figures.retraining_table(ktable, {LASSONET: "a, b", RANDOM: "a new order per seed"}, full, published)
    rows = table.set_index("ranking")
    assert rows.loc[LASSONET].tolist() == ["a, b", "8", "no", "98.2 % ± 0.04", "2/900"]
    assert rows.loc[RANDOM, "smallest k within 1 SE"] == "never" and rows.loc[RANDOM, "test acc. there"] == "—"
    assert rows.loc["all 30 variables", "smallest k within 1 SE"] == "30"
    assert rows.loc["published three", "smallest k within 1 SE"] == "not within at 3"
    assert rows.loc["published three", "learned nothing"] == "1/30"
    assert "published three" not in figures.retraining_table(ktable, {}, full, None)["ranking"].tolist()
