"""What the study across seeds keeps: per design, every run's learning gradient and test accuracy per
epoch (:class:`SeedRuns`), and the designs with their cross-validation (:class:`SeedStudy`).

A run whose last epoch's learning gradient is zero or not finite (:attr:`lgrad.History.rankable`) learned nothing: it
counts for accuracy and is left out of every ranking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ...history import History
from .. import rank_agreement
from .accuracy import CrossValidation

K = 5
"""The length of the top lists: the paper lists five variables."""


DESIGNS = {
    "both": "split and initialization vary",
    "small_test": "10 % test split, both vary",
    "split_fixed": "split fixed, initialization varies",
    "init_fixed": "initialization fixed, split varies",
    "long": "long runs",
}
"""Each design's key and what varies across its seeds."""


@dataclass(frozen=True)
class SeedRuns:
    """The runs of one design: per seed (``S``), every epoch's (``E``) learning gradient and test accuracy.

    ``relevance`` is ``(S, E, F)``, each row normalized to sum to 1 (zeros where the epoch ranks nothing);
    ``rankable`` ``(S, E)`` is :attr:`lgrad.History.rankable`; ``test_accuracy`` ``(S, E)``; ``split_seeds`` and
    ``train_seeds`` fix each run's split and its initial weights and order.
    """

    design: str
    feature_names: tuple[str, ...]
    split_seeds: np.ndarray
    train_seeds: np.ndarray
    relevance: np.ndarray
    rankable: np.ndarray
    test_accuracy: np.ndarray
    n_test: int
    n_train: int

    @classmethod
    def from_histories(
        cls,
        design: str,
        histories: Sequence[History],
        split_seeds: Sequence[int],
        train_seeds: Sequence[int],
        n_train: int,
    ) -> SeedRuns:
        first = histories[0]
        return cls(
            design=design,
            feature_names=tuple(first.feature_names),
            split_seeds=np.asarray(split_seeds, dtype=np.int64),
            train_seeds=np.asarray(train_seeds, dtype=np.int64),
            relevance=np.stack([h.relevance for h in histories]),
            rankable=np.stack([h.rankable for h in histories]),
            test_accuracy=np.stack([h.test_accuracy for h in histories]),
            n_test=int(first.test_class_counts.sum()),
            n_train=n_train,
        )

    @property
    def n_seeds(self) -> int:
        return len(self.train_seeds)

    @property
    def epochs(self) -> int:
        return self.relevance.shape[1]

    @property
    def learned(self) -> np.ndarray:
        """Per seed, whether its last epoch ranks the inputs (its run did not learn nothing)."""
        return self.rankable[:, -1]

    @property
    def test_correct(self) -> np.ndarray:
        """Per seed, the test rows right after the last epoch."""
        return np.round(self.test_accuracy[:, -1] * self.n_test).astype(np.int64)

    def final_relevance(self) -> np.ndarray:
        """The last epoch's learning gradient of the runs that learned, ``(L, F)``."""
        return self.relevance[self.learned, -1]

    def tops(self, k: int = K, epoch: int = -1) -> list[list[str]]:
        """The top ``k`` at ``epoch`` (0-based; -1 the last) of each run that learned, most relevant first."""
        names = self.feature_names
        return [rank_agreement.top_k(row, names, k) for row in self.relevance[self.learned, epoch]]


@dataclass(frozen=True)
class SeedStudy:
    """The designs of :func:`seed_study` (``runs[design]``, keys of :data:`DESIGNS`) and its cross-validation."""

    settings: dict[str, Any]
    runs: dict[str, SeedRuns]
    cv: CrossValidation
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def seeds(self) -> int:
        return self.runs["both"].n_seeds

    @property
    def first_seed(self) -> int:
        return int(self.runs["both"].train_seeds[0])

    def trainings(self) -> pd.DataFrame:
        """The compute of the study, counted: per design the networks trained, epochs, and example gradients (one
        forward and backward pass of one training example)."""
        rows = [
            {
                "design": DESIGNS[key],
                "networks": runs.n_seeds,
                "epochs": runs.epochs,
                "training rows": runs.n_train,
                "example gradients": runs.n_seeds * runs.epochs * runs.n_train,
            }
            for key, runs in self.runs.items()
            if not (key == "small_test" and runs is self.runs["both"])
        ]
        folds = self.meta.get("cv_train_rows", [])
        rows.append(
            {
                "design": f"cross-validation ({self.cv.n_repeats} × {self.cv.n_splits} folds)",
                "networks": self.cv.trainings,
                "epochs": self.settings["epochs"],
                "training rows": int(np.mean(folds)) if folds else 0,
                "example gradients": int(np.sum(folds)) * self.settings["epochs"],
            }
        )
        return pd.DataFrame(rows)
