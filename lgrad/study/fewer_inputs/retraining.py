"""Fewer inputs: keep the k most relevant variables of a ranking and retrain from scratch (Hooker et al. 2019).

Remove-and-retrain (ROAR, Hooker, Erhan, Kindermans & Kim, NeurIPS 2019) judges a ranking by what a network can
still learn from the variables it ranks first, in its "keep and retrain" form: keep the top k, train a new network.
Here a kept-k data set is the standardized data set with the other columns set to 0 (:func:`kept_dataset`). A
column that is 0 in every row adds nothing to any hidden unit and its first-layer weights get no gradient, so they
keep their initial values and the network is a k-input network; the only difference from a network built with k
inputs is the range its initial weights are drawn from, ±1/√n (n = 30 inputs here) instead of ±1/√k
(:func:`true_k_check` measures what that changes). All kept-k data sets share the rows of one split, so every
(ranking, k, seed) network is trained in one :func:`lgrad.train_many` call (:func:`retrain`).

The summaries are :mod:`lgrad.study.fewer_inputs.summaries`, the sentences :mod:`lgrad.study.fewer_inputs.text`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import torch

from ...checks import check_int
from ...data import Dataset
from ...history import History
from ...loss import example_cost
from ...many import StackedMLP, train_many
from ..references import WDBC_PLANE_FEATURES
from ..runs import train_settings
from .rankings import RANDOM, RANKINGS, all_rankings
from .summaries import FULL, TOLERANCE, _mean_se, curves, full_mean_se, smallest_k_table

PUBLISHED = "published three"


def kept_dataset(dataset: Dataset, keep: Sequence[int]) -> Dataset:
    """``dataset`` with every column not in ``keep`` set to 0 in the training and test rows.

    0 is the column's mean over the rows the standardization was fitted on: the training rows with ``scale="train"``
    (the default), all rows with ``scale="all"``. ``settings["kept"]`` lists the kept variables.
    """
    keep = check_keep(keep, dataset.n_features)
    dropped = np.setdiff1d(np.arange(dataset.n_features), keep)
    X_train, X_test = dataset.X_train.clone(), dataset.X_test.clone()
    X_train[:, dropped] = 0.0
    X_test[:, dropped] = 0.0
    kept = [dataset.feature_names[i] for i in sorted(keep)]
    return dataclasses.replace(dataset, X_train=X_train, X_test=X_test, settings={**dataset.settings, "kept": kept})


def subset_dataset(dataset: Dataset, keep: Sequence[int]) -> Dataset:
    """``dataset`` with only the columns ``keep`` (a true k-input data set, for :func:`true_k_check`)."""
    keep = sorted(check_keep(keep, dataset.n_features))
    names = tuple(dataset.feature_names[i] for i in keep)
    return dataclasses.replace(
        dataset,
        feature_names=names,
        X_train=dataset.X_train[:, keep].clone(),
        X_test=dataset.X_test[:, keep].clone(),
        raw=dataset.raw[[*names, "target"]],
    )


def check_keep(keep: Sequence[int], n_features: int) -> list[int]:
    """``keep`` as a list of distinct column indices in ``[0, n_features)``, at least one."""
    keep = [check_int("keep[i]", int(i) if isinstance(i, np.integer) else i, minimum=0, maximum=n_features - 1)
            for i in keep]  # fmt: skip
    if not keep or len(set(keep)) != len(keep):
        raise ValueError(f"keep must hold at least one column index and no index twice, got {keep}")
    return keep


def full_runs(dataset: Dataset, seeds: Sequence[int], settings: Mapping[str, Any]) -> list[History]:
    """The full-input networks of ``seeds`` on ``dataset``'s split, recorded per mini-batch (for the seed-averaged
    learning gradient, GradEnFS and the full model's accuracy)."""
    return train_many(dataset, seeds, record="batch", **train_settings(settings))


def retrain(
    dataset: Dataset,
    orders: Mapping[str, Sequence[np.ndarray]],
    seeds: Sequence[int],
    settings: Mapping[str, Any],
    ks: Sequence[int] | None = None,
    fixed: Mapping[str, Sequence[int]] | None = None,
) -> pd.DataFrame:
    """Retrain on the top k of every ranking, for every k and seed, in one :func:`lgrad.train_many` call.

    Args:
        dataset: the split every network is trained and tested on.
        orders: per ranking, one order of the columns per seed (most relevant first).
        seeds: the seeds, each fixing a network's initial weights and example order.
        settings: the training settings (:func:`train_settings`); no learning gradient is recorded.
        ks: the numbers of kept variables; default ``1 … n_features − 1`` (all of them is the full model).
        fixed: named sets of column indices to keep as they are (e.g. the published three), with the same seeds.

    Returns:
        One row per (ranking, k, seed): ``test_accuracy``, ``learned`` (see :func:`learned`) and ``network``, the
        index of the network trained for it: one asked for twice (the same kept columns and seed) is trained once.
    """
    seeds = list(seeds)
    n = dataset.n_features
    ks = list(range(1, n)) if ks is None else [check_int("k", k, minimum=1, maximum=n) for k in ks]
    wanted = []
    for name, per_seed in orders.items():
        if len(per_seed) != len(seeds):
            raise ValueError(f"orders[{name!r}] must hold one order per seed: {len(per_seed)} for {len(seeds)} seeds")
        pairs = list(zip(seeds, per_seed, strict=True))
        wanted += [(name, k, seed, tuple(sorted(order[:k]))) for k in ks for seed, order in pairs]
    for name, keep in (fixed or {}).items():
        wanted += [(name, len(keep), seed, tuple(sorted(keep))) for seed in seeds]
    unique = list(dict.fromkeys((keep, seed) for *_, seed, keep in wanted))
    kept = {keep: kept_dataset(dataset, keep) for keep in dict.fromkeys(keep for keep, _ in unique)}
    datasets = [kept[keep] for keep, _ in unique]
    seeds_of = [seed for _, seed in unique]
    histories = train_many(datasets, seeds_of, record=None, evaluate="last", **train_settings(settings))
    index = {key: i for i, key in enumerate(unique)}
    accuracy = np.array([h.test_accuracy[-1] for h in histories], dtype=float)
    flags = learned(histories, datasets, settings["loss"])
    rows = [(name, k, seed, index[keep, seed]) for name, k, seed, keep in wanted]
    table = pd.DataFrame(rows, columns=["ranking", "k", "seed", "network"])
    return table.assign(test_accuracy=accuracy[table["network"]], learned=flags[table["network"]])


def learned(histories: Sequence[History], datasets: Sequence[Dataset], loss: str, chunk: int = 512) -> np.ndarray:
    """Whether each network learned something: its cost's gradient with respect to the inputs, summed over the
    training rows at its final weights, is finite and not all zero.

    It is the test :attr:`lgrad.History.rankable` makes of an epoch's learning gradient, made once after training,
    for networks trained without recording it.
    """
    flags = []
    for start in range(0, len(histories), chunk):
        models = [h.model for h in histories[start : start + chunk]]
        parts = datasets[start : start + chunk]
        net = StackedMLP(models)
        dtype = net.weights[0].dtype
        X = torch.stack([d.X_train for d in parts]).to(dtype).requires_grad_(True)
        y = torch.stack([d.y_train for d in parts]).to(dtype)
        example_cost(loss, net.logits(X), y).sum().backward()
        gradient = X.grad.abs().sum(1)
        flags.append((torch.isfinite(gradient).all(1) & (gradient != 0).any(1)).numpy())
    return np.concatenate(flags)


def full_table(histories: Sequence[History]) -> pd.DataFrame:
    """The full-input networks as rows like :func:`retrain`'s (``learned``: the last epoch ranks its inputs)."""
    n = len(histories[0].feature_names)
    return pd.DataFrame(
        [
            {
                "ranking": FULL,
                "k": n,
                "seed": h.config["seed"],
                "test_accuracy": float(h.test_accuracy[-1]),
                "learned": h.degenerate_from() is None,
            }
            for h in histories
        ]  # fmt: skip
    )


def published_keep(feature_names: Sequence[str]) -> list[int] | None:
    """The columns of the published plane (:data:`lgrad.study.references.WDBC_PLANE_FEATURES`), or ``None`` if the
    data lacks one of them (another data set)."""
    names = list(feature_names)
    return [names.index(n) for n in WDBC_PLANE_FEATURES] if set(WDBC_PLANE_FEATURES) <= set(names) else None


def true_k_check(
    dataset: Dataset,
    order: np.ndarray,
    ks: Sequence[int],
    seeds: Sequence[int],
    settings: Mapping[str, Any],
    masked: pd.DataFrame,
    ranking: str,
) -> pd.DataFrame:
    """The masked networks of ``ranking`` against networks built with only k inputs (initial weights drawn from
    ±1/√k instead of ±1/√n), with the same seeds, at a few ``ks``.

    Returns one row per k: the mean test accuracy and its standard error of each, and the difference.
    """
    rows = []
    for k in ks:
        subset = subset_dataset(dataset, order[:k])
        histories = train_many(subset, seeds, record=None, evaluate="last", **train_settings(settings))
        true = np.array([h.test_accuracy[-1] for h in histories], dtype=float)
        mask = masked[(masked["ranking"] == ranking) & (masked["k"] == k)]["test_accuracy"].to_numpy()
        rows.append(
            {"k": k, "masked mean": mask.mean(), "masked se": mask.std(ddof=1) / np.sqrt(len(mask)),
             "true mean": true.mean(), "true se": true.std(ddof=1) / np.sqrt(len(true)),
             "difference": true.mean() - mask.mean()}
        )  # fmt: skip
    return pd.DataFrame(rows)


TRUE_K = (1, 3, 10)
"""The k at which :func:`true_k_check` compares masked networks with networks built with k inputs."""


@dataclass
class RetrainingStudy:
    """Everything the chapter *Fewer inputs* shows, from :func:`run_study`."""

    seeds: list[int]
    orders: dict[str, list[np.ndarray]]
    """Per ranking that ranks the variables, one order per seed (most relevant first)."""
    missing: dict[str, str]
    """Per ranking that ranks nothing here, why."""
    table: pd.DataFrame
    """One row per (ranking, k, seed) and per published-three seed (:func:`retrain`)."""
    full: pd.DataFrame
    """The full-input networks (:func:`full_table`)."""
    curve: pd.DataFrame
    """Mean and standard error per ranking and k (:func:`curves`)."""
    ktable: pd.DataFrame
    """The smallest k per ranking (:func:`smallest_k_table`)."""
    true_k: pd.DataFrame | None
    true_k_ranking: str | None

    @property
    def full_mean_se(self) -> tuple[float, float]:
        return full_mean_se(self.full)

    @property
    def published(self) -> pd.DataFrame | None:
        """The published three's networks, or ``None`` (another data set)."""
        rows = self.table[self.table["ranking"] == PUBLISHED]
        return rows if len(rows) else None

    def summary(self, rows: pd.DataFrame) -> dict[str, Any]:
        """Mean, standard error, k, networks that learned nothing, networks; ``within``: one standard error of the
        full model."""
        mean, se, n = _mean_se(rows["test_accuracy"])
        full_mean, full_se = self.full_mean_se
        return {"mean": mean, "se": se, "k": int(rows["k"].iloc[0]), "learned nothing": int((~rows["learned"]).sum()),
                "networks": n, "within": bool(mean >= full_mean - full_se - TOLERANCE)}  # fmt: skip


def run_study(
    dataset: Dataset,
    base: History,
    seeds: Sequence[int],
    settings: Mapping[str, Any],
    ks: Sequence[int] | None = None,
) -> RetrainingStudy:
    """The whole retraining study on ``dataset``'s split: the full-input runs of ``seeds``, every ranking
    (:func:`lgrad.study.fewer_inputs.rankings.all_rankings`), the retraining of every (ranking, k, seed) and of the
    published three in one :func:`lgrad.train_many` call, the curves, the smallest k and the fan-in check.

    Args:
        dataset: the chapter's split.
        base: the base run (the chapter's seed and settings), recorded per epoch.
        seeds: the retraining seeds, the chapter's seed first.
        settings: the training settings of every network (those of the base run).
        ks: the numbers of kept variables retrained (default all, 1 … n − 1; the full model stands at n). The cost
            grows with their number: about 130 networks per k with 30 seeds once shared top-k sets are trained once.
    """
    seeds = list(seeds)
    histories = full_runs(dataset, seeds, settings)
    orders, missing = all_rankings(dataset, base, histories, seeds, settings["loss"], settings["hidden"])
    keep = published_keep(dataset.feature_names)
    table = retrain(dataset, orders, seeds, settings, ks=ks, fixed={PUBLISHED: keep} if keep else None)
    full = full_table(histories)
    curve = curves(table, full, list(orders))
    ktable = smallest_k_table(curve, *full_mean_se(full))
    ranking = next((name for name in RANKINGS if name in orders and name != RANDOM), None)
    retrained = set(table.loc[table["ranking"] == ranking, "k"])
    ks = [k for k in TRUE_K if k in retrained]
    check = true_k_check(dataset, orders[ranking][0], ks, seeds, settings, table, ranking) if ranking and ks else None
    return RetrainingStudy(seeds, orders, missing, table, full, curve, ktable, check, ranking)


def first_variables(study: RetrainingStudy, feature_names: Sequence[str], n: int = 5) -> dict[str, str]:
    """Each ranking's first ``n`` variables as text ("a new order per seed" for the random one)."""
    return {
        name: "a new order per seed" if name == RANDOM else ", ".join(feature_names[i] for i in orders[0][:n])
        for name, orders in study.orders.items()
    }
