"""The sentences of the chapter *Per mini-batch*, from
:func:`lgrad.study.one_run.minibatch.batch_variation` and :func:`~lgrad.study.one_run.minibatch.steps_of_epochs`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd


def variation_sentence(summary: Mapping[str, Any], status: str | None) -> str:
    """How much of the per-batch shares' variation lies within epochs, and how often a step's top variable is its
    epoch's (from :func:`batch_variation`)."""
    steps, all_steps, epochs, share = summary["steps"], summary["all_steps"], summary["epochs"], summary["within_share"]
    beware = f" Beware: {status}." if status else ""
    if steps == 0:
        return f"No step's learning gradient ranks the inputs (all are zero or not finite).{beware}"
    some = f" ({steps} of the {all_steps}; the others' learning gradient is zero or not finite)" * (steps < all_steps)
    if summary["steps_per_epoch"] <= 1:
        text = (
            "Each epoch is a single step here (one batch of all the training rows), so the shares cannot vary within "
            "an epoch: this run's per-batch view is its per-epoch view."
        )
    elif not np.isfinite(share):
        text = (
            f"The steps that rank the inputs{some} fall in {epochs} epoch{'s' * (epochs != 1)}: too few to split "
            "their variation within and between epochs."
        )
    else:
        verdict = (
            "the steps of one epoch differ more than the epochs do"
            if share > 0.5
            else ("the epochs differ more than the steps of one epoch do")
        )
        text = (
            f"Over the steps that rank the inputs{some}, {100 * share:.0f} % of the variation of the per-batch "
            f"shares (their sum of squares about the run's mean, all variables together) lies within epochs and "
            f"{100 * (1 - share):.0f} % between the {epochs} epochs' means: {verdict}. A step's most relevant "
            f"variable is its epoch's in {100 * summary['top1_agreement']:.0f} % of these steps."
        )
    return text + beware


def variable_sentence(table: pd.DataFrame, status: str | None, k: int = 3) -> str:
    """The ``k`` variables whose per-batch shares vary most within epochs (percentage points), or why none are
    named (a run that learned nothing is not ranked)."""
    if status is not None:
        return "No variable is named as the most variable: a run that learned nothing is not ranked."
    ranked = table.dropna(subset=["sd within epochs"]).sort_values("sd within epochs", ascending=False, kind="stable")
    if ranked.empty:
        return "With one step per epoch, no variable varies within an epoch."
    parts = [
        f"{name} (sd {100 * sd:.1f} points about a mean of {100 * mean:.1f} %)"
        for name, sd, mean in ranked[["variable", "sd within epochs", "mean share"]].head(k).itertuples(index=False)
    ]
    median = 100 * float(ranked["sd within epochs"].median())
    return (
        f"The shares that swing most from step to step within an epoch are those of {', '.join(parts)}; the median "
        f"variable's standard deviation within epochs is {median:.1f} percentage points."
    )


def steps_sentence(steps: list[int], n_train: int, batch_size: int | str) -> str:
    """How many mini-batch steps each epoch has (``steps``, from :func:`steps_of_epochs`), and the size of a short
    last one."""
    per_epoch, epochs = steps[0], len(steps)
    if per_epoch == 1:
        return f"Each of the {epochs} epochs is one step on all {n_train} training rows: {epochs} steps in all."
    last = n_train - batch_size * (per_epoch - 1)
    tail = f", the last one of {last}" if last != batch_size else ""
    return (
        f"The {n_train} training rows make {per_epoch} steps per epoch (mini-batches of {batch_size} rows{tail}): "
        f"{sum(steps)} steps over the {epochs} epochs."
    )
