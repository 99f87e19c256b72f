"""Rankings of the input variables that the chapter *Fewer inputs* retrains on, one function each.

Every function returns the feature indices ordered from the most to the least relevant (a permutation of
``range(n_features)``), computed from the training rows only, or raises :class:`NoRankingError` saying why the
method ranks nothing here (a run that learned nothing is never ranked). Ties keep the data set's column order unless
a function says otherwise.
"""

from __future__ import annotations

import warnings
import zlib
from collections.abc import Sequence
from functools import partial

import numpy as np
import torch

from ...checks import check_int, check_seed
from ...history import History
from ..gradenfs import gradenfs_scores
from ..permutation import permutation_importance
from ..references import GRADENFS_BETA


class NoRankingError(ValueError):
    """A method that ranks nothing for this run; the message says why, as a phrase for the book."""


def order_of(scores: np.ndarray, what: str = "the scores") -> np.ndarray:
    """The indices of ``scores`` from the highest to the lowest (ties in column order).

    Raises :class:`NoRankingError` if a score is not finite or all are equal (nothing is more relevant).
    """
    scores = np.asarray(scores, dtype=float)
    if not np.isfinite(scores).all():
        raise NoRankingError(f"{what} are not finite")
    if np.ptp(scores) == 0:
        raise NoRankingError(f"{what} are all equal")
    return np.argsort(-scores, kind="stable")


def learning_gradient_ranking(history: History) -> np.ndarray:
    """The paper's ranking: the learning gradient of one run's last epoch."""
    _learned(history)
    return order_of(history.relevance[history.check_rankable(-1)], "the learning gradient's shares")


def seed_averaged_ranking(histories: Sequence[History]) -> np.ndarray:
    """The learning gradient of the last epoch, in shares, averaged over the runs that learned (the others are left
    out: they rank nothing)."""
    rows = [h.relevance[-1] for h in histories if h.degenerate_from() is None]
    if not rows:
        raise NoRankingError(f"none of the {len(histories)} runs learned anything")
    return order_of(np.mean(rows, axis=0), "the averaged shares")


def gradenfs_ranking(history: History, n_examples: int, beta: float = GRADENFS_BETA) -> np.ndarray:
    """The GradEnFS score (:func:`lgrad.study.gradenfs.gradenfs_scores`) of a run recorded per mini-batch."""
    if history.degenerate_from() is not None:
        raise NoRankingError(f"the run learned nothing from epoch {history.degenerate_from()} on")
    return order_of(gradenfs_scores(history, n_examples, beta), "the GradEnFS scores")


PERMUTATION_REPEATS = 10
"""Shuffles per column of the permutation importance."""


def permutation_ranking(
    model: torch.nn.Module, X: torch.Tensor, y: torch.Tensor, loss: str, seed: int, n_repeats: int = PERMUTATION_REPEATS
) -> np.ndarray:
    """Permutation importance (:func:`lgrad.study.permutation.permutation_importance`): how much the network's mean
    cost rises when one column of ``X`` is shuffled, averaged over ``n_repeats`` shuffles drawn from ``seed``."""
    n_repeats = check_int("n_repeats", n_repeats, minimum=1)
    importances = permutation_importance(model, X, y, loss=loss, n_repeats=n_repeats, seed=check_seed(seed))
    return order_of(importances, "the permutation importances")


LASSONET_OPTIONS = {
    "lambda_start": 0.1,
    "path_multiplier": 1.1,
    "n_iters": (100, 10),
    "patience": (10, 3),
    "learning_rates": (1e-2, 1e-2),
}
"""LassoNet's path made lighter than its defaults (each documented option of ``LassoNetClassifier``): a fixed first
λ instead of its automatic search, λ × 1.1 per step (default 1.02), at most 100 epochs of dense training and 10 per
λ with early stopping after 10 and 3 (defaults 1000/100 and 100/10), and learning rates of 1e-2 for its Adam and SGD
(defaults 1e-3). ``benchmarks/lassonet_path.py`` measures what this changes: on the book's default split, seeds
0-2, 1-3 s instead of 21-24 s, and orders of the 30 variables with a Spearman correlation of 0.94-0.97 with the
defaults' (4 or 5 of the first five shared)."""


def lassonet_options_text(hidden: Sequence[int]) -> str:
    """:data:`LASSONET_OPTIONS` and the hidden widths, as the book states them."""
    o = LASSONET_OPTIONS
    return (
        f"hidden widths {', '.join(str(h) for h in hidden)} (the paper's network's), a first penalty λ of "
        f"{o['lambda_start']:g} instead of its automatic search, λ × {o['path_multiplier']:g} per step (default 1.02), "
        f"at most {o['n_iters'][0]} epochs of dense training and {o['n_iters'][1]} per λ with early stopping after "
        f"{o['patience'][0]} and {o['patience'][1]} epochs without improvement (defaults 1000 and 100, 100 and 10), "
        f"and learning rates of {o['learning_rates'][0]:g} and {o['learning_rates'][1]:g} for its Adam and SGD steps "
        "(default 0.001)"
    )


def lassonet_ranking(
    X: torch.Tensor, y: torch.Tensor, seed: int, hidden: Sequence[int] = (3,), **options: object
) -> np.ndarray:
    """The order in which the variables leave LassoNet's regularization path (Lemhadri et al., JMLR 2021), latest
    first: the ``lassonet`` package's ``feature_importances_`` (the λ at which each feature is dropped).

    LassoNet fits its own network (a ReLU network with a linear skip connection whose weights gate each input; the
    penalty λ grows until no input is left), of the widths ``hidden``, on ``X`` and ``y`` (0/1), holding out a
    tenth of them for its early stopping. Features dropped at the same λ are ordered by the size of their skip
    weights one step before. The validation split and the initial weights are drawn from ``seed``; torch's global
    generator, which LassoNet seeds, is left as it was.

    Args:
        options: :data:`LASSONET_OPTIONS` by default; any of its keys.
    """
    from lassonet import LassoNetClassifier

    settings = {**LASSONET_OPTIONS, **options}
    unknown = set(settings) - set(LASSONET_OPTIONS)
    if unknown:
        raise ValueError(f"unknown LassoNet option(s) {sorted(unknown)}; allowed: {', '.join(LASSONET_OPTIONS)}")
    lr_dense, lr_path = settings.pop("learning_rates")
    seed = check_seed(seed)
    labels = y.numpy().astype(np.int64)
    with torch.random.fork_rng(devices=[]):
        estimator = LassoNetClassifier(
            hidden_dims=tuple(int(h) for h in hidden),
            optim=(partial(torch.optim.Adam, lr=lr_dense), partial(torch.optim.SGD, lr=lr_path, momentum=0.9)),
            random_state=_stream(seed, "lassonet-split"),
            torch_seed=_stream(seed, "lassonet-init"),
            device="cpu",
            verbose=0,
            **settings,
        )
        with warnings.catch_warnings():  # its "lambda_start might be too large": ties are broken below instead
            warnings.filterwarnings("ignore", message="lambda_start", module="lassonet")
            path = estimator.path(X.numpy(), labels, return_state_dicts=True)
    dropped_at = estimator.feature_importances_.numpy().astype(float)
    before = np.zeros(len(dropped_at))
    for previous, step in zip(path[:-1], path[1:], strict=True):
        leaving = (previous.selected & ~step.selected).numpy()
        before[leaving] = previous.state_dict["skip.weight"].norm(dim=0).numpy()[leaving]
    order = np.lexsort((np.arange(len(dropped_at)), -before, -dropped_at))
    if np.ptp(dropped_at) == 0 and np.ptp(before) == 0:
        raise NoRankingError("LassoNet dropped every variable at once")
    return order


def random_ranking(n_features: int, seed: int) -> np.ndarray:
    """A random order of ``n_features`` variables, fixed by ``seed`` (its own stream, not the training's)."""
    n_features = check_int("n_features", n_features, minimum=1)
    return np.random.default_rng(_stream(check_seed(seed), "random-ranking")).permutation(n_features)


def _stream(seed: int, name: str) -> int:
    """A 32-bit seed for one of this module's random choices, a function of ``seed`` and the choice's name."""
    return int(np.random.SeedSequence([seed, zlib.crc32(name.encode())]).generate_state(1)[0])


LEARNING_GRADIENT = "learning gradient (one seed)"
SEED_AVERAGED = "learning gradient (seed-averaged)"
GRADENFS = "GradEnFS"
PERMUTATION = "permutation importance"
LASSONET = "LassoNet"
RANDOM = "random"
RANKINGS = (LEARNING_GRADIENT, SEED_AVERAGED, GRADENFS, PERMUTATION, LASSONET, RANDOM)
"""The rankings compared, in the order the book lists them."""
PHRASES = {
    LEARNING_GRADIENT: "the learning gradient of one seed",
    SEED_AVERAGED: "the seed-averaged learning gradient",
    GRADENFS: "GradEnFS",
    PERMUTATION: "permutation importance",
    LASSONET: "LassoNet",
    RANDOM: "the random order",
}
"""How a sentence names each ranking."""


def phrase(name: str) -> str:
    """The ranking ``name`` as a sentence names it (:data:`PHRASES`; an unknown name as it is)."""
    return PHRASES.get(name, name)


def phrases(names: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``: the rankings ``names`` in a sentence."""
    said = [phrase(n) for n in names]
    return " and ".join(said) if len(said) < 3 else ", ".join(said[:-1]) + " and " + said[-1]


def all_rankings(
    dataset, base: History, full: Sequence[History], seeds: Sequence[int], loss: str, hidden: Sequence[int]
) -> tuple[dict[str, list[np.ndarray]], dict[str, str]]:
    """Every ranking of :data:`RANKINGS`, one order per seed (the same order for all seeds but the random one),
    and, for those that rank nothing here, why.

    Args:
        dataset: the split; only its training rows are read.
        base: the base run (the book's run of the chapter's seed), recorded per epoch, with its network.
        full: the full-input runs of ``seeds`` on the same split, recorded per mini-batch; ``full[0]`` is the base
            run trained again (its seed), whose mini-batches give the GradEnFS score.
        seeds: the retraining seeds; the first is the chapter's seed.
    """
    seed, n = seeds[0], dataset.n_features
    makers = {
        LEARNING_GRADIENT: lambda: learning_gradient_ranking(base),
        SEED_AVERAGED: lambda: seed_averaged_ranking(full),
        GRADENFS: lambda: gradenfs_ranking(full[0], len(dataset.y_train), GRADENFS_BETA),
        PERMUTATION: lambda: (
            _learned(base) or permutation_ranking(base.model, dataset.X_train, dataset.y_train, loss, seed)
        ),
        LASSONET: lambda: lassonet_ranking(dataset.X_train, dataset.y_train, seed, hidden),
    }
    orders, missing = {}, {}
    for name, make in makers.items():
        try:
            orders[name] = [make()] * len(seeds)
        except NoRankingError as err:
            missing[name] = str(err)
    orders[RANDOM] = [random_ranking(n, s) for s in seeds]
    return orders, missing


def _learned(history: History) -> None:
    """Nothing if ``history`` learned; else :class:`NoRankingError` (its network's importances would all be 0)."""
    if history.degenerate_from() is not None:
        raise NoRankingError(f"the run learned nothing from epoch {history.degenerate_from()} on")
