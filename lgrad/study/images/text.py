"""The sentences of the chapter *A CNN learns digits*, chosen by the numbers they state."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd


def _number(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}" if np.isfinite(value) else "undefined"


def agreement_sentence(rho: dict[str, np.ndarray], class_names: Sequence[str]) -> str:
    """How closely the last epoch's learning-gradient maps rank the pixels as Captum's maps do."""
    parts = []
    for name, values in rho.items():
        values = np.asarray(values, dtype=float)
        defined = np.isfinite(values)
        if not defined.any():
            parts.append(f"with {name} it is undefined for every class (a constant map ranks no pixel)")
            continue
        low = int(np.nanargmin(values))
        parts.append(
            f"with {name}, Spearman's ρ is {np.nanmedian(values):.2f} in the median class (lowest "
            f"{values[low]:.2f}, for {class_names[low]}"
            + (f"; undefined for {int((~defined).sum())} classes" if not defined.all() else "")
            + ")"
        )
    return "Over the pixels of each class's map, " + "; ".join(parts) + "."


def ink_sentence(table: pd.DataFrame, lifts: dict[float, float], threshold: float, status: str | None) -> str:
    """Whether the last maps concentrate on the digits' strokes: the share of map mass on ink against the share of
    ink pixels, per class, and whether the verdict survives the other thresholds (``lifts``: threshold → the mean
    ratio of the two shares, :func:`ink_lift`)."""
    pixels, mass = table["ink pixels"].to_numpy(), table["learning gradient on ink"].to_numpy()
    defined = np.isfinite(mass)
    if not defined.any():
        return f"{status[0].upper()}{status[1:]}: its maps have no mass to place on the strokes." if status else ""
    above, n = int((mass[defined] > pixels[defined]).sum()), int(defined.sum())
    if above == n:
        where, verdict = f"In every one of the {n} classes", "the maps lean on the strokes"
    elif above == 0:
        where, verdict = f"In none of the {n} classes", "the maps do not lean on the strokes"
    else:
        where, verdict = f"In {above} of the {n} classes", "the maps lean on the strokes for some digits only"
    text = (
        f"Ink pixels (mean intensity at least {threshold:g} over the class's training images) are "
        f"{100 * np.mean(pixels):.0f} % of a class's pixels on average and carry {100 * np.nanmean(mass):.0f} % of "
        f"its last learning-gradient map. {where} the map puts more of its mass on ink than the ink's share of the "
        f"pixels: {verdict}."
    )
    tried = ", ".join(f"{_number(lift)} at {t:g}" for t, lift in lifts.items())
    majority = above * 2 > n
    if all(np.isfinite(v) and (v > 1) == majority for v in lifts.values()):
        text += (
            f" The ratio of the two shares, averaged over classes, is {tried} (threshold): "
            f"{'above' if majority else 'at most'} 1 at every threshold tried."
        )
    else:
        text += (
            f" The ratio of the two shares, averaged over classes, is {tried} (threshold): the verdict depends on it."
        )
    if status:
        text += f" But {status}, so the maps show no region it learned."
    return text


def evolution_sentence(evolution_table: pd.DataFrame) -> str:
    """How the maps move from the first epoch to the last: rank agreement with the last maps, and the ink lift."""
    first, last = evolution_table.iloc[0], evolution_table.iloc[-1]
    if len(evolution_table) == 1:
        return (
            "With a single epoch there is no evolution to follow; the ratio of a map's mass on ink to the ink's share "
            f"of the pixels is {_number(last.ink_lift)}."
        )
    a, b, n = round(float(first.ink_lift), 2), round(float(last.ink_lift), 2), int(last.epoch)
    if not (np.isfinite(a) and np.isfinite(b)):
        trend = f"is {_number(a)} at epoch 1 and {_number(b)} at epoch {n}"
    elif a == b:
        trend = f"stays at {_number(a)} from epoch 1 to epoch {n}"
    else:
        trend = f"{'rises' if b > a else 'falls'} from {_number(a)} at epoch 1 to {_number(b)} at epoch {n}"
    return (
        f"Spearman's ρ between a class's map at epoch 1 and at epoch {n}, averaged over classes, is "
        f"{_number(first.spearman_last)}; the ratio of a map's mass on ink to the ink's share of the pixels {trend}."
    )


def listed_epochs(shown: Sequence[int]) -> str:
    """``"epoch 1"`` or ``"epochs 1, 7 and 13"``."""
    if len(shown) == 1:
        return f"epoch {shown[0]}"
    return "epochs " + ", ".join(map(str, shown[:-1])) + f" and {shown[-1]}"


def shown_epochs_phrase(shown: Sequence[int], n_epochs: int) -> str:
    """Which odd epochs a figure shows: all of them, or how many, evenly spaced."""
    odd = list(range(1, n_epochs + 1, 2))
    listed = listed_epochs(shown).removeprefix("epochs ").removeprefix("epoch ")
    if list(shown) == odd:
        return f"every odd epoch ({listed})" if len(odd) > 1 else "its only odd epoch, 1"
    return f"{len(shown)} of the {len(odd)} odd epochs, evenly spaced from the first to the last odd one: {listed}"


def accuracy_sentence(history: Any, chance: float, status: str | None) -> str:
    """The CNN's last training and test accuracy against always predicting the most common class."""
    n = len(history.test_accuracy)
    text = (
        f"After epoch {n} the network classifies {100 * history.train_accuracy[-1]:.1f} % of its training images and "
        f"{100 * history.test_accuracy[-1]:.1f} % of its test images correctly; always answering the most common "
        f"test class would score {100 * chance:.1f} %."
    )
    if n > 1:
        best = int(np.nanargmax(history.test_accuracy))
        text += f" Its best test accuracy, {100 * history.test_accuracy[best]:.1f} %, came after epoch {best + 1}."
    if status:
        text += f" {status[0].upper()}{status[1:]}."
    return text


def settings_phrase(config: dict[str, Any]) -> str:
    """How the CNN was trained, from its history's ``config``."""
    batch = config["batch_size"]
    batches = "one batch of all the training images" if batch == "full" else f"mini-batches of {batch} images"
    momentum = "plain SGD (no momentum)" if not config["momentum"] else f"SGD with momentum {config['momentum']:g}"
    return (
        f"{momentum}, learning rate {config['lr']:g}, {batches} in a fresh random order each epoch, "
        f"{config['epochs']} epochs, {config['channels']} convolution filters"
    )
