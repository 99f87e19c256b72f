"""What a study across seeds says: accuracy against the cross-validated estimate, the rankings against
the paper's list and each other, the blocks, convergence, the long runs, and what the split or the initialization
moves. Every function reads a :class:`~lgrad.study.across_seeds.seed_runs.SeedStudy`; none trains.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import rank_agreement
from ..blocks import BLOCK_THRESHOLD, as_units, block_units, correlated_blocks
from ..convergence import settles, stays_from
from .accuracy import CrossValidation, clopper_pearson, perfect_score_chance
from .seed_runs import K, SeedRuns, SeedStudy

BAND = (10, 90)
"""The band drawn around a mean over seeds: from the 10th to the 90th percentile (80 % of the seeds)."""


def summaries(study: SeedStudy, ds: Any, reference: Sequence[str], k: int = K) -> dict[str, Any]:
    """Everything the chapters read from a study, for the data ``ds`` (its blocks) and the ``reference`` list.

    Keys: ``book`` and ``small`` (:func:`accuracy_summary` of the book's and of the 10 % split), ``same_split``
    (the book's split is the 10 % split), ``ranking`` and ``ranking_small`` (:func:`ranking_summary`), ``blocks``
    (the data's blocks, :func:`lgrad.study.blocks.correlated_blocks`), ``units``, ``block_reading``
    (:func:`block_summary`), ``convergence`` (:func:`convergence_over_seeds`), ``long`` (:func:`long_summary`) and
    ``sources`` (:func:`sources`).
    """
    blocks = correlated_blocks(ds, threshold=BLOCK_THRESHOLD)
    units = block_units(ds.feature_names, blocks)
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
    overlaps = np.array([rank_agreement.overlap(top, reference) for top in tops], dtype=np.int64)
    mean_relevance = pd.Series(final.mean(axis=0) if len(final) else np.full(len(names), np.nan), index=names)
    mean_top = rank_agreement.top_k(mean_relevance.to_numpy(), names, k) if len(final) else []
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
        "mean_top_overlap": rank_agreement.overlap(mean_top, reference) if mean_top else None,
        "tau": rank_agreement.mean_pairwise_tau(final) if len(final) >= 2 else float("nan"),
        "w": rank_agreement.kendall_w(final) if len(final) >= 2 else float("nan"),
        "n_sets": len(sets),
        "common_set": list(common[0]) if common[0] else None,
        "common_count": common[1],
    }


def block_summary(runs: SeedRuns, units: Mapping[str, str], reference: Sequence[str], k: int = K) -> dict[str, Any]:
    """The final top ``k`` read at the level of blocks: each variable stands for its unit (its block of strongly
    correlated variables, or itself; :func:`lgrad.study.block_units`).

    Returns ``n_learned``, ``frequency`` (a Series: per unit, the runs whose top ``k`` holds one of its variables,
    most frequent first), ``reference_units`` (the units of ``reference``, in its order), ``covered`` (per run, how
    many of them its top ``k`` reaches), ``covered_counts`` (runs reaching 0, 1, … of them), ``covers_all`` (runs
    reaching every one) and ``same_units`` (runs whose top ``k`` falls in exactly the reference's units), and
    ``variable_overlap_mean`` (the mean variable-level overlap with ``reference``, for comparison).
    """
    tops = runs.tops(k)
    reference_units = list(dict.fromkeys(units.get(name, name) for name in reference))
    run_units = [as_units(top, units) for top in tops]
    all_units = list(dict.fromkeys(units[name] for name in runs.feature_names))
    counts = Counter(unit for found in run_units for unit in found)
    order = sorted(all_units, key=lambda unit: (-counts[unit], all_units.index(unit)))
    covered = np.array([len(found & set(reference_units)) for found in run_units], dtype=np.int64)
    overlaps = [rank_agreement.overlap(top, reference) for top in tops]
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
    final_from = np.array([stays_from(row) for row in same_as_last], dtype=np.int64)
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
    at_book = [rank_agreement.top_k(row, names, k) for row in long.relevance[both_learned, shared - 1]]
    at_end = [rank_agreement.top_k(row, names, k) for row in long.relevance[both_learned, -1]]
    before_end = [rank_agreement.top_k(row, names, k) for row in long.relevance[both_learned, -2]]
    short_top = [rank_agreement.top_k(row, names, k) for row in short[:, -1]]
    overlaps = [rank_agreement.overlap(a, b) for a, b in zip(at_book, at_end, strict=True)]
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


def _first(runs: SeedRuns, n: int) -> SeedRuns:
    from dataclasses import replace

    arrays = ("split_seeds", "train_seeds", "relevance", "rankable", "test_accuracy")
    return replace(runs, **{name: getattr(runs, name)[:n] for name in arrays})
