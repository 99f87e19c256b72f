"""Permutation importance of a trained network, scored by its own training cost (scikit-learn's
``permutation_importance``): how much the mean cost rises when one column is shuffled.

The cost rather than the accuracy is the score: a network that classifies nearly every row right leaves most
accuracy drops at zero, and zero drops tie. Both the chapter *Against established attributions* and the chapter
*Fewer inputs* rank with it.
"""

from __future__ import annotations

import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.inspection import permutation_importance as sklearn_permutation_importance

from ..loss import example_cost
from ..model import MLP


class TrainedNetwork(ClassifierMixin, BaseEstimator):
    """A network trained by lgrad as a fitted scikit-learn classifier, for ``permutation_importance``.

    ``fit`` trains nothing (lgrad did): it only records the classes. :func:`negative_cost` scores it by the network's
    own training cost.
    """

    def __init__(self, model: MLP | None = None, loss: str = "mse") -> None:
        self.model = model
        self.loss = loss

    def fit(self, X: np.ndarray, y: np.ndarray) -> TrainedNetwork:
        self.classes_ = np.array([0, 1])
        return self

    def logits(self, X: np.ndarray) -> torch.Tensor:
        dtype = next(self.model.parameters()).dtype
        with torch.no_grad():
            return self.model.logits(torch.as_tensor(np.asarray(X), dtype=dtype))

    def predict(self, X: np.ndarray) -> np.ndarray:
        return (self.logits(X) >= 0).numpy().astype(int)


def negative_cost(estimator: TrainedNetwork, X: np.ndarray, y: np.ndarray) -> float:
    """A scikit-learn scorer: minus the mean of the network's cost (``estimator.loss``) over the rows."""
    logits = estimator.logits(X)
    return -float(example_cost(estimator.loss, logits, torch.as_tensor(np.asarray(y), dtype=logits.dtype)).mean())


def permutation_importance(
    model: MLP, X: torch.Tensor, y: torch.Tensor, *, loss: str, n_repeats: int, seed: int
) -> np.ndarray:
    """scikit-learn's permutation importance of every column: the mean rise of the cost over ``n_repeats`` shuffles.

    Scored by :func:`negative_cost` (continuous, unlike the accuracy, which moves in steps of one row); the shuffles
    draw from ``random_state=seed``.
    """
    estimator = TrainedNetwork(model, loss).fit(None, None)
    result = sklearn_permutation_importance(
        estimator, X.numpy(), y.numpy(), scoring=negative_cost, n_repeats=n_repeats, random_state=seed % 2**32
    )
    return np.asarray(result.importances_mean, dtype=float)
