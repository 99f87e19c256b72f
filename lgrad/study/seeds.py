"""The paper's claims across many seeds: one batched computation per design, cached, and what it says.

:func:`seed_study` trains the book's network for the seeds ``seed, seed + 1, …`` (each seed its own split, initial
weights and example order, as :func:`lgrad.study.runs.run` with that seed) in five designs, each one
:func:`lgrad.train_many` call:

* ``"both"``: the book's settings, split and initialization drawn from each seed;
* ``"small_test"``: the same with a 10 % test split (:data:`SMALL_TEST_SIZE`);
* ``"split_fixed"``: the split of the first seed for every seed, only the initialization (and order) varies;
* ``"init_fixed"``: the initialization (and order) of the first seed for every seed, only the split varies
  (these two with the first ``min(seeds, SOURCE_SEEDS)`` seeds);
* ``"long"``: the first ``min(seeds, LONG_SEEDS)`` seeds of ``"both"`` trained for ``long_epochs`` epochs;

and a repeated stratified 10 × 10-fold cross-validation (:func:`lgrad.study.accuracy.cross_validate`). With a run
cache (``LGRAD_RUN_CACHE``, set by the book's build) the study is saved under a key of everything that decides its
numbers and loaded by the next chapter that asks (the report reuses the chapter's study), behind a file lock.

The functions after :func:`seed_study` read a study: accuracy, rankings, blocks, convergence. A run whose last
epoch's learning gradient is zero or not finite (:attr:`lgrad.History.rankable`) learned nothing: it counts for
accuracy and is left out of every ranking.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from filelock import FileLock

from ..atomic import atomic_path
from ..checks import check_int
from ..history import History
from ..many import train_many
from . import agreement
from .accuracy import CrossValidation, clopper_pearson, cross_validate, perfect_score_chance
from .convergence import SETTLE_RATIO
from .runs import RUN_CACHE_ENV, run_key, run_settings, seed_datasets, train_settings

SMALL_TEST_SIZE = 0.1
"""The second split of the study: 10 % of the rows for testing, where a perfect score is more likely."""
LONG_SEEDS = 30
"""At most this many seeds are trained for ``long_epochs`` epochs (a choice for the build's time, stated)."""
SOURCE_SEEDS = 50
"""At most this many seeds in each of the designs that fix the split or the initialization (the build's time)."""
K = 5
"""The length of the top lists: the paper lists five variables."""
CV_SPLITS, CV_REPEATS = 10, 10
"""Repeated stratified cross-validation: 10 repetitions of 10 folds."""
DESIGNS = {
    "both": "split and initialization vary",
    "small_test": "10 % test split, both vary",
    "split_fixed": "split fixed, initialization varies",
    "init_fixed": "initialization fixed, split varies",
    "long": "long runs",
}
"""Each design's key and what varies across its seeds."""
_FORMAT = "lgrad.SeedStudy/1"


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
        return [agreement.top_k(row, names, k) for row in self.relevance[self.learned, epoch]]


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


def seed_study(settings: Mapping[str, Any], seeds: int, long_epochs: int) -> SeedStudy:
    """Train the designs of this module for ``seeds`` seeds from ``settings["seed"]`` on; cached when
    ``LGRAD_RUN_CACHE`` is set (the same numbers: the key holds everything that decides them).

    Args:
        settings: a run's settings (:func:`lgrad.study.runs.run_settings`), e.g. a chapter's ``chapter.settings``.
        seeds: how many seeds (at least 2).
        long_epochs: the epochs of the long runs (at least 3).
    """
    settings = run_settings(settings)
    seeds = check_int("seeds", seeds, minimum=2)
    long_epochs = check_int("long_epochs", long_epochs, minimum=3)
    cache = os.environ.get(RUN_CACHE_ENV)
    if not cache:
        return _compute(settings, seeds, long_epochs)
    path = Path(cache) / f"seeds-{study_key(settings, seeds, long_epochs)}.npz"
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(path.with_name(path.name + ".lock")):
        if not path.is_file():
            save_study(_compute(settings, seeds, long_epochs), path)
        return load_study(path)


def study_key(settings: Mapping[str, Any], seeds: int, long_epochs: int) -> str:
    """The cache key of a study: the base run's key (settings, data, lgrad source, torch and threads) and its sizes."""
    record = {"run": run_key(settings), "seeds": seeds, "long_epochs": long_epochs, "format": _FORMAT}
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()[:24]


def _compute(settings: dict[str, Any], seeds: int, long_epochs: int) -> SeedStudy:
    first = settings["seed"]
    seed_list = list(range(first, first + seeds))
    train = train_settings(settings)

    def datasets(test_size: float) -> list:
        return seed_datasets(settings, seed_list, test_size)

    def design(key: str, data: list, split_seeds: list[int], train_seeds: list[int], **extra: Any) -> SeedRuns:
        histories = train_many(data, train_seeds, **{**train, **extra})
        return SeedRuns.from_histories(key, histories, split_seeds, train_seeds, len(data[0].y_train))

    book = datasets(settings["test_size"])
    runs = {"both": design("both", book, seed_list, seed_list)}
    if settings["test_size"] == SMALL_TEST_SIZE:
        runs["small_test"] = runs["both"]
    else:
        runs["small_test"] = design("small_test", datasets(SMALL_TEST_SIZE), seed_list, seed_list)
    n_source = min(seeds, SOURCE_SEEDS)
    some = seed_list[:n_source]
    runs["split_fixed"] = design("split_fixed", [book[0]] * n_source, [first] * n_source, some)
    runs["init_fixed"] = design("init_fixed", book[:n_source], some, [first] * n_source)
    n_long = min(seeds, LONG_SEEDS)
    runs["long"] = design("long", book[:n_long], seed_list[:n_long], seed_list[:n_long], epochs=long_epochs)
    cv = cross_validate(book[0], settings, seed=first, n_splits=CV_SPLITS, n_repeats=CV_REPEATS)
    meta = {"cv_train_rows": [int(cv.n_rows - s) for s in cv.size]}
    return SeedStudy(settings=dict(settings), runs=runs, cv=cv, meta=meta)


_RUN_ARRAYS = ("split_seeds", "train_seeds", "relevance", "rankable", "test_accuracy")
_CV_ARRAYS = ("correct", "size", "repeat")


def save_study(study: SeedStudy, path: str | Path) -> Path:
    """Write ``study`` to an ``.npz`` file (no pickle), atomically."""
    path = Path(path)
    arrays = {}
    designs = {}
    for key, runs in study.runs.items():
        if key == "small_test" and runs is study.runs["both"]:
            designs[key] = {"same_as": "both"}
            continue
        designs[key] = {"n_test": runs.n_test, "n_train": runs.n_train, "feature_names": list(runs.feature_names)}
        arrays.update({f"{key}/{name}": getattr(runs, name) for name in _RUN_ARRAYS})
    arrays.update({f"cv/{name}": getattr(study.cv, name) for name in _CV_ARRAYS})
    cv = {"n_splits": study.cv.n_splits, "n_repeats": study.cv.n_repeats, "n_rows": study.cv.n_rows}
    meta = {"format": _FORMAT, "settings": study.settings, "designs": designs, "cv": cv, "meta": study.meta}
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, meta=np.array(json.dumps(meta, default=list)), **arrays)
    return path


def load_study(path: str | Path) -> SeedStudy:
    """Read a study written by :func:`save_study`."""
    with np.load(path, allow_pickle=False) as npz:
        doc = json.loads(str(npz["meta"]))
        arrays = {name: npz[name] for name in npz.files if name != "meta"}
    runs: dict[str, SeedRuns] = {}
    for key, design in doc["designs"].items():
        if "same_as" in design:
            continue
        runs[key] = SeedRuns(
            design=key,
            feature_names=tuple(design["feature_names"]),
            n_test=design["n_test"],
            n_train=design["n_train"],
            **{name: arrays[f"{key}/{name}"] for name in _RUN_ARRAYS},
        )
    for key, design in doc["designs"].items():
        if "same_as" in design:
            runs[key] = runs[design["same_as"]]
    cv = CrossValidation(**doc["cv"], **{name: arrays[f"cv/{name}"] for name in _CV_ARRAYS})
    settings = doc["settings"]
    settings["hidden"] = tuple(settings["hidden"])
    return SeedStudy(settings=settings, runs={k: runs[k] for k in DESIGNS}, cv=cv, meta=doc["meta"])


# --- reading a study ---

BAND = (10, 90)
"""The band drawn around a mean over seeds: from the 10th to the 90th percentile (80 % of the seeds)."""
BLOCK_THRESHOLD = 0.9
"""Variables joined by chains of correlations at least this strong form a block, as in the data chapter."""


def summaries(study: SeedStudy, ds: Any, reference: Sequence[str], k: int = K) -> dict[str, Any]:
    """Everything the chapters read from a study, for the data ``ds`` (its blocks) and the ``reference`` list.

    Keys: ``book`` and ``small`` (:func:`accuracy_summary` of the book's and of the 10 % split), ``same_split``
    (the book's split is the 10 % split), ``ranking`` and ``ranking_small`` (:func:`ranking_summary`), ``blocks``
    (the data's blocks, :func:`lgrad.study.describe.correlated_blocks`), ``units``, ``block_reading``
    (:func:`block_summary`), ``convergence`` (:func:`convergence_over_seeds`), ``long`` (:func:`long_summary`) and
    ``sources`` (:func:`sources`).
    """
    from .describe import correlated_blocks

    blocks = correlated_blocks(ds, threshold=BLOCK_THRESHOLD)
    units = agreement.block_units(ds.feature_names, blocks)
    both, small = study.runs["both"], study.runs["small_test"]
    return {
        "book": accuracy_summary(both, study.cv),
        "small": accuracy_summary(small, study.cv),
        "same_split": small is both,
        "ranking": ranking_summary(both, reference, k),
        "ranking_small": ranking_summary(small, reference, k),
        "blocks": blocks,
        "units": units,
        "block_reading": block_summary(both, units, reference, k),
        "convergence": convergence_over_seeds(both, k),
        "long": long_summary(study, k),
        "sources": sources(study, reference, k),
    }


def accuracy_summary(runs: SeedRuns, cv: CrossValidation) -> dict[str, Any]:
    """Test accuracy after the last epoch across the seeds of ``runs``, against the cross-validated estimate.

    Returns ``n_seeds``, ``n_test``, ``accuracy`` (per seed), ``min``/``median``/``mean``/``max``, ``perfect``
    (seeds at 100 %) and ``perfect_share``, ``errors`` (seeds with 0, 1, 2, … test errors), each run's
    Clopper–Pearson interval ``ci_low``/``ci_high``, ``ci_contains_cv`` (runs whose interval holds the
    cross-validated estimate), ``perfect_low`` (the lowest true accuracy a perfect score is consistent with),
    ``cv``, ``cv_low``/``cv_high``, ``expected_perfect`` (the chance ``p^n`` of a perfect score at the cross-validated
    accuracy ``p``), ``perfect_pvalue`` (two-sided binomial test of the seeds at 100 % against that chance; ``None``
    when the chance is 0 or 1) and ``expected_errors`` (seeds expected with 0, 1, 2, … errors if each test row is an
    independent trial at accuracy ``p``).
    """
    from scipy.stats import binom, binomtest

    n, correct = runs.n_test, runs.test_correct
    accuracy = correct / n
    low, high = clopper_pearson(correct, n)
    p = cv.accuracy
    cv_low, cv_high = cv.interval()
    errors = np.bincount(n - correct, minlength=1)
    perfect = int((correct == n).sum())
    expected = float(perfect_score_chance(p, n))
    return {
        "design": runs.design,
        "n_seeds": runs.n_seeds,
        "epochs": runs.epochs,
        "n_test": n,
        "accuracy": accuracy,
        "min": float(accuracy.min()),
        "median": float(np.median(accuracy)),
        "mean": float(accuracy.mean()),
        "max": float(accuracy.max()),
        "perfect": perfect,
        "perfect_share": perfect / runs.n_seeds,
        "errors": errors,
        "ci_low": low,
        "ci_high": high,
        "ci_contains_cv": int(((low <= p) & (p <= high)).sum()),
        "perfect_low": float(clopper_pearson(n, n)[0]),
        "cv": p,
        "cv_low": cv_low,
        "cv_high": cv_high,
        "expected_perfect": expected,
        "perfect_pvalue": float(binomtest(perfect, runs.n_seeds, expected).pvalue) if 0 < expected < 1 else None,
        "expected_errors": runs.n_seeds * binom.pmf(np.arange(len(errors)), n, 1 - p),
    }


def ranking_summary(runs: SeedRuns, reference: Sequence[str], k: int = K) -> dict[str, Any]:
    """The final top ``k`` of the runs that learned, against each other and against ``reference`` (the paper's).

    Returns ``n_seeds``, ``n_learned``, ``frequency`` (a Series: per variable, the runs with it in their top ``k``,
    most frequent first), ``overlaps`` (per run, how many of ``reference`` its top ``k`` holds), ``overlap_counts``
    (runs with 0, 1, …, ``k`` of them), ``exact_set`` and ``exact_order`` (runs whose top ``k`` is ``reference`` as a
    set, and in its order), ``mean_relevance`` (a Series: the seed-averaged learning gradient of the last epoch),
    ``mean_top`` (its top ``k``) and ``mean_top_overlap``, ``tau`` (mean pairwise Kendall τ-b of the last epoch's
    learning gradients), ``w`` (Kendall's W), ``n_sets`` (distinct top-``k`` sets), ``common_set`` and
    ``common_count`` (the most frequent set, ties broken by the variables' order, and its runs). Without any run that
    learned the lists are empty and the statistics NaN or ``None``.
    """
    names = list(runs.feature_names)
    tops = runs.tops(k)
    final = runs.final_relevance()
    frequency = pd.Series(Counter(name for top in tops for name in top), dtype="int64").reindex(names, fill_value=0)
    order = sorted(names, key=lambda name: (-frequency[name], names.index(name)))
    overlaps = np.array([agreement.overlap(top, reference) for top in tops], dtype=np.int64)
    mean_relevance = pd.Series(final.mean(axis=0) if len(final) else np.full(len(names), np.nan), index=names)
    mean_top = agreement.top_k(mean_relevance.to_numpy(), names, k) if len(final) else []
    sets = Counter(tuple(sorted(top, key=names.index)) for top in tops)
    common = max(sets.items(), key=lambda item: item[1]) if sets else (None, 0)
    return {
        "n_seeds": runs.n_seeds,
        "n_learned": len(tops),
        "k": k,
        "frequency": frequency[order],
        "overlaps": overlaps,
        "overlap_counts": np.bincount(overlaps, minlength=k + 1),
        "exact_set": int((overlaps == len(set(reference))).sum()) if len(set(reference)) == k else 0,
        "exact_order": sum(list(top) == list(reference) for top in tops),
        "mean_relevance": mean_relevance,
        "mean_top": mean_top,
        "mean_top_overlap": agreement.overlap(mean_top, reference) if mean_top else None,
        "tau": agreement.mean_pairwise_tau(final) if len(final) >= 2 else float("nan"),
        "w": agreement.kendall_w(final) if len(final) >= 2 else float("nan"),
        "n_sets": len(sets),
        "common_set": list(common[0]) if common[0] else None,
        "common_count": common[1],
    }


def block_summary(runs: SeedRuns, units: Mapping[str, str], reference: Sequence[str], k: int = K) -> dict[str, Any]:
    """The final top ``k`` read at the level of blocks: each variable stands for its unit (its block of strongly
    correlated variables, or itself; :func:`lgrad.study.agreement.block_units`).

    Returns ``n_learned``, ``frequency`` (a Series: per unit, the runs whose top ``k`` holds one of its variables,
    most frequent first), ``reference_units`` (the units of ``reference``, in its order), ``covered`` (per run, how
    many of them its top ``k`` reaches), ``covered_counts`` (runs reaching 0, 1, … of them), ``covers_all`` (runs
    reaching every one) and ``same_units`` (runs whose top ``k`` falls in exactly the reference's units), and
    ``variable_overlap_mean`` (the mean variable-level overlap with ``reference``, for comparison).
    """
    tops = runs.tops(k)
    reference_units = list(dict.fromkeys(units.get(name, name) for name in reference))
    run_units = [agreement.as_units(top, units) for top in tops]
    all_units = list(dict.fromkeys(units[name] for name in runs.feature_names))
    counts = Counter(unit for found in run_units for unit in found)
    order = sorted(all_units, key=lambda unit: (-counts[unit], all_units.index(unit)))
    covered = np.array([len(found & set(reference_units)) for found in run_units], dtype=np.int64)
    overlaps = [agreement.overlap(top, reference) for top in tops]
    return {
        "n_learned": len(tops),
        "frequency": pd.Series({unit: counts[unit] for unit in order}, dtype="int64"),
        "reference_units": reference_units,
        "covered": covered,
        "covered_counts": np.bincount(covered, minlength=len(reference_units) + 1),
        "covers_all": int((covered == len(reference_units)).sum()),
        "same_units": sum(found == set(reference_units) for found in run_units),
        "variable_overlap_mean": float(np.mean(overlaps)) if overlaps else float("nan"),
    }


def settles(relevance: np.ndarray) -> np.ndarray:
    """Per run (rows of ``relevance``, shape ``(S, E, F)``), whether its bars settle by the criterion of
    :func:`lgrad.study.convergence.convergence_summary`: the mean L1 change over the last ``w`` epoch-to-epoch steps
    is at most :data:`~lgrad.study.convergence.SETTLE_RATIO` times the mean over the first ``w``,
    ``w = min(5, (E − 1) // 2)``."""
    steps = np.abs(np.diff(relevance, axis=1)).sum(axis=2)
    window = min(5, (relevance.shape[1] - 1) // 2)
    early, late = steps[:, :window].mean(axis=1), steps[:, -window:].mean(axis=1)
    ratio = np.divide(late, early, out=np.zeros_like(late), where=early > 0)
    return ratio <= SETTLE_RATIO


def convergence_over_seeds(runs: SeedRuns, k: int = K) -> dict[str, Any]:
    """The convergence of the learning gradient over the epochs, for every run that learned.

    Returns ``n_learned``, ``epochs``; per epoch (1-based ``epoch``) the L1 change since the previous epoch
    (``step_mean``, ``step_low``, ``step_high``: the mean and the :data:`BAND` over runs; the first epoch has none)
    and the L1 distance to the last epoch (``to_last_*``); ``settle`` (runs whose bars settle, :func:`settles`),
    ``moved_last`` (runs whose top ``k`` at the last epoch differs from the epoch before's, as a set),
    ``final_from`` (per run, the first epoch from which its top-``k`` set stays the final one) and
    ``same_as_last_share`` (per epoch, the share of runs whose top-``k`` set is already their last epoch's).
    """
    relevance = runs.relevance[runs.learned]
    n, epochs = len(relevance), runs.epochs
    empty = np.full(epochs, np.nan)
    result = {"n_learned": n, "epochs": epochs, "epoch": np.arange(1, epochs + 1), "k": k}
    if not n:
        return {**result, **{f"{m}_{s}": empty for m in ("step", "to_last") for s in ("mean", "low", "high")},
                "same_as_last_share": empty, "settle": 0, "moved_last": 0,
                "final_from": np.array([], dtype=np.int64)}  # fmt: skip
    steps = np.abs(np.diff(relevance, axis=1)).sum(axis=2)  # (n, E - 1): epochs 2..E
    to_last = np.abs(relevance - relevance[:, -1:]).sum(axis=2)
    tops = np.argsort(-relevance, axis=2, kind="stable")[:, :, :k]
    same_as_last = np.array([[set(run[e]) == set(run[-1]) for e in range(epochs)] for run in tops])
    final_from = np.array([_stays_from(row) for row in same_as_last], dtype=np.int64)
    for name, values, skip in (("step", steps, 1), ("to_last", to_last, 0)):
        low, high = np.percentile(values, BAND, axis=0)
        pad = np.full(skip, np.nan)
        result[f"{name}_mean"] = np.r_[pad, values.mean(axis=0)]
        result[f"{name}_low"], result[f"{name}_high"] = np.r_[pad, low], np.r_[pad, high]
    return {
        **result,
        "same_as_last_share": same_as_last.mean(axis=0),
        "settle": int(settles(relevance).sum()),
        "moved_last": int((~same_as_last[:, -2]).sum()) if epochs > 1 else 0,
        "final_from": final_from,
    }


def long_summary(study: SeedStudy, k: int = K) -> dict[str, Any]:
    """Where the ranking goes when training runs on: the long runs against the book's ``epochs``.

    Returns ``n_seeds``, ``epochs`` (the book's), ``long_epochs``, ``longer`` (whether the long runs are longer),
    ``n_learned`` (long runs that learned, at the book's last epoch and at their own), ``prefix_max_diff`` (the
    largest difference, over those runs and the book's epochs, between a long run's learning gradient and its
    ``epochs``-epoch run's: the first epochs repeat the shorter run if the epoch orders are a prefix),
    ``prefix_same_top`` (runs whose top ``k`` at the book's last epoch is the same in both), ``kept`` (runs whose
    top-``k`` set at the book's last epoch is the one at the long run's last), ``overlap_counts`` (runs sharing 0, 1,
    … ``k`` variables between the two), ``moved_last`` (runs whose top ``k`` still changes at the long run's last
    epoch), ``settle`` (runs whose bars settle over the long run) and the L1 change per epoch of
    :func:`convergence_over_seeds` over the long runs (``convergence``).
    """
    long, book = study.runs["long"], study.runs["both"]
    n, epochs, long_epochs = long.n_seeds, book.epochs, long.epochs
    both_learned = long.learned & book.learned[:n] & long.rankable[:, min(epochs, long_epochs) - 1]
    result = {"n_seeds": n, "epochs": epochs, "long_epochs": long_epochs, "longer": long_epochs > epochs,
              "n_learned": int(both_learned.sum()), "convergence": convergence_over_seeds(long, k)}  # fmt: skip
    if not both_learned.any():
        return {**result, "prefix_max_diff": float("nan"), "prefix_same_top": 0, "kept": 0,
                "overlap_counts": np.zeros(k + 1, dtype=np.int64), "moved_last": 0, "settle": 0}  # fmt: skip
    shared = min(epochs, long_epochs)
    head, short = long.relevance[both_learned, :shared], book.relevance[:n][both_learned, :shared]
    names = long.feature_names
    at_book = [agreement.top_k(row, names, k) for row in long.relevance[both_learned, shared - 1]]
    at_end = [agreement.top_k(row, names, k) for row in long.relevance[both_learned, -1]]
    before_end = [agreement.top_k(row, names, k) for row in long.relevance[both_learned, -2]]
    short_top = [agreement.top_k(row, names, k) for row in short[:, -1]]
    overlaps = [agreement.overlap(a, b) for a, b in zip(at_book, at_end, strict=True)]
    return {
        **result,
        "prefix_max_diff": float(np.abs(head - short).max()),
        "prefix_same_top": sum(set(a) == set(b) for a, b in zip(at_book, short_top, strict=True)),
        "kept": sum(o == k for o in overlaps),
        "overlap_counts": np.bincount(overlaps, minlength=k + 1),
        "moved_last": sum(set(a) != set(b) for a, b in zip(before_end, at_end, strict=True)),
        "settle": int(settles(long.relevance[both_learned]).sum()),
    }


def sources(study: SeedStudy, reference: Sequence[str], k: int = K) -> dict[str, dict[str, Any]]:
    """Does the split or the initialization move the results? Per design (``both``, ``split_fixed``,
    ``init_fixed``), with as many seeds in each (the first seeds of ``both``): ``seeds``, ``learned``,
    ``accuracy_mean`` and ``accuracy_sd`` (test accuracy over the seeds, as fractions), ``perfect`` (seeds at
    100 %), ``tau`` (mean pairwise Kendall τ-b), ``w`` (Kendall's W), ``n_sets`` (distinct top-``k`` sets) and
    ``held`` (mean overlap with ``reference``; NaN without a run that learned)."""
    n = study.runs["split_fixed"].n_seeds
    found = {}
    for key in ("both", "split_fixed", "init_fixed"):
        runs = _first(study.runs[key], n)
        ranking = ranking_summary(runs, reference, k)
        accuracy = runs.test_correct / runs.n_test
        found[key] = {
            "seeds": runs.n_seeds,
            "learned": ranking["n_learned"],
            "accuracy_mean": float(accuracy.mean()),
            "accuracy_sd": float(accuracy.std()),
            "perfect": int((runs.test_correct == runs.n_test).sum()),
            "tau": ranking["tau"],
            "w": ranking["w"],
            "n_sets": ranking["n_sets"],
            "held": float(ranking["overlaps"].mean()) if ranking["n_learned"] else float("nan"),
        }
    return found


def sources_table(found: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """:func:`sources` as the book's table: one row per measure, one column per design (narrow enough for a phone)."""
    rows = {
        key: {
            "seeds": row["seeds"],
            "learned": row["learned"],
            "test accuracy, mean": f"{100 * row['accuracy_mean']:.1f} %",
            "test accuracy, sd (pp)": round(100 * row["accuracy_sd"], 2),
            "seeds at 100 %": row["perfect"],
            "Kendall τ (mean over pairs)": _rounded(row["tau"]),
            "Kendall's W": _rounded(row["w"]),
            "distinct top-5 sets": row["n_sets"],
            "paper's five held (mean)": _rounded(row["held"]),
        }
        for key, row in found.items()
    }
    table = pd.DataFrame({DESIGNS[key]: pd.Series(row, dtype=object) for key, row in rows.items()})
    return table.rename_axis("measure").reset_index()


def ranking_table(book: Mapping[str, Any], small: Mapping[str, Any], units: Mapping[str, str],
                  reference: Sequence[str], rows: int = 10) -> pd.DataFrame:  # fmt: skip
    """The variables most often in a run's top five (the first ``rows``, and every variable of ``reference``) from
    :func:`ranking_summary` of the book's split (``book``) and of the 10 % split (``small``): their block, the share
    of runs with them in the top five on each split, their seed-averaged learning gradient (%) and its rank, and their
    rank in ``reference``."""
    names = list(book["frequency"].index)
    shown = list(dict.fromkeys([*names[:rows], *(name for name in reference if name in names)]))
    mean = book["mean_relevance"]
    mean_rank = mean.rank(ascending=False, method="first")
    table = []
    for name in shown:
        table.append(
            {
                "variable": name,
                "block": units[name] if units[name] != name else "",
                "top 5, book split": _share(book["frequency"][name], book["n_learned"]),
                "top 5, 10 % split": _share(small["frequency"][name], small["n_learned"]),
                "mean (%)": round(100 * float(mean[name]), 2) if book["n_learned"] else None,
                "mean's rank": int(mean_rank[name]) if book["n_learned"] else None,
                "paper's rank": reference.index(name) + 1 if name in reference else None,
            }
        )
    frame = pd.DataFrame(table)
    for column in ("mean's rank", "paper's rank"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _share(count: int, total: int) -> str:
    return f"{100 * count / total:.0f} %" if total else "—"


def _rounded(value: float, digits: int = 2) -> float | None:
    return round(float(value), digits) if np.isfinite(value) else None


def _first(runs: SeedRuns, n: int) -> SeedRuns:
    from dataclasses import replace

    arrays = ("split_seeds", "train_seeds", "relevance", "rankable", "test_accuracy")
    return replace(runs, **{name: getattr(runs, name)[:n] for name in arrays})


def _stays_from(holds: np.ndarray) -> int:
    """The first 1-based epoch from which ``holds`` is true up to the end (len + 1 if false at the end)."""
    failing = np.flatnonzero(~holds)
    return int(failing[-1]) + 2 if len(failing) else 1
