"""Sentences about one trained run that chapters of several groups share: that it learned nothing, which
bars are colored, how its training rows are fed. Each takes numbers already computed; none trains or measures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .text import percent


def learned_nothing(history: Any, class_names: Sequence[str]) -> str | None:
    """What a run that learned nothing did, in one sentence; ``None`` for a run whose last epoch ranks its inputs."""
    stuck = history.degenerate_from()
    if stuck is None:
        return None
    diverged = history.diverged_from()
    why = "is zero" if diverged is None else f"is not finite (its cost diverged from epoch {diverged} on)"
    accuracy = percent(float(history.test_accuracy[-1]))
    predicted = history.constant_prediction()
    if predicted is None:
        tail = f"its test accuracy is {accuracy}"
    else:
        majority = int(np.argmax(history.test_class_shares))
        which = "the majority class" if predicted == majority else "a minority class"
        tail = (
            f"it predicts {class_names[predicted]} for every test row, so its test accuracy, {accuracy}, is the "
            f"share of {which}"
        )
    return f"this run learned nothing: from epoch {stuck} on its learning gradient {why}, and {tail}"


def colored(status: str | None, what: str = "bars", k: int = 5) -> str:
    """What the colours of the paper's Fig. 5 (``what="bars"``) or of the heatmap's ``"names"`` mark."""
    if status is not None:
        return f"no {what[:-1]} is colored: this run has no most relevant variables"
    return f"the {what} of the {k} most relevant variables after the last epoch are colored"


def batches(batch_size: int | str, n_train: int) -> str:
    """How the training rows are fed: ``mini-batches of 16 examples``, ``one batch of all 455 rows``…"""
    if batch_size == "full" or batch_size >= n_train:
        return f"one batch of all {n_train} training rows per step (full-batch gradient descent)"
    if batch_size == 1:
        return "one example per step, as in Algorithm 1"
    return f"mini-batches of {batch_size} examples"
