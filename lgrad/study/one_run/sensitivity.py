"""How the paper's results move with the settings it leaves out: one setting varied at a time, and a seed sweep.

The paper fixes the data, the 30 → 3 → 1 network, the cost, SGD and 40 epochs, and says nothing of the hidden
activation, learning rate, batch size, split, where standardization is fitted, initialization or how per-example
gradients make an epoch's bar. :func:`sensitivity_table` trains the book's default (:data:`lgrad.DEFAULTS`, or the
chapter's parameters) and then each :data:`VARIATIONS` entry, which changes exactly one of those settings, and
reports the final accuracies and top 5 beside the paper's. :func:`seed_sweep` repeats the default with other seeds:
how often does each claim hold? The seeds and values are fixed here, before any result was looked at; nothing is
chosen by its outcome.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import torch

from ...capture import normalize
from ...checks import check_int
from ...data import Dataset
from ...history import History
from ...loss import example_cost
from ...many import train_many
from ..references import PAPER_TOP5
from ..runs import SETTING_KEYS, run, run_settings, seed_datasets, train_settings


@dataclass(frozen=True)
class Variation:
    """One row of the sensitivity table: ``setting`` set to ``value`` through ``overrides`` of the base settings.

    ``overrides`` keys are those of :data:`lgrad.DEFAULTS` plus ``split_seed`` (the train/test split only) and
    ``train_seed`` (the initial weights and the example order only).
    """

    setting: str
    value: str
    overrides: dict[str, Any] = field(default_factory=dict)


VARIATIONS: tuple[Variation, ...] = (
    Variation("hidden activation", "relu", {"activation": "relu"}),
    Variation("hidden activation", "tanh", {"activation": "tanh"}),
    Variation("learning rate", "0.05", {"lr": 0.05}),
    Variation("learning rate", "2", {"lr": 2.0}),
    Variation("batch size", "4", {"batch_size": 4}),
    Variation("batch size", "64", {"batch_size": 64}),
    Variation("batch size", "full (one step per epoch)", {"batch_size": "full"}),
    Variation("cost", "bce (cross-entropy)", {"loss": "bce"}),
    Variation("test split size", "0.1", {"test_size": 0.1}),
    Variation("test split size", "0.3", {"test_size": 0.3}),
    Variation("split seed (init. fixed)", "1", {"split_seed": 1}),
    Variation("split seed (init. fixed)", "2", {"split_seed": 2}),
    Variation("standardization fitted on", "all rows", {"scale": "all"}),
    Variation("initialization seed (split fixed)", "1", {"train_seed": 1}),
    Variation("initialization seed (split fixed)", "2", {"train_seed": 2}),
    Variation("initialization seed (split fixed)", "3", {"train_seed": 3}),
)
"""The variations of the chapter *Reading the paper*, each changing one setting of the base run."""

BAR_VARIANTS = {
    "Σ|∂C_i/∂x| at the final weights (post-hoc)": "sum_abs",
    "|Σ ∂C_i/∂x| at the final weights (signs cancel)": "abs_sum",
    "mean of per-example normalized |∂C_i/∂x| (final weights)": "mean_normalized",
}
"""Other ways to make one bar chart from per-example gradients, computed on the trained default model."""

SWEEP_SEEDS = tuple(range(10))
"""The seeds of :func:`seed_sweep`: 0 to 9, fixed in advance."""

COLUMNS = (
    "setting",
    "value",
    "test accuracy",
    "train accuracy",
    "top 5 (most relevant first)",
    "in paper's top 5",
    "shared with base top 5",
)


def sensitivity_table(
    base: Mapping[str, Any] | None = None,
    variations: Iterable[Variation] = VARIATIONS,
    *,
    k: int = 5,
    bar_variants: bool = True,
) -> pd.DataFrame:
    """Train the base run and each variation; one row per run, the base first.

    Args:
        base: the settings every variation starts from (default :data:`lgrad.DEFAULTS`); a notebook passes its
            parameters. A variation that leaves the base unchanged (e.g. ``lr=2`` when the base already has it) is
            left out.
        variations: the rows to compute, each changing one setting.
        k: length of the top lists.
        bar_variants: also add the rows of :data:`BAR_VARIANTS` (same trained base model, other ways to make the bar).

    Returns:
        A DataFrame with the :data:`COLUMNS`: accuracies as fractions after the last epoch, the top ``k`` of the
        last epoch's learning gradient joined by ", ", how many of them the paper lists in its top 5, and how many
        the base run's top ``k`` shares. A run that learned nothing (:meth:`History.degenerate_from`) has no top
        ``k``: its text says so and its counts are missing (NaN), as are the counts against a base that learned
        nothing; the bar readings of such a base are left out.

    Example:
        >>> table = sensitivity_table(variations=[Variation("learning rate", "2", {"lr": 2.0})])
        >>> list(table["setting"])[:2]
        ['base (the chapter parameters)', 'learning rate']
    """
    k = check_int("k", k, minimum=1)
    base_settings = run_settings(base)
    base_ds, base_history = run(base_settings)
    base_top = _top_of(base_history, k)
    rows = [_row("base (the chapter parameters)", "see the parameters cell", base_history, base_top, k)]
    for variation in variations:
        if not isinstance(variation, Variation):
            kind = type(variation).__name__
            raise TypeError(f"variations must hold lgrad.study.sensitivity.Variation items, got {kind}")
        settings = run_settings(base_settings, **variation.overrides)
        if _effective(settings) == _effective(base_settings):
            continue
        _, history = run(settings)
        rows.append(_row(variation.setting, variation.value, history, base_top, k))
    if bar_variants and base_top is not None:
        bars = epoch_bar_variants(base_history, base_ds)
        for label, relevance in bars.items():
            top = _top(relevance, base_history.feature_names, k)
            rows.append(
                _row("epoch bar (base model)", label, base_history, base_top, k, top=top),
            )
    return pd.DataFrame(rows, columns=list(COLUMNS))


def epoch_bar_variants(history: History, ds: Dataset) -> dict[str, np.ndarray]:
    """Other readings of "the learning gradient of an epoch", on the trained model of ``history``.

    Each maps the per-example input gradients g_i = ∂C_i/∂x over the training rows, at the final weights, to one
    normalized bar chart (:data:`BAR_VARIANTS`): Σ_i |g_i| (what :class:`lgrad.LearningGradient` sums during the
    epoch, here post hoc), |Σ_i g_i| (the gradient of the mean cost, where opposite signs cancel) and the mean of
    the per-example normalized |g_i| (every example weighs the same).
    """
    if history.model is None:
        raise ValueError("history holds no trained model (history.model is None)")
    model = history.model
    dtype = next(model.parameters()).dtype
    x = ds.X_train.to(dtype).detach().requires_grad_(True)
    cost = example_cost(history.config["loss"], model.logits(x), ds.y_train.to(dtype)).sum()
    (grads,) = torch.autograd.grad(cost, x)  # the parameters' .grad are left untouched
    grads = grads.double().numpy()
    readings = {
        "sum_abs": normalize(np.abs(grads).sum(axis=0)),
        "abs_sum": normalize(np.abs(grads.sum(axis=0))),
        "mean_normalized": normalize(normalize(np.abs(grads)).mean(axis=0)),
    }
    return {label: readings[key] for label, key in BAR_VARIANTS.items()}


def seed_sweep(
    base: Mapping[str, Any] | None = None, seeds: Iterable[int] = SWEEP_SEEDS, *, k: int = 5
) -> pd.DataFrame:
    """The base run repeated with each seed (split, initial weights and order all change with it), the seeds
    trained side by side by :func:`lgrad.train_many` (each the run :func:`lgrad.train` gives, up to float32 rounding).

    Returns one row per seed: ``seed``, ``test accuracy``, ``train accuracy``, ``top 5 (most relevant first)``,
    ``in paper's top 5`` (NaN for a run that learned nothing), ``top`` (the list itself, for :func:`top_frequency`;
    empty for a run that learned nothing) and ``learned``.
    """
    k = check_int("k", k, minimum=1)
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds must hold at least one seed")
    settings = run_settings(base)
    histories = train_many(seed_datasets(settings, seeds), seeds, **train_settings(settings))
    rows = []
    for seed, history in zip(seeds, histories, strict=True):
        top = _top_of(history, k)
        rows.append(
            {
                "seed": seed,
                "test accuracy": float(history.test_accuracy[-1]),
                "train accuracy": float(history.train_accuracy[-1]),
                "top 5 (most relevant first)": _top_text(top, history),
                "in paper's top 5": np.nan if top is None else len(set(top) & set(PAPER_TOP5)),
                "top": top or [],
                "learned": top is not None,
            }
        )
    return pd.DataFrame(rows)


def sweep_summary(sweep: pd.DataFrame) -> dict[str, Any]:
    """How often the paper's claims hold across the seeds of :func:`seed_sweep`.

    Returns ``n_seeds``, ``n_learned`` (seeds whose run did not learn nothing), ``n_perfect_test`` (test accuracy
    100 %), ``test_min``/``test_median``/``test_max``; over the runs that learned, ``paper_in_top_mean`` (mean count
    of the paper's top 5 in a run's top 5) and ``paper_in_top_max`` (both ``None`` if no run learned),
    ``n_same_top5_set`` (runs whose top 5 is the paper's set), ``n_paper_first_in_top`` (runs with the paper's most
    relevant variable, worst area, in their top 5) and ``n_distinct_top5_sets``.
    """
    test = sweep["test accuracy"].to_numpy(dtype=float)
    learned = sweep[sweep["learned"]]
    shared = learned["in paper's top 5"].to_numpy(dtype=float)
    return {
        "n_seeds": len(sweep),
        "n_learned": len(learned),
        "n_perfect_test": int((test >= 1.0).sum()),
        "test_min": float(test.min()),
        "test_median": float(np.median(test)),
        "test_max": float(test.max()),
        "paper_in_top_mean": float(shared.mean()) if len(shared) else None,
        "paper_in_top_max": int(shared.max()) if len(shared) else None,
        "n_same_top5_set": int((shared == len(PAPER_TOP5)).sum()),
        "n_paper_first_in_top": int(sum(PAPER_TOP5[0] in top for top in learned["top"])),
        "n_distinct_top5_sets": len({frozenset(top) for top in learned["top"]}),
    }


def top_frequency(sweep: pd.DataFrame) -> pd.DataFrame:
    """Each variable that appears in some seed's top 5: in how many seeds, and its rank in the paper's list."""
    counts = Counter(name for top in sweep["top"] for name in top)
    rows = [
        {
            "variable": name,
            "seeds with it in the top 5": count,
            "paper's rank": PAPER_TOP5.index(name) + 1 if name in PAPER_TOP5 else None,
        }
        for name, count in counts.items()
    ]
    for name in PAPER_TOP5:  # the paper's variables that no seed ranks
        if name not in counts:
            rows.append({"variable": name, "seeds with it in the top 5": 0, "paper's rank": PAPER_TOP5.index(name) + 1})
    table = pd.DataFrame(rows)
    table["paper's rank"] = table["paper's rank"].astype("Int64")
    return table.sort_values(["seeds with it in the top 5", "variable"], ascending=[False, True], ignore_index=True)


def _effective(settings: Mapping[str, Any]) -> tuple:
    return tuple(repr(settings.get(key)) for key in (*SETTING_KEYS, "split_seed", "train_seed"))


def _top(relevance: np.ndarray, names: list[str], k: int) -> list[str]:
    return [names[i] for i in np.argsort(-np.asarray(relevance), kind="stable")[:k]]


def _top_of(history: History, k: int) -> list[str] | None:
    """The run's top ``k``, or ``None`` for a run that learned nothing (no ranking exists)."""
    return None if history.degenerate_from() is not None else history.top_features(k)


def _top_text(top: list[str] | None, history: History) -> str:
    return ", ".join(top) if top is not None else f"none: learned nothing from epoch {history.degenerate_from()} on"


def _row(setting: str, value: str, history: History, base_top: list[str] | None, k: int, top: list[str] | None = None):
    top = _top_of(history, k) if top is None else top
    return {
        "setting": setting,
        "value": value,
        "test accuracy": float(history.test_accuracy[-1]),
        "train accuracy": float(history.train_accuracy[-1]),
        "top 5 (most relevant first)": _top_text(top, history),
        "in paper's top 5": np.nan if top is None else len(set(top) & set(PAPER_TOP5)),
        "shared with base top 5": np.nan if top is None or base_top is None else len(set(top) & set(base_top)),
    }
