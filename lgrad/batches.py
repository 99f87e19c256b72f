"""The mini-batches of an epoch, as fixed tensors that every epoch refills in its own order."""

from __future__ import annotations

from collections.abc import Iterator

import torch

from .checks import check_int


class ShuffledBatches:
    """Splits ``(X, y)`` into batches of ``size`` rows (a short last batch is kept), visited in a new order each epoch.

    The batches are views of two buffers allocated once; :meth:`epoch` gathers the rows of an epoch's order into the
    buffers in place. So every epoch feeds the model the *same* tensors, which lets
    :class:`~lgrad.capture.LearningGradient` attach to them once instead of at every step, and no epoch allocates
    a shuffled copy of the data.

    ``X`` is any tensor of shape (N, ...): a table (N, features) or images (N, 8, 8); ``y`` is any tensor of shape
    (N, ...) on the same device, e.g. 0.0/1.0 targets of the paper's binary costs or integer class indices for
    cross-entropy. Both keep their dtype.
    """

    def __init__(self, X: torch.Tensor, y: torch.Tensor, size: int) -> None:
        for name, value in (("X", X), ("y", y)):
            if not isinstance(value, torch.Tensor) or value.dim() == 0:
                got = "a 0-d tensor" if isinstance(value, torch.Tensor) else type(value).__name__
                raise TypeError(f"{name} must be a tensor with one row per example, shape (N, ...), got {got}")
        if len(X) != len(y) or len(X) == 0:
            raise ValueError(f"X and y must have the same, non-zero number of rows, got {len(X)} and {len(y)}")
        if X.device != y.device:
            raise ValueError(f"X and y must be on the same device, got {X.device} and {y.device}")
        size = check_int("size", size, minimum=1)
        self._X, self._y = X, y
        self._X_order, self._y_order = torch.empty_like(X), torch.empty_like(y)
        self.inputs: tuple[torch.Tensor, ...] = self._X_order.split(size)
        self.targets: tuple[torch.Tensor, ...] = self._y_order.split(size)

    def epoch(self, order: torch.Tensor) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        """Refill the batches with the rows ``order`` lists, then yield them as ``(inputs, targets)`` pairs."""
        torch.index_select(self._X, 0, order, out=self._X_order)
        torch.index_select(self._y, 0, order, out=self._y_order)
        return zip(self.inputs, self.targets, strict=True)
