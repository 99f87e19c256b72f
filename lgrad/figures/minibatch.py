"""Figures of the chapter *Per mini-batch*: the learning gradient of every training step as a heatmap, and the paper's
Fig. 5 animated over every epoch.

Both draw one run recorded with ``record="batch"`` (:func:`lgrad.study.minibatch.batch_run`): the heatmap its
``batch_relevance`` rows, the animation its ``relevance`` rows (the epochs' sums of the same per-step gradients).
They compute nothing new and attach the numbers they plot for :mod:`lgrad.figures.provenance`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..checks import check_int
from .plots import FIGURE_WIDTH_IN, OTHER_COLOR, SMALL_PT, TOP_COLORS, _final_top, color_top_labels
from .provenance import attach_data

SATURATE_PERCENTILE = 99.0
"""The heatmap's colours saturate at this percentile of the per-step shares, so that a few extreme steps do not
wash out the rest (the colour bar's arrow marks it)."""
ANIMATION_WIDTH_IN = 8.96
ANIMATION_DPI = 75
"""The GIF's frames: 8.96 in at 75 dpi is 672 px, the book's figure width, so it is shown at its own size."""


def batch_relevance_heatmap(history: Any, top_k: int = 5) -> Figure:
    """The learning gradient of every mini-batch step (columns, in training order) for every input variable (rows,
    the dataset's order), as % of the step's Σ_i |∂C_i/∂x|; white lines mark where an epoch begins.

    Args:
        history: a :class:`lgrad.History` trained with ``record="batch"``.
        top_k: the names of the ``top_k`` most relevant variables after the last epoch are written in colour, as in
            :func:`lgrad.figures.plots.relevance_heatmap`.
    """
    if history.batch_relevance is None or history.batch_epoch is None:
        raise ValueError("history holds no per-batch learning gradient: train it with record='batch'")
    shares = 100.0 * np.asarray(history.batch_relevance, dtype=float)
    epoch_of_step = np.asarray(history.batch_epoch, dtype=int)
    names = list(history.feature_names)
    top_k = check_int("top_k", top_k, minimum=0, maximum=len(names))
    top = _final_top(100.0 * np.asarray(history.relevance, dtype=float), top_k)
    n_steps, n_epochs = len(shares), history.epochs
    starts = np.flatnonzero(np.r_[True, np.diff(epoch_of_step) != 0]) + 1  # 1-based first step of each epoch
    vmax = float(np.percentile(shares, SATURATE_PERCENTILE)) if np.isfinite(shares).all() else 0.0
    vmax = vmax if vmax > 0 else 1.0

    fig = Figure(figsize=(FIGURE_WIDTH_IN, 0.19 * len(names) + 2.0), layout="constrained")
    ax = fig.add_subplot()
    image = ax.imshow(
        shares.T, aspect="auto", cmap="viridis", vmin=0.0, vmax=vmax, interpolation="nearest",
        extent=(0.5, n_steps + 0.5, len(names) - 0.5, -0.5),
    )  # fmt: skip
    ax.vlines(starts[1:] - 0.5, -0.5, len(names) - 0.5, color="white", linewidth=0.6)
    ax.set_yticks(np.arange(len(names)), names, fontsize=SMALL_PT)
    color_top_labels(ax, top)
    every = max(1, math.ceil(n_epochs / 10))
    labelled = list(range(0, n_epochs, every))
    ax.set_xticks(starts[labelled], [str(epoch_of_step[starts[i] - 1] + 1) for i in labelled])
    ax.tick_params(axis="x", labelsize=SMALL_PT)
    ax.set_xlabel(
        f"epoch (each column is one of the {n_steps} mini-batch steps; the tick is the epoch's first step)",
        fontsize=SMALL_PT + 1,
    )
    colorbar = fig.colorbar(image, ax=ax, pad=0.01, aspect=30, extend="max")
    colorbar.set_label("relevance in the step (%)", fontsize=SMALL_PT + 1)
    colorbar.ax.tick_params(labelsize=SMALL_PT)
    marked = f"; the final top {len(top)} in colour" if top else ""
    ax.set_title(f"Learning gradient of every variable at every mini-batch step (%{marked})", fontsize=11)
    data = {
        "steps": np.arange(1, n_steps + 1),
        "epoch_of_step": epoch_of_step + 1,
        "feature_names": names,
        "relevance_percent": shares,
        "color_max_percent": vmax,
        "color_max_percentile": SATURATE_PERCENTILE,
        "top_features": [names[i] for i in top],
    }
    return attach_data(fig, data)


def learning_gradient_animation(history: Any, top_k: int = 5) -> FuncAnimation:
    """The paper's Fig. 5 as an animation: one frame per epoch (all of them, 1 to the last), a bar per input variable,
    its height the variable's % of the epoch's learning gradient; the final ``top_k`` in colour, the others grey.

    The frames share the axes (the vertical scale is the run's largest bar), so only the bars and the epoch's label
    inside the axes move (they are the artists marked ``animated``; they change nothing of the layout). Save it with
    :func:`lgrad.figures.provenance.save_animation`; the frames are 672 px wide (:data:`ANIMATION_DPI`).
    """
    relevance = 100.0 * np.asarray(history.relevance, dtype=float)
    if np.isnan(relevance).any():
        raise ValueError("history holds no learning gradient (trained with record=None)")
    names = list(history.feature_names)
    top_k = check_int("top_k", top_k, minimum=0, maximum=len(names))
    top = _final_top(relevance, top_k)
    colors = [OTHER_COLOR] * len(names)
    for rank, index in enumerate(top):
        colors[index] = TOP_COLORS[rank % len(TOP_COLORS)]
    n_epochs = relevance.shape[0]
    accuracy = np.asarray(history.test_accuracy, dtype=float)

    height = 2.6 + 0.09 * max(map(len, names)) + (0.7 if top else 0.0)
    fig = Figure(figsize=(ANIMATION_WIDTH_IN, height), dpi=ANIMATION_DPI, layout="constrained")
    ax = fig.add_subplot()
    x = np.arange(len(names))
    bars = ax.bar(x, relevance[0], width=0.8, color=colors, animated=True)
    ax.set_xticks(x, names, rotation=90, fontsize=SMALL_PT)
    ax.tick_params(axis="y", labelsize=SMALL_PT)
    ax.tick_params(axis="x", length=0)
    ax.set_ylabel("relevance (%)", fontsize=SMALL_PT + 1)
    ax.set_xlim(-0.6, len(names) - 0.4)
    ax.set_ylim(0, 1.25 * float(relevance.max()) or 1.0)  # headroom for the epoch's label
    ax.grid(axis="y", color="#e6e6e6", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_title("The learning gradient, epoch by epoch: % relevance of each input variable", fontsize=11)
    label = ax.text(0.99, 0.97, "", transform=ax.transAxes, ha="right", va="top", fontsize=SMALL_PT + 2, animated=True)
    if top:
        handles = [Patch(color=colors[i], label=f"{rank}. {names[i]}") for rank, i in enumerate(top, start=1)]
        handles.append(Patch(color=OTHER_COLOR, label="other variables"))
        fig.legend(
            handles=handles, loc="outside lower center", ncols=min(len(handles), 3), fontsize=SMALL_PT,
            frameon=False, title=f"Most relevant after epoch {n_epochs} (top {len(top)})", title_fontsize=SMALL_PT,
        )  # fmt: skip

    def draw(frame: int) -> list:
        for bar, height in zip(bars, relevance[frame], strict=True):
            bar.set_height(height)
        shown = f"  ·  test accuracy {100 * accuracy[frame]:.1f} %" if np.isfinite(accuracy[frame]) else ""
        label.set_text(f"epoch {frame + 1} of {n_epochs}{shown}")
        return [*bars, label]

    draw(n_epochs - 1)  # the figure as saved alone (its sidecar's drawn size) shows the last epoch
    data = {
        "epochs": list(range(1, n_epochs + 1)),
        "feature_names": names,
        "relevance_percent": relevance,
        "top_features": [names[i] for i in top],
        "frames": n_epochs,
    }
    attach_data(fig, data)
    return FuncAnimation(fig, draw, frames=n_epochs, repeat=False, cache_frame_data=False)


def variation_table(table: Any) -> Any:
    """:func:`lgrad.study.minibatch.batch_variation`'s table for the book: shares and standard deviations in
    percent / percentage points with two decimals, "—" where undefined."""
    shown = table.copy()
    for column in ("mean share", "sd within epochs", "sd between epochs"):
        shown[column] = ["—" if not np.isfinite(v) else f"{100 * v:.2f}" for v in shown[column].astype(float)]
    return shown.rename(
        columns={
            "mean share": "mean share (%)",
            "sd within epochs": "sd within epochs (points)",
            "sd between epochs": "sd between epochs (points)",
        }
    )
