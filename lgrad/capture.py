"""The learning gradient (Reyes-Ochoa & López-Aguayo 2020, Algorithm 2), read from the training backward pass.

Backpropagation already carries the error of the first hidden layer, c^(2), down to the first weight matrix.
One more product, Σ_j c^(2)_j w^(2)_jk = ∂C/∂x_k, gives the gradient of the cost with respect to the *input*,
as if the inputs were parameters too. :class:`LearningGradient` makes the SGD step's own backward pass compute it:
the mini-batch it feeds the model is a leaf tensor that requires grad, so ``loss.backward()`` writes ∂C/∂x into its
``.grad`` beside the parameter gradients. No second forward or backward pass, no hook on the model.

All bookkeeping waits for the end of the epoch, off the per-step path: each step only keeps a reference.
"""

from __future__ import annotations

import numpy as np
import torch

RECORDS = ("epoch", "batch")


class LearningGradient:
    """Accumulates |∂C_i/∂x| per example into per-epoch (and optionally per-mini-batch) relevance rows.

    With a mean-reduced batch cost, ``x.grad`` holds ∂C_i/∂x_i / B for each example i of a batch of B; the
    factor B is undone so that the examples of a short last batch weigh the same as the others.

    Example::

        recorder = LearningGradient(record="epoch")
        for x, y in batches:
            x = recorder.watch(x)
            optimizer.zero_grad()
            batch_cost(model(x), y).backward()   # the same backward pass fills x.grad
            optimizer.step()
        raw_epoch_row = recorder.end_epoch()     # Σ_i |∂C_i/∂x|, shape (n_features,)
    """

    def __init__(self, record: str = "epoch") -> None:
        if record not in RECORDS:
            raise ValueError(f"record must be one of {RECORDS} or None, got {record!r}")
        self.record = record
        self.epoch_rows: list[np.ndarray] = []
        self.batch_rows: list[np.ndarray] = []
        self.batch_epoch: list[int] = []
        self._inputs: list[torch.Tensor] = []

    def watch(self, x: torch.Tensor) -> torch.Tensor:
        """Return ``x`` as a leaf that requires grad; the training step must feed this tensor to the model."""
        x = x.detach().requires_grad_(True)
        self._inputs.append(x)
        return x

    def end_epoch(self) -> np.ndarray:
        """Close the epoch: return (and keep) Σ_i |∂C_i/∂x| over its examples, before normalization."""
        inputs, self._inputs = self._inputs, []
        if not inputs or any(x.grad is None for x in inputs):
            raise RuntimeError("end_epoch() needs every watched batch to have gone through backward()")
        sizes = torch.tensor([len(x) for x in inputs])
        grads = torch.cat([x.grad for x in inputs])
        example_abs = (grads * sizes.repeat_interleave(sizes).to(grads)[:, None]).abs()
        epoch_row = example_abs.sum(0).double().numpy()
        self.epoch_rows.append(epoch_row)
        if self.record == "batch":
            batch_of_example = torch.arange(len(inputs)).repeat_interleave(sizes)
            per_batch = torch.zeros(len(inputs), grads.shape[1], dtype=grads.dtype)
            per_batch.index_add_(0, batch_of_example, example_abs)
            self.batch_rows.extend(per_batch.double().numpy())
            self.batch_epoch.extend([len(self.epoch_rows) - 1] * len(inputs))
        return epoch_row


def normalize(rows: np.ndarray) -> np.ndarray:
    """Scale each row to sum to 1 (the paper's ``norm``: the share of relevance of each input variable)."""
    rows = np.asarray(rows, dtype=np.float64)
    totals = rows.sum(axis=-1, keepdims=True)
    return np.divide(rows, totals, out=np.zeros_like(rows), where=totals > 0)
