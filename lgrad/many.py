"""Many seeds at once: one network per seed, trained side by side as one batched computation.

:func:`train_many` is :func:`lgrad.train` for a list of seeds. The seeds' weights are stacked along a leading seed
dimension and every layer is one batched matrix product (``torch.baddbmm``), so a step costs about what one seed's
step costs. Each seed keeps everything :func:`~lgrad.train` would give it: its initial weights (``build_model``'s
``init`` stream), its epoch orders (:func:`~lgrad.training.epoch_orders`), its own SGD step (the summed cost gives
each seed's weights only its own seed's gradient), and its learning gradient read from that same backward pass:
the stacked mini-batches are leaves that require grad, whose ``.grad`` slots the backward pass fills with ∂C/∂x.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from tqdm import tqdm  # the text bar: tqdm.auto in a notebook ignores TQDM_DISABLE and warns without ipywidgets

from .capture import normalize
from .checks import check_choice, check_hidden, check_seed
from .data import Dataset
from .history import History
from .loss import LOSSES
from .model import ACTIVATIONS, MLP, build_model
from .training import epoch_orders, sgd_settings

_ACTIVATIONS = {"sigmoid": torch.sigmoid, "relu": torch.relu, "tanh": torch.tanh}
EVALUATE = ("epoch", "last")
_METRICS = ("train_loss", "train_accuracy", "test_loss", "test_accuracy", "test_predicted_positive")


def train_many(
    dataset: Dataset | Sequence[Dataset],
    seeds: Iterable[int],
    *,
    hidden: tuple[int, ...] = (3,),
    activation: str = "sigmoid",
    loss: str = "mse",
    lr: float = 0.5,
    batch_size: int | str = 16,
    epochs: int = 40,
    record: str | None = "epoch",
    momentum: float = 0.0,
    dtype: torch.dtype | str = torch.float32,
    evaluate: str = "epoch",
) -> list[History]:
    """Train one network per seed in one batched computation; return one :class:`~lgrad.history.History` per seed.

    ``train_many(dataset, seeds, **settings)[i]`` is ``lgrad.train(dataset, seed=seeds[i], **settings)``, up to
    rounding (the batched products add in another order): in float64 within 1e-9, in float32 the same top five.
    A run longer than a second shows a tqdm progress bar on stderr (silent with ``TQDM_DISABLE=1``).

    Args:
        dataset: from :func:`lgrad.load_dataset`, shared by every seed; or one per seed (same length as ``seeds``,
            same features and numbers of rows), so that split and initialization can vary together or apart.
        seeds: the seeds, each fixing one network's initial weights and epoch orders as ``train``'s ``seed`` does.
        hidden, activation, loss, lr, batch_size, epochs, record, momentum, dtype: as in :func:`lgrad.train`.
        evaluate: ``"epoch"`` measures the costs and accuracies after every epoch, as ``train`` does; ``"last"``
            only after the last one (the earlier epochs' are NaN), for sweeps that read only the final accuracy.

    Seeds that repeat (one seed on several datasets) share one draw of their initial weights and epoch orders, and
    datasets that repeat (the same object) share one copy of their rows.

    Example::

        histories = train_many(lgrad.load_dataset(), range(100), batch_size=32)
        histories[7].top_features()   # the same as lgrad.train(dataset, seed=7, batch_size=32).top_features()
    """
    datasets, seeds = check_datasets(dataset, seeds)
    hidden = check_hidden(hidden)
    check_choice("activation", activation, ACTIVATIONS)
    check_choice("loss", loss, LOSSES)
    check_choice("evaluate", evaluate, EVALUATE)
    n_examples, n_features = len(datasets[0].y_train), datasets[0].n_features
    settings = sgd_settings(lr, epochs, record, momentum, dtype, batch_size, n_examples)
    lr, epochs, momentum, dtype, batch_size, size = settings

    distinct = dict.fromkeys(seeds)
    initial = {seed: build_model(n_features, hidden, activation, seed=seed, dtype=dtype) for seed in distinct}
    net = StackedMLP([initial[seed] for seed in seeds])
    optimizer = torch.optim.SGD(net.parameters, lr=lr, momentum=momentum)
    batches = SeedBatches(datasets, size, dtype)
    recorder = SeedGradients(batches) if record is not None else None
    by_seed = {seed: epoch_orders(n_examples, epochs, seed) for seed in distinct}
    orders = [by_seed[seed] for seed in seeds]
    unmeasured = torch.full((len(_METRICS), len(seeds)), float("nan"), dtype=torch.float64)
    metrics = []

    try:
        for epoch in tqdm(range(epochs), desc=f"train_many: {len(seeds)} seeds", unit="epoch", delay=1, leave=False):
            for xb, yb in batches.epoch([order[epoch] for order in orders]):
                optimizer.zero_grad(set_to_none=True)
                _summed_cost(loss, net.logits(xb), yb).backward()
                optimizer.step()
            if recorder is not None:
                recorder.end_epoch()
            metrics.append(_evaluate(net, loss, batches) if evaluate == "epoch" or epoch == epochs - 1 else unmeasured)
    finally:
        if recorder is not None:
            recorder.release()

    models = net.to_models(hidden, activation)
    measured = torch.stack(metrics).numpy()  # (epochs, metric, seed)
    raw = recorder.epoch_rows() if recorder else np.full((len(seeds), epochs, n_features), np.nan)
    by_batch = recorder.batch_rows() if record == "batch" else None
    settings = {"hidden": list(hidden), "activation": activation, "loss": loss, "lr": lr, "batch_size": batch_size}
    return [
        History(
            feature_names=list(data.feature_names),
            raw_relevance=raw[i],
            relevance=normalize(raw[i]) if recorder else raw[i],
            batch_relevance=normalize(by_batch[i]) if by_batch is not None else None,
            raw_batch_relevance=by_batch[i] if by_batch is not None else None,
            batch_epoch=np.repeat(np.arange(epochs), len(batches.inputs)) if by_batch is not None else None,
            config={
                "dataset": data.name,
                **data.settings,
                **settings,
                "epochs": epochs,
                "seed": seed,
                "record": record,
                "momentum": momentum,
                "dtype": str(dtype).removeprefix("torch."),
            },
            model=model,
            test_class_counts=np.bincount(data.y_test.numpy().astype(np.int64), minlength=2),
            **{name: measured[:, m, i] for m, name in enumerate(_METRICS)},
        )
        for i, (data, seed, model) in enumerate(zip(datasets, seeds, models, strict=True))
    ]


class StackedMLP:
    """The weights of S same-shaped :class:`~lgrad.model.MLP` networks, stacked on a leading seed dimension.

    Layer ``l`` is ``weights[l]`` of shape (S, in, out) (each seed's ``nn.Linear`` weight, transposed) and
    ``biases[l]`` of shape (S, 1, out); ``logits`` maps inputs (S, B, in) to (S, B), seed ``s`` through network ``s``.
    """

    def __init__(self, models: Sequence[MLP]) -> None:
        self.act = _ACTIVATIONS[models[0].activation]
        layers = [[model.linears[i] for model in models] for i in range(len(models[0].linears))]
        self.weights = [torch.stack([lin.weight.detach().T for lin in layer]).requires_grad_() for layer in layers]
        self.biases = [torch.stack([lin.bias.detach()[None] for lin in layer]).requires_grad_() for layer in layers]
        self.parameters = [p for pair in zip(self.weights, self.biases, strict=True) for p in pair]

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        for weight, bias in zip(self.weights[:-1], self.biases[:-1], strict=True):
            x = self.act(torch.baddbmm(bias, x, weight))
        return torch.baddbmm(self.biases[-1], x, self.weights[-1]).squeeze(-1)

    @torch.no_grad()
    def to_models(self, hidden: tuple[int, ...], activation: str) -> list[MLP]:
        """One :class:`~lgrad.model.MLP` per seed holding that seed's current weights."""
        dtype, n_inputs = self.weights[0].dtype, self.weights[0].shape[1]
        with torch.random.fork_rng(devices=[]):  # the layers' default init draws from the global generator: undo it
            models = [MLP(n_inputs, hidden, activation).to(dtype) for _ in range(len(self.weights[0]))]
        for s, model in enumerate(models):
            for linear, weight, bias in zip(model.linears, self.weights, self.biases, strict=True):
                linear.weight.copy_(weight[s].T)
                linear.bias.copy_(bias[s, 0])
        return models


class SeedBatches:
    """Each seed's mini-batches of an epoch, stacked: batch ``k`` is inputs (S, B_k, F) and targets (S, B_k).

    As in :class:`~lgrad.batches.ShuffledBatches`, the batches are fixed views of one buffer that every epoch
    refills in place (one gather), here in the seeds' own orders; a short last batch is kept. The buffer holds
    the batches one after the other, each seed-major, so every batch is contiguous.
    """

    def __init__(self, datasets: Sequence[Dataset], size: int, dtype: torch.dtype) -> None:
        distinct = {id(data): data for data in datasets}  # a dataset given for several seeds is stored once
        parts, index = list(distinct.values()), {key: p for p, key in enumerate(distinct)}
        self._part = torch.tensor([index[id(data)] for data in datasets])  # each seed's dataset among ``parts``
        self.n_seeds, self.size = len(datasets), size
        self.X = torch.cat([data.X_train for data in parts]).to(dtype)
        self.y = torch.cat([data.y_train for data in parts]).to(dtype)
        self.X_test = torch.stack([data.X_test for data in parts]).to(dtype)
        self.y_test = torch.stack([data.y_test for data in parts]).to(dtype)
        n, S = len(datasets[0].y_train), self.n_seeds
        self.n_examples = n
        self._offsets = self._part[:, None] * n
        spans = [(start, min(start + size, n)) for start in range(0, n, size)]
        position = torch.arange(S * n).view(S, n)
        self._layout = torch.cat([position[:, a:b].reshape(-1) for a, b in spans])
        self._X_order = torch.empty(S * n, self.X.shape[1], dtype=dtype)
        self._y_order = torch.empty(S * n, dtype=dtype)
        self.inputs = [self._X_order[S * a : S * b].view(S, b - a, -1) for a, b in spans]
        self.targets = [self._y_order[S * a : S * b].view(S, b - a) for a, b in spans]

    def epoch(self, orders: Sequence[torch.Tensor]) -> zip:
        """Refill the batches with each seed's rows in its ``orders[s]``; yield ``(inputs, targets)`` pairs."""
        rows = (torch.stack(orders) + self._offsets).view(-1)[self._layout]
        torch.index_select(self.X, 0, rows, out=self._X_order)
        torch.index_select(self.y, 0, rows, out=self._y_order)
        return zip(self.inputs, self.targets, strict=True)

    def train_and_test(self) -> tuple[tuple[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]:
        """The unshuffled training and test sets, as (S, N, F) inputs and (S, N) targets (expanded if shared)."""
        n = self.n_examples
        X, y = self.X.view(-1, n, self.X.shape[1]), self.y.view(-1, n)
        return (self._each(X), self._each(y)), (self._each(self.X_test), self._each(self.y_test))

    def _each(self, per_part: torch.Tensor) -> torch.Tensor:
        """``per_part`` (one row per distinct dataset) as one row per seed: a view when all share one dataset or none
        do."""
        if len(per_part) == 1:
            return per_part.expand(self.n_seeds, *per_part.shape[1:])
        return per_part if len(per_part) == self.n_seeds else per_part[self._part]


class SeedGradients:
    """The learning gradient of every seed, accumulated as :class:`~lgrad.capture.LearningGradient` does.

    Each batch of ``batches.inputs`` becomes a leaf that requires grad whose ``.grad`` is its slot in one buffer
    laid out like the batches; each training backward pass adds ∂C/∂x there (∂C_i/∂x_i / B_k with the mean cost
    of a batch of B_k). :meth:`end_epoch` undoes the 1/B_k, so that a short last batch weighs like the others,
    sums |∂C_i/∂x| per seed and per batch, and clears the buffer.
    """

    def __init__(self, batches: SeedBatches) -> None:
        self._inputs = batches.inputs
        self._grads = torch.zeros_like(batches._X_order)
        S, size, n = batches.n_seeds, batches.size, batches.n_examples
        n_full, self._tail = divmod(n, size)
        self._full = self._grads[: S * n_full * size].view(n_full, S, size, -1)
        self._last = self._grads[S * n_full * size :].view(S, self._tail, self._grads.shape[1])
        self.size = size
        for x, slot in zip(self._inputs, self._grads.split([S * x.shape[1] for x in self._inputs]), strict=True):
            x.requires_grad_(True)
            x.grad = slot.view_as(x)
        self._batch_rows: list[torch.Tensor] = []

    def end_epoch(self) -> None:
        """Sum each batch's |∂C/∂x| per seed (times the batch size) into the epoch's batch rows; clear the buffer."""
        self._grads.abs_()
        rows = self._full.sum(2).mul_(self.size)  # (n_full, S, F)
        if self._tail:
            rows = torch.cat([rows, self._last.sum(1, keepdim=True).mul_(self._tail).transpose(0, 1)])
        self._batch_rows.append(rows)
        self._grads.zero_()

    def release(self) -> None:
        for x in self._inputs:
            x.grad = None
            x.requires_grad_(False)

    def epoch_rows(self) -> np.ndarray:
        """Σ_i |∂C_i/∂x| over each epoch's examples, shape (seeds, epochs, features), not normalized."""
        return torch.stack([rows.sum(0) for rows in self._batch_rows], dim=1).double().numpy()

    def batch_rows(self) -> np.ndarray:
        """Σ_i |∂C_i/∂x| over each mini-batch, shape (seeds, epochs × batches, features), not normalized."""
        rows = torch.cat(self._batch_rows)  # (epochs × batches, S, F)
        return rows.transpose(0, 1).double().numpy()


def _summed_cost(loss: str, logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Σ over seeds of each seed's mean batch cost (as :func:`lgrad.batch_cost`), from logits and targets (S, B)."""
    if loss == "mse":
        return F.mse_loss(torch.sigmoid(logits), y, reduction="sum") * (0.5 / logits.shape[1])
    return F.binary_cross_entropy_with_logits(logits, y, reduction="sum") / logits.shape[1]


def _example_cost(loss: str, logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    if loss == "mse":
        return 0.5 * (torch.sigmoid(logits) - y) ** 2
    return F.binary_cross_entropy_with_logits(logits, y, reduction="none")


@torch.no_grad()
def _evaluate(net: StackedMLP, loss: str, batches: SeedBatches) -> torch.Tensor:
    """Train loss and accuracy, test loss and accuracy, and the test rows' share predicted class 1, of every seed:
    shape (5, S), in :data:`_METRICS` order."""
    rows = []
    for X, y in batches.train_and_test():
        logits = net.logits(X)
        predicted = torch.sigmoid(logits) >= 0.5
        rows.append(_example_cost(loss, logits, y).mean(1).double())
        rows.append((predicted == (y >= 0.5)).double().mean(1))
    rows.append(predicted.double().mean(1))
    return torch.stack(rows)


def check_datasets(dataset: Dataset | Sequence[Dataset], seeds: Iterable[int]) -> tuple[list[Dataset], list[int]]:
    """One dataset per seed (a single one shared), checked; the seeds as a list of ints."""
    if isinstance(seeds, (str, bytes, torch.Tensor)) or not isinstance(seeds, Iterable):
        raise TypeError(f"seeds must be a sequence of integer seeds, e.g. range(10), got {seeds!r}")
    seeds = [check_seed(seed, name=f"seeds[{i}]") for i, seed in enumerate(seeds)]
    if not seeds:
        raise ValueError("seeds must hold at least one seed, got an empty sequence")
    if isinstance(dataset, Dataset):
        return [dataset] * len(seeds), seeds
    if not isinstance(dataset, Sequence) or isinstance(dataset, str):
        raise TypeError(
            "dataset must be an lgrad Dataset (from lgrad.load_dataset) or a list of them, one per seed, "
            f"got {type(dataset).__name__}"
        )
    if len(dataset) != len(seeds):
        raise ValueError(f"dataset must hold one Dataset per seed: got {len(dataset)} datasets for {len(seeds)} seeds")
    first = dataset[0]
    for i, data in enumerate(dataset):
        if not isinstance(data, Dataset):
            raise TypeError(
                f"dataset[{i}] must be an lgrad Dataset (from lgrad.load_dataset), got {type(data).__name__}"
            )
        if (data.feature_names, data.X_train.shape, data.X_test.shape) != (
            first.feature_names, first.X_train.shape, first.X_test.shape
        ):  # fmt: skip
            raise ValueError(
                f"dataset[{i}] must have the same features and numbers of training and test rows as dataset[0]: got "
                f"{data.n_features} features, {len(data.y_train)} + {len(data.y_test)} rows against "
                f"{first.n_features}, {len(first.y_train)} + {len(first.y_test)}"
            )
    return list(dataset), seeds
