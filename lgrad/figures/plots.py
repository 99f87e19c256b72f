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
from ..study.describe import correlation
from ..study.metrics import confusion_counts
from ..study.paper import PAPER_EPOCHS, PAPER_TEST_ACCURACY
from .provenance import attach_data

OTHER_COLOR = "#c4c4c4"
TOP_COLORS = ("#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")


def correlation_matrix(ds: Any) -> Figure:
    """Paper Fig. 4: the Pearson correlation of every pair of input variables (all rows, original units).

    Args:
        ds: a :class:`lgrad.Dataset`; its ``raw`` frame gives the values and ``feature_names`` the order.
    """
    corr = correlation(ds)
    names = list(corr.columns)
    size = max(6.0, 0.34 * len(names) + 2.0)
    fig = Figure(figsize=(size + 1.2, size), layout="constrained")
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
    ax.tick_params(axis="both", labelsize=9, length=2)
    ax.set_xticklabels(names, rotation=90)
    ax.set_title(f"Correlation of the {len(names)} input variables ({len(ds.raw)} rows)", fontsize=13)
    return attach_data(fig, {"feature_names": names, "correlation": corr.to_numpy(), "n_rows": len(ds.raw)})


def learning_gradient_bars(history: Any, epochs: Sequence[int] | None = None, top_k: int = 5) -> Figure:
    """Paper Fig. 5: the learning gradient as % relevance per input variable, one bar chart per epoch.

    Small multiples share the y axis and keep the dataset's feature order; the ``top_k`` most relevant variables
    after the last epoch are colored (legend, most relevant first), the others grey; none is, if the last epoch's
    learning gradient is zero (a run that learned nothing has no top).

    Args:
        history: a :class:`lgrad.History` with a learning gradient per epoch.
        epochs: the 1-based epochs to show; default every odd one (1, 3, …).
        top_k: how many of the final most relevant variables to mark.
    """
    relevance = 100.0 * np.asarray(history.relevance, dtype=float)
    names = list(history.feature_names)
    n_epochs = relevance.shape[0]
    if np.isnan(relevance).any():
        raise ValueError("history holds no learning gradient (trained with record=None)")
    shown = _check_epochs(epochs, n_epochs)
    top_k = check_int("top_k", top_k, minimum=0, maximum=len(names))
    ranks = np.isfinite(relevance[-1]).all() and (relevance[-1] != 0).any()  # a run that learned nothing: no top
    top = [int(i) for i in np.argsort(-relevance[-1], kind="stable")[:top_k]] if ranks else []
    colors = [OTHER_COLOR] * len(names)
    for rank, index in enumerate(top):
        colors[index] = TOP_COLORS[rank % len(TOP_COLORS)]

    ncols = min(4, len(shown))
    nrows = math.ceil(len(shown) / ncols)
    fig = Figure(figsize=(3.6 * ncols + 0.6, 1.75 * nrows + 2.6), layout="constrained")
    axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False).ravel()
    x = np.arange(len(names))
    test_accuracy = np.asarray(history.test_accuracy, dtype=float)
    for i, (ax, epoch) in enumerate(zip(axes, shown, strict=False)):
        ax.bar(x, relevance[epoch - 1], width=0.8, color=colors)
        title = f"epoch {epoch}"
        if np.isfinite(test_accuracy[epoch - 1]):
            title += f"  ·  test acc. {100 * test_accuracy[epoch - 1]:.1f} %"
        ax.set_title(title, fontsize=9, pad=3)
        ax.grid(axis="y", color="#e6e6e6", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.tick_params(axis="y", labelsize=8)
        ax.tick_params(axis="x", length=0)
        if i % ncols == 0:
            ax.set_ylabel("relevance (%)", fontsize=8)
        if i + ncols >= len(shown):  # nothing below this panel: it carries the feature names
            ax.tick_params(axis="x", labelbottom=True)
            ax.set_xticks(x, names, rotation=90, fontsize=6.5)
    for ax in axes[len(shown) :]:
        fig.delaxes(ax)
    axes[0].set_xlim(-0.7, len(names) - 0.3)
    axes[0].set_ylim(0, 1.08 * relevance[[e - 1 for e in shown]].max() or 1.0)

    if top:
        handles = [Patch(color=colors[i], label=f"{rank}. {names[i]}") for rank, i in enumerate(top, start=1)]
        handles.append(Patch(color=OTHER_COLOR, label="other variables"))
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=min(len(handles), 6),
            fontsize=9,
            frameon=False,
            title=f"Most relevant after epoch {n_epochs} (top {len(top)})",
            title_fontsize=9,
        )
    fig.suptitle("Learning gradient per epoch: normalized |∂C/∂x|, % relevance of each input variable", fontsize=12)
    data = {
        "epochs": shown,
        "feature_names": names,
        "relevance_percent": relevance[[e - 1 for e in shown]],
        "top_features": [names[i] for i in top],
        "final_epoch": n_epochs,
    }
    return attach_data(fig, data)


def training_curves(history: Any) -> Figure:
    """Loss and accuracy per epoch on the training and test sets, with the paper's 100 % test accuracy marked."""
    epochs = np.arange(1, history.epochs + 1)
    train_loss = np.asarray(history.train_loss, dtype=float)
    test_loss = np.asarray(history.test_loss, dtype=float)
    train_acc = 100.0 * np.asarray(history.train_accuracy, dtype=float)
    test_acc = 100.0 * np.asarray(history.test_accuracy, dtype=float)
    fig = Figure(figsize=(10, 3.8), layout="constrained")
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
    fig = Figure(figsize=(11, 3.4), layout="constrained")
    change_ax, rho_ax, top_ax = fig.subplots(1, 3, sharex=True)
    change_ax.plot(epoch, 100 * conv["l1_change"], marker=".")
    change_ax.set(ylabel="percentage points", title="Change since the previous epoch (L1)", ylim=(0, None))
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
