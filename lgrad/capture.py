"""The learning gradient (Reyes-Ochoa & López-Aguayo 2020, Algorithm 2), read from the training backward pass.

Backpropagation already carries the error of the first hidden layer, c^(2), down to the first weight matrix.
One more product, Σ_j c^(2)_j w^(2)_jk = ∂C/∂x_k, gives the gradient of the cost with respect to the *input*,
as if the inputs were parameters too. :class:`LearningGradient` makes the SGD step's own backward pass compute it:
the mini-batch it feeds the model is a leaf tensor that requires grad, so ``loss.backward()`` writes ∂C/∂x into
its ``.grad`` beside the parameter gradients. No second forward or backward pass, no hook on the model.

Bookkeeping stays off the per-step path: a step only keeps a reference to its batch; the sums are made once, when
the rows are read.
"""

from __future__ import annotations

import numpy as np
import torch

RECORDS = ("epoch", "batch")


class LearningGradient:
    """Accumulates |∂C_i/∂x| per example into per-epoch and per-mini-batch relevance rows.

    With a mean-reduced batch cost, the backward pass leaves ∂C_i/∂x_i / B in ``x.grad`` for each example i of a
    batch of B; the factor B is undone when the rows are read, so that the examples of a short last batch weigh the
    same as the others.

    Example::

        recorder = LearningGradient()
        for epoch in range(epochs):
            for x, y in batches:
                x = recorder.watch(x)
                optimizer.zero_grad()
                batch_cost(loss, model.logits(x), y).backward()   # the same pass fills x.grad
                optimizer.step()
            recorder.end_epoch()
        raw = recorder.epoch_rows()                  # Σ_i |∂C_i/∂x| per epoch, shape (epochs, n_features)
    """

    def __init__(self) -> None:
        self._inputs: list[torch.Tensor] = []
        self._epoch_ends: list[int] = []

    def watch(self, x: torch.Tensor) -> torch.Tensor:
        """Return ``x`` as a leaf that requires grad; the training step must feed this tensor to the model."""
        x = x.detach().requires_grad_(True)
        self._inputs.append(x)
        return x

    def end_epoch(self) -> None:
        """Mark the end of an epoch: the batches watched since the previous mark form its row."""
        self._epoch_ends.append(len(self._inputs))

    def example_gradients(self) -> torch.Tensor:
        """∂C_i/∂x of every example watched so far, one row per example, in the order seen (1/B undone)."""
        if not self._inputs or any(x.grad is None for x in self._inputs):
            raise RuntimeError("every watched batch must go through backward() before the rows are read")
        grads = torch.cat([x.grad for x in self._inputs])
        sizes = self._batch_sizes()
        return grads * sizes.repeat_interleave(sizes).to(grads)[:, None]

    def batch_rows(self) -> np.ndarray:
        """Σ_i |∂C_i/∂x| over each watched mini-batch, shape (batches, n_features), not normalized."""
        sizes = self._batch_sizes()
        return self._segment_sums(torch.arange(len(sizes)).repeat_interleave(sizes), len(sizes))

    def batch_epochs(self) -> np.ndarray:
        """The 0-based epoch of each mini-batch row of a finished epoch."""
        counts = np.diff([0, *self._epoch_ends])
        return np.repeat(np.arange(len(counts)), counts)

    def epoch_rows(self) -> np.ndarray:
        """Σ_i |∂C_i/∂x| over each finished epoch's examples, shape (epochs, n_features), not normalized."""
        epoch_of_batch = torch.from_numpy(self.batch_epochs())
        sizes = self._batch_sizes()[: len(epoch_of_batch)]
        return self._segment_sums(epoch_of_batch.repeat_interleave(sizes), len(self._epoch_ends))

    def _batch_sizes(self) -> torch.Tensor:
        return torch.tensor([len(x) for x in self._inputs], dtype=torch.int64)

    def _segment_sums(self, segment_of_example: torch.Tensor, n_segments: int) -> np.ndarray:
        example_abs = self.example_gradients()[: len(segment_of_example)].abs()
        sums = torch.zeros(n_segments, example_abs.shape[1], dtype=example_abs.dtype)
        return sums.index_add_(0, segment_of_example, example_abs).double().numpy()


def normalize(rows: np.ndarray) -> np.ndarray:
    """Scale each row to sum to 1 (the paper's ``norm``: the share of relevance of each input variable)."""
    rows = np.asarray(rows, dtype=np.float64)
    totals = rows.sum(axis=-1, keepdims=True)
    return np.divide(rows, totals, out=np.zeros_like(rows), where=totals > 0)
