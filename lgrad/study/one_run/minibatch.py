"""The learning gradient per mini-batch: the base run recorded step by step, and how much the steps of an epoch differ.

The paper calls the per-mini-batch learning gradient its more granular view. :func:`batch_run` trains the base run
again with ``record="batch"`` (the same training: recording reads the backward pass, it changes no step), and
:func:`batch_variation` splits the variation of the per-batch shares into what moves within an epoch and what moves
between epochs, the sum-of-squares split of a one-way analysis of variance with the epochs as groups.

Its sentences are :mod:`lgrad.study.one_run.text.minibatch`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ...data import Dataset
from ...history import History
from ..runs import run_dataset, run_settings, train_run


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
