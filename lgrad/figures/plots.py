"""Figures of results: the correlation matrix (paper Fig. 4), the learning gradient per epoch (Fig. 5), the
training curves, the confusion matrix and the convergence of the learning gradient.

Each function draws from data already computed (a dataset or a :class:`lgrad.History`), trains nothing, returns a
matplotlib ``Figure`` not managed by pyplot (so nothing is shown twice), and attaches the numbers it plots for
:func:`lgrad.figures.provenance.save_figure`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..checks import check_int
from ..study.blocks import correlation
from ..study.one_run.metrics import confusion_counts
from ..study.references import PAPER_EPOCHS, PAPER_TEST_ACCURACY
from .provenance import attach_data

OTHER_COLOR = "#c4c4c4"
FIGURE_WIDTH_IN = 9.0
"""The width (inches) of the figures of learning gradients: shown at the book's 672 px, 1 pt is 1.04 CSS px."""
SMALL_PT = 9.0
"""Their smallest text (points): 9.3 CSS px as the book shows them."""
TOP_COLORS = ("#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")


def correlation_matrix(ds: Any) -> Figure:
    """Paper Fig. 4: the Pearson correlation of every pair of input variables (all rows, original units).

    Args:
        ds: a :class:`lgrad.Dataset`; its ``raw`` frame gives the values and ``feature_names`` the order.
    """
    corr = correlation(ds)
    names = list(corr.columns)
    size = min(8.4, max(5.0, 0.21 * len(names) + 2.1))  # at most 9.4 in wide: 9.5 pt shows as 9.4 CSS px
    fig = Figure(figsize=(size + 1.0, size), layout="constrained")
    ax = fig.add_subplot()
    sns.heatmap(
        corr,
        ax=ax,
        vmin=-1.0,
        vmax=1.0,
        cmap="RdBu_r",
        square=True,
        linewidths=0.4,
        linecolor="white",
        xticklabels=names,
        yticklabels=names,
        cbar_kws={"label": "Pearson correlation r", "shrink": 0.6},
    )
    ax.tick_params(axis="both", labelsize=9.5, length=2)
    ax.set_xticklabels(names, rotation=90)
    ax.collections[0].colorbar.ax.tick_params(labelsize=9.5)
    ax.set_title(f"Correlation of the {len(names)} input variables ({len(ds.raw)} rows)", fontsize=12)
    return attach_data(fig, {"feature_names": names, "correlation": corr.to_numpy(), "n_rows": len(ds.raw)})


def learning_gradient_bars(history: Any, epochs: Sequence[int] | None = None, top_k: int = 5, ncols: int = 2) -> Figure:
    """Paper Fig. 5: the learning gradient as % relevance per input variable, one bar chart per epoch.

    Small multiples share the y axis and keep the dataset's feature order; the ``top_k`` most relevant variables
    after the last epoch are colored (legend, most relevant first), the others grey; none is, if the last epoch's
    learning gradient is zero (a run that learned nothing has no top). The figure is drawn 9 inches wide whatever the
    number of panels (rows are added below), so its text stays legible in the book's column.

    Args:
        history: a :class:`lgrad.History` with a learning gradient per epoch.
        epochs: the 1-based epochs to show; default every odd one (1, 3, …); :func:`figure5_parts` splits them.
        top_k: how many of the final most relevant variables to mark.
        ncols: panels per row.
    """
    relevance = 100.0 * np.asarray(history.relevance, dtype=float)
    names = list(history.feature_names)
    n_epochs = relevance.shape[0]
    if np.isnan(relevance).any():
        raise ValueError("history holds no learning gradient (trained with record=None)")
    shown = _check_epochs(epochs, n_epochs)
    top_k = check_int("top_k", top_k, minimum=0, maximum=len(names))
    ncols = min(check_int("ncols", ncols, minimum=1), len(shown))
    top = _final_top(relevance, top_k)
    colors = [OTHER_COLOR] * len(names)
    for rank, index in enumerate(top):
        colors[index] = TOP_COLORS[rank % len(TOP_COLORS)]

    nrows = math.ceil(len(shown) / ncols)
    fig = Figure(figsize=(FIGURE_WIDTH_IN, 1.25 * nrows + 0.09 * max(map(len, names)) + 1.4), layout="constrained")
    fig.get_layout_engine().set(w_pad=0.02, h_pad=0.02, wspace=0.02, hspace=0.03)
    axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False).ravel()
    x = np.arange(len(names))
    test_accuracy = np.asarray(history.test_accuracy, dtype=float)
    for i, (ax, epoch) in enumerate(zip(axes, shown, strict=False)):
        ax.bar(x, relevance[epoch - 1], width=0.8, color=colors)
        title = f"epoch {epoch}"
        if np.isfinite(test_accuracy[epoch - 1]):
            title += f"  ·  test acc. {100 * test_accuracy[epoch - 1]:.1f} %"
        ax.set_title(title, fontsize=SMALL_PT, pad=2)
        ax.grid(axis="y", color="#e6e6e6", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.tick_params(axis="y", labelsize=SMALL_PT)
        ax.tick_params(axis="x", length=0)
        if i % ncols == 0:
            ax.set_ylabel("relevance (%)", fontsize=SMALL_PT)
        if i + ncols >= len(shown):  # nothing below this panel: it carries the feature names
            ax.tick_params(axis="x", labelbottom=True)
            ax.set_xticks(x, names, rotation=90, fontsize=SMALL_PT)
    for ax in axes[len(shown) :]:
        fig.delaxes(ax)
    axes[0].set_xlim(-0.6, len(names) - 0.4)
    axes[0].set_ylim(0, 1.08 * relevance[[e - 1 for e in shown]].max() or 1.0)

    if top:
        handles = [Patch(color=colors[i], label=f"{rank}. {names[i]}") for rank, i in enumerate(top, start=1)]
        handles.append(Patch(color=OTHER_COLOR, label="other variables"))
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=min(len(handles), 3),
            fontsize=SMALL_PT,
            frameon=False,
            title=f"Most relevant after epoch {n_epochs} (top {len(top)})",
            title_fontsize=SMALL_PT,
        )
    fig.suptitle(f"Learning gradient, {epoch_span(shown)}: % relevance of each input variable", fontsize=11)
    data = {
        "epochs": shown,
        "feature_names": names,
        "relevance_percent": relevance[[e - 1 for e in shown]],
        "top_features": [names[i] for i in top],
        "final_epoch": n_epochs,
    }
    return attach_data(fig, data)


def figure5_parts(n_epochs: int, parts: int = 2) -> list[list[int]]:
    """The epochs of the paper's Fig. 5 (every odd one, 1-based) split into ``parts`` consecutive runs of near-equal
    length, earlier runs the longer, for as many figures. A run with fewer odd epochs than ``parts`` repeats its
    last odd epoch in the parts that would be empty, so that every part can be drawn.

    >>> figure5_parts(40)
    [[1, 3, 5, 7, 9, 11, 13, 15, 17, 19], [21, 23, 25, 27, 29, 31, 33, 35, 37, 39]]
    >>> figure5_parts(2)
    [[1], [1]]
    """
    n_epochs = check_int("n_epochs", n_epochs, minimum=1)
    parts = check_int("parts", parts, minimum=1)
    odd = list(range(1, n_epochs + 1, 2))
    size = math.ceil(len(odd) / parts)
    found = [odd[start : start + size] for start in range(0, len(odd), size)]
    return found + [odd[-1:]] * (parts - len(found))


def epoch_span(epochs: Sequence[int]) -> str:
    """``"epoch 3"`` or ``"epochs 1–19"`` (first–last) for a caption or a title."""
    return f"epoch {epochs[0]}" if len(epochs) == 1 or epochs[0] == epochs[-1] else f"epochs {epochs[0]}–{epochs[-1]}"


def relevance_heatmap(history: Any, top_k: int = 5) -> Figure:
    """The whole run at once: the learning gradient (% relevance) of every input variable (rows, the dataset's order)
    at every epoch (columns), the same numbers as the bars of :func:`learning_gradient_bars`.

    The names of the ``top_k`` most relevant variables after the last epoch are written in their bar colors.

    Args:
        history: a :class:`lgrad.History` with a learning gradient per epoch.
        top_k: how many of the final most relevant variables to mark.
    """
    relevance = 100.0 * np.asarray(history.relevance, dtype=float)
    names = list(history.feature_names)
    if np.isnan(relevance).any():
        raise ValueError("history holds no learning gradient (trained with record=None)")
    top_k = check_int("top_k", top_k, minimum=0, maximum=len(names))
    n_epochs = relevance.shape[0]
    top = _final_top(relevance, top_k)
    fig = Figure(figsize=(FIGURE_WIDTH_IN, 0.19 * len(names) + 1.9), layout="constrained")
    ax = fig.add_subplot()
    vmax = float(relevance.max()) or 1.0
    image = ax.imshow(
        relevance.T, aspect="auto", cmap="viridis", vmin=0.0, vmax=vmax, interpolation="nearest",
        extent=(0.5, n_epochs + 0.5, len(names) - 0.5, -0.5),
    )  # fmt: skip
    ax.set_yticks(np.arange(len(names)), names, fontsize=SMALL_PT)
    color_top_labels(ax, top)
    step = max(1, math.ceil(n_epochs / 20))
    ax.set_xticks(np.arange(1, n_epochs + 1, step))
    ax.tick_params(axis="x", labelsize=SMALL_PT)
    ax.set_xlabel("epoch", fontsize=SMALL_PT + 1)
    colorbar = fig.colorbar(image, ax=ax, pad=0.01, aspect=30)
    colorbar.set_label("relevance (%)", fontsize=SMALL_PT + 1)
    colorbar.ax.tick_params(labelsize=SMALL_PT)
    marked = f"; the final top {len(top)} in color" if top else ""
    ax.set_title(f"Learning gradient of every variable at every epoch (% relevance{marked})", fontsize=11)
    data = {
        "epochs": list(range(1, n_epochs + 1)),
        "feature_names": names,
        "relevance_percent": relevance,
        "top_features": [names[i] for i in top],
    }
    return attach_data(fig, data)


def _final_top(relevance_percent: np.ndarray, top_k: int) -> list[int]:
    """Column indices of the ``top_k`` largest values of the last epoch, largest first (ties: dataset order); none if
    the last epoch's learning gradient is zero or not finite (a run that learned nothing has no top)."""
    final = relevance_percent[-1]
    if not (np.isfinite(final).all() and (final != 0).any()):
        return []
    return [int(i) for i in np.argsort(-final, kind="stable")[:top_k]]


def training_curves(history: Any) -> Figure:
    """Loss and accuracy per epoch on the training and test sets, with the paper's 100 % test accuracy marked."""
    epochs = np.arange(1, history.epochs + 1)
    train_loss = np.asarray(history.train_loss, dtype=float)
    test_loss = np.asarray(history.test_loss, dtype=float)
    train_acc = 100.0 * np.asarray(history.train_accuracy, dtype=float)
    test_acc = 100.0 * np.asarray(history.test_accuracy, dtype=float)
    fig = Figure(figsize=(FIGURE_WIDTH_IN, 3.6), layout="constrained")
    loss_ax, acc_ax = fig.subplots(1, 2)
    loss_ax.plot(epochs, train_loss, marker=".", label="train")
    loss_ax.plot(epochs, test_loss, marker=".", label="test")
    loss_ax.set(xlabel="epoch", ylabel=f"cost ({history.config.get('loss', 'loss')})", title="Cost per epoch")
    acc_ax.plot(epochs, train_acc, marker=".", label="train")
    acc_ax.plot(epochs, test_acc, marker=".", label="test")
    acc_ax.plot(
        [PAPER_EPOCHS], [100 * PAPER_TEST_ACCURACY], marker="*", markersize=12, linestyle="none", color="black",
        label=f"paper: test, epoch {PAPER_EPOCHS}",
    )  # fmt: skip
    acc_ax.set(xlabel="epoch", ylabel="accuracy (%)", title="Accuracy per epoch")
    acc_ax.set_ylim(min(50.0, np.nanmin(np.r_[train_acc, test_acc]) - 2), 101.5)
    for ax in (loss_ax, acc_ax):
        ax.grid(color="#e6e6e6", linewidth=0.6)
        ax.legend(frameon=False)
    data = {
        "epochs": epochs,
        "train_loss": train_loss,
        "test_loss": test_loss,
        "train_accuracy": train_acc / 100,
        "test_accuracy": test_acc / 100,
        "paper_test_accuracy": PAPER_TEST_ACCURACY,
        "paper_epochs": PAPER_EPOCHS,
    }
    return attach_data(fig, data)


def confusion_matrix(history: Any, ds: Any) -> Figure:
    """The trained model's confusion matrix on the test set of ``ds`` (threshold 0.5 on the predicted probability).

    Rows are the true class, columns the predicted one; ``ds`` must be the split the model was evaluated on.
    """
    if history.model is None:
        raise ValueError("history holds no trained model (history.model is None)")
    if list(ds.feature_names) != list(history.feature_names):
        raise ValueError("ds has other feature names than history: pass the dataset the model was trained on")
    counts = confusion_counts(history.model, ds.X_test, ds.y_test)
    labels = [f"{i} {name}" for i, name in enumerate(ds.class_names)]
    correct, total = int(np.trace(counts)), int(counts.sum())
    fig = Figure(figsize=(4.8, 4.0), layout="constrained")
    ax = fig.add_subplot()
    sns.heatmap(
        counts, ax=ax, annot=True, fmt="d", cmap="Blues", cbar=False, square=True, linewidths=1, linecolor="white",
        xticklabels=labels, yticklabels=labels, annot_kws={"fontsize": 14},
    )  # fmt: skip
    ax.set(xlabel="predicted class", ylabel="true class")
    ax.tick_params(axis="y", labelrotation=0)
    ax.set_title(f"Test set: accuracy {100 * correct / total:.1f} % ({correct}/{total})", fontsize=11)
    data = {"class_names": list(ds.class_names), "counts": counts, "correct": correct, "total": total}
    return attach_data(fig, data)


def convergence_figure(conv: pd.DataFrame) -> Figure:
    """The three measures of :func:`lgrad.study.convergence.convergence` against the epoch, in three panels
    sharing the epoch axis."""
    missing = {"epoch", "l1_change", "spearman_final", "top_k_shared_final"} - set(conv.columns)
    if missing:
        raise ValueError(f"conv must come from lgrad.study.convergence.convergence; missing columns {sorted(missing)}")
    epoch = conv["epoch"].to_numpy()
    k = conv.attrs.get("k") or int(conv["top_k_shared_final"].max())
    shared = conv["top_k_shared_final"].to_numpy(dtype=float, na_value=np.nan)
    fig = Figure(figsize=(FIGURE_WIDTH_IN, 3.4), layout="constrained")
    change_ax, rho_ax, top_ax = fig.subplots(1, 3, sharex=True)
    change_ax.plot(epoch, 100 * conv["l1_change"], marker=".")
    change_ax.set(ylabel="percentage points", title="Change since previous epoch (L1)", ylim=(0, None))
    rho_ax.plot(epoch, conv["spearman_final"], marker=".", color="tab:green")
    rho_ax.axhline(0.9, color="grey", linewidth=0.8, linestyle="--")
    rho_ax.set(
        ylabel="Spearman ρ", title="Rank correlation with the last epoch", ylim=(min(0, rho_ax.get_ylim()[0]), 1.02)
    )
    top_ax.step(epoch, shared, where="mid", color="tab:red")
    top_ax.set(ylabel="variables", title=f"Top {k} shared with the last epoch's", ylim=(-0.2, k + 0.2))
    top_ax.set_yticks(range(k + 1))
    for ax in (change_ax, rho_ax, top_ax):
        ax.set_xlabel("epoch")
        ax.title.set_fontsize(10.5)
        ax.grid(color="#e6e6e6", linewidth=0.6)
    data = {
        "epoch": epoch,
        "l1_change": conv["l1_change"].to_numpy(),
        "spearman_final": conv["spearman_final"].to_numpy(),
        "top_k_shared_final": shared,
    }
    return attach_data(fig, data)


def _check_epochs(epochs: Sequence[int] | None, n_epochs: int) -> list[int]:
    if epochs is None:
        return list(range(1, n_epochs + 1, 2))
    if isinstance(epochs, str) or not isinstance(epochs, Sequence) or len(epochs) == 0:
        raise ValueError(f"epochs must be a non-empty sequence of 1-based epoch numbers, got {epochs!r}")
    checked = [check_int("epochs[]", e, minimum=1, maximum=n_epochs) for e in epochs]
    if len(set(checked)) != len(checked):
        raise ValueError(f"epochs must not repeat an epoch, got {list(epochs)!r}")
    return sorted(checked)


def color_top_labels(ax: Any, top: Sequence[int]) -> None:
    """Colour and embolden the y tick labels of the variables ``top`` (row indices, most relevant first)."""
    for rank, index in enumerate(top):
        label = ax.get_yticklabels()[index]
        label.set_color(TOP_COLORS[rank % len(TOP_COLORS)])
        label.set_fontweight("bold")
