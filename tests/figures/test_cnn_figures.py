"""lgrad.figures.cnn: the grid of maps, the last maps beside Captum's and the accuracy curves show exactly the numbers
given, with the panels expected, legibly at the book's width."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lgrad
from lgrad.figures import cnn
from lgrad.figures.provenance import MIN_TEXT_PX, drawn_size, plotted_data, shown_text_px


@pytest.fixture(scope="module")
def history() -> lgrad.CNNHistory:
    return lgrad.train_cnn(lgrad.load_digits_dataset(seed=0), epochs=5, seed=0)


def _legible(fig) -> None:
    drawn = drawn_size(fig)
    assert shown_text_px(drawn) >= MIN_TEXT_PX, drawn
    assert drawn["width_in"] == pytest.approx(9.0)


@pytest.mark.parametrize(
    ("n_epochs", "most", "expected"),
    [(30, 6, [1, 7, 13, 17, 23, 29]), (40, 6, [1, 9, 17, 23, 31, 39]), (4, 6, [1, 3]), (1, 6, [1]), (9, 1, [9])],
)
def test_shown_odd_epochs(n_epochs: int, most: int, expected: list[int]) -> None:
    shown = cnn.shown_odd_epochs(n_epochs, most)
    assert shown == expected
    assert all(e % 2 == 1 for e in shown) and len(shown) <= most


def test_learning_maps_show_the_class_maps_of_the_chosen_epochs(history) -> None:
    fig = cnn.learning_maps(history, [1, 3, 5])
    image_ax, colorbar_ax = fig.axes
    mosaic = image_ax.images[0].get_array().filled(np.nan)
    assert mosaic.shape == (3 * 9 - 1, 10 * 9 - 1)  # 3 epochs × 10 classes of 8×8, one blank pixel between
    np.testing.assert_allclose(mosaic[9:17, 18:26], 100 * history.class_relevance[2, 2])  # epoch 3, digit 2
    assert np.isnan(mosaic[8]).all() and np.isnan(mosaic[:, 8]).all()
    assert [t.get_text() for t in image_ax.get_xticklabels()] == [f"digit {d}" for d in range(10)]
    assert [t.get_text().split("\n")[0] for t in image_ax.get_yticklabels()] == ["epoch 1", "epoch 3", "epoch 5"]
    data = plotted_data(fig)
    assert data["epochs"] == [1, 3, 5] and data["vmax_percent"] == pytest.approx(mosaic[np.isfinite(mosaic)].max())
    assert image_ax.images[0].get_clim() == (0.0, data["vmax_percent"])
    _legible(fig)


def test_learning_maps_reject_bad_epochs_and_a_run_without_maps(history) -> None:
    for bad in ([], [0], [6], [1, 1], "1"):
        with pytest.raises((ValueError, TypeError), match="epochs"):
            cnn.learning_maps(history, bad)
    silent = lgrad.train_cnn(lgrad.load_digits_dataset(seed=0), epochs=1, seed=0, record=None)
    with pytest.raises(ValueError, match="no learning gradient"):
        cnn.learning_maps(silent, [1])


def test_final_maps_have_a_row_per_method_and_rho_under_the_compared(history) -> None:
    rng = np.random.default_rng(0)
    last = history.class_relevance[-1]
    other = rng.random((10, 8, 8))
    means = rng.random((10, 8, 8))
    rho = np.linspace(0.1, 1.0, 10)
    rho[4] = np.nan
    fig = cnn.final_maps(means, {"learning gradient": last, "Saliency": other}, history.class_names, {"Saliency": rho})
    assert len(fig.axes) == 3  # the mean images, then one row per method
    first, second = (ax.images[0].get_array().filled(np.nan) for ax in fig.axes[1:])
    np.testing.assert_allclose(first[:, :8], last[0] / last[0].max())  # each map on its own scale
    np.testing.assert_allclose(second[:, 9:17], other[1] / other[1].max())
    labels = [t.get_text() for t in fig.axes[2].get_xticklabels()]
    assert labels[0] == "ρ 0.10" and labels[4] == "ρ –" and labels[-1] == "ρ 1.00"
    assert fig.axes[1].get_xticks().size == 0  # the reference row is not compared with itself
    np.testing.assert_allclose(plotted_data(fig)["maps_percent"]["Saliency"].sum(axis=(1, 2)), 100.0)
    _legible(fig)
    with pytest.raises(ValueError, match="agreement lacks"):
        cnn.final_maps(means, {"learning gradient": last, "Saliency": other}, history.class_names, {})


def test_accuracy_curves_plot_the_history(history) -> None:
    fig = cnn.accuracy_curves(history, chance=0.1)
    loss_ax, acc_ax = fig.axes
    np.testing.assert_allclose(loss_ax.lines[1].get_ydata(), history.test_loss)
    np.testing.assert_allclose(acc_ax.lines[1].get_ydata(), 100 * history.test_accuracy)
    assert acc_ax.lines[2].get_ydata()[0] == pytest.approx(10.0)
    _legible(fig)


def test_maps_table_formats_shares_and_rho() -> None:
    table = pd.DataFrame(
        {"class": ["0", "1"], "ink pixels": [0.3125, 0.25], "Integrated Gradients on ink": [0.8, np.nan]}
    )
    table["ρ with Integrated Gradients"] = [0.756, np.nan]
    shown = cnn.maps_table(table)
    assert list(shown.columns) == ["digit", "ink pixels", "IG on ink", "ρ with IG"]
    assert shown.iloc[0].tolist() == ["0", "31.2 %", "80.0 %", "0.76"]
    assert shown.iloc[1].tolist() == ["1", "25.0 %", "—", "—"]
