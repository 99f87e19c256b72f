"""The learning gradient (Reyes-Ochoa & López-Aguayo 2020, Algorithm 2), read from the training backward pass.

Backpropagation already carries the error of the first hidden layer, c^(2), down to the first weight matrix.
One more product, Σ_j c^(2)_j w^(2)_jk = ∂C/∂x_k, gives the gradient of the cost with respect to the *input*,
as if the inputs were parameters too. :class:`LearningGradient` makes the SGD step's own backward pass compute it:
the mini-batch it feeds the model is a leaf tensor that requires grad, so ``loss.backward()`` writes ∂C/∂x into
its ``.grad`` beside the parameter gradients. No second forward or backward pass, no hook on the model.

Bookkeeping stays off the per-step path: a step only keeps a reference to its batch; each epoch is summed at its
end, in a few bulk operations.
"""

from __future__ import annotations

import numpy as np
import torch

RECORDS = ("epoch", "batch")


class LearningGradient:
    """Accumulates |∂C_i/∂x| per example into per-epoch (and, if asked, per-mini-batch) relevance rows.

    With a mean-reduced batch cost, the backward pass leaves ∂C_i/∂x_i / B in ``x.grad`` for each example i of a
    batch of B; the factor B is undone, so that the examples of a short last batch weigh the same as the others.
    A step only keeps a reference to its batch; :meth:`end_epoch` sums the epoch in a few bulk operations and lets
    the batches go, so memory does not grow with the number of steps.

    Args:
        keep_batches: also keep one row per mini-batch (the paper's "more granular" view).
        keep_examples: also keep every example's ∂C_i/∂x (memory grows with epochs × examples).

    Example::

        recorder = LearningGradient()
        for epoch in range(epochs):
            for x, y in batches:
                x = recorder.watch(x)
                optimizer.zero_grad()
                batch_cost(loss, model.logits(x), y).backward()   # the same pass fills x.grad
                optimizer.step()
            recorder.end_epoch()
        raw = recorder.epoch_rows()   # Σ_i |∂C_i/∂x| per epoch, shape (epochs, n_features)
    """

    def __init__(self, *, keep_batches: bool = False, keep_examples: bool = False) -> None:
        self.keep_batches, self.keep_examples = keep_batches, keep_examples
        self._pending: list[torch.Tensor] = []
        self._epoch_rows: list[torch.Tensor] = []
        self._batch_rows: list[torch.Tensor] = []
        self._batches_per_epoch: list[int] = []
        self._examples: list[torch.Tensor] = []
        self._layouts: dict[tuple, tuple[torch.Tensor, torch.Tensor]] = {}

    def watch(self, x: torch.Tensor) -> torch.Tensor:
        """Return ``x`` as a leaf that requires grad; the training step must feed this tensor to the model."""
        x = x.detach().requires_grad_(True)
        self._pending.append(x)
        return x

    def end_epoch(self) -> None:
        """Sum the gradients of the batches watched since the previous call into the epoch's row."""
        batches, self._pending = self._pending, []
        try:
            grads = torch.cat([x.grad for x in batches])
        except (TypeError, RuntimeError):
            raise RuntimeError("end_epoch() needs at least one watched batch, each gone through backward()") from None
        scale, batch_of_example = self._layout(tuple([x.shape[0] for x in batches]), grads.dtype)
        if self.keep_examples:
            self._examples.append(grads * scale.T)
        example_abs = grads.abs_()  # in place: the concatenation is ours
        self._epoch_rows.append(torch.mm(scale, example_abs))
        self._batches_per_epoch.append(len(batches))
        if self.keep_batches:
            rows = torch.zeros(len(batches), grads.shape[1], dtype=grads.dtype)
            self._batch_rows.append(rows.index_add_(0, batch_of_example, example_abs * scale.T))

    def epoch_rows(self) -> np.ndarray:
        """Σ_i |∂C_i/∂x| over each finished epoch's examples, shape (epochs, n_features), not normalized."""
        return torch.cat(self._epoch_rows).double().numpy() if self._epoch_rows else np.zeros((0, 0))

    def batch_rows(self) -> np.ndarray:
        """Σ_i |∂C_i/∂x| over each mini-batch of the finished epochs, shape (batches, n_features), not normalized."""
        if not self.keep_batches:
            raise RuntimeError("batch rows are kept only with LearningGradient(keep_batches=True)")
        return torch.cat(self._batch_rows).double().numpy() if self._batch_rows else np.zeros((0, 0))

    def batch_epochs(self) -> np.ndarray:
        """The 0-based epoch of each mini-batch row."""
        return np.repeat(np.arange(len(self._batches_per_epoch)), self._batches_per_epoch)

    def example_gradients(self) -> torch.Tensor:
        """∂C_i/∂x of every example of the finished epochs, one row per example, in the order seen (1/B undone)."""
        if not self.keep_examples:
            raise RuntimeError("example gradients are kept only with LearningGradient(keep_examples=True)")
        return torch.cat(self._examples)

    def _layout(self, sizes: tuple[int, ...], dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:
        """Per example: the size of its batch (the factor B to undo), as one row of shape (1, examples), and the index
        of its batch.

        Cached, since every epoch of a run has the same batch sizes.
        """
        if (sizes, dtype) not in self._layouts:
            counts = torch.tensor(sizes)
            self._layouts[sizes, dtype] = (
                counts.repeat_interleave(counts).to(dtype)[None],
                torch.arange(len(sizes)).repeat_interleave(counts),
            )
        return self._layouts[sizes, dtype]


def normalize(rows: np.ndarray) -> np.ndarray:
    """Scale each row to sum to 1 (the paper's ``norm``: the share of relevance of each input variable)."""
    rows = np.asarray(rows, dtype=np.float64)
    totals = rows.sum(axis=-1, keepdims=True)
    return np.divide(rows, totals, out=np.zeros_like(rows), where=totals > 0)
