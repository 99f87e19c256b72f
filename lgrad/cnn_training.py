"""Plain SGD training of the digits CNN, with its learning gradient recorded as maps per epoch and per class.

The same recorder as the paper's network (:class:`~lgrad.capture.LearningGradient`) reads ∂C/∂x from the training
step's own backward pass; here x is an 8×8 image, so each epoch gives an 8×8 map, and one per class.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from .batches import ShuffledBatches
from .capture import LearningGradient, normalize
from .checks import check_int, check_seed
from .cnn import DigitsCNN, build_cnn
from .digits import ImageDataset
from .loss import batch_cost
from .training import epoch_orders, sgd_settings

LOSS = "ce"


@dataclass(frozen=True, eq=False)
class CNNHistory:
    """What :func:`train_cnn` recorded. Maps have the images' shape (H, W); "raw" maps are Σ_i |∂C_i/∂x| over the
    epoch's training examples (of a class, for the class maps), the others are the same maps scaled to sum to 1.
    Every map is NaN when trained with ``record=None``."""

    class_names: tuple[str, ...]
    raw_relevance: np.ndarray
    """(epochs, H, W): Σ_i |∂C_i/∂x| over each epoch's training images."""
    relevance: np.ndarray
    """(epochs, H, W): each epoch's map scaled to sum to 1."""
    raw_class_relevance: np.ndarray
    """(epochs, classes, H, W): Σ_i |∂C_i/∂x| over each epoch's training images of each class."""
    class_relevance: np.ndarray
    """(epochs, classes, H, W): each class map scaled to sum to 1."""
    batch_relevance: np.ndarray | None
    """(steps, H, W): each mini-batch's map scaled to sum to 1, with ``record="batch"``; else None."""
    batch_epoch: np.ndarray | None
    """The 0-based epoch of each row of ``batch_relevance``."""
    train_loss: np.ndarray
    train_accuracy: np.ndarray
    test_loss: np.ndarray
    test_accuracy: np.ndarray
    """Per epoch, after its last step: mean cross-entropy and the fraction of images whose largest logit is their
    class, on the training and test images."""
    config: dict
    model: DigitsCNN


def train_cnn(
    dataset: ImageDataset,
    *,
    channels: int = 8,
    lr: float = 0.1,
    batch_size: int | str = 32,
    epochs: int = 40,
    seed: int = 0,
    record: str | None = "epoch",
    momentum: float = 0.0,
    dtype: torch.dtype | str = torch.float32,
    on_epoch_end: Callable[[int, torch.nn.Module], None] | None = None,
) -> CNNHistory:
    """Train :class:`~lgrad.cnn.DigitsCNN` with stochastic gradient descent on the cross-entropy; return its history.

    Args:
        dataset: from :func:`lgrad.digits.load_digits_dataset`.
        channels: filters of the convolution.
        lr: learning rate, > 0.
        batch_size: examples per SGD step (a short last batch is kept); ``"full"`` is one batch.
        epochs: passes over the training set.
        seed: fixes the initial weights and each epoch's order (the split is fixed by the dataset's seed).
        record: ``"epoch"`` keeps one map per epoch and one per class and epoch, ``"batch"`` also one per
            mini-batch, ``None`` trains without recording.
        momentum: SGD momentum, 0 (plain SGD) unless asked.
        dtype: ``torch.float32`` or ``torch.float64`` (for exact checks).
        on_epoch_end: called as ``on_epoch_end(epoch, model)`` after each epoch (1-based), e.g. for progress.

    Example::

        digits = load_digits_dataset(seed=0)
        history = train_cnn(digits, epochs=40, seed=0)
        history.class_relevance[-1, 3]   # the 8×8 map of the digit 3 at the last epoch, summing to 1
    """
    if not isinstance(dataset, ImageDataset):
        raise TypeError(
            f"dataset must be an lgrad ImageDataset (from lgrad.load_digits_dataset), got {type(dataset).__name__}"
        )
    channels = check_int("channels", channels, minimum=1)
    seed = check_seed(seed)
    n_examples = len(dataset.y_train)
    settings = sgd_settings(lr, epochs, record, momentum, dtype, batch_size, n_examples)
    lr, epochs, momentum, dtype, batch_size, size = settings

    X, y = dataset.X_train.to(dtype), dataset.y_train
    X_test, y_test = dataset.X_test.to(dtype), dataset.y_test
    model = build_cnn(
        seed=seed, image_shape=dataset.image_shape, n_classes=dataset.n_classes, channels=channels, dtype=dtype
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    batches = ShuffledBatches(X, y, size)
    recorder = None
    if record is not None:
        recorder = LearningGradient(
            batches.inputs, keep_batches=record == "batch", by_class=batches.targets, n_classes=dataset.n_classes
        )
    metrics: dict[str, list[float]] = {k: [] for k in ("train_loss", "train_accuracy", "test_loss", "test_accuracy")}

    try:
        for epoch, order in enumerate(epoch_orders(n_examples, epochs, seed), start=1):
            for xb, yb in batches.epoch(order):
                optimizer.zero_grad(set_to_none=True)
                batch_cost(LOSS, model(xb), yb).backward()
                optimizer.step()
            if recorder is not None:
                recorder.end_epoch()
            _evaluate(model, X, y, X_test, y_test, metrics)
            if on_epoch_end is not None:
                on_epoch_end(epoch, model)
    finally:
        if recorder is not None:
            recorder.release()

    maps = len(dataset.image_shape)
    if recorder is not None:
        raw, raw_class = recorder.epoch_rows(), recorder.class_rows()
    else:
        raw = np.full((epochs, *dataset.image_shape), np.nan)
        raw_class = np.full((epochs, dataset.n_classes, *dataset.image_shape), np.nan)
    by_batch = record == "batch"
    config = {
        "dataset": dataset.name,
        **dataset.settings,
        "model": "DigitsCNN",
        "channels": channels,
        "loss": LOSS,
        "lr": lr,
        "batch_size": batch_size,
        "epochs": epochs,
        "seed": seed,
        "record": record,
        "momentum": momentum,
        "dtype": str(dtype).removeprefix("torch."),
    }
    return CNNHistory(
        class_names=dataset.class_names,
        raw_relevance=raw,
        relevance=normalize(raw, maps) if recorder else raw,
        raw_class_relevance=raw_class,
        class_relevance=normalize(raw_class, maps) if recorder else raw_class,
        batch_relevance=normalize(recorder.batch_rows(), maps) if by_batch else None,
        batch_epoch=recorder.batch_epochs() if by_batch else None,
        config=config,
        model=model,
        **{k: np.array(v) for k, v in metrics.items()},
    )


@torch.no_grad()
def _evaluate(model, X, y, X_test, y_test, metrics) -> None:
    for part, (images, labels) in {"train": (X, y), "test": (X_test, y_test)}.items():
        logits = model(images)
        metrics[f"{part}_loss"].append(float(batch_cost(LOSS, logits, labels)))
        metrics[f"{part}_accuracy"].append(float((logits.argmax(1) == labels).double().mean()))
