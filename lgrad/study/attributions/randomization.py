"""A sanity check after Adebayo et al. (2018), *Sanity Checks for Saliency Maps*: does the learning gradient depend on
what the network learned?

An explanation that stays the same when the network's weights are replaced by random ones (model randomization), or
when it is trained on labels shuffled across the rows (data randomization), explains the inputs, not the model.
:func:`randomization_table` compares, seed by seed, the trained network's learning gradient with the learning
gradient of (a) the same architecture with freshly drawn weights, (b) the same network trained on shuffled labels,
and, as the yardstick of how much two sound explanations differ, (c) the network of the next seed, also trained.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd
import torch

from ...capture import normalize
from ...data import Dataset
from ...model import MLP, build_model
from ..rank_agreement import spearman
from .captum_methods import saliency_relevance

REINITIALIZED = "re-initialized weights"
SHUFFLED = "trained on shuffled labels"
OTHER_SEED = "another seed, trained"
COMPARISONS = (REINITIALIZED, SHUFFLED, OTHER_SEED)
"""What the trained network's learning gradient is compared with; the last one is the yardstick."""


def _stream(seed: int, name: str) -> np.random.SeedSequence:
    return np.random.SeedSequence([int(seed), zlib.crc32(name.encode())])


def shuffled_labels(ds: Dataset, seed: int) -> Dataset:
    """``ds`` with its training labels permuted across the training rows (a permutation drawn from ``seed``); the
    inputs and the test rows are left as they are, so the labels no longer depend on the inputs."""
    order = np.random.default_rng(_stream(seed, "shuffled labels")).permutation(len(ds.y_train))
    return replace(ds, y_train=ds.y_train[torch.from_numpy(order)])


def reinitialized(model: MLP, seed: int) -> MLP:
    """A network of ``model``'s architecture and dtype with fresh weights: ``build_model``'s draw from a seed derived
    from ``seed`` (independent of the weights the trained network started from)."""
    draw = int(_stream(seed, "re-initialized").generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))
    dtype = next(model.parameters()).dtype
    hidden = tuple(linear.out_features for linear in model.linears[:-1])
    return build_model(model.linears[0].in_features, hidden, model.activation, seed=draw, dtype=dtype)


def untrained_learning_gradient(model: MLP, ds: Dataset, loss: str) -> np.ndarray:
    """The learning gradient a training step would read at ``model``'s weights: Σ_i |∂C_i/∂x| over the training rows,
    normalized to sum to 1 (zeros if it is zero)."""
    dtype = next(model.parameters()).dtype
    raw = saliency_relevance(model, ds.X_train.to(dtype), ds.y_train.to(dtype), loss)
    return normalize(raw[None])[0]


def l1(a: np.ndarray, b: np.ndarray) -> float:
    """The L1 distance between two normalized vectors: 0 when equal, 2 when they share no mass."""
    return float(np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float)).sum())


def randomization_table(
    seeds: Sequence[int],
    trained: Sequence[np.ndarray],
    reinitialized_gradients: Sequence[np.ndarray],
    shuffled: Sequence[np.ndarray | None],
) -> pd.DataFrame:
    """One row per seed and comparison: Spearman's ρ and the L1 distance between the trained network's normalized
    learning gradient and the other one's.

    Args:
        seeds: the seeds whose trained network ranks its inputs, in order.
        trained: their learning gradients at the last epoch (normalized).
        reinitialized_gradients: the learning gradient of a re-initialized network of each seed.
        shuffled: the last epoch's learning gradient of the network trained on shuffled labels, ``None`` where that
            run learned nothing (the comparison is then left out).

    The yardstick pairs each seed with the next one in ``seeds`` (the last with the first), so with one seed it has
    no row.
    """
    if not len(seeds) == len(trained) == len(reinitialized_gradients) == len(shuffled):
        raise ValueError("seeds, trained, reinitialized_gradients and shuffled must have one entry per seed")
    rows = []
    for i, seed in enumerate(seeds):
        others = {REINITIALIZED: reinitialized_gradients[i], SHUFFLED: shuffled[i]}
        if len(seeds) > 1 and not (len(seeds) == 2 and i == 1):
            others[OTHER_SEED] = trained[(i + 1) % len(seeds)]
        for comparison, other in others.items():
            if other is not None:
                rows.append(
                    {
                        "seed": seed,
                        "comparison": comparison,
                        "spearman": spearman(trained[i], other),
                        "l1": l1(trained[i], other),
                    }
                )
    return pd.DataFrame(rows, columns=["seed", "comparison", "spearman", "l1"])


def randomization_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per comparison (:data:`COMPARISONS` order): the number of pairs, the mean, smallest and largest ρ (over the
    pairs where it is defined), and the mean and smallest L1 distance."""
    rows = []
    for comparison in COMPARISONS:
        part = table[table["comparison"] == comparison]
        rho = part["spearman"].dropna()
        rows.append(
            {
                "comparison": comparison,
                "pairs": len(part),
                "mean spearman": float(rho.mean()) if len(rho) else np.nan,
                "min spearman": float(rho.min()) if len(rho) else np.nan,
                "max spearman": float(rho.max()) if len(rho) else np.nan,
                "mean l1": float(part["l1"].mean()) if len(part) else np.nan,
                "min l1": float(part["l1"].min()) if len(part) else np.nan,
            }
        )
    return pd.DataFrame(rows).set_index("comparison")


def passes(summary: pd.DataFrame, comparison: str) -> bool | None:
    """Whether the learning gradient passes the check against ``comparison``: its mean ρ with the randomized network
    is below the yardstick's (two trained seeds) and its mean L1 distance above it. ``None`` when either is missing."""
    row, yardstick = summary.loc[comparison], summary.loc[OTHER_SEED]
    values = [row["mean spearman"], yardstick["mean spearman"], row["mean l1"], yardstick["mean l1"]]
    if not np.isfinite(values).all():
        return None
    return bool(row["mean spearman"] < yardstick["mean spearman"] and row["mean l1"] > yardstick["mean l1"])


def profiles(
    feature_names: Sequence[str],
    trained: Sequence[np.ndarray],
    reinitialized_gradients: Sequence[np.ndarray],
    shuffled: Sequence[np.ndarray | None],
) -> pd.DataFrame:
    """The mean over seeds of each normalized learning gradient: rows the variables, one column per kind of network
    (trained, :data:`REINITIALIZED`, :data:`SHUFFLED`); a column is NaN when no seed has that network."""
    columns = {
        "trained": trained,
        REINITIALIZED: reinitialized_gradients,
        SHUFFLED: [v for v in shuffled if v is not None],
    }
    n = len(feature_names)
    return pd.DataFrame(
        {name: np.mean(rows, axis=0) if len(rows) else np.full(n, np.nan) for name, rows in columns.items()},
        index=list(feature_names),
    )
