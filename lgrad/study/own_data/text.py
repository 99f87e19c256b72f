"""The sentences that report a run on a reader's own table, chosen by the numbers they state."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ...defaults import DEFAULTS
from ..run_text import batches
from ..text import count, percent
from .ranking import carrying, final_ranking


def table_sentence(ds: Any, file_name: str, target: str) -> str:
    """What the table holds: rows, input variables, and each label of the target with its rows and class."""
    labels = ds.raw["target"].to_numpy()
    classes = [
        f"{name} ({count(int((labels == index).sum()), 'row')}, class {index})"
        for index, name in enumerate(ds.class_names)
    ]
    return (
        f"`{file_name}` has {count(len(ds.raw), 'row')}: {count(ds.n_features, 'numeric input variable')} and the "
        f"target column `{target}`, whose labels are {classes[0]} and {classes[1]}."
    )


def result_paragraph(history: Any, class_names: Sequence[str], status: str | None) -> str:
    """The run's outcome: its test accuracy against always answering the majority class, then either that it learned
    nothing (``status``, from :func:`lgrad.study.run_text.learned_nothing`) or its most relevant variables and how
    many carry half of the learning gradient."""
    epochs, accuracy = history.epochs, float(history.test_accuracy[-1])
    n_test = int(np.sum(history.test_class_counts))
    shares = np.asarray(history.test_class_shares, dtype=float)
    baseline = float(history.majority_share)
    always = "either class" if shares[0] == shares[1] else f"the majority class, {class_names[int(np.argmax(shares))]}"
    if accuracy <= baseline:
        compared = f"no better than always answering {always}, which scores {percent(baseline)}"
    else:
        compared = f"against {percent(baseline)} for always answering {always}"
    opening = (
        f"After {count(epochs, 'epoch')} the network classifies {percent(accuracy)} of the {n_test} test rows "
        f"correctly, {compared}."
    )
    if status is not None:
        return (
            f"{opening} {status[0].upper()}{status[1:]}. Its learning gradient ranks no variable: the table lists "
            "none and no bar is colored."
        )
    return f"{opening} {ranking_sentence(final_ranking(history))}"


def ranking_sentence(ranking: pd.DataFrame) -> str:
    """The most relevant variables of a :func:`final_ranking`, how many carry half of the learning gradient, and the
    least relevant."""
    names, shares = list(ranking["variable"]), [float(s) for s in ranking["share"]]
    shown = [f"**{name}** ({percent(share)})" for name, share in zip(names, shares, strict=True)]
    if len(names) == 1:
        return f"Its only input variable, {shown[0]}, carries all of the learning gradient."
    following = " and ".join(shown[1:3])
    half = carrying(ranking)
    carried = "it alone carries" if half == 1 else f"the first {half} of the {len(names)} variables together carry"
    least = f", and the least relevant, {names[-1]}, has {percent(shares[-1])}" if len(names) > 3 else ""
    return (
        f"After the last epoch the most relevant variable is {shown[0]}, then {following}; {carried} half of the "
        f"learning gradient{least}."
    )


def dataset_note(book_dataset: Any, file_name: str) -> str:
    """Which data this chapter reads when the book was built for ``book_dataset`` (its ``dataset`` parameter)."""
    if book_dataset == DEFAULTS["dataset"]:
        return (
            f"The other chapters read the paper's data; this one reads `{file_name}`, with the book's other "
            "parameters (seed, epochs, network, learning rate, …)."
        )
    return (
        f"This book was built with its own data set, `{_file_name(book_dataset)}`, which the other chapters read; "
        f"this chapter still analyses the shipped `{file_name}` (with the book's other parameters: seed, epochs, "
        "network, learning rate, …), so that it shows the same example for every reader: run the command below on "
        "your file instead."
    )


def _file_name(dataset: Any) -> str:
    return str(dataset).replace("\\", "/").rsplit("/", 1)[-1]


def positive_swap(top: Sequence[str] | None, swapped: Sequence[str] | None, first_label: str, k: int = 3) -> str:
    """How the ranking changes when the other label is class 1 (``top``, ``swapped``: the ``k`` or more most relevant
    variables of each run, ``None`` for a run that learned nothing)."""
    choice = f"With {first_label} as class 1 instead, "
    if top is None or swapped is None:
        which = "both runs learn" if top is None and swapped is None else "one of the two runs learns"
        return choice + f"there is no ranking to compare: {which} nothing."
    k = min(k, len(top), len(swapped))
    shared = len(set(top[:k]) & set(swapped[:k]))
    if list(top[:k]) == list(swapped[:k]):
        return choice + f"the top {k} is the same, in the same order."
    return choice + f"the top {k} is {', '.join(swapped[:k])}: {shared} of {k} variables are shared with the run above."


LOSS_NAMES = {"mse": "the mean squared error", "bce": "the cross-entropy"}


def settings_sentence(settings: Mapping[str, Any], n_features: int, n_train: int) -> str:
    """The network and its training, as ``settings`` (:data:`~lgrad.study.own_data.command.METHOD_KEYS`) fix them,
    in one sentence."""
    hidden = settings["hidden"]
    hidden = list(hidden) if isinstance(hidden, list | tuple) else [hidden]
    layers = " → ".join(str(n) for n in [n_features, *hidden, 1])
    scaled = "the training rows" if settings["scale"] == "train" else "all rows"
    return (
        f"The network is {layers}, with {settings['activation']} hidden units and "
        f"{LOSS_NAMES.get(settings['loss'], settings['loss'])} as its cost, trained by plain SGD with learning rate "
        f"{settings['lr']:g}, {batches(settings['batch_size'], n_train)}, for {count(settings['epochs'], 'epoch')} "
        f"from seed {settings['seed']}; {100 * settings['test_size']:g} % of the rows, drawn per class, are held out "
        f"for testing, and the inputs are standardized on {scaled}."
    )
