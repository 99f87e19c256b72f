"""Per-class maps of an image classifier: the learning gradient's, Captum's, and what they concentrate on.

The chapter *A CNN learns digits* reads :class:`lgrad.CNNHistory`'s maps (Σ_i |∂C_i/∂x| over each epoch's training
images of a class, scaled to sum to 1) beside two post-hoc attributions of the trained network, Captum's
``Saliency`` (|∂ logit_y / ∂x|, Simonyan et al. 2014) and ``IntegratedGradients`` (Sundararajan et al. 2017), and
asks whether the maps sit on the digits' strokes. Every function here computes; the sentences at the end choose
their words from the numbers.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import torch
from scipy.stats import spearmanr
from tqdm import TqdmWarning

with warnings.catch_warnings():  # captum imports tqdm.auto, which warns in a Jupyter kernel without ipywidgets
    warnings.simplefilter("ignore", TqdmWarning)
    from captum.attr import IntegratedGradients, Saliency

from ..capture import normalize
from ..checks import check_choice, check_float, check_int

METHODS = ("saliency", "integrated_gradients")
"""The Captum attributions compared with the learning gradient."""
IG_STEPS = 50
"""Integration steps of ``IntegratedGradients`` (Captum's default), Gauss–Legendre."""
INK_THRESHOLD = 0.5
"""A pixel is *ink* for a class when its mean over the class's training images is at least this (pixels in [0, 1])."""
INK_THRESHOLDS = (0.25, 0.5, 0.75)
"""The thresholds the chapter tries, to say how much its statement depends on the choice."""


def class_mean_images(
    images: torch.Tensor | np.ndarray, labels: torch.Tensor | np.ndarray, n_classes: int
) -> np.ndarray:
    """The mean image of each class, shape (n_classes, H, W); NaN for a class without images."""
    images, labels = _numpy(images), _numpy(labels).astype(int)
    n_classes = check_int("n_classes", n_classes, minimum=1)
    means = np.full((n_classes, *images.shape[1:]), np.nan)
    for c in range(n_classes):
        if (labels == c).any():
            means[c] = images[labels == c].mean(axis=0)
    return means


def captum_class_maps(
    model: torch.nn.Module,
    images: torch.Tensor,
    labels: torch.Tensor,
    n_classes: int,
    method: str = "saliency",
    n_steps: int = IG_STEPS,
) -> np.ndarray:
    """Per class, the mean |attribution| over that class's images, target = each image's true class; (n_classes, H, W).

    ``"saliency"`` is Captum's ``Saliency`` (|∂ logit_y / ∂x| at the image); ``"integrated_gradients"`` Captum's
    ``IntegratedGradients`` from the all-zero image (a blank page: no ink) with ``n_steps`` Gauss–Legendre steps,
    then its absolute value. Not normalized; NaN for a class without images. The model's parameters are unchanged.
    """
    check_choice("method", method, METHODS)
    n_classes = check_int("n_classes", n_classes, minimum=1)
    n_steps = check_int("n_steps", n_steps, minimum=1)
    dtype = next(model.parameters()).dtype
    inputs = images.detach().to(dtype).clone().requires_grad_(True)
    targets = labels.detach().long()
    if method == "saliency":
        attributions = Saliency(model).attribute(inputs, target=targets, abs=True)
    else:
        baseline = torch.zeros_like(inputs)
        attributions = IntegratedGradients(model).attribute(inputs, baselines=baseline, target=targets, n_steps=n_steps)
    return class_mean_images(attributions.detach().abs().double(), targets, n_classes)


def map_agreement(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Spearman's ρ between two stacks of maps, one per class (over the pixels of each map); NaN where a map is
    constant or not finite (it ranks no pixel)."""
    first, second = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    if first.shape != second.shape or first.ndim < 2:
        raise ValueError(f"first and second must be stacks of maps of one shape, got {first.shape} and {second.shape}")
    rho = np.full(len(first), np.nan)
    for c, (a, b) in enumerate(zip(first.reshape(len(first), -1), second.reshape(len(second), -1), strict=True)):
        if _ranks(a) and _ranks(b):
            rho[c] = spearmanr(a, b).statistic
    return rho


def ink_masks(mean_images: np.ndarray, threshold: float = INK_THRESHOLD) -> np.ndarray:
    """Which pixels are ink for each class: its mean image at least ``threshold``; (n_classes, H, W) booleans."""
    threshold = check_float("threshold", threshold, minimum=0, maximum=1, min_inclusive=False)
    means = np.asarray(mean_images, dtype=float)
    return np.nan_to_num(means, nan=-1.0) >= threshold


def ink_share(maps: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """The share of each map's mass on its class's ink pixels (each map scaled to sum to 1 first); NaN for a map
    that is zero or not finite."""
    maps, masks = np.asarray(maps, dtype=float), np.asarray(masks, dtype=bool)
    if maps.shape != masks.shape:
        raise ValueError(f"maps and masks must have one shape, got {maps.shape} and {masks.shape}")
    axes = tuple(range(1, maps.ndim))
    shares = (normalize(maps, maps.ndim - 1) * masks).sum(axis=axes)
    has_mass = [bool(np.isfinite(m).all() and m.sum() > 0) for m in maps]
    return np.where(has_mass, shares, np.nan)


def ink_table(
    mean_images: np.ndarray, maps: dict[str, np.ndarray], class_names: Sequence[str], threshold: float = INK_THRESHOLD
) -> pd.DataFrame:
    """Per class: the share of pixels that are ink, and the share of each map's mass on them (fractions).

    Args:
        mean_images: (n_classes, H, W), from :func:`class_mean_images`.
        maps: a name (e.g. ``"learning gradient"``) → (n_classes, H, W) maps.
        class_names: one per class.
        threshold: see :func:`ink_masks`.
    """
    masks = ink_masks(mean_images, threshold)
    table = pd.DataFrame({"class": list(class_names), "ink pixels": masks.mean(axis=(1, 2))})
    for name, stack in maps.items():
        table[f"{name} on ink"] = ink_share(stack, masks)
    return table


def ink_lift(mean_images: np.ndarray, maps: np.ndarray, threshold: float = INK_THRESHOLD) -> float:
    """Mean over classes of (share of map mass on ink) / (share of pixels that are ink): 1 is a map spread evenly,
    more is a map on the strokes. NaN if no class has both ink and a map."""
    masks = ink_masks(mean_images, threshold)
    pixels = masks.mean(axis=tuple(range(1, masks.ndim)))
    ratio = np.divide(ink_share(maps, masks), pixels, out=np.full(len(pixels), np.nan), where=pixels > 0)
    return float(np.nanmean(ratio)) if np.isfinite(ratio).any() else float("nan")


def cnn_learned_nothing(history: Any, chance: float) -> str | None:
    """Why the CNN's maps show nothing it learned, in a phrase, or ``None`` if they can be read.

    Nothing was learned when the last epoch's map is zero or not finite (the cost no longer depends on the pixels,
    or the run diverged), or when the last test accuracy is no better than ``chance``, the accuracy of always
    predicting the test set's most common class (:func:`chance_accuracy`).
    """
    raw = np.asarray(history.raw_relevance[-1], dtype=float)
    accuracy = float(history.test_accuracy[-1])
    if not np.isfinite(raw).all():
        return "this network learned nothing: its last learning gradient is not finite (the training diverged)"
    if not (raw != 0).any():
        return "this network learned nothing: its last learning gradient is zero (no pixel moves its cost)"
    if not accuracy > chance:
        return (
            f"this network learned nothing: its test accuracy, {100 * accuracy:.1f} %, is no better than always "
            f"predicting the most common class ({100 * chance:.1f} %)"
        )
    return None


def chance_accuracy(labels: torch.Tensor | np.ndarray) -> float:
    """The accuracy of always predicting the most common class of ``labels``."""
    labels = _numpy(labels).astype(int)
    return float(np.bincount(labels).max() / len(labels))


def evolution(class_relevance: np.ndarray, mean_images: np.ndarray, threshold: float = INK_THRESHOLD) -> pd.DataFrame:
    """Per epoch (1-based): the mean over classes of Spearman's ρ with the last epoch's map and the ink lift."""
    maps = np.asarray(class_relevance, dtype=float)
    rows = []
    for epoch, stack in enumerate(maps, start=1):
        rho = map_agreement(stack, maps[-1])
        rows.append(
            {
                "epoch": epoch,
                "spearman_last": float(np.nanmean(rho)) if np.isfinite(rho).any() else float("nan"),
                "ink_lift": ink_lift(mean_images, stack, threshold),
            }
        )
    return pd.DataFrame(rows)


def _ranks(values: np.ndarray) -> bool:
    return bool(np.isfinite(values).all() and np.ptp(values) > 0)


def _numpy(values: Any) -> np.ndarray:
    return values.detach().cpu().numpy() if isinstance(values, torch.Tensor) else np.asarray(values)


# --- the chapter's sentences (A CNN learns digits) ------------------------------------------------------------------


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
