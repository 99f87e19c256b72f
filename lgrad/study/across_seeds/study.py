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
numbers and loaded by the next chapter that asks (the report reuses the chapter's study), behind a file lock
(:mod:`lgrad.study.across_seeds.cache`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from filelock import FileLock

from ...checks import check_int
from ...many import train_many
from ..runs import RUN_CACHE_ENV, run_settings, seed_datasets, train_settings
from .accuracy import cross_validate
from .cache import load_study, save_study, study_key
from .seed_runs import SeedRuns, SeedStudy

SMALL_TEST_SIZE = 0.1
"""The second split of the study: 10 % of the rows for testing, where a perfect score is more likely."""


LONG_SEEDS = 30
"""At most this many seeds are trained for ``long_epochs`` epochs (a choice for the build's time, stated)."""


SOURCE_SEEDS = 50
"""At most this many seeds in each of the designs that fix the split or the initialization (the build's time)."""


CV_SPLITS, CV_REPEATS = 10, 10
"""Repeated stratified cross-validation: 10 repetitions of 10 folds."""


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
