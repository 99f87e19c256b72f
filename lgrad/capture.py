"""The learning gradient (Reyes-Ochoa & López-Aguayo 2020, Algorithm 2), read from the training backward pass.

Backpropagation already carries the error of the first hidden layer, c^(2), down to the first weight matrix.
One more product, Σ_j c^(2)_j w^(2)_jk = ∂C/∂x_k, gives the gradient of the cost with respect to the *input*,
as if the inputs were parameters too. :class:`LearningGradient` makes the SGD step's own backward pass compute it:
the mini-batches fed to the model are leaf tensors that require grad, so ``loss.backward()`` writes ∂C/∂x into
their ``.grad`` beside the parameter gradients. No second forward or backward pass, no hook on the model.

Bookkeeping stays off the per-step path: each batch's ``.grad`` is, once and for all, a slot of one buffer, into
which autograd's own gradient accumulation adds ∂C/∂x during the backward pass; the recorder runs no code at a step.
At the end of an epoch the buffer is read in a few bulk operations and cleared.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

RECORDS = ("epoch", "batch")


class LearningGradient:
    """Accumulates |∂C_i/∂x| per example into per-epoch (and, if asked, per-mini-batch) relevance rows.

    ``batches`` are the input tensors that the training steps feed the model, in the order of the steps, and the
    same tensors every epoch, refilled in place (as :class:`~lgrad.batches.ShuffledBatches` does). The recorder
    makes each of them a leaf that requires grad whose ``.grad`` is its slot in one gradient buffer; each backward
    pass through a batch adds ∂C/∂x to that slot. With a mean-reduced batch cost this is ∂C_i/∂x_i / B for each
    example i of a batch of B; the factor B is undone, so that the examples of a short last batch weigh the same
    as the others. :meth:`end_epoch` sums the buffer's absolute values into the epoch's row and clears it. Memory
    is one buffer the size of the epoch's inputs, whatever the number of steps. :meth:`release` (or leaving a
    ``with`` block) gives the batches back as they were.

    Args:
        batches: the epoch's input batches, 2-D floating tensors with the same features, dtype and device; leaves
            that do not require grad yet.
        keep_batches: also keep one row per mini-batch (the paper's "more granular" view).
        keep_examples: also keep every example's ∂C_i/∂x (memory grows with epochs × examples).

    Example::

        batches = ShuffledBatches(X, y, 32)
        with LearningGradient(batches.inputs) as recorder:
            for order in epoch_orders(len(X), epochs, seed):
                for x, y in batches.epoch(order):
                    optimizer.zero_grad()
                    batch_cost(loss, model.logits(x), y).backward()   # the same pass fills x.grad
                    optimizer.step()
                recorder.end_epoch()
        raw = recorder.epoch_rows()   # Σ_i |∂C_i/∂x| per epoch, shape (epochs, n_features)
    """

    def __init__(
        self, batches: Sequence[torch.Tensor], *, keep_batches: bool = False, keep_examples: bool = False
    ) -> None:
        self._batches = _check_batches(batches)
        self.keep_batches, self.keep_examples = keep_batches, keep_examples
        first = self._batches[0]
        sizes = [x.shape[0] for x in self._batches]
        self._grads = torch.zeros(sum(sizes), first.shape[1], dtype=first.dtype, device=first.device)
        for x, slot in zip(self._batches, self._grads.split(sizes), strict=True):
            x.requires_grad_(True)
            x.grad = slot
        counts = torch.tensor(sizes, device=first.device)
        self._scale = counts.repeat_interleave(counts).to(first.dtype)[None]
        self._batch_of_example = torch.arange(len(sizes), device=first.device).repeat_interleave(counts)
        self._version = self._grads._version
        self._epoch_rows: list[torch.Tensor] = []
        self._batch_rows: list[torch.Tensor] = []
        self._examples: list[torch.Tensor] = []

    def end_epoch(self) -> None:
        """Sum the gradients accumulated since the previous call into the epoch's row, then clear them."""
        grads = self._grads
        backwards = grads._version - self._version  # autograd's accumulation bumps the buffer's version once each
        if backwards != len(self._batches):
            raise RuntimeError(
                f"end_epoch() expects each of the {len(self._batches)} batches to go through backward() once per "
                f"epoch, with its .grad left in place; counted {backwards} backward passes into the buffer"
            )
        if self.keep_examples:
            self._examples.append(grads * self._scale.T)
        grads.abs_()
        self._epoch_rows.append(torch.mm(self._scale, grads))
        if self.keep_batches:
            rows = torch.zeros(len(self._batches), grads.shape[1], dtype=grads.dtype, device=grads.device)
            self._batch_rows.append(rows.index_add_(0, self._batch_of_example, grads * self._scale.T))
        grads.zero_()
        self._version = grads._version

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
        """Σ_i |∂C_i/∂x| over each finished epoch's examples, shape (epochs, n_features), not normalized."""
        return torch.cat(self._epoch_rows).double().cpu().numpy() if self._epoch_rows else np.zeros((0, 0))

    def batch_rows(self) -> np.ndarray:
        """Σ_i |∂C_i/∂x| over each mini-batch of the finished epochs, shape (batches, n_features), not normalized."""
        if not self.keep_batches:
            raise RuntimeError("batch rows are kept only with LearningGradient(keep_batches=True)")
        return torch.cat(self._batch_rows).double().cpu().numpy() if self._batch_rows else np.zeros((0, 0))

    def batch_epochs(self) -> np.ndarray:
        """The 0-based epoch of each mini-batch row."""
        return np.repeat(np.arange(len(self._epoch_rows)), len(self._batches))

    def example_gradients(self) -> torch.Tensor:
        """∂C_i/∂x of every example of the finished epochs, one row per example, in the order seen (1/B undone)."""
        if not self.keep_examples:
            raise RuntimeError("example gradients are kept only with LearningGradient(keep_examples=True)")
        return torch.cat(self._examples)


def _check_batches(batches: Sequence[torch.Tensor]) -> tuple[torch.Tensor, ...]:
    if isinstance(batches, torch.Tensor) or not isinstance(batches, Sequence):
        raise TypeError(f"batches must be a sequence of tensors (e.g. X.split(32)), got {type(batches).__name__}")
    if len(batches) == 0:
        raise ValueError("batches must hold at least one tensor, got an empty sequence")
    first = batches[0]
    for i, x in enumerate(batches):
        if not isinstance(x, torch.Tensor):
            raise TypeError(f"batches[{i}] must be a tensor, got {type(x).__name__}")
        if x.dim() != 2 or not x.is_floating_point() or x.shape[0] == 0:
            raise ValueError(f"batches[{i}] must be a non-empty 2-D floating tensor, got {tuple(x.shape)}, {x.dtype}")
        if (x.shape[1], x.dtype, x.device) != (first.shape[1], first.dtype, first.device):
            raise ValueError(
                f"batches[{i}] must match batches[0] in features, dtype and device: got {x.shape[1]}, {x.dtype}, "
                f"{x.device} against {first.shape[1]}, {first.dtype}, {first.device}"
            )
        if x.requires_grad or x.grad is not None:
            raise ValueError(f"batches[{i}] must be a leaf that does not require grad yet and has no .grad")
    return tuple(batches)


def normalize(rows: np.ndarray) -> np.ndarray:
    """Scale each row to sum to 1 (the paper's ``norm``: the share of relevance of each input variable)."""
    rows = np.asarray(rows, dtype=np.float64)
    totals = rows.sum(axis=-1, keepdims=True)
    return np.divide(rows, totals, out=np.zeros_like(rows), where=totals > 0)
