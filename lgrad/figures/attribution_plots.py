"""Figures of the chapter *Against established attributions*: the methods' agreement and the randomization check.

Each function draws numbers that :mod:`lgrad.study.method_agreement` and :mod:`lgrad.study.randomization` computed,
returns a matplotlib ``Figure`` not managed by pyplot and attaches the numbers it plots.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from ..study.attributions.randomization import COMPARISONS
from .plots import FIGURE_WIDTH_IN, SMALL_PT
from .provenance import attach_data

COMPARISON_COLORS = ("#d62728", "#ff7f0e", "#7f7f7f")
PROFILE_COLORS = {"trained": "#1f77b4", COMPARISONS[0]: "#d62728", COMPARISONS[1]: "#ff7f0e"}


def _empty(ax, message: str) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=SMALL_PT + 2, wrap=True, transform=ax.transAxes)


def agreement_heatmap(mean_rho: pd.DataFrame, n_seeds: pd.DataFrame) -> Figure:
    """The mean Spearman ρ between every pair of methods (:func:`lgrad.study.method_agreement.agreement_matrix`), with
    each cell written; an empty frame saying so when no seed ranks."""
    names = list(mean_rho.index)
    values = mean_rho.to_numpy(dtype=float)
    fig = Figure(figsize=(FIGURE_WIDTH_IN * 0.85, 6.4), layout="constrained")
    ax = fig.add_subplot()
    seeds = int(np.nanmax(n_seeds.to_numpy())) if n_seeds.size else 0
    if not np.isfinite(values).any():
        _empty(ax, "No network learned: no method ranks, nothing to compare")
    else:
        sns.heatmap(
            mean_rho, ax=ax, vmin=-1.0, vmax=1.0, cmap="RdBu_r", square=True, annot=True, fmt=".2f",
            annot_kws={"fontsize": SMALL_PT + 0.5}, linewidths=0.5, linecolor="white",
            cbar_kws={"label": "mean Spearman ρ", "shrink": 0.7},
        )  # fmt: skip
        ax.tick_params(axis="both", labelsize=SMALL_PT + 0.5, length=2)
        ax.set_xticklabels(names, rotation=45, ha="right", rotation_mode="anchor")
        ax.collections[0].colorbar.ax.tick_params(labelsize=SMALL_PT)
        ax.collections[0].colorbar.ax.yaxis.label.set_size(SMALL_PT + 1)
    ax.set_title(f"Agreement of the rankings: Spearman ρ, mean over {seeds} seed(s)", fontsize=11)
    data = {"methods": names, "mean_spearman": values, "n_seeds": n_seeds.to_numpy()}
    return attach_data(fig, data)


def randomization_figure(table: pd.DataFrame, profiles: pd.DataFrame) -> Figure:
    """The sanity check after Adebayo et al. (2018): above, the seed-mean learning gradient (%) of the trained,
    re-initialized and shuffled-label networks per variable; below, each seed's Spearman ρ and L1 distance between
    the trained network's learning gradient and each other one (:func:`lgrad.study.randomization.randomization_table`).
    """
    fig = Figure(figsize=(FIGURE_WIDTH_IN, 7.6), layout="constrained")
    grid = fig.add_gridspec(2, 2, height_ratios=(1.25, 1.0))
    top = fig.add_subplot(grid[0, :])
    rho_ax, l1_ax = fig.add_subplot(grid[1, 0]), fig.add_subplot(grid[1, 1])
    names = list(profiles.index)
    x = np.arange(len(names))
    drawn = [c for c in profiles.columns if np.isfinite(profiles[c].to_numpy()).all()]
    if not drawn or table.empty:
        for ax in (top, rho_ax, l1_ax):
            _empty(ax, "No network learned: nothing to check")
    else:
        for column in drawn:
            top.plot(x, 100 * profiles[column], marker="o", markersize=3.5, linewidth=1.2, label=column,
                     color=PROFILE_COLORS.get(column))  # fmt: skip
        top.set_xticks(x, names, rotation=90, fontsize=SMALL_PT)
        top.tick_params(axis="y", labelsize=SMALL_PT)
        top.set_ylabel("learning gradient (%), seed mean", fontsize=SMALL_PT + 1)
        top.set_ylim(0, None)
        top.legend(frameon=False, fontsize=SMALL_PT + 0.5)
        top.grid(color="#e6e6e6", linewidth=0.6)
        top.set_title("The learning gradient of the trained network and of its randomized versions", fontsize=11)
        order = [c for c in COMPARISONS if (table["comparison"] == c).any()]
        colors = dict(zip(COMPARISONS, COMPARISON_COLORS, strict=True))
        jitter = np.random.default_rng(0)  # fixed: the same figure, byte for byte, every time
        for ax, column, label in ((rho_ax, "spearman", "Spearman ρ with the trained network's"),
                                  (l1_ax, "l1", "L1 distance to the trained network's")):  # fmt: skip
            scale = 100.0 if column == "l1" else 1.0
            values = [scale * table.loc[table["comparison"] == c, column].dropna().to_numpy() for c in order]
            boxes = ax.boxplot(values, positions=range(len(order)), widths=0.5, showfliers=False, patch_artist=True)
            for box, comparison in zip(boxes["boxes"], order, strict=True):
                box.set(facecolor=colors[comparison], alpha=0.3)
            for median in boxes["medians"]:
                median.set(color="black")
            for i, (comparison, points) in enumerate(zip(order, values, strict=True)):
                x = i + jitter.uniform(-0.15, 0.15, len(points))
                ax.scatter(x, points, s=9, color=colors[comparison], zorder=3)
            ax.set_xticks(range(len(order)), [c.replace(", ", ",\n").replace(" on ", "\non ") for c in order])
            ax.tick_params(labelsize=SMALL_PT)
            ax.set_ylabel("percentage points" if column == "l1" else "ρ", fontsize=SMALL_PT + 1)
            ax.set_title(label, fontsize=10.5)
            ax.grid(axis="y", color="#e6e6e6", linewidth=0.6)
        rho_ax.axhline(0, color="grey", linewidth=0.8)
        rho_ax.set_ylim(-1.05, 1.05)
        l1_ax.set_ylim(0, None)
    data = {
        "feature_names": names,
        "profiles_percent": {c: (100 * profiles[c]).tolist() for c in profiles.columns},
        "seed": table["seed"].tolist(),
        "comparison": table["comparison"].tolist(),
        "spearman": table["spearman"].tolist(),
        "l1": table["l1"].tolist(),
    }
    return attach_data(fig, data)
