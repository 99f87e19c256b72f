"""The chapter *Against established attributions*: the book's network trained on many seeds, then ranked every way.

Seed ``s`` splits the data with ``load_dataset(seed=s)`` and initializes and orders the training with ``s``, as the
chapter across seeds does; :func:`attribution_study` trains the seeds side by side (:func:`lgrad.train_many`, the
per-batch learning gradient recorded for GradEnFS), the same seeds again on shuffled labels, and scores every run
that ranks its inputs with each method of :mod:`lgrad.study.attributions.scores`.

"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ...checks import check_int
from ...many import train_many
from ..gradenfs import gradenfs_scores
from ..rank_agreement import spearman
from ..references import GRADENFS_BETA
from ..runs import SETTING_KEYS, run_settings, seed_datasets, train_settings
from .captum_methods import IG_STEPS, probability_saliency, saliency
from .randomization import profiles, randomization_table, reinitialized, shuffled_labels, untrained_learning_gradient
from .scores import METHODS, PERMUTATION_REPEATS, method_scores

MAX_SEEDS = 30
"""At most this many of the ``seeds`` parameter's seeds are scored: every method on 30 networks, with the trainings,
fits the chapter's share of the book's build time (about 20 s on one thread)."""


COMPARED_BETA = 0.9
"""A second GradEnFS decay, to say how much the ranking depends on the one used."""


@dataclass
class AttributionStudy:
    """What :func:`attribution_study` computed.

    ``seeds`` are the seeds trained; ``learned[i]`` whether seed ``i``'s last epoch ranks its inputs
    (``History.rankable``); ``scores`` holds one mapping method → scores per seed that learned, in order
    (``ranked_seeds``); ``randomization`` is
    :func:`~lgrad.study.attributions.randomization.randomization_table`'s; ``checks`` the numbers that say how much
    the chapter's choices matter; ``profiles`` the seed-mean learning gradients of the trained, re-initialized and
    shuffled-label networks (:func:`~lgrad.study.attributions.randomization.profiles`).
    """

    requested: int
    seeds: list[int]
    learned: list[bool]
    ranked_seeds: list[int]
    scores: list[dict[str, np.ndarray]]
    feature_names: list[str]
    test_accuracy: np.ndarray
    shuffled_learned: list[bool]
    shuffled_test_accuracy: np.ndarray
    randomization: pd.DataFrame
    profiles: pd.DataFrame
    majority_share: np.ndarray
    n_test: int
    class_names: tuple[str, str]
    checks: dict[str, float] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def methods(self) -> list[str]:
        return list(METHODS)


def training_settings(params: Mapping[str, Any]) -> dict[str, Any]:
    """The run settings among ``params`` (a chapter's parameters: the studies' sizes are left out)."""
    return {k: params[k] for k in (*SETTING_KEYS, "seed", "target", "positive") if k in params}


def study_seeds(params: Mapping[str, Any], max_seeds: int = MAX_SEEDS) -> list[int]:
    """``range(seed, seed + n)`` with ``n`` the smaller of the ``seeds`` parameter and ``max_seeds``."""
    n = min(check_int("seeds", params["seeds"], minimum=1), check_int("max_seeds", max_seeds, minimum=1))
    return list(range(int(params["seed"]), int(params["seed"]) + n))


def attribution_study(params: Mapping[str, Any], max_seeds: int = MAX_SEEDS) -> AttributionStudy:
    """Train the chapter's seeds (and each again on shuffled labels) and score every run that learned.

    Args:
        params: the chapter's parameters (``chapter.params``): the training settings, ``seed`` and ``seeds``.
        max_seeds: the most seeds scored (:data:`MAX_SEEDS`).
    """
    seeds = study_seeds(params, max_seeds)
    training = train_settings(run_settings(training_settings(params)))
    datasets = seed_datasets(training_settings(params), seeds)
    histories = train_many(datasets, seeds, record="batch", **training)
    shuffled_sets = [shuffled_labels(ds, s) for ds, s in zip(datasets, seeds, strict=True)]
    shuffled = train_many(shuffled_sets, seeds, record="epoch", **training)

    learned = [bool(h.rankable[-1]) for h in histories]
    shuffled_learned = [bool(h.rankable[-1]) for h in shuffled]
    scores, ranked, trained, random_weights, random_labels = [], [], [], [], []
    checks = {"saliency_probability_rho": [], "gradenfs_beta_rho": [], "ig_completeness_error": 0.0}
    for ds, history, other, seed, ok, other_ok in zip(
        datasets, histories, shuffled, seeds, learned, shuffled_learned, strict=True
    ):
        if not ok:
            continue
        row = method_scores(history, ds.X_train, ds.y_train, ds.X_test, ds.y_test)
        checks["ig_completeness_error"] = np.nanmax([checks["ig_completeness_error"], row.pop("IG completeness error")])
        scores.append(row)
        ranked.append(seed)
        trained.append(row["learning gradient"])
        random_weights.append(untrained_learning_gradient(reinitialized(history.model, seed), ds, training["loss"]))
        random_labels.append(np.asarray(other.relevance[-1], dtype=float) if other_ok else None)
        checks["saliency_probability_rho"].append(
            spearman(saliency(history.model, ds.X_test), probability_saliency(history.model, ds.X_test))
        )
        checks["gradenfs_beta_rho"].append(
            spearman(row["GradEnFS"], gradenfs_scores(history, len(ds.y_train), COMPARED_BETA))
        )
    for name in ("saliency_probability_rho", "gradenfs_beta_rho"):
        values = np.asarray(checks[name], dtype=float)
        values = values[np.isfinite(values)]
        checks[name] = float(values.mean()) if len(values) else float("nan")
    return AttributionStudy(
        requested=int(params["seeds"]),
        seeds=seeds,
        learned=learned,
        ranked_seeds=ranked,
        scores=scores,
        feature_names=list(datasets[0].feature_names),
        test_accuracy=np.array([h.test_accuracy[-1] for h in histories], dtype=float),
        shuffled_learned=shuffled_learned,
        shuffled_test_accuracy=np.array([h.test_accuracy[-1] for h in shuffled], dtype=float),
        randomization=randomization_table(ranked, trained, random_weights, random_labels),
        profiles=profiles(datasets[0].feature_names, trained, random_weights, random_labels),
        majority_share=np.array([h.majority_share for h in histories], dtype=float),
        n_test=len(datasets[0].y_test),
        class_names=datasets[0].class_names,
        checks=checks,
        settings={
            **training,
            "gradenfs_beta": GRADENFS_BETA,
            "compared_beta": COMPARED_BETA,
            "ig_steps": IG_STEPS,
            "permutation_repeats": PERMUTATION_REPEATS,
            "max_seeds": max_seeds,
        },
    )
