"""Plain SGD training of the paper's network, with the learning gradient recorded from the same backward pass."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from .batches import ShuffledBatches
from .capture import RECORDS, LearningGradient, normalize
from .checks import check_batch_size, check_choice, check_float, check_hidden, check_int, check_lr, check_seed
from .data import Dataset
from .history import History
from .loss import LOSSES, batch_cost
from .model import ACTIVATIONS, build_model, check_dtype
from .seeding import generator


def epoch_orders(n_examples: int, epochs: int, seed: int) -> list[torch.Tensor]:
    """The order in which each epoch visits the training examples: a fresh permutation per epoch from the seed."""
    gen = generator(seed, "order")
    return [torch.randperm(n_examples, generator=gen) for _ in range(epochs)]


def sgd_settings(lr, epochs, record, momentum, dtype, batch_size, n_examples: int) -> tuple:
    """The SGD settings every trainer takes, checked in one place: ``(lr, epochs, momentum, dtype, batch_size, size)``
    with ``size`` the examples per step (``"full"`` or a size past the data is one batch of ``n_examples``)."""
    lr = check_lr(lr)
    epochs = check_int("epochs", epochs, minimum=1)
    check_choice("record", record, (*RECORDS, None))
    momentum = check_float("momentum", momentum, minimum=0, maximum=1, max_inclusive=False)
    dtype = check_dtype(dtype)
    batch_size = check_batch_size(batch_size)
    return lr, epochs, momentum, dtype, batch_size, n_examples if batch_size == "full" else min(batch_size, n_examples)


def train(
    dataset: Dataset,
    *,
    hidden: tuple[int, ...] = (3,),
    activation: str = "sigmoid",
    loss: str = "mse",
    lr: float = 0.5,
    batch_size: int | str = 16,
    epochs: int = 40,
    seed: int = 0,
    record: str | None = "epoch",
    momentum: float = 0.0,
    dtype: torch.dtype | str = torch.float32,
    on_epoch_end: Callable[[int, torch.nn.Module], None] | None = None,
) -> History:
    """Train with stochastic gradient descent and return the :class:`~lgrad.history.History` of the run.

    Args:
        dataset: from :func:`lgrad.load_dataset`.
        hidden: sizes of the hidden layers; the paper uses one layer of 3.
        activation: hidden activation, ``"sigmoid"``, ``"relu"`` or ``"tanh"`` (the output is always a sigmoid).
        loss: ``"mse"`` (the paper's eq. 4, with its ½) or ``"bce"``.
        lr: learning rate, > 0.
        batch_size: 1 is per-example SGD as in Algorithm 1; larger values are mini-batches (a short last batch is
            kept); ``"full"`` is one batch.
        epochs: passes over the training set.
        seed: fixes the initial weights and each epoch's order (the split is fixed by ``load_dataset``'s seed).
        record: ``"epoch"`` keeps one learning-gradient row per epoch, ``"batch"`` also one per mini-batch,
            ``None`` trains without recording.
        momentum: SGD momentum, 0 (plain SGD) unless asked.
        dtype: ``torch.float32`` or ``torch.float64`` (for exact checks).
        on_epoch_end: called as ``on_epoch_end(epoch, model)`` after each epoch (1-based), e.g. for progress.
    """
    if not isinstance(dataset, Dataset):
        raise TypeError(f"dataset must be an lgrad Dataset (from lgrad.load_dataset), got {type(dataset).__name__}")
    hidden = check_hidden(hidden)
    check_choice("activation", activation, ACTIVATIONS)
    check_choice("loss", loss, LOSSES)
    seed = check_seed(seed)
    n_examples = len(dataset.y_train)
    settings = sgd_settings(lr, epochs, record, momentum, dtype, batch_size, n_examples)
    lr, epochs, momentum, dtype, batch_size, size = settings

    X, y = dataset.X_train.to(dtype), dataset.y_train.to(dtype)
    X_test, y_test = dataset.X_test.to(dtype), dataset.y_test.to(dtype)
    model = build_model(dataset.n_features, hidden, activation, seed=seed, dtype=dtype)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    batches = ShuffledBatches(X, y, size)
    recorder = LearningGradient(batches.inputs, keep_batches=record == "batch") if record is not None else None
    metrics: dict[str, list[float]] = {
        k: [] for k in ("train_loss", "train_accuracy", "test_loss", "test_accuracy", "test_predicted_positive")
    }

    try:
        for epoch, order in enumerate(epoch_orders(n_examples, epochs, seed), start=1):
            for xb, yb in batches.epoch(order):
                optimizer.zero_grad(set_to_none=True)
                batch_cost(loss, model.logits(xb), yb).backward()
                optimizer.step()
            if recorder is not None:
                recorder.end_epoch()
            _evaluate(model, loss, X, y, X_test, y_test, metrics)
            if on_epoch_end is not None:
                on_epoch_end(epoch, model)
    finally:
        if recorder is not None:
            recorder.release()

    raw = recorder.epoch_rows() if recorder else np.full((epochs, dataset.n_features), np.nan)
    by_batch = record == "batch"
    config = {
        "dataset": dataset.name,
        **dataset.settings,
        "hidden": list(hidden),
        "activation": activation,
        "loss": loss,
        "lr": lr,
        "batch_size": batch_size,
        "epochs": epochs,
        "seed": seed,
        "record": record,
        "momentum": momentum,
        "dtype": str(dtype).removeprefix("torch."),
    }
    return History(
        feature_names=list(dataset.feature_names),
        raw_relevance=raw,
        relevance=normalize(raw) if recorder else raw,
        batch_relevance=normalize(recorder.batch_rows()) if by_batch else None,
        raw_batch_relevance=recorder.batch_rows() if by_batch else None,
        batch_epoch=recorder.batch_epochs() if by_batch else None,
        config=config,
        model=model,
        test_class_counts=np.bincount(dataset.y_test.numpy().astype(np.int64), minlength=2),
        **{k: np.array(v) for k, v in metrics.items()},
    )


@torch.no_grad()
def _evaluate(model, loss, X, y, X_test, y_test, metrics) -> None:
    for part, (inputs, target) in {"train": (X, y), "test": (X_test, y_test)}.items():
        logits = model.logits(inputs)
        predicted = torch.sigmoid(logits) >= 0.5
        metrics[f"{part}_loss"].append(float(batch_cost(loss, logits, target)))
        metrics[f"{part}_accuracy"].append(float((predicted == (target >= 0.5)).double().mean()))
        if part == "test":
            metrics["test_predicted_positive"].append(float(predicted.double().mean()))
