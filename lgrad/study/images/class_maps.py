"""Per-class maps of an image classifier: the learning gradient's, Captum's, and what they concentrate on.

The chapter *A CNN learns digits* reads :class:`lgrad.CNNHistory`'s maps (Σ_i |∂C_i/∂x| over each epoch's training
images of a class, scaled to sum to 1) beside two post-hoc attributions of the trained network, Captum's
``Saliency`` (|∂ logit_y / ∂x|, Simonyan et al. 2014) and ``IntegratedGradients`` (Sundararajan et al. 2017), and
asks whether the maps sit on the digits' strokes. Every function here computes; the sentences are
:mod:`lgrad.study.images.text`.

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

from ...capture import normalize
from ...checks import check_choice, check_float, check_int

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
