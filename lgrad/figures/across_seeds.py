"""Figures of the study across seeds (:mod:`lgrad.study.seeds`): test accuracy, the top five, the blocks of
correlated variables and the convergence over the epochs.

Each function draws summaries already computed, trains nothing, returns a matplotlib ``Figure`` not managed by pyplot
and attaches the numbers it plots for :func:`lgrad.figures.provenance.save_figure`. A study where no run learned
draws its empty panels with a note instead of bars.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from .plots import FIGURE_WIDTH_IN, SMALL_PT
from .provenance import attach_data

BOOK_COLOR, SMALL_COLOR, PAPER_COLOR, OTHER_COLOR = "#1f77b4", "#ff7f0e", "#d62728", "#9e9e9e"
GRID = {"color": "#e6e6e6", "linewidth": 0.6}


def _style(ax: Any, title: str) -> None:
    ax.set_title(title, fontsize=SMALL_PT + 1)
    ax.tick_params(labelsize=SMALL_PT)
    ax.xaxis.label.set_size(SMALL_PT)
    ax.yaxis.label.set_size(SMALL_PT)
    ax.grid(**GRID)
    ax.set_axisbelow(True)


def _nothing(ax: Any, text: str = "no run learned anything") -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, fontsize=SMALL_PT + 1)


def seed_accuracy(book: Mapping[str, Any], small: Mapping[str, Any]) -> Figure:
    """Test accuracy across seeds on the book's split and on the 10 % split (``accuracy_summary`` of each).

    Top: seeds by number of test errors, beside the counts expected if every test row were an independent trial at
    the cross-validated accuracy. Bottom: each run's Clopper–Pearson 95 % interval, runs sorted by accuracy, with
    the cross-validated estimate and its interval.
    """
    fig = Figure(figsize=(FIGURE_WIDTH_IN, 6.6), layout="constrained")
    axes = fig.subplots(2, 2)
    data: dict[str, Any] = {}
    for column, (name, summary, color) in enumerate((("book's split", book, BOOK_COLOR),
                                                     ("10 % split", small, SMALL_COLOR))):  # fmt: skip
        top, bottom = axes[0, column], axes[1, column]
        errors = np.asarray(summary["errors"])
        expected = np.asarray(summary["expected_errors"])
        x = np.arange(len(errors))
        top.bar(x, errors, color=color, width=0.7, label="seeds")
        chance = "expected by chance at\nthe cross-validated accuracy"
        top.plot(x, expected, "o", color="black", markersize=4, label=chance)
        top.set_xticks(x)
        top.set(xlabel="test rows wrong (0 = 100 %)", ylabel="seeds")
        top.set_ylim(0, 1.3 * max(float(errors.max()), float(expected.max())))
        top.legend(frameon=False, fontsize=SMALL_PT, loc="upper right")
        _style(top, f"{name}: {summary['n_test']} test rows, {summary['perfect']} of {summary['n_seeds']} at 100 %")

        order = np.argsort(summary["accuracy"], kind="stable")
        rank = np.arange(1, len(order) + 1)
        low, high = 100 * summary["ci_low"][order], 100 * summary["ci_high"][order]
        bottom.fill_between(rank, low, high, step="mid", color=color, alpha=0.45, linewidth=0,
                            label="each run's 95 % interval")  # fmt: skip
        bottom.plot(rank, 100 * summary["accuracy"][order], ".", color="black", markersize=2.5)
        bottom.axhspan(100 * summary["cv_low"], 100 * summary["cv_high"], color="#bbbbbb", alpha=0.5, linewidth=0)
        bottom.axhline(100 * summary["cv"], color="black", linewidth=1.0, label="cross-validated estimate")
        bottom.axhline(100.0, color=PAPER_COLOR, linewidth=1.0, linestyle="--", label="the paper: 100 %")
        bottom.set(xlabel="seeds, sorted by test accuracy", ylabel="test accuracy (%)")
        bottom.set_ylim(min(float(low.min()), 100 * summary["cv_low"]) - 1, 100.8)
        bottom.legend(frameon=False, fontsize=SMALL_PT, loc="lower right")
        _style(bottom, "Each run's 95 % interval (Clopper–Pearson)")
        data[name] = {key: summary[key] for key in ("n_test", "n_seeds", "errors", "expected_errors", "accuracy",
                                                    "ci_low", "ci_high", "cv", "cv_low", "cv_high")}  # fmt: skip
    fig.suptitle(f"Test accuracy of {book['n_seeds']} seeds after {book['epochs']} epochs", fontsize=11)
    return attach_data(fig, data)


def _labels(ax: Any, names: Sequence[str], marked: Sequence[str], suffix: Mapping[str, str]) -> None:
    ax.set_yticks(np.arange(len(names)), [f"{name}{suffix.get(name, '')}" for name in names], fontsize=SMALL_PT)
    for label, name in zip(ax.get_yticklabels(), names, strict=True):
        if name in marked:
            label.set_color(PAPER_COLOR)
            label.set_fontweight("bold")
    ax.invert_yaxis()


def seed_top5(book: Mapping[str, Any], small: Mapping[str, Any], reference: Sequence[str]) -> Figure:
    """How often each variable is in a run's top five (``ranking_summary`` of the book's split), the paper's five
    in red; and how many of the paper's five a run's top five holds, on the book's and on the 10 % split."""
    frequency = book["frequency"]
    shown = [name for name in frequency.index if frequency[name] > 0 or name in reference]
    n = book["n_learned"]
    fig = Figure(figsize=(FIGURE_WIDTH_IN, 0.2 * max(len(shown), 10) + 1.6), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[1.7, 1])
    share = 100 * frequency[shown].to_numpy() / n if n else np.zeros(len(shown))
    colors = [PAPER_COLOR if name in reference else BOOK_COLOR for name in shown]
    left.barh(np.arange(len(shown)), share, color=colors, height=0.7)
    suffix = {name: f" (paper #{reference.index(name) + 1})" for name in reference}
    _labels(left, shown, reference, suffix)
    left.set(xlabel="runs with it in their top five (%)", xlim=(0, 100))
    _style(left, f"In the top five, over {n} runs that learned")
    if not n:
        _nothing(left)

    k = book["k"]
    x = np.arange(k + 1)
    splits = (("book's split", book, BOOK_COLOR, -0.2), ("10 % split", small, SMALL_COLOR, 0.2))
    for name, summary, color, offset in splits:
        right.bar(x + offset, summary["overlap_counts"], width=0.4, color=color, label=name)
    right.set_xticks(x)
    right.set(xlabel="of the paper's five held", ylabel="runs")
    right.legend(frameon=False, fontsize=SMALL_PT)
    _style(right, "Overlap with the paper's five")
    if not n:
        _nothing(right)
    fig.suptitle("The five most relevant variables after the last epoch, across seeds", fontsize=11)
    data = {
        "variables": shown,
        "share_in_top5_percent": share,
        "n_learned": n,
        "overlap_counts_book_split": book["overlap_counts"],
        "overlap_counts_10_percent_split": small["overlap_counts"],
        "paper_top5": list(reference),
    }
    return attach_data(fig, data)


def seed_blocks(blocks: Mapping[str, Any]) -> Figure:
    """The top five read as blocks (``block_summary``): how often a run's top five reaches each block (or lone
    variable), the blocks of the paper's five in red; and how many of those blocks a run's top five reaches."""
    frequency = blocks["frequency"]
    marked = blocks["reference_units"]
    shown = [unit for unit in frequency.index if frequency[unit] > 0 or unit in marked]
    n = blocks["n_learned"]
    fig = Figure(figsize=(FIGURE_WIDTH_IN, 0.22 * max(len(shown), 8) + 1.6), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[1.5, 1])
    share = 100 * frequency[shown].to_numpy() / n if n else np.zeros(len(shown))
    left.barh(np.arange(len(shown)), share, color=[PAPER_COLOR if u in marked else BOOK_COLOR for u in shown],
              height=0.7)  # fmt: skip
    _labels(left, shown, marked, {})
    left.set(xlabel="runs whose top five reaches it (%)", xlim=(0, 100))
    _style(left, f"In the top five, over {n} runs")
    if not n:
        _nothing(left)
    counts = blocks["covered_counts"]
    right.bar(np.arange(len(counts)), counts, color=BOOK_COLOR, width=0.6)
    right.set_xticks(np.arange(len(counts)))
    right.set(xlabel="paper's blocks reached", ylabel="runs")
    _style(right, "The paper's blocks")
    if not n:
        _nothing(right)
    fig.suptitle("The top five read as blocks of correlated variables (the paper's in red)", fontsize=11)
    data = {"units": shown, "share_percent": share, "n_learned": n, "paper_units": list(marked),
            "covered_counts": counts}  # fmt: skip
    return attach_data(fig, data)


def seed_convergence(book: Mapping[str, Any], long: Mapping[str, Any]) -> Figure:
    """The learning gradient over the epochs across seeds (``convergence_over_seeds`` of the book's runs and
    ``long_summary``): the L1 change since the previous epoch and the L1 distance to the last epoch (mean over runs
    and the 10–90 % band), then the same change over the long runs and the share of them whose top five is already
    their last epoch's."""
    fig = Figure(figsize=(FIGURE_WIDTH_IN, 6.4), layout="constrained")
    (step_ax, last_ax), (long_ax, top_ax) = fig.subplots(2, 2)
    long_conv = long["convergence"]
    panels = (
        (step_ax, book, "step", f"Change since the previous epoch ({book['n_learned']} runs)", True),
        (last_ax, book, "to_last", f"Distance to epoch {book['epochs']}'s bars", False),
        (long_ax, long_conv, "step", f"Change since the previous epoch ({long_conv['n_learned']} long runs)", True),
    )
    for ax, conv, name, title, log in panels:
        epoch, mean = conv["epoch"], 100 * conv[f"{name}_mean"]
        if conv["n_learned"]:
            ax.fill_between(epoch, 100 * conv[f"{name}_low"], 100 * conv[f"{name}_high"], color=BOOK_COLOR,
                            alpha=0.25, linewidth=0, label="10–90 % of the runs")  # fmt: skip
            ax.plot(epoch, mean, color=BOOK_COLOR, label="mean")
            ax.legend(frameon=False, fontsize=SMALL_PT)
            if log and np.nanmin(100 * conv[f"{name}_low"]) > 0:
                ax.set_yscale("log")
        else:
            _nothing(ax)
        ax.set(xlabel="epoch", ylabel="L1 (percentage points)")
        _style(ax, title)
    share = 100 * long_conv["same_as_last_share"]
    top_ax.plot(long_conv["epoch"], share, color=BOOK_COLOR)
    top_ax.set(xlabel="epoch", ylabel="runs (%)", ylim=(-2, 102))
    _style(top_ax, f"Long runs: top five already the last epoch's (of {long_conv['epochs']})")
    if not long_conv["n_learned"]:
        _nothing(top_ax)
    for ax in (long_ax, top_ax):
        if long["longer"]:
            ax.axvline(book["epochs"], color=PAPER_COLOR, linestyle="--", linewidth=1.0)
    fig.suptitle("Convergence of the learning gradient across seeds", fontsize=11)
    data = {
        "epochs": book["epochs"],
        "long_epochs": long_conv["epochs"],
        **{
            f"book_{key}": book[key]
            for key in ("step_mean", "step_low", "step_high", "to_last_mean", "to_last_low", "to_last_high")
        },  # fmt: skip
        **{f"long_{key}": long_conv[key] for key in ("step_mean", "step_low", "step_high", "same_as_last_share")},
    }
    return attach_data(fig, data)
