"""The learning gradient (Reyes-Ochoa & López-Aguayo 2020, Algorithm 2), read from the training backward pass.

Backpropagation already carries the error of the first hidden layer, c^(2), down to the first weight matrix.
One more product, Σ_j c^(2)_j w^(2)_jk = ∂C/∂x_k, gives the gradient of the cost with respect to the *input*,
as if the inputs were parameters too. :class:`LearningGradient` makes the SGD step's own backward pass compute it:
the mini-batches fed to the model are leaf tensors that require grad, so ``loss.backward()`` writes ∂C/∂x into
their ``.grad`` beside the parameter gradients. No second forward or backward pass, no hook on the model.

Bookkeeping stays off the per-step path: each batch's ``.grad`` is, once and for all, a slot of one buffer, into
which autograd's own gradient accumulation adds ∂C/∂x during the backward pass; the recorder runs no code at a step.
At the end of an epoch the buffer is read in a few bulk operations and cleared.

Any model whose input is one tensor of shape (N, *input_shape) and any cost averaged over the batch will do: a table
(N, features) for the paper's network, images (N, 8, 8) for a CNN. The learning gradient keeps the input's shape:
an 8×8 image gives an 8×8 map.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch

from .checks import check_int

RECORDS = ("epoch", "batch")


class LearningGradient:
    """Accumulates |∂C_i/∂x| per example into per-epoch (and, if asked, per-mini-batch or per-class) relevance maps.

    ``batches`` are the input tensors that the training steps feed the model, in the order of the steps, and the
    same tensors every epoch, refilled in place (as :class:`~lgrad.batches.ShuffledBatches` does). The recorder
    makes each of them a leaf that requires grad whose ``.grad`` is its slot in one gradient buffer; each backward
    pass through a batch adds ∂C/∂x to that slot. With a mean-reduced batch cost this is ∂C_i/∂x_i / B for each
    example i of a batch of B; the factor B is undone, so that the examples of a short last batch weigh the same
    as the others. :meth:`end_epoch` sums the buffer's absolute values into the epoch's map and clears it. Memory
    is one buffer the size of the epoch's inputs, whatever the number of steps. :meth:`release` (or leaving a
    ``with`` block) gives the batches back as they were.

    Every map has the shape of one example's input, ``input_shape`` (the batches' shape after the batch dimension):
    ``(n_features,)`` for a table, ``(8, 8)`` for 8×8 images.

    Args:
        batches: the epoch's input batches, floating tensors of shape (B, *input_shape) with the same input shape,
            dtype and device; leaves that do not require grad yet.
        keep_batches: also keep one map per mini-batch (the paper's "more granular" view).
        keep_examples: also keep every example's ∂C_i/∂x (memory grows with epochs × examples).
        by_class: also keep one map per class and epoch, Σ_i |∂C_i/∂x| over the examples of each class: the
            target batches, one integer tensor of class indices per input batch, of the same lengths and refilled
            in place with them (``ShuffledBatches.targets``); they are read at :meth:`end_epoch`.
        n_classes: the number of classes, required with ``by_class``; class indices lie in [0, n_classes).

    Example::

        batches = ShuffledBatches(X, y, 32)
        with LearningGradient(batches.inputs) as recorder:
            for order in epoch_orders(len(X), epochs, seed):
                for x, y in batches.epoch(order):
                    optimizer.zero_grad()
                    batch_cost(loss, model.logits(x), y).backward()   # the same pass fills x.grad
                    optimizer.step()
                recorder.end_epoch()
        raw = recorder.epoch_rows()   # Σ_i |∂C_i/∂x| per epoch, shape (epochs, *input_shape)
    """

    def __init__(
        self,
        batches: Sequence[torch.Tensor],
        *,
        keep_batches: bool = False,
        keep_examples: bool = False,
        by_class: Sequence[torch.Tensor] | None = None,
        n_classes: int | None = None,
    ) -> None:
        self._batches = _check_batches(batches)
        self._labels, self.n_classes = _check_classes(by_class, n_classes, self._batches)
        self.keep_batches, self.keep_examples = keep_batches, keep_examples
        first = self._batches[0]
        self.input_shape: tuple[int, ...] = tuple(first.shape[1:])
        sizes = [x.shape[0] for x in self._batches]
        self._grads = torch.zeros(sum(sizes), *self.input_shape, dtype=first.dtype, device=first.device)
        for x, slot in zip(self._batches, self._grads.split(sizes), strict=True):
            x.requires_grad_(True)
            x.grad = slot
        self._flat = self._grads.view(sum(sizes), math.prod(self.input_shape))  # (examples, input size), same memory
        counts = torch.tensor(sizes, device=first.device)
        self._scale = counts.repeat_interleave(counts).to(first.dtype)[None]
        self._batch_of_example = torch.arange(len(sizes), device=first.device).repeat_interleave(counts)
        self._version = self._grads._version
        self._epoch_rows: list[torch.Tensor] = []
        self._batch_rows: list[torch.Tensor] = []
        self._class_rows: list[torch.Tensor] = []
        self._examples: list[torch.Tensor] = []

    def end_epoch(self) -> None:
        """Sum the gradients accumulated since the previous call into the epoch's map, then clear them."""
        grads = self._flat
        backwards = grads._version - self._version  # autograd's accumulation bumps the buffer's version once each
        if backwards != len(self._batches):
            raise RuntimeError(
                f"end_epoch() expects each of the {len(self._batches)} batches to go through backward() once per "
                f"epoch, with its .grad left in place; counted {backwards} backward passes into the buffer"
            )
        if self.keep_examples:
            self._examples.append((grads * self._scale.T).view(-1, *self.input_shape))
        grads.abs_()
        self._epoch_rows.append(torch.mm(self._scale, grads).view(1, *self.input_shape))
        if self.keep_batches:
            rows = torch.zeros(len(self._batches), grads.shape[1], dtype=grads.dtype, device=grads.device)
            rows.index_add_(0, self._batch_of_example, grads * self._scale.T)
            self._batch_rows.append(rows.view(-1, *self.input_shape))
        if self._labels is not None:
            self._class_rows.append(torch.mm(self._class_weights(), grads).view(1, self.n_classes, *self.input_shape))
        grads.zero_()
        self._version = grads._version

    def _class_weights(self) -> torch.Tensor:
        """(n_classes, examples): each example's batch size B in its class's row, 0 elsewhere."""
        labels = torch.cat(self._labels).long()
        low, high = int(labels.min()), int(labels.max())
        if low < 0 or high >= self.n_classes:
            raise ValueError(
                f"by_class labels must be class indices in [0, {self.n_classes}) (n_classes={self.n_classes}), "
                f"found {low if low < 0 else high} in this epoch's targets"
            )
        weights = torch.zeros(self.n_classes, len(labels), dtype=self._scale.dtype, device=self._scale.device)
        return weights.scatter_(0, labels[None], self._scale)

    def release(self) -> None:
        """Give the batches back as they were: no ``.grad``, not requiring grad."""
        for x in self._batches:
            x.grad = None
            x.requires_grad_(False)

    def __enter__(self) -> LearningGradient:
        return self

    def __exit__(self, *exc_info) -> None:
        self.release()

    def epoch_rows(self) -> np.ndarray:
        """Σ_i |∂C_i/∂x| over each finished epoch's examples, shape (epochs, *input_shape), not normalized."""
        return self._stack(self._epoch_rows)

    def batch_rows(self) -> np.ndarray:
        """Σ_i |∂C_i/∂x| over each mini-batch of the finished epochs, shape (batches, *input_shape), not normalized."""
        if not self.keep_batches:
            raise RuntimeError("batch rows are kept only with LearningGradient(keep_batches=True)")
        return self._stack(self._batch_rows)

    def class_rows(self) -> np.ndarray:
        """Σ_i |∂C_i/∂x| over each class's examples per finished epoch, shape (epochs, n_classes, *input_shape).

        A class with no example in the batches has a map of zeros. The classes' maps of an epoch add up to its
        :meth:`epoch_rows` map (up to rounding).
        """
        if self._labels is None:
            raise RuntimeError("class rows are kept only with LearningGradient(by_class=targets, n_classes=...)")
        return self._stack(self._class_rows, (self.n_classes,))

    def batch_epochs(self) -> np.ndarray:
        """The 0-based epoch of each mini-batch row."""
        return np.repeat(np.arange(len(self._epoch_rows)), len(self._batches))

    def example_gradients(self) -> torch.Tensor:
        """∂C_i/∂x of every example of the finished epochs, shape (examples, *input_shape), in the order seen
        (1/B undone)."""
        if not self.keep_examples:
            raise RuntimeError("example gradients are kept only with LearningGradient(keep_examples=True)")
        return torch.cat(self._examples)

    def _stack(self, rows: list[torch.Tensor], inner: tuple[int, ...] = ()) -> np.ndarray:
        if not rows:
            return np.zeros((0, *inner, *self.input_shape))
        return torch.cat(rows).double().cpu().numpy()


def _check_batches(batches: Sequence[torch.Tensor]) -> tuple[torch.Tensor, ...]:
    if isinstance(batches, torch.Tensor) or not isinstance(batches, Sequence):
        raise TypeError(f"batches must be a sequence of tensors (e.g. X.split(32)), got {type(batches).__name__}")
    if len(batches) == 0:
        raise ValueError("batches must hold at least one tensor, got an empty sequence")
    first = batches[0]
    for i, x in enumerate(batches):
        if not isinstance(x, torch.Tensor):
            raise TypeError(f"batches[{i}] must be a tensor, got {type(x).__name__}")
        if x.dim() < 2 or not x.is_floating_point() or x.shape[0] == 0:
            raise ValueError(
                f"batches[{i}] must be a non-empty floating tensor of shape (batch, features) or (batch, "
                f"*input_shape), got {tuple(x.shape)}, {x.dtype}"
            )
        if (x.shape[1:], x.dtype, x.device) != (first.shape[1:], first.dtype, first.device):
            raise ValueError(
                f"batches[{i}] must match batches[0] in features, dtype and device: got {_features(x)}, {x.dtype}, "
                f"{x.device} against {_features(first)}, {first.dtype}, {first.device}"
            )
        if x.requires_grad or x.grad is not None:
            raise ValueError(f"batches[{i}] must be a leaf that does not require grad yet and has no .grad")
    return tuple(batches)


def _features(x: torch.Tensor) -> int | tuple[int, ...]:
    """What an error message calls a batch's features: their number for a table, the input shape otherwise."""
    return x.shape[1] if x.dim() == 2 else tuple(x.shape[1:])


def _check_classes(
    by_class: Sequence[torch.Tensor] | None, n_classes: int | None, batches: tuple[torch.Tensor, ...]
) -> tuple[tuple[torch.Tensor, ...] | None, int | None]:
    if by_class is None:
        if n_classes is not None:
            raise ValueError(f"n_classes is used only with by_class (the target batches), got n_classes={n_classes}")
        return None, None
    n_classes = check_int("n_classes", n_classes, minimum=1) if n_classes is not None else None
    if n_classes is None:
        raise ValueError("n_classes must be given with by_class: an integer >= 1, the number of classes")
    if isinstance(by_class, torch.Tensor) or not isinstance(by_class, Sequence):
        raise TypeError(
            f"by_class must be a sequence of target tensors, one per batch (e.g. ShuffledBatches.targets), "
            f"got {type(by_class).__name__}"
        )
    if len(by_class) != len(batches):
        raise ValueError(f"by_class must hold one target tensor per batch, {len(batches)}, got {len(by_class)}")
    for i, (labels, x) in enumerate(zip(by_class, batches, strict=True)):
        if not isinstance(labels, torch.Tensor) or labels.is_floating_point() or labels.is_complex():
            got = f"{labels.dtype}" if isinstance(labels, torch.Tensor) else type(labels).__name__
            raise TypeError(f"by_class[{i}] must be an integer tensor of class indices, got {got}")
        if labels.shape != (x.shape[0],) or labels.device != x.device:
            raise ValueError(
                f"by_class[{i}] must have shape ({x.shape[0]},), one class index per example of batches[{i}], "
                f"on {x.device}; got {tuple(labels.shape)} on {labels.device}"
            )
    return tuple(by_class), n_classes


def normalize(rows: np.ndarray, input_ndim: int = 1) -> np.ndarray:
    """Scale each map to sum to 1 (the paper's ``norm``: the share of relevance of each input variable).

    A map is made of the last ``input_ndim`` axes: 1 for rows of features, 2 for 8×8 image maps. A map of zeros,
    or with a non-finite total (a diverged run), becomes zeros: it ranks nothing (see :attr:`History.rankable`).
    """
    rows = np.asarray(rows, dtype=np.float64)
    totals = rows.sum(axis=tuple(range(-input_ndim, 0)), keepdims=True)
    return np.divide(rows, totals, out=np.zeros_like(rows), where=np.isfinite(totals) & (totals > 0))
