"""The sentences of the chapter *Training*: accuracy, the top five, convergence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ...text import count


def test_errors(errors: int, n_test: int) -> str:
    """How far the run is from 100 % test accuracy, in rows."""
    steps = f"A test set of {n_test} rows measures accuracy in steps of one row ({100 / n_test:.2f} percentage points)"
    if errors == 0:
        return f"{steps}; this run gets every row right."
    return f"{steps}: this run is {count(errors, 'row')} away from 100 %."


def ranking_settles(summary: dict[str, Any]) -> str:
    """When the final top five was reached for good, against the length of the run (never an epoch past the last)."""
    epochs, since, k = summary["epochs"], summary["top_k_final_from"], summary["k"]
    held = count(epochs - since + 1, "epoch")
    if since == 1:
        return f"The ranking is settled from the start: the final top {k} is the top {k} of every epoch."
    pace = "late" if since > epochs / 2 else "early"
    return (
        f"The ranking settles {pace}: the final top {k} is reached for good at epoch {since} of {epochs}, so it held "
        f"for the last {held}; the top {k} of epoch {since - 1} differs."
    )


def spearman_first(rho: float) -> str:
    if not np.isfinite(rho):
        return "undefined (the first epoch's bars give no ranking)"
    return f"ρ = {rho:.2f}"


def top5_paragraph(history: Any, status: str | None, paper_top5: Sequence[str]) -> str:
    """The training chapter's reading of the last epoch's top five, or why there is none."""
    if status is not None:
        return (
            f"{status[0].upper()}{status[1:]}. No variable is more relevant than another, so there is no top five: "
            "{numref}`tbl-top5` shows the paper's list alone."
        )
    top5, final = history.top_features(5), np.asarray(history.relevance[-1])
    same_rank = sum(a == b for a, b in zip(top5, paper_top5, strict=True))
    return (
        f"After the last epoch the most relevant variable is {top5[0]}, with {100 * final.max():.1f} % of the "
        f"learning gradient; the top five together take {100 * np.sort(final)[-5:].sum():.1f} %, against "
        f"{100 / len(final):.1f} % each if all variables counted the same. {{numref}}`tbl-top5` sets them beside the "
        f"paper's list: {len(set(top5) & set(paper_top5))} of this run's five are among the paper's five, and "
        f"{same_rank} at the same rank."
    )


def top5_finding(top5: Sequence[str], status: str | None, paper_top5: Sequence[str]) -> str:
    """The top-five row of the book's summary table, as plain text."""
    if status is not None:
        return f"None: {status}."
    return f"This run: {', '.join(top5)}; {len(set(top5) & set(paper_top5))} of them in the paper's five."


def convergence_paragraph(summary: dict[str, Any] | None, status: str | None, settle_ratio: float) -> str:
    """The training chapter's verdict on the paper's convergence claim, from :func:`convergence_summary`."""
    if status is not None:
        return (
            f"{status[0].upper()}{status[1:]}. Its learning gradient has nothing to converge to: "
            "{numref}`fig-convergence` draws the rank measures only for the epochs that rank the inputs."
        )
    window = summary["window"]
    verdict = "settle" if summary["settles"] else "do not settle"
    rho_from = summary["spearman_09_from"]
    stays = (
        f"stays at 0.9 or above from epoch {rho_from} on"
        if rho_from <= summary["epochs"]
        else "is below 0.9 at the last epoch"
    )
    return (
        f"Over the first {count(window, 'epoch-to-epoch step')} the bars move by "
        f"{100 * summary['early_change']:.1f} percentage points on average, over the last {window} by "
        f"{100 * summary['late_change']:.1f}: a ratio of {summary['change_ratio']:.2f}. With the criterion fixed in "
        f"`lgrad.study.convergence` before the runs were looked at (the bars settle when that ratio is at most "
        f"{settle_ratio}), the bars of this run **{verdict}**. {ranking_settles(summary)} The first epoch's ranking "
        f"correlates with the last one's at {spearman_first(summary['spearman_first'])}, and the correlation {stays}."
    )


def convergence_finding(summary: dict[str, Any] | None, status: str | None) -> str:
    """The convergence row of the book's summary table, as plain text."""
    if status is not None:
        return f"There is nothing to converge: {status}."
    verdict = "settle" if summary["settles"] else "do not settle"
    return (
        f"The bars {verdict}: they move by {100 * summary['early_change']:.1f} percentage points per epoch early on "
        f"and {100 * summary['late_change']:.1f} at the end. {ranking_settles(summary)}"
    )
