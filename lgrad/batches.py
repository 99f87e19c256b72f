"""The mini-batches of an epoch, as fixed tensors that every epoch refills in its own order."""

from __future__ import annotations

from collections.abc import Iterator

import torch


class ShuffledBatches:
    """Splits ``(X, y)`` into batches of ``size`` rows (a short last batch is kept), visited in a new order each epoch.

    The batches are views of two buffers allocated once; :meth:`epoch` gathers the rows of an epoch's order into the
    buffers in place. So every epoch feeds the model the *same* tensors, which lets
    :class:`~lgrad.capture.LearningGradient` attach to them once instead of at every step, and no epoch allocates
    a shuffled copy of the data.
    """

    def __init__(self, X: torch.Tensor, y: torch.Tensor, size: int) -> None:
        if len(X) != len(y) or len(X) == 0:
            raise ValueError(f"X and y must have the same, non-zero number of rows, got {len(X)} and {len(y)}")
        self._X, self._y = X, y
        self._X_order, self._y_order = torch.empty_like(X), torch.empty_like(y)
        self.inputs: tuple[torch.Tensor, ...] = self._X_order.split(size)
        self.targets: tuple[torch.Tensor, ...] = self._y_order.split(size)

    def epoch(self, order: torch.Tensor) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        """Refill the batches with the rows ``order`` lists, then yield them as ``(inputs, targets)`` pairs."""
        torch.index_select(self._X, 0, order, out=self._X_order)
        torch.index_select(self._y, 0, order, out=self._y_order)
        return zip(self.inputs, self.targets, strict=True)
