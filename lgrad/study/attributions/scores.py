"""The established ways to rank a trained network's inputs, one function each, to set beside the learning gradient.

Every function takes a trained :class:`~lgrad.model.MLP` (or the run that trained it) and returns one non-negative or
signed score per input variable, not normalized; :data:`METHODS` names them in the book's order with what each
measures. The Captum methods are in :mod:`lgrad.study.attributions.captum_methods` and permutation importance in
:mod:`lgrad.study.permutation`; here are the others, the registry and :func:`method_scores`, which scores one
trained run every way.

"""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch

from ...history import History
from ...model import MLP
from ..gradenfs import gradenfs_scores
from ..permutation import permutation_importance
from ..references import GRADENFS_BETA
from .captum_methods import IG_STEPS, deeplift, input_x_gradient, integrated_gradients, saliency

PERMUTATION_REPEATS = 5
"""Shuffles of each column in permutation importance."""


METHODS = {
    "learning gradient": "Σ_i |∂C_i/∂x| over the last epoch's training steps (the paper's method, read from training)",
    "GradEnFS": "decayed sum over every training step of the batch's mean |∂C_i/∂x| (Liu et al. 2024)",
    "Saliency": "|∂z/∂x| at the trained weights (Simonyan et al. 2014; Captum)",
    "InputXGradient": "|x · ∂z/∂x| (Shrikumar et al. 2016; Captum)",
    "IntegratedGradients": "|(x − 0) · mean of ∂z/∂x along the straight path from 0 to x| (Sundararajan et al. 2017)",
    "DeepLift": "DeepLift's rescale rule from the baseline 0 (Shrikumar et al. 2017; Captum)",
    "permutation (train)": "rise of the cost when one column of the training rows is shuffled (scikit-learn)",
    "permutation (test)": "rise of the cost when one column of the test rows is shuffled (scikit-learn)",
    "|W1|": "Σ over hidden units of the first layer's |weights|",
}
"""The methods compared, in the book's order, with what each scores."""


READS = {
    "learning gradient": "training rows, during training",
    "GradEnFS": "training rows, during training",
    "Saliency": "test rows",
    "InputXGradient": "test rows",
    "IntegratedGradients": "test rows",
    "DeepLift": "test rows",
    "permutation (train)": "training rows",
    "permutation (test)": "test rows",
    "|W1|": "the weights only",
}
"""Which rows each method reads."""


def methods_table() -> pd.DataFrame:
    """The methods of :data:`METHODS` with what each scores and which rows it reads, for the book."""
    return pd.DataFrame(
        {"method": list(METHODS), "what it scores": list(METHODS.values()), "reads": list(READS.values())}
    )


def first_layer_weights(model: MLP) -> np.ndarray:
    """Σ over the first hidden layer's units of |W1|: how strongly each input is wired into the network."""
    return model.linears[0].weight.detach().abs().sum(0).double().numpy()


def learning_gradient(history: History) -> np.ndarray:
    """The learning gradient of the last epoch, normalized to sum to 1 (``History.relevance[-1]``)."""
    history.check_rankable(-1)
    return np.asarray(history.relevance[-1], dtype=float)


def method_scores(
    history: History,
    X_train: torch.Tensor,
    y_train: torch.Tensor,
    X_test: torch.Tensor,
    y_test: torch.Tensor,
    *,
    beta: float = GRADENFS_BETA,
    n_steps: int = IG_STEPS,
    n_repeats: int = PERMUTATION_REPEATS,
) -> dict[str, np.ndarray]:
    """Every method of :data:`METHODS` on one trained run (``record="batch"``, so that GradEnFS can be read), keyed by
    name, plus ``"IG completeness error"`` (a relative error, see
    :func:`~lgrad.study.attributions.captum_methods.integrated_gradients`).

    The Captum methods and the test-row permutation read the test rows; GradEnFS, the learning gradient and the
    training-row permutation the training rows. The permutations draw from the run's seed.
    """
    model, seed, loss = history.model, int(history.config["seed"]), history.config["loss"]
    ig, delta = integrated_gradients(model, X_test, n_steps)
    scores: dict[str, np.ndarray] = {
        "learning gradient": learning_gradient(history),
        "GradEnFS": gradenfs_scores(history, len(y_train), beta),
        "Saliency": saliency(model, X_test),
        "InputXGradient": input_x_gradient(model, X_test),
        "IntegratedGradients": ig,
        "DeepLift": deeplift(model, X_test),
        "permutation (train)": permutation_importance(
            model, X_train, y_train, loss=loss, n_repeats=n_repeats, seed=seed
        ),
        "permutation (test)": permutation_importance(model, X_test, y_test, loss=loss, n_repeats=n_repeats, seed=seed),
        "|W1|": first_layer_weights(model),
    }
    return {**scores, "IG completeness error": np.float64(delta)}
