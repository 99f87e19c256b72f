"""The learning gradient per mini-batch: the base run recorded step by step, and how much the steps of an epoch differ.

The paper calls the per-mini-batch learning gradient its more granular view. :func:`batch_run` trains the base run
again with ``record="batch"`` (the same training: recording reads the backward pass, it changes no step), and
:func:`batch_variation` splits the variation of the per-batch shares into what moves within an epoch and what moves
between epochs, the sum-of-squares split of a one-way analysis of variance with the epochs as groups.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..data import Dataset
from ..history import History
from .runs import run_dataset, run_settings, train_run


def batch_run(settings: Mapping[str, Any]) -> tuple[Dataset, History]:
    """The run of ``settings`` (see :func:`lgrad.study.runs.run`) trained with its learning gradient kept per
    mini-batch: ``history.batch_relevance`` has one row per step, ``history.batch_epoch`` its 0-based epoch."""
    settings = run_settings(settings)
    ds = run_dataset(settings)
    history = train_run(ds, settings, record="batch")
    return ds, history


def rankable_batches(history: History) -> np.ndarray:
    """Per step, whether its raw learning gradient is finite and not all zero (it can rank the inputs)."""
    raw = _require_batches(history)[1]
    return np.isfinite(raw).all(axis=1) & (raw != 0).any(axis=1)


def batch_variation(history: History) -> tuple[pd.DataFrame, dict[str, Any]]:
    """How the per-batch shares (fractions) vary within and between epochs, over the steps that rank the inputs.

    Returns:
        A table, one row per input variable: ``mean share`` over the steps, ``sd within epochs`` (pooled: the square
        root of the within-epoch sum of squares over its degrees of freedom, steps − epochs) and ``sd between epochs``
        (of the epoch means of the batch shares); and a summary: ``steps``, ``epochs`` (with a rankable step),
        ``all_steps`` (every step, ranking or not), ``steps_per_epoch`` (the most in an epoch, of all steps),
        ``within_share`` (the within-epoch sum of squares over the total, all variables together; NaN when it cannot
        be split: fewer than two epochs, or one step per epoch) and ``top1_agreement`` (the share of steps whose most
        relevant variable is their epoch's; NaN when no step ranks).
    """
    shares, _, epochs = _require_batches(history)
    keep = rankable_batches(history)
    shares, epochs = shares[keep], epochs[keep]
    names = list(history.feature_names)
    groups = np.unique(epochs)
    means = np.array([shares[epochs == e].mean(axis=0) for e in groups]).reshape(len(groups), len(names))
    deviation = shares - means[np.searchsorted(groups, epochs)] if len(shares) else shares
    within = (deviation**2).sum(axis=0)
    total = ((shares - shares.mean(axis=0)) ** 2).sum(axis=0) if len(shares) else within
    dof = len(shares) - len(groups)
    table = pd.DataFrame(
        {
            "variable": names,
            "mean share": shares.mean(axis=0) if len(shares) else np.full(len(names), np.nan),
            "sd within epochs": np.sqrt(within / dof) if dof > 0 else np.full(len(names), np.nan),
            "sd between epochs": means.std(axis=0, ddof=1) if len(groups) > 1 else np.full(len(names), np.nan),
        }
    )
    epoch_top = np.argmax(history.relevance, axis=1)
    agree = np.argmax(shares, axis=1) == epoch_top[epochs] if len(shares) else np.array([])
    summary = {
        "steps": int(len(shares)),
        "all_steps": int(len(keep)),
        "epochs": int(len(groups)),
        "steps_per_epoch": int(np.bincount(np.asarray(history.batch_epoch, dtype=int)).max()),
        "within_share": float(within.sum() / total.sum())
        if dof > 0 and len(groups) > 1 and total.sum() > 0
        else float("nan"),
        "top1_agreement": float(agree.mean()) if len(agree) else float("nan"),
    }
    return table, summary


def steps_of_epochs(history: History) -> list[int]:
    """The number of mini-batch steps of each epoch, in order."""
    return np.bincount(_require_batches(history)[2], minlength=history.epochs).tolist()


def _require_batches(history: History) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if history.batch_relevance is None or history.raw_batch_relevance is None or history.batch_epoch is None:
        raise ValueError("history holds no per-batch learning gradient: train it with record='batch'")
    return (
        np.asarray(history.batch_relevance, dtype=float),
        np.asarray(history.raw_batch_relevance, dtype=float),
        np.asarray(history.batch_epoch, dtype=int),
    )


# --- the chapter's sentences (Per mini-batch) -----------------------------------------------------------------------


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
