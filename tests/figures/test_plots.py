"""lgrad.figures.plots and .tables, lgrad.study.describe.correlated_blocks, lgrad.study.paper: the figures show
exactly the numbers computed."""

from __future__ import annotations

import functools
import io
import json
import re
from pathlib import Path
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex

import lgrad
from lgrad.figures import plots
from lgrad.figures.provenance import (
    BOOK_FIGURE_WIDTH_PX,
    MIN_TEXT_PX,
    drawn_size,
    plotted_data,
    save_figure,
    shown_text_px,
)
from lgrad.figures.tables import display_table, top5_table
from lgrad.study import convergence, references
from lgrad.study.blocks import correlated_blocks
from lgrad.study.references import PAPER_TOP5

BOOK = Path(__file__).resolve().parents[2] / "book"
FIGURE_ID = re.compile(r'save_figure\([^"]*"(fig-[a-z0-9-]+)"')
SIZE_BLOCK = {"mean radius", "mean perimeter", "mean area", "worst radius", "worst perimeter", "worst area"}


@pytest.fixture(scope="module")
def ds() -> lgrad.Dataset:
    return lgrad.load_dataset("breast_cancer", seed=0)


@pytest.fixture(scope="module")
def history(ds: lgrad.Dataset) -> lgrad.History:
    return lgrad.train(ds, epochs=40, seed=0)


def panel_axes(fig) -> list:
    return [ax for ax in fig.axes if ax.get_title().startswith("epoch ")]


def test_learning_gradient_has_one_panel_per_odd_epoch(history: lgrad.History) -> None:
    fig = plots.learning_gradient_bars(history)
    axes = panel_axes(fig)
    assert len(fig.axes) == len(axes) == 20
    assert [int(ax.get_title().split()[1]) for ax in axes] == list(range(1, 40, 2))


def test_learning_gradient_bar_heights_are_the_relevance_in_percent(history: lgrad.History) -> None:
    fig = plots.learning_gradient_bars(history)
    for ax in panel_axes(fig):
        epoch = int(ax.get_title().split()[1])
        heights = [bar.get_height() for bar in ax.patches]
        np.testing.assert_allclose(heights, 100 * history.relevance[epoch - 1], rtol=0, atol=1e-12)
        assert [bar.get_x() + bar.get_width() / 2 for bar in ax.patches] == list(range(30))


def test_learning_gradient_shares_y_and_keeps_one_feature_order(history: lgrad.History) -> None:
    fig = plots.learning_gradient_bars(history)
    axes = panel_axes(fig)
    assert all(axes[0].get_shared_y_axes().joined(axes[0], ax) for ax in axes)
    assert len({ax.get_ylim() for ax in axes}) == 1
    assert axes[0].get_ylim()[1] >= 100 * history.relevance[::2].max()
    bottom = [ax for ax in axes if ax.xaxis.get_tick_params()["labelbottom"]]
    assert len(bottom) == 2  # two columns of panels
    for ax in bottom:
        assert [t.get_text() for t in ax.get_xticklabels()] == history.feature_names


def test_learning_gradient_marks_the_final_top5(history: lgrad.History) -> None:
    fig = plots.learning_gradient_bars(history, top_k=5)
    top = history.top_features(5)
    colors = [to_hex(bar.get_facecolor()) for bar in panel_axes(fig)[0].patches]
    top_colors = [colors[history.feature_names.index(name)] for name in top]
    assert len(set(top_colors)) == 5 and plots.OTHER_COLOR not in top_colors
    others = {c for c, name in zip(colors, history.feature_names, strict=True) if name not in top}
    assert others == {plots.OTHER_COLOR}
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == [f"{rank}. {name}" for rank, name in enumerate(top, start=1)] + ["other variables"]


def test_learning_gradient_chosen_epochs_and_data(history: lgrad.History) -> None:
    fig = plots.learning_gradient_bars(history, epochs=[40, 2], top_k=0)
    assert [ax.get_title().split()[1] for ax in panel_axes(fig)] == ["2", "40"]
    assert fig.legends == []
    data = fig._lgrad_plotted_data
    assert data["epochs"] == [2, 40]
    np.testing.assert_allclose(data["relevance_percent"], 100 * history.relevance[[1, 39]])


@pytest.mark.parametrize("epochs", [[0], [41], [1, 1], [], "1,3"])
def test_learning_gradient_rejects_bad_epochs(history: lgrad.History, epochs: object) -> None:
    with pytest.raises(ValueError, match="epochs"):
        plots.learning_gradient_bars(history, epochs=epochs)


def test_learning_gradient_rejects_bad_top_k(history: lgrad.History) -> None:
    with pytest.raises(ValueError, match="top_k"):
        plots.learning_gradient_bars(history, top_k=31)


def test_correlation_matrix_shows_every_name_legibly(ds: lgrad.Dataset) -> None:
    fig = plots.correlation_matrix(ds)
    ax = fig.axes[0]
    names = list(ds.feature_names)
    assert [t.get_text() for t in ax.get_xticklabels()] == names
    assert [t.get_text() for t in ax.get_yticklabels()] == names
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    for labels, axis in ((ax.get_yticklabels(), "y"), (ax.get_xticklabels(), "x")):
        assert min(t.get_fontsize() for t in labels) >= 8
        boxes = sorted((t.get_window_extent(renderer) for t in labels), key=lambda b: b.y0 if axis == "y" else b.x0)
        for first, second in zip(boxes[:-1], boxes[1:], strict=True):
            assert (first.y1 <= second.y0) if axis == "y" else (first.x1 <= second.x0), "tick labels overlap"
    mesh = ax.collections[0]
    np.testing.assert_allclose(mesh.get_array().reshape(30, 30), ds.raw[names].corr().to_numpy())


def test_correlated_blocks_finds_the_size_block(ds: lgrad.Dataset) -> None:
    blocks = correlated_blocks(ds, threshold=0.9)
    assert SIZE_BLOCK in [set(b) for b in blocks]
    assert {"radius error", "perimeter error", "area error"} in [set(b) for b in blocks]
    assert blocks[0][0] == "mean radius"
    flat = [name for block in blocks for name in block]
    assert len(flat) == len(set(flat))
    assert all(len(b) >= 2 for b in blocks)
    looser = correlated_blocks(ds, threshold=0.8)
    assert any(SIZE_BLOCK < set(b) for b in looser)


def test_correlated_blocks_on_a_small_table() -> None:
    rng = np.random.default_rng(0)
    a, c = rng.normal(size=200), rng.normal(size=200)
    raw = pd.DataFrame({"a": a, "c": c, "minus_a": -a + 0.01 * rng.normal(size=200), "target": 0})
    fake = SimpleNamespace(feature_names=("a", "c", "minus_a"), raw=raw)
    assert correlated_blocks(fake, threshold=0.9) == [["a", "minus_a"]]


@pytest.mark.parametrize("threshold", [0, 1.5, -0.2])
def test_correlated_blocks_rejects_bad_thresholds(ds: lgrad.Dataset, threshold: float) -> None:
    with pytest.raises(ValueError, match="threshold"):
        correlated_blocks(ds, threshold=threshold)


def test_training_curves_plot_the_history(history: lgrad.History) -> None:
    fig = plots.training_curves(history)
    loss_ax, acc_ax = fig.axes
    np.testing.assert_allclose(loss_ax.lines[0].get_ydata(), history.train_loss)
    np.testing.assert_allclose(loss_ax.lines[1].get_ydata(), history.test_loss)
    np.testing.assert_allclose(acc_ax.lines[1].get_ydata(), 100 * history.test_accuracy)
    assert list(acc_ax.lines[2].get_xydata()[0]) == [references.PAPER_EPOCHS, 100 * references.PAPER_TEST_ACCURACY]


def test_confusion_matrix_agrees_with_the_test_accuracy(history: lgrad.History, ds: lgrad.Dataset) -> None:
    fig = plots.confusion_matrix(history, ds)
    counts = np.asarray(fig._lgrad_plotted_data["counts"])
    assert counts.sum() == len(ds.y_test)
    assert counts.sum(axis=1).tolist() == np.bincount(ds.y_test.numpy().astype(int)).tolist()
    assert np.trace(counts) / counts.sum() == pytest.approx(history.test_accuracy[-1], abs=1e-12)
    shown = [int(t.get_text()) for t in fig.axes[0].texts]
    assert shown == counts.ravel().tolist()
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["0 malignant", "1 benign"]


def test_confusion_matrix_rejects_another_dataset(history: lgrad.History, ds: lgrad.Dataset) -> None:
    other = SimpleNamespace(feature_names=tuple(reversed(ds.feature_names)))
    with pytest.raises(ValueError, match="ds"):
        plots.confusion_matrix(history, other)


def test_result_figures_save_reproducibly_even_after_display(history, ds, tmp_path) -> None:
    for fig_id, make in {
        "fig-correlation": lambda: plots.correlation_matrix(ds),
        "fig-confusion": lambda: plots.confusion_matrix(history, ds),
    }.items():
        fresh = save_figure(make(), fig_id, params={"seed": 0}, out_dir=tmp_path / "a")
        shown = make()
        shown.savefig(io.BytesIO(), format="png", dpi=100, bbox_inches="tight")  # as the inline display does
        assert save_figure(shown, fig_id, params={"seed": 0}, out_dir=tmp_path / "b").sha256 == fresh.sha256


def test_plots_leave_no_pyplot_figures(history: lgrad.History, ds: lgrad.Dataset) -> None:
    plots.correlation_matrix(ds)
    plots.learning_gradient_bars(history)
    plots.training_curves(history)
    plots.confusion_matrix(history, ds)
    assert plt.get_fignums() == []


def fake_history(order: list[str]) -> SimpleNamespace:
    """A history whose last epoch ranks ``order`` first (most relevant first), then the rest of 30 names."""
    names = [f"v{i}" for i in range(30 - len(order))] + order
    relevance = np.zeros((2, 30))
    relevance[-1, -len(order) :] = np.linspace(0.5, 0.1, len(order))
    relevance[-1, : 30 - len(order)] = 0.01
    return SimpleNamespace(feature_names=names, relevance=relevance / relevance.sum(axis=1, keepdims=True).clip(1e-9))


def test_top5_table_marks_matches_with_the_paper() -> None:
    hist = fake_history(["worst area", "worst radius", "mean area", "worst texture", "mean texture"])
    table = top5_table(hist)
    assert list(table.columns) == ["rank", "this run", "relevance (%)", "paper", "in paper's top 5"]
    assert table["rank"].tolist() == [1, 2, 3, 4, 5]
    assert table["this run"].tolist() == ["worst area", "worst radius", "mean area", "worst texture", "mean texture"]
    assert table["paper"].tolist() == references.PAPER_TOP5
    assert table["in paper's top 5"].tolist() == ["✓ same rank", "✓ paper #3", "✗", "✓ paper #2", "✓ same rank"]
    assert table["relevance (%)"].sum() < 100


def test_top5_table_on_a_real_run(history: lgrad.History) -> None:
    table = top5_table(history, k=7)
    assert table["this run"].tolist() == history.top_features(7)
    assert table["paper"].tolist() == [*references.PAPER_TOP5, "", ""]
    final = 100 * history.relevance[-1]
    expected = [round(final[history.feature_names.index(n)], 2) for n in history.top_features(7)]
    assert table["relevance (%)"].tolist() == expected
    with pytest.raises(ValueError, match="k"):
        top5_table(history, k=0)


def test_the_paper_claims_name_what_the_book_can_compare(ds: lgrad.Dataset) -> None:
    """A misspelt variable would never match a run's top five, and the table would say the paper disagrees."""
    assert len(references.PAPER_TOP5) == len(set(references.PAPER_TOP5)) == 5
    assert set(references.PAPER_TOP5) <= set(ds.feature_names)
    assert 0 < references.PAPER_TEST_ACCURACY <= 1 and (len(ds.y_test) * references.PAPER_TEST_ACCURACY).is_integer()
    assert references.PAPER_FIGURE5_EPOCHS == tuple(e for e in range(1, references.PAPER_EPOCHS + 1) if e % 2)
    hist = fake_history(list(reversed(references.PAPER_TOP5)))  # the paper's five, in reverse order
    marks = top5_table(hist)["in paper's top 5"].tolist()
    assert marks == ["✓ paper #5", "✓ paper #4", "✓ same rank", "✓ paper #2", "✓ paper #1"]


def test_display_table_formats_percentages_and_counts():
    table = pd.DataFrame(
        {"test accuracy": [0.98245], "in paper's top 5": [2], "shared with base top 5": [5], "top": [["x"]]}
    )
    shown = display_table(table)
    assert shown.iloc[0].tolist() == ["98.2 %", "2/5", "5/5"]
    assert list(shown.columns) == ["test acc.", "in paper's top 5", "shared with base top 5"]
    assert "top" not in shown.columns


# --- Fig. 5 in two parts, the heatmap of the whole run, and legible text at the book's width ----------------------


def test_figure5_parts_split_the_odd_epochs_in_order() -> None:
    assert plots.figure5_parts(40) == [list(range(1, 20, 2)), list(range(21, 40, 2))]
    assert plots.figure5_parts(41) == [list(range(1, 22, 2)), list(range(23, 42, 2))]
    assert plots.figure5_parts(3) == [[1], [3]]
    assert plots.figure5_parts(1) == [[1], [1]]  # every part can be drawn
    assert plots.figure5_parts(40, parts=3) == [list(range(1, 15, 2)), list(range(15, 29, 2)), list(range(29, 40, 2))]
    with pytest.raises(ValueError, match="n_epochs"):
        plots.figure5_parts(0)
    assert plots.epoch_span([1, 3, 19]) == "epochs 1–19" and plots.epoch_span([7]) == "epoch 7"


def test_learning_gradient_parts_show_every_odd_epoch_once(history: lgrad.History) -> None:
    shown = []
    for part in plots.figure5_parts(history.epochs):
        fig = plots.learning_gradient_bars(history, epochs=part)
        for ax in panel_axes(fig):
            epoch = int(ax.get_title().split()[1])
            shown.append(epoch)
            np.testing.assert_allclose([b.get_height() for b in ax.patches], 100 * history.relevance[epoch - 1])
        assert fig._lgrad_plotted_data["epochs"] == part
    assert shown == list(references.PAPER_FIGURE5_EPOCHS)


def test_relevance_heatmap_shows_the_relevance_of_every_epoch(history: lgrad.History) -> None:
    fig = plots.relevance_heatmap(history)
    ax = fig.axes[0]
    image = ax.images[0]
    np.testing.assert_allclose(image.get_array(), 100 * history.relevance.T, rtol=0, atol=1e-12)
    assert image.get_clim() == (0.0, pytest.approx(100 * history.relevance.max()))
    assert [t.get_text() for t in ax.get_yticklabels()] == history.feature_names
    data = fig._lgrad_plotted_data
    np.testing.assert_allclose(data["relevance_percent"], 100 * history.relevance, rtol=0, atol=1e-12)
    assert data["epochs"] == list(range(1, history.epochs + 1))
    assert data["top_features"] == history.top_features(5)
    colored = {
        t.get_text(): to_hex(t.get_color()) for t in ax.get_yticklabels() if t.get_text() in data["top_features"]
    }
    assert [colored[name] for name in history.top_features(5)] == list(plots.TOP_COLORS[:5])
    bars = plots.learning_gradient_bars(history, epochs=[history.epochs])
    bar_colors = [to_hex(b.get_facecolor()) for b in panel_axes(bars)[0].patches]
    assert all(bar_colors[history.feature_names.index(n)] == c for n, c in colored.items())  # same colors as Fig. 5


def test_relevance_heatmap_rejects_a_history_without_learning_gradient(history: lgrad.History) -> None:
    empty = SimpleNamespace(relevance=np.full((3, 30), np.nan), feature_names=history.feature_names)
    with pytest.raises(ValueError, match="no learning gradient"):
        plots.relevance_heatmap(empty)
    with pytest.raises(ValueError, match="top_k"):
        plots.relevance_heatmap(history, top_k=31)


def _made_up_curve() -> pd.DataFrame:
    """Curves shaped like the chapter Fewer inputs' (no retraining): two rankings, k = 1 … 30."""
    k = np.arange(1, 31)
    return pd.concat(
        pd.DataFrame({"ranking": name, "k": k, "mean": 0.98 - 0.3 * np.clip(r - k, 0, None) / r, "se": 0.004})
        for name, r in (("learning gradient (one seed)", 12), ("random", 30))
    )


@functools.cache
def _seed_study() -> dict:
    """A small study across seeds (3 seeds, 3 epochs), summarized as the chapter Across seeds summarizes its own."""
    from lgrad.study import references, runs
    from lgrad.study.across_seeds import study as across_study
    from lgrad.study.across_seeds import summaries

    return summaries.summaries(
        across_study._compute(runs.run_settings({"epochs": 3}), 3, 4), lgrad.load_dataset(), references.PAPER_TOP5
    )


def book_figures(history: lgrad.History, ds: lgrad.Dataset) -> dict:
    """Every figure function of lgrad.figures as the book calls it, by the id the book gives it."""
    from test_attribution_plots import made_up  # tests/figures is on the path: pytest's default import mode

    from lgrad.figures import across_seeds, attribution_plots, cnn, diagrams, minibatch
    from lgrad.figures.retraining import retraining_curves
    from lgrad.study import convergence
    from lgrad.study.images import class_maps

    early, late = plots.figure5_parts(history.epochs)

    def digits_cnn(draw):  # the CNN chapter's figures, from a short run (trained only when asked for)
        digits = lgrad.load_digits_dataset(seed=0)
        run = lgrad.train_cnn(digits, epochs=3, seed=0)
        return draw(run, digits, class_maps.class_mean_images(digits.X_train, digits.y_train, 10))

    def final_maps(run, digits, means):
        maps = {"learning gradient": run.class_relevance[-1], "Saliency": run.class_relevance[0]}
        rho = {"Saliency": class_maps.map_agreement(maps["learning gradient"], maps["Saliency"])}
        return cnn.final_maps(means, maps, run.class_names, rho)

    return {
        "fig-cnn-learning-maps": lambda: digits_cnn(lambda run, *_: cnn.learning_maps(run, [1, 3])),
        "fig-cnn-final-maps": lambda: digits_cnn(final_maps),
        "fig-cnn-accuracy": lambda: digits_cnn(lambda run, *_: cnn.accuracy_curves(run, 0.1)),
        "fig-batch-relevance": lambda: minibatch.batch_relevance_heatmap(
            lgrad.train(ds, epochs=3, seed=0, record="batch")
        ),
        "fig-correlation": lambda: plots.correlation_matrix(ds),
        "fig-neuron": diagrams.neuron,
        "fig-training-loop": diagrams.training_loop,
        "fig-architecture": lambda: diagrams.architecture(history.model, ds.feature_names),
        "fig-training-curves": lambda: plots.training_curves(history),
        "fig-confusion": lambda: plots.confusion_matrix(history, ds),
        "fig-learning-gradient": lambda: plots.learning_gradient_bars(history, epochs=early),
        "fig-learning-gradient-late": lambda: plots.learning_gradient_bars(history, epochs=late),
        "fig-relevance-heatmap": lambda: plots.relevance_heatmap(history),
        "fig-convergence": lambda: plots.convergence_figure(convergence.convergence(history, k=5)),
        "fig-attribution-agreement": lambda: attribution_plots.agreement_heatmap(*made_up()[:2]),
        "fig-randomization": lambda: attribution_plots.randomization_figure(*made_up()[2:]),
        "fig-seed-accuracy": lambda: across_seeds.seed_accuracy(_seed_study()["book"], _seed_study()["small"]),
        "fig-seed-top5": lambda: across_seeds.seed_top5(
            _seed_study()["ranking"], _seed_study()["ranking_small"], PAPER_TOP5
        ),
        "fig-seed-blocks": lambda: across_seeds.seed_blocks(_seed_study()["block_reading"]),
        "fig-seed-convergence": lambda: across_seeds.seed_convergence(
            _seed_study()["convergence"], _seed_study()["long"]
        ),
        "fig-retraining": lambda: retraining_curves(_made_up_curve(), 0.98, 0.002, {"mean": 0.95, "se": 0.0, "k": 3}),
    }


@pytest.mark.parametrize(
    "fig_id",
    [
        "fig-correlation", "fig-neuron", "fig-training-loop", "fig-architecture", "fig-training-curves",
        "fig-confusion", "fig-learning-gradient", "fig-learning-gradient-late", "fig-relevance-heatmap",
        "fig-convergence", "fig-attribution-agreement", "fig-randomization", "fig-retraining", "fig-seed-accuracy",
        "fig-seed-top5", "fig-seed-blocks", "fig-seed-convergence", "fig-cnn-learning-maps", "fig-cnn-final-maps",
        "fig-cnn-accuracy", "fig-batch-relevance",
    ],
)  # fmt: skip
def test_figure_text_is_legible_at_the_width_the_book_shows_it(history, ds, fig_id: str) -> None:
    drawn = drawn_size(book_figures(history, ds)[fig_id]())
    shown_width = min(drawn["width_px"], BOOK_FIGURE_WIDTH_PX)
    shown = shown_text_px(drawn)
    assert shown == pytest.approx(drawn["smallest_font_pt"] / 72 / drawn["width_in"] * shown_width)
    assert shown >= MIN_TEXT_PX, (
        f"{fig_id}: {drawn['smallest_text']!r} at {drawn['smallest_font_pt']} pt is {shown:.2f} px"
    )


def test_every_book_figure_is_checked_for_legibility(history, ds) -> None:
    sources = [
        "".join(cell["source"]) for path in BOOK.glob("*.ipynb") for cell in json.loads(path.read_text())["cells"]
    ]
    ids = {name for source in sources for name in FIGURE_ID.findall(source)}
    assert ids and ids == set(book_figures(history, ds))


def test_a_run_that_learned_nothing_is_drawn_without_a_top_five(ds: lgrad.Dataset) -> None:
    stuck = lgrad.train(ds, lr=1e6, epochs=4, seed=0)
    assert stuck.degenerate_from() is not None
    for fig in (plots.learning_gradient_bars(stuck), plots.relevance_heatmap(stuck)):
        assert plotted_data(fig)["top_features"] == []
        assert "top 5" not in "".join(text.get_text() for text in fig.findobj(match=lambda a: hasattr(a, "get_text")))
    table = top5_table(stuck)
    assert set(table["this run"]) == {"— (learned nothing)"} and table["relevance (%)"].isna().all()
    conv = convergence.convergence(stuck)
    assert conv["spearman_final"].isna().all() and conv["top_k_shared_final"].isna().all()
    data = plotted_data(plots.convergence_figure(conv))
    assert np.isnan(data["top_k_shared_final"]).all()
