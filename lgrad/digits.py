"""scikit-learn's bundled handwritten digits (8×8 images, 10 classes), split and scaled for the CNN.

Each image holds counts 0–16 (the "on" pixels of a 4×4 block of a 32×32 bitmap). They are divided by 16, so every
pixel lies in [0, 1]: a fixed scale, fitted on no rows, so the test images leak nothing into training and a
learning-gradient map stays in the images' own pixel grid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from .checks import check_seed, check_test_size
from .seeding import derive_seed

PIXEL_MAX = 16.0
"""The largest pixel value of scikit-learn's digits; images are divided by it."""


@dataclass(frozen=True, eq=False)
class ImageDataset:
    """A multi-class image dataset split into train and test tensors: images (N, height, width) in float64, labels
    (N,) as int64 class indices."""

    name: str
    class_names: tuple[str, ...]
    X_train: torch.Tensor
    y_train: torch.Tensor
    X_test: torch.Tensor
    y_test: torch.Tensor
    settings: dict
    """How it was split and scaled: ``test_size``, ``split_seed``, ``stratify``, ``scale``."""

    @property
    def image_shape(self) -> tuple[int, ...]:
        return tuple(self.X_train.shape[1:])

    @property
    def n_classes(self) -> int:
        return len(self.class_names)


def load_digits_dataset(*, test_size: float = 0.2, seed: int = 0) -> ImageDataset:
    """Load scikit-learn's digits (1797 images of 8×8 pixels, classes 0–9), split and scaled to [0, 1].

    The split is scikit-learn's ``train_test_split``, stratified by class and seeded from ``seed``'s ``split``
    stream (:mod:`lgrad.seeding`); the rows of each part keep their original order. Pixels are divided by 16.

    Args:
        test_size: fraction of the images held out for testing, in (0, 1).
        seed: fixes the split.
    """
    test_size = check_test_size(test_size)
    seed = check_seed(seed)
    bunch = load_digits()
    images = np.asarray(bunch.images, dtype=np.float64) / PIXEL_MAX
    labels = np.asarray(bunch.target, dtype=np.int64)
    rows = np.arange(len(labels))
    try:
        train_rows, test_rows = train_test_split(
            rows, test_size=test_size, random_state=derive_seed(seed, "split") % 2**32, stratify=labels
        )
    except ValueError as err:
        raise ValueError(f"test_size={test_size} cannot split {len(rows)} images in 10 classes: {err}") from None
    train_rows, test_rows = np.sort(train_rows), np.sort(test_rows)
    return ImageDataset(
        name="digits",
        class_names=tuple(str(name) for name in bunch.target_names),
        X_train=torch.from_numpy(images[train_rows]),
        y_train=torch.from_numpy(labels[train_rows]),
        X_test=torch.from_numpy(images[test_rows]),
        y_test=torch.from_numpy(labels[test_rows]),
        settings={"test_size": test_size, "split_seed": seed, "stratify": True, "scale": "pixels / 16"},
    )
