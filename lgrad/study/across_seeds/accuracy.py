"""What a test accuracy measured on a few rows can say: exact binomial intervals, the chance of a perfect score, and
an estimate that uses every row, repeated stratified k-fold cross-validation.

A test set of ``n`` rows scores ``k`` right; read as ``k`` successes in ``n`` independent trials with the network's
true accuracy ``p``, :func:`clopper_pearson` gives the exact 95 % interval for ``p`` (114 of 114 right is consistent
with ``p`` as low as 96.8 %), and :func:`perfect_score_chance` the chance ``p^n`` that all ``n`` rows are right.
:func:`cross_validate` trains the network on the folds of :class:`sklearn.model_selection.RepeatedStratifiedKFold`
(10 × 10 folds by default), each fold standardized on its own training rows as :func:`lgrad.load_dataset` does, all
folds of one size as one :func:`lgrad.train_many` computation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from scipy.stats import beta
from sklearn.model_selection import RepeatedStratifiedKFold
from sklearn.preprocessing import StandardScaler

from ...checks import check_float, check_int, check_seed
from ...data import Dataset
from ...many import train_many
from ...seeding import derive_seed
from ..runs import train_settings

LEVEL = 0.95
"""The confidence level of every interval in the book's study across seeds."""


def clopper_pearson(k: Any, n: Any, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """The exact (Clopper–Pearson) ``level`` interval for a proportion seen as ``k`` successes in ``n`` trials.

    Vectorized over ``k`` and ``n`` (broadcast); ``k`` may be a real number in ``[0, n]`` (the interval of a mean
    count, as for cross-validation). The bounds are the beta quantiles ``B(α/2; k, n − k + 1)`` and
    ``B(1 − α/2; k + 1, n − k)``, with 0 for ``k = 0`` and 1 for ``k = n``: the interval of
    ``scipy.stats.binomtest(k, n).proportion_ci(level, method="exact")``.

    Returns:
        ``(low, high)``, arrays of the broadcast shape.
    """
    level = check_float("level", level, minimum=0, maximum=1, min_inclusive=False, max_inclusive=False)
    k, n = np.broadcast_arrays(np.asarray(k, dtype=float), np.asarray(n, dtype=float))
    if not (np.isfinite(n).all() and (n >= 1).all() and (n == np.round(n)).all()):
        raise ValueError(f"n must hold integers >= 1, got {n.tolist()!r}")
    if not (np.isfinite(k).all() and (k >= 0).all() and (k <= n).all()):
        raise ValueError(f"k must hold numbers in [0, n], got k={k.tolist()!r}, n={n.tolist()!r}")
    alpha = 1 - level
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(k > 0, beta.ppf(alpha / 2, np.maximum(k, 1e-300), n - k + 1), 0.0)
        high = np.where(k < n, beta.ppf(1 - alpha / 2, k + 1, np.maximum(n - k, 1e-300)), 1.0)
    return low, high


def perfect_score_chance(accuracy: Any, n: Any) -> np.ndarray:
    """The chance ``p^n`` that a network of true accuracy ``p`` gets all ``n`` independent test rows right."""
    accuracy = np.asarray(accuracy, dtype=float)
    if not (np.isfinite(accuracy).all() and (accuracy >= 0).all() and (accuracy <= 1).all()):
        raise ValueError(f"accuracy must hold numbers in [0, 1], got {accuracy.tolist()!r}")
    return np.power(accuracy, np.asarray(n, dtype=float))


@dataclass(frozen=True)
class CrossValidation:
    """The folds of a repeated stratified k-fold cross-validation: one entry per fold, in the splitter's order.

    ``correct[i]`` of ``size[i]`` held-out rows of fold ``i`` (repetition ``repeat[i]``) were classified right after
    the last epoch; every repetition holds each of the ``n_rows`` rows out exactly once.
    """

    n_splits: int
    n_repeats: int
    n_rows: int
    correct: np.ndarray
    size: np.ndarray
    repeat: np.ndarray

    @property
    def accuracy(self) -> float:
        """The estimate: rows right over rows held out, all folds together (the mean of the repetitions')."""
        return float(self.correct.sum() / self.size.sum())

    @property
    def repeat_accuracy(self) -> np.ndarray:
        """Each repetition's accuracy over all the rows."""
        return np.array([self.correct[self.repeat == r].sum() / self.n_rows for r in range(self.n_repeats)])

    def interval(self, level: float = LEVEL) -> tuple[float, float]:
        """The Clopper–Pearson interval of :attr:`accuracy` counted over the ``n_rows`` distinct rows: the
        repetitions hold the same rows out again, so they add no independent trials."""
        low, high = clopper_pearson(self.accuracy * self.n_rows, self.n_rows, level)
        return float(low), float(high)

    @property
    def trainings(self) -> int:
        return len(self.correct)


def fold_dataset(ds: Dataset, train_rows: np.ndarray, test_rows: np.ndarray, fold: int) -> Dataset:
    """``ds``'s rows split into ``train_rows`` and ``test_rows``, standardized as :func:`lgrad.load_dataset` does:
    on the training rows (``scale="train"``) or on all rows (``"all"``)."""
    names = list(ds.feature_names)
    values = ds.raw[names].to_numpy(dtype=np.float64)
    labels = ds.raw["target"].to_numpy(dtype=np.float64)
    train_rows, test_rows = np.sort(train_rows), np.sort(test_rows)
    scale = ds.settings.get("scale", "train")
    scaler = StandardScaler().fit(values[train_rows] if scale == "train" else values)
    standardized = scaler.transform(values)
    return Dataset(
        name=ds.name,
        feature_names=ds.feature_names,
        class_names=ds.class_names,
        X_train=torch.from_numpy(standardized[train_rows]),
        y_train=torch.from_numpy(labels[train_rows]),
        X_test=torch.from_numpy(standardized[test_rows]),
        y_test=torch.from_numpy(labels[test_rows]),
        raw=ds.raw,
        settings={**ds.settings, "test_size": len(test_rows) / len(labels), "fold": fold},
    )


def cross_validate(
    ds: Dataset,
    settings: Mapping[str, Any],
    *,
    seed: int = 0,
    n_splits: int = 10,
    n_repeats: int = 10,
) -> CrossValidation:
    """Repeated stratified k-fold cross-validation of the network trained with ``settings`` on every row of ``ds``.

    The folds are ``RepeatedStratifiedKFold(n_splits, n_repeats)`` with a random state derived from ``seed`` (its
    ``split`` stream); fold ``i`` (0-based, in the splitter's order) is trained with seed ``seed + i``. Folds with
    the same numbers of training and held-out rows are trained together in one :func:`lgrad.train_many` call.

    Args:
        ds: the data (its ``raw`` rows and its ``scale`` setting are used, not its split).
        settings: ``hidden``, ``activation``, ``loss``, ``lr``, ``batch_size``, ``epochs`` as for :func:`lgrad.train`.
        seed: fixes the folds and the networks.
        n_splits, n_repeats: the folds per repetition (at least 2) and the repetitions (at least 1).
    """
    seed = check_seed(seed)
    n_splits = check_int("n_splits", n_splits, minimum=2)
    n_repeats = check_int("n_repeats", n_repeats, minimum=1)
    labels = ds.raw["target"].to_numpy()
    splitter = RepeatedStratifiedKFold(
        n_splits=n_splits, n_repeats=n_repeats, random_state=derive_seed(seed, "split") % 2**32
    )
    folds = [fold_dataset(ds, train, test, i) for i, (train, test) in enumerate(splitter.split(labels, labels))]
    groups: dict[tuple[int, int], list[int]] = {}
    for i, fold in enumerate(folds):
        groups.setdefault((len(fold.y_train), len(fold.y_test)), []).append(i)
    correct = np.zeros(len(folds), dtype=np.int64)
    for members in groups.values():
        data, seeds = [folds[i] for i in members], [seed + i for i in members]
        histories = train_many(data, seeds, record=None, evaluate="last", **train_settings(settings))
        for i, history in zip(members, histories, strict=True):
            correct[i] = round(float(history.test_accuracy[-1]) * len(folds[i].y_test))
    size = np.array([len(fold.y_test) for fold in folds], dtype=np.int64)
    return CrossValidation(
        n_splits=n_splits,
        n_repeats=n_repeats,
        n_rows=len(labels),
        correct=correct,
        size=size,
        repeat=np.repeat(np.arange(n_repeats), n_splits),
    )
