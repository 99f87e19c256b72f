"""Figures of the chapter *A CNN learns digits*: the per-class learning-gradient maps over the epochs, the last maps
beside Captum's, and the accuracy per epoch.

Each function draws numbers already computed (a :class:`lgrad.CNNHistory`, :mod:`lgrad.study.class_maps`), returns
a matplotlib ``Figure`` not managed by pyplot and attaches the numbers it plots for
:func:`lgrad.figures.provenance.save_figure`. The figures are 9 inches wide, shown at the book's 672 px, with no text
under 9 pt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from ..capture import normalize
from ..checks import check_int
from .plots import FIGURE_WIDTH_IN, SMALL_PT
from .provenance import attach_data

MAP_CMAP = "magma"
DIGIT_CMAP = "Greys"
MOST_EPOCHS = 6
"""The most epochs the grid of maps shows (rows), so that ten maps a row stay readable at 672 px."""


def shown_odd_epochs(n_epochs: int, most: int = MOST_EPOCHS) -> list[int]:
    """At most ``most`` odd epochs (1-based), evenly spaced over 1, 3, …, the last odd epoch, both ends included.

    >>> shown_odd_epochs(30)
    [1, 7, 13, 17, 23, 29]
    >>> shown_odd_epochs(4)
    [1, 3]
    """
    n_epochs = check_int("n_epochs", n_epochs, minimum=1)
    most = check_int("most", most, minimum=1)
    odd = list(range(1, n_epochs + 1, 2))
    if len(odd) <= most:
        return odd
    if most == 1:
        return [odd[-1]]
    picks = np.rint(np.linspace(0, len(odd) - 1, most)).astype(int)
    return [odd[i] for i in picks]


def learning_maps(history: Any, epochs: Sequence[int]) -> Figure:
    """The learning gradient per class (columns) at the given epochs (rows): which pixels move each class's cost.

    Each map is the class's share of Σ_i |∂C_i/∂x| over the epoch's training images of that class (summing to 1, so
    100 % over the 64 pixels); one colour scale for the whole grid, so maps can be compared across epochs. The grid is
    drawn as one image with white gaps between the maps (one axes: fast to draw and to save).

    Args:
        history: a :class:`lgrad.CNNHistory` recorded per epoch.
        epochs: the 1-based epochs to show, e.g. from :func:`shown_odd_epochs`.
    """
    maps = 100.0 * np.asarray(history.class_relevance, dtype=float)
    n_epochs, n_classes, height, width = maps.shape
    if np.isnan(maps).any():
        raise ValueError("history holds no learning gradient (trained with record=None)")
    shown = _check_epochs(epochs, n_epochs)
    names = list(history.class_names)
    grid = maps[[e - 1 for e in shown]]
    vmax = float(grid.max()) or 1.0
    mosaic = _mosaic(grid)
    fig = Figure(figsize=(FIGURE_WIDTH_IN, 7.2 * mosaic.shape[0] / mosaic.shape[1] + 0.9), layout="constrained")
    ax = fig.add_subplot()
    image = ax.imshow(mosaic, cmap=_with_white_gaps(MAP_CMAP), vmin=0.0, vmax=vmax, interpolation="nearest")
    accuracy = np.asarray(history.test_accuracy, dtype=float)
    rows = [
        f"epoch {e}\n{100 * accuracy[e - 1]:.0f} % test" if np.isfinite(accuracy[e - 1]) else f"epoch {e}"
        for e in shown
    ]
    _label_mosaic(ax, [f"digit {name}" for name in names], rows, height, width)
    colorbar = fig.colorbar(image, ax=ax, shrink=0.9, aspect=25, pad=0.01)
    colorbar.set_label("share of the class's map (%)", fontsize=SMALL_PT)
    colorbar.ax.tick_params(labelsize=SMALL_PT)
    ax.set_title(
        "Learning gradient of each class, epoch by epoch (brighter: the pixel moves the cost more)", fontsize=11
    )
    data = {"epochs": shown, "class_names": names, "relevance_percent": grid, "vmax_percent": vmax}
    return attach_data(fig, data)


def final_maps(
    mean_images: np.ndarray,
    maps: Mapping[str, np.ndarray],
    class_names: Sequence[str],
    agreement: Mapping[str, np.ndarray],
) -> Figure:
    """The digits' mean images (first row) above one row of maps per method, one column per class; each map is
    scaled to its own largest pixel (brighter is larger). Under each map that is compared, Spearman's ρ with the
    first method's map of the class.

    Args:
        mean_images: (n_classes, H, W) mean training images, from
            :func:`lgrad.study.class_maps.class_mean_images`.
        maps: row label → (n_classes, H, W) maps; the first is the reference (the learning gradient).
        class_names: one per class.
        agreement: row label → Spearman's ρ per class with the first row (from
            :func:`lgrad.study.class_maps.map_agreement`), for every row but the first.
    """
    labels = list(maps)
    if not labels:
        raise ValueError("maps must hold at least one stack of maps")
    n_classes = len(class_names)
    stacks = {label: 100.0 * normalize(maps[label], 2) for label in labels}
    for label, stack in stacks.items():
        if stack.shape[0] != n_classes:
            raise ValueError(f"maps[{label!r}] has {stack.shape[0]} maps for {n_classes} classes")
    missing = set(labels[1:]) - set(agreement)
    if missing:
        raise ValueError(f"agreement lacks {sorted(missing)}")
    means = np.asarray(mean_images, dtype=float)
    height, width = means.shape[1:]
    fig = Figure(figsize=(FIGURE_WIDTH_IN, 0.86 * (1 + len(labels)) + 0.55), layout="constrained")
    fig.get_layout_engine().set(h_pad=0.02, hspace=0.02)
    axes = fig.subplots(1 + len(labels), 1, squeeze=False)[:, 0]
    axes[0].imshow(_mosaic(means[None]), cmap=_with_white_gaps(DIGIT_CMAP), vmin=0.0, vmax=1.0, interpolation="nearest")
    _label_mosaic(axes[0], [f"digit {name}" for name in class_names], ["mean\nimage"], height, width)
    for ax, label in zip(axes[1:], labels, strict=True):
        stack = stacks[label]
        peaks = stack.max(axis=(1, 2), keepdims=True)
        scaled = np.divide(stack, peaks, out=np.zeros_like(stack), where=peaks > 0)
        ax.imshow(_mosaic(scaled[None]), cmap=_with_white_gaps(MAP_CMAP), vmin=0.0, vmax=1.0, interpolation="nearest")
        under = None
        if label in agreement and label != labels[0]:
            under = [f"ρ {rho:.2f}" if np.isfinite(rho) else "ρ –" for rho in np.asarray(agreement[label], dtype=float)]
        _label_mosaic(ax, under, [label.replace(" ", "\n")], height, width, top=False)
    axes[0].set_title(
        f"Last maps beside Captum's (each map on its own scale; ρ: Spearman with the {labels[0]})", fontsize=11
    )
    data = {
        "class_names": list(class_names),
        "mean_images": means,
        "maps_percent": stacks,
        "spearman_with_first": {label: np.asarray(agreement[label], dtype=float) for label in labels[1:]},
    }
    return attach_data(fig, data)


def _mosaic(grid: np.ndarray, gap: int = 1) -> np.ndarray:
    """(rows, cols, H, W) maps as one (rows·(H+gap)−gap, cols·(W+gap)−gap) image, NaN in the gaps."""
    rows, cols, height, width = grid.shape
    out = np.full((rows * (height + gap) - gap, cols * (width + gap) - gap), np.nan)
    for r in range(rows):
        for c in range(cols):
            out[r * (height + gap) : r * (height + gap) + height, c * (width + gap) : c * (width + gap) + width] = grid[
                r, c
            ]
    return out


def _with_white_gaps(name: str) -> Any:
    return matplotlib.colormaps[name].with_extremes(bad="white")


def _label_mosaic(
    ax: Any, columns: Sequence[str] | None, rows: Sequence[str], height: int, width: int, *, top: bool = True
) -> None:
    """Column labels (above the maps, or below with ``top=False``) and row labels at the maps' centres."""
    ax.set_yticks([r * (height + 1) + (height - 1) / 2 for r in range(len(rows))], rows, fontsize=SMALL_PT)
    if columns is None:
        ax.set_xticks([])
    else:
        ax.set_xticks([c * (width + 1) + (width - 1) / 2 for c in range(len(columns))], columns)
        ax.tick_params(axis="x", labelsize=SMALL_PT + (1 if top else 0), top=top, labeltop=top, bottom=not top,
                       labelbottom=not top)  # fmt: skip
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)


def accuracy_curves(history: Any, chance: float) -> Figure:
    """Cost and accuracy of the CNN per epoch on its training and test images, with the accuracy of always
    predicting the most common test class (``chance``) marked."""
    epochs = np.arange(1, len(history.test_accuracy) + 1)
    train_acc = 100.0 * np.asarray(history.train_accuracy, dtype=float)
    test_acc = 100.0 * np.asarray(history.test_accuracy, dtype=float)
    train_loss = np.asarray(history.train_loss, dtype=float)
    test_loss = np.asarray(history.test_loss, dtype=float)
    fig = Figure(figsize=(FIGURE_WIDTH_IN, 3.4), layout="constrained")
    loss_ax, acc_ax = fig.subplots(1, 2)
    loss_ax.plot(epochs, train_loss, marker=".", label="train")
    loss_ax.plot(epochs, test_loss, marker=".", label="test")
    loss_ax.set(xlabel="epoch", ylabel="cost (cross-entropy)", title="Cost per epoch")
    acc_ax.plot(epochs, train_acc, marker=".", label="train")
    acc_ax.plot(epochs, test_acc, marker=".", label="test")
    acc_ax.axhline(100 * chance, color="grey", linestyle="--", linewidth=1, label="most common class")
    acc_ax.set(xlabel="epoch", ylabel="accuracy (%)", title="Accuracy per epoch", ylim=(0, 101.5))
    for ax in (loss_ax, acc_ax):
        ax.grid(color="#e6e6e6", linewidth=0.6)
        ax.legend(frameon=False, fontsize=SMALL_PT + 1)
        if len(epochs) == 1:
            ax.set_xticks([1])
    data = {
        "epochs": epochs,
        "train_loss": train_loss,
        "test_loss": test_loss,
        "train_accuracy": train_acc / 100,
        "test_accuracy": test_acc / 100,
        "chance_accuracy": chance,
    }
    return attach_data(fig, data)


def _check_epochs(epochs: Sequence[int], n_epochs: int) -> list[int]:
    if isinstance(epochs, str) or not isinstance(epochs, Sequence) or len(epochs) == 0:
        raise ValueError(f"epochs must be a non-empty sequence of 1-based epoch numbers, got {epochs!r}")
    checked = [check_int("epochs[]", e, minimum=1, maximum=n_epochs) for e in epochs]
    if len(set(checked)) != len(checked):
        raise ValueError(f"epochs must not repeat an epoch, got {list(epochs)!r}")
    return sorted(checked)


def maps_table(table: Any) -> Any:
    """:func:`lgrad.study.class_maps.ink_table` with the ρ columns, for the book: shares as percentages with one
    decimal, ρ with two, "—" where undefined; short headers so that it fits the text column."""
    shown = table.copy()
    for column in shown.columns[1:]:
        values = shown[column].astype(float)
        if column.startswith("ρ"):
            shown[column] = ["—" if not np.isfinite(v) else f"{v:.2f}" for v in values]
        else:
            shown[column] = ["—" if not np.isfinite(v) else f"{100 * v:.1f} %" for v in values]
    short = {"class": "digit", "Integrated Gradients on ink": "IG on ink", "ρ with Integrated Gradients": "ρ with IG"}
    return shown.rename(columns=short)
