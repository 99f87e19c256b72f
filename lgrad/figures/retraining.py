"""The figure of the chapter *Fewer inputs*: test accuracy against the number of kept variables, per ranking.

It draws what :mod:`lgrad.study.retraining` computed (:func:`~lgrad.study.retraining.curves`) and trains nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..study.fewer_inputs.rankings import GRADENFS, LASSONET, LEARNING_GRADIENT, PERMUTATION, RANDOM, SEED_AVERAGED
from ..study.references import WDBC_PLANE_FEATURES
from .plots import FIGURE_WIDTH_IN, SMALL_PT
from .provenance import attach_data

RANKING_STYLES = {
    LEARNING_GRADIENT: {"color": "#d62728", "linestyle": "-"},
    SEED_AVERAGED: {"color": "#8c1a1a", "linestyle": "--"},
    GRADENFS: {"color": "#ff7f0e", "linestyle": "-."},
    PERMUTATION: {"color": "#1f77b4", "linestyle": "-"},
    LASSONET: {"color": "#2ca02c", "linestyle": "-"},
    RANDOM: {"color": "#7f7f7f", "linestyle": ":"},
}
"""One color and line style per ranking (the learning gradient's in reds)."""
ZOOM_PP = 5.0
"""The lower panel shows the top this many percentage points below the full model's mean."""


def retraining_curves(
    curve: pd.DataFrame,
    full_mean: float,
    full_se: float,
    published: Mapping[str, float] | None = None,
    smallest: Mapping[str, int | None] | None = None,
) -> Figure:
    """Mean test accuracy (%) against k, the number of variables kept, one line per ranking with a band of ± one
    standard error over the seeds; the full model's mean and band as a horizontal line; the published three
    variables as one point at k = 3 (with its ± one standard error). The lower panel repeats the upper one for the
    top :data:`ZOOM_PP` percentage points, where the rankings part; a tick marks each ranking's smallest k within
    one standard error of the full model.

    Args:
        curve: from :func:`lgrad.study.retraining.curves` (columns ranking, k, mean, se).
        full_mean, full_se: the full model's mean test accuracy over seeds and its standard error (fractions).
        published: ``{"mean": …, "se": …, "k": 3}`` of the published three, or ``None`` (another data set).
        smallest: each ranking's smallest k within one standard error (``None``: never).
    """
    missing = {"ranking", "k", "mean", "se"} - set(curve.columns)
    if missing:
        raise ValueError(f"curve must come from lgrad.study.retraining.curves; missing columns {sorted(missing)}")
    names = list(dict.fromkeys(curve["ranking"]))
    n = int(curve["k"].max())
    fig = Figure(figsize=(FIGURE_WIDTH_IN, 7.4), layout="constrained")
    overview, zoom = fig.subplots(2, 1, sharex=True)
    data: dict[str, object] = {"rankings": names, "full_mean": full_mean, "full_se": full_se}
    for i, name in enumerate(names):
        part = curve[curve["ranking"] == name].sort_values("k")
        k, mean, se = part["k"].to_numpy(), 100 * part["mean"].to_numpy(), 100 * part["se"].to_numpy()
        style = RANKING_STYLES.get(name, {"color": "black", "linestyle": "-"})
        on_top = 3 if name == LEARNING_GRADIENT else 2  # the paper's ranking is drawn over those it coincides with
        for ax in (overview, zoom):
            ax.fill_between(k, mean - se, mean + se, color=style["color"], alpha=0.18, linewidth=0)
            ax.plot(k, mean, label=name, linewidth=1.6, zorder=on_top, **style)
        found = (smallest or {}).get(name)
        if found is not None and not pd.isna(found):
            shift = 0.14 * (i - (len(names) - 1) / 2)  # rankings that arrive at the same k stay apart
            y = mean[list(k).index(found)]
            zoom.plot([found + shift], [y], marker="v", color=style["color"], markersize=7, zorder=4)
        data[name] = {"k": k, "mean_percent": mean, "se_percent": se, "smallest_k": found}
    for ax in (overview, zoom):
        ax.axhspan(100 * (full_mean - full_se), 100 * (full_mean + full_se), color="black", alpha=0.08, linewidth=0)
        ax.axhline(100 * full_mean, color="black", linewidth=1.0, linestyle="--", label=f"all {n} variables")
        if published is not None:
            ax.errorbar(
                [published["k"]], [100 * published["mean"]], yerr=[100 * published["se"]], marker="D", markersize=7,
                color="#9467bd", linestyle="none", capsize=3, label="published three",
            )  # fmt: skip
        ax.grid(color="#e6e6e6", linewidth=0.6)
        ax.tick_params(labelsize=SMALL_PT)
        ax.set_ylabel("test accuracy (%)", fontsize=SMALL_PT + 1)
    low = 100 * full_mean - ZOOM_PP
    values = 100 * np.r_[curve["mean"] + curve["se"], full_mean + full_se]
    zoom.set_ylim(low, max(float(np.nanmax(values)), 100 * full_mean) + 0.6)
    overview.set_xlim(0.5, n + 0.5)
    zoom.set_xticks(range(1, n + 1, 1 if n <= 30 else max(1, n // 15)))
    zoom.set_xlabel("variables kept (k), the most relevant first", fontsize=SMALL_PT + 1)
    overview.set_title(
        "Retrained on the k most relevant variables of each ranking: mean ± one standard error", fontsize=11
    )
    zoom.set_title(f"The top {ZOOM_PP:g} percentage points below the full model (▼: smallest k within one SE)",
                   fontsize=SMALL_PT + 1)  # fmt: skip
    handles, labels = overview.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=SMALL_PT, frameon=False)
    if published is not None:
        data["published"] = dict(published)
    return attach_data(fig, data)


def retraining_table(
    ktable: pd.DataFrame,
    first: Mapping[str, str],
    full: Mapping[str, float],
    published: Mapping[str, float] | None,
) -> pd.DataFrame:
    """The book's table of :func:`lgrad.study.retraining.smallest_k_table`, with each ranking's first variables, the
    full model and the published three as rows; accuracies as "mean % ± standard error (percentage points)".

    Args:
        ktable: from :func:`~lgrad.study.retraining.smallest_k_table`.
        first: each ranking's first variables, as text.
        full: the full model's ``mean``, ``se``, ``k`` (all the variables), ``learned nothing`` and ``networks``.
        published: the same for the published three, and ``within`` (one standard error of the full model);
            ``None`` for another data set.
    """

    def accuracy(mean: float, se: float) -> str:
        return "—" if np.isnan(mean) else f"{100 * mean:.1f} % ± {100 * se:.2f}"

    rows = [
        {
            "ranking": row["ranking"],
            "first variables": first.get(row["ranking"], ""),
            "smallest k within 1 SE": "never" if pd.isna(row["smallest k"]) else str(int(row["smallest k"])),
            "stays within": "—" if pd.isna(row["smallest k"]) else ("yes" if row["stays within"] else "no"),
            "test acc. there": accuracy(row["mean"], row["se"]),
            "learned nothing": f"{row['learned nothing']}/{row['networks']}",
        }
        for _, row in ktable.iterrows()
    ]
    rows.append(
        {"ranking": f"all {full['k']} variables", "first variables": "", "smallest k within 1 SE": str(full["k"]),
         "stays within": "—", "test acc. there": accuracy(full["mean"], full["se"]),
         "learned nothing": f"{full['learned nothing']}/{full['networks']}"}
    )  # fmt: skip
    if published is not None:
        rows.append(
            {"ranking": "published three", "first variables": ", ".join(WDBC_PLANE_FEATURES),
             "smallest k within 1 SE": f"{'within' if published['within'] else 'not within'} at 3",
             "stays within": "—", "test acc. there": accuracy(published["mean"], published["se"]),
             "learned nothing": f"{published['learned nothing']}/{published['networks']}"}
        )  # fmt: skip
    return pd.DataFrame(rows)
