"""lgrad.figures.minibatch and provenance.save_animation: the heatmap of every step shows the per-step shares with the
epochs marked; the animated Fig. 5 is a GIF of one frame per epoch, 672 px wide, byte-identical when drawn twice,
saved with its provenance and shown in the book like any figure."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import lgrad
from lgrad.figures import minibatch, provenance
from lgrad.figures.provenance import BOOK_FIGURE_WIDTH_PX, MIN_TEXT_PX, drawn_size, plotted_data, shown_text_px

EPOCHS = 4


@pytest.fixture(scope="module")
def history() -> lgrad.History:
    ds = lgrad.load_dataset("breast_cancer", seed=0)
    return lgrad.train(ds, batch_size=100, epochs=EPOCHS, seed=0, record="batch")


def test_heatmap_shows_every_step_of_every_variable(history) -> None:
    fig = minibatch.batch_relevance_heatmap(history)
    ax, _colorbar = fig.axes
    np.testing.assert_allclose(ax.images[0].get_array(), 100 * history.batch_relevance.T)
    steps = len(history.batch_relevance)  # 455 rows in batches of 100: 5 steps per epoch
    assert steps == 5 * EPOCHS
    (boundaries,) = ax.collections
    starts = [segment[0, 0] for segment in boundaries.get_segments()]
    assert starts == [5.5, 10.5, 15.5]  # before the first step of epochs 2, 3 and 4
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "3", "4"]
    data = plotted_data(fig)
    assert data["color_max_percent"] == pytest.approx(np.percentile(100 * history.batch_relevance, 99))
    assert data["epoch_of_step"].tolist() == np.repeat(np.arange(1, EPOCHS + 1), 5).tolist()
    assert shown_text_px(drawn_size(fig)) >= MIN_TEXT_PX


def test_heatmap_refuses_a_run_recorded_per_epoch() -> None:
    ds = lgrad.load_dataset("breast_cancer", seed=0)
    with pytest.raises(ValueError, match="record='batch'"):
        minibatch.batch_relevance_heatmap(lgrad.train(ds, epochs=1, seed=0))


def _gif(history, tmp_path: Path, name: str = "a") -> provenance.FigureRecord:
    anim = minibatch.learning_gradient_animation(history)
    return provenance.save_animation(anim, "fig-anim", params={"seed": 0}, out_dir=tmp_path / name)


def test_the_animation_has_a_frame_per_epoch_at_the_books_width(history, tmp_path) -> None:
    record = _gif(history, tmp_path)
    with Image.open(record.files["gif"]) as gif:
        assert gif.format == "GIF" and gif.n_frames == EPOCHS
        assert gif.width == BOOK_FIGURE_WIDTH_PX
        assert gif.info["loop"] == 0 and gif.info["duration"] == 500
        frames = []
        for k in range(gif.n_frames):
            gif.seek(k)
            frames.append(np.asarray(gif.convert("RGB")))
    assert all(not np.array_equal(a, b) for a, b in zip(frames, frames[1:], strict=False))


def test_each_frame_is_the_figure_drawn_at_that_epoch(history, tmp_path) -> None:
    """Blitting draws what a full draw of the frame would: frame k equals the still figure at epoch k."""
    record = _gif(history, tmp_path)
    anim = minibatch.learning_gradient_animation(history)
    fig = anim._fig
    for k in (0, EPOCHS - 1):
        anim._func(k)
        for artist in fig.findobj(lambda a: a.get_animated()):
            artist.set_animated(False)
        still = io.BytesIO()
        fig.savefig(still, format="png", dpi=fig.dpi, facecolor="white")
        expected = Image.open(still).convert("RGB")
        with Image.open(record.files["gif"]) as gif:
            gif.seek(k)
            shown = gif.convert("RGB")
        difference = np.abs(np.asarray(shown, dtype=int) - np.asarray(expected, dtype=int))
        assert shown.size == expected.size and np.mean(difference > 40) < 0.002, f"frame {k}"
        assert shown.getpixel((1, 1)) == (255, 255, 255)  # the page's white, not a palette's near-white
    anim._draw_was_started = True  # drawn by hand, never saved: keep matplotlib from warning that it never ran


def test_the_gif_is_byte_identical_when_drawn_twice(history, tmp_path) -> None:
    first, second = _gif(history, tmp_path, "a"), _gif(history, tmp_path, "b")
    assert first.files["gif"].read_bytes() == second.files["gif"].read_bytes()
    assert first.sha256 == second.sha256


def test_the_gif_carries_its_provenance(history, tmp_path) -> None:
    record = _gif(history, tmp_path)
    doc = json.loads(record.files["json"].read_text())
    assert set(record.files) == {"gif", "json"} and doc["kind"] == "figure"
    assert doc["files"]["gif"]["sha256"] == record.sha256["gif"]
    assert doc["drawn"]["frames"] == EPOCHS and doc["drawn"]["width_px"] == BOOK_FIGURE_WIDTH_PX
    assert shown_text_px(doc["drawn"]) >= MIN_TEXT_PX
    assert doc["data"]["epochs"] == list(range(1, EPOCHS + 1))
    np.testing.assert_allclose(doc["data"]["relevance_percent"], 100 * history.relevance)
    with Image.open(record.files["gif"]) as gif:
        comment = json.loads(gif.info["comment"])
    assert comment["id"] == "fig-anim" and comment["params"] == {"seed": 0}


def test_show_puts_the_gif_in_a_figure(history, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    record = _gif(history, tmp_path)
    block = provenance.myst_block(record, "Fig. 5 animated")
    assert block.startswith("```{figure} a/fig-anim.gif\n:name: fig-anim\n")
    assert "{download}`GIF <a/fig-anim.gif>`" in block and f"GIF sha256 `{record.sha256['gif']}`" in block


def test_save_animation_rejects_what_is_not_an_animation(history, tmp_path) -> None:
    with pytest.raises(TypeError, match="anim must be a matplotlib Animation"):
        provenance.save_animation(minibatch.batch_relevance_heatmap(history), "fig-x", params={}, out_dir=tmp_path)
    anim = minibatch.learning_gradient_animation(history)
    with pytest.raises(ValueError, match="fps must be"):
        provenance.save_animation(anim, "fig-x", params={}, fps=0, out_dir=tmp_path)
    with pytest.raises(ValueError, match="fig_id"):
        provenance.save_animation(anim, "Fig X", params={}, out_dir=tmp_path)
    provenance.save_animation(anim, "fig-x", params={}, out_dir=tmp_path)  # it can still be saved
    assert not list(tmp_path.glob("*.tmp*")) and sorted(p.name for p in tmp_path.iterdir()) == [
        "fig-x.gif",
        "fig-x.json",
    ]


def test_a_run_that_learned_nothing_is_animated_without_a_top_five() -> None:
    ds = lgrad.load_dataset("breast_cancer", seed=0)
    stuck = lgrad.train(ds, lr=1e6, epochs=3, seed=0, record="batch")
    anim = minibatch.learning_gradient_animation(stuck)
    assert plotted_data(anim._fig)["top_features"] == [] and anim._fig.legends == []
    assert plotted_data(minibatch.batch_relevance_heatmap(stuck))["top_features"] == []
    anim._draw_was_started = True  # drawn by no one: keep matplotlib from warning that it never ran


def test_variation_table_formats_percentages() -> None:
    import pandas as pd

    table = pd.DataFrame(
        {"variable": ["a"], "mean share": [0.0341], "sd within epochs": [np.nan], "sd between epochs": [0.0048]}
    )
    shown = minibatch.variation_table(table)
    assert shown.iloc[0].tolist() == ["a", "3.41", "—", "0.48"]
    assert list(shown.columns)[1:] == ["mean share (%)", "sd within epochs (points)", "sd between epochs (points)"]
