"""Oracle 1: the paper's Algorithms 1 and 2 written out by hand in NumPy (float64, no autograd).

Reyes-Ochoa & López-Aguayo (arXiv:2012.03188), Algorithm 1 (backpropagation for one example) and Algorithm 2 (the
learning gradient), vectorized over the examples of a mini-batch but otherwise literal:

    forward:   z^(l) = W^(l) a^(l-1) + b^(l),   a^(l) = f(z^(l))              (a^(1) = x, sigmoid output)
    output:    c^(L) = (ŷ − y) f'(z^(L))   for mse with its ½ (dC/dŷ = ŷ − y)
               c^(L) = ŷ − y               for bce with a sigmoid output
    hidden:    c^(l) = f'(z^(l)) ⊙ (W^(l+1)ᵀ c^(l+1))
    updates:   ΔW^(l) = mean_i c^(l)_i a^(l-1)_iᵀ,  Δb^(l) = mean_i c^(l)_i,   W ← W − lr ΔW   (mean-reduced cost, SGD)
    learning gradient of example i:  W^(2)ᵀ c^(2)_i = ∂C_i/∂x   (first weight matrix times the first hidden delta)
    per epoch:  Σ_i |∂C_i/∂x| over the epoch's examples, then normalized to sum to 1.

Nothing here imports lgrad: the caller passes the initial weights, the data and the example order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


def _activation(name: str, z: np.ndarray) -> np.ndarray:
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "tanh":
        return np.tanh(z)
    raise ValueError(name)


def _derivative(name: str, z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """f'(z), written with the activation's output where that is the textbook form."""
    if name == "sigmoid":
        return a * (1.0 - a)
    if name == "relu":
        return (z > 0).astype(np.float64)
    if name == "tanh":
        return 1.0 - a * a
    raise ValueError(name)


@dataclass
class OracleRun:
    """What the hand-written trainer produced."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    raw_relevance: np.ndarray  # (epochs, n_features): Σ_i |∂C_i/∂x|
    batch_raw: np.ndarray  # (n_batches_total, n_features): the same sum per mini-batch
    batch_epoch: np.ndarray  # 0-based epoch of each batch row
    example_grads: list[np.ndarray] = field(default_factory=list)  # per batch: (B, n_features) signed ∂C_i/∂x

    @property
    def relevance(self) -> np.ndarray:
        return normalize(self.raw_relevance)


def normalize(rows: np.ndarray) -> np.ndarray:
    """Each row divided by its sum (the paper's norm)."""
    return rows / rows.sum(axis=-1, keepdims=True)


def forward(weights, biases, activation, x):
    """Algorithm 1's feedforward: returns the lists z^(l), a^(l) (a[0] = x); the last a is ŷ, shape (B, 1)."""
    zs, activations = [], [x]
    for layer, (w, b) in enumerate(zip(weights, biases, strict=True)):
        z = activations[-1] @ w.T + b
        last = layer == len(weights) - 1
        zs.append(z)
        activations.append(_activation("sigmoid" if last else activation, z))
    return zs, activations


def backward(weights, activation, loss, zs, activations, y):
    """The deltas c^(l) of each example for its own cost C_i (not divided by the batch size), output first."""
    y_hat = activations[-1]
    y = y.reshape(-1, 1)
    if loss == "mse":
        delta = (y_hat - y) * _derivative("sigmoid", zs[-1], y_hat)
    elif loss == "bce":
        delta = y_hat - y
    else:
        raise ValueError(loss)
    deltas = [delta]
    for layer in range(len(weights) - 2, -1, -1):
        delta = _derivative(activation, zs[layer], activations[layer + 1]) * (deltas[0] @ weights[layer + 1])
        deltas.insert(0, delta)
    return deltas


def train(
    weights: list[np.ndarray],
    biases: list[np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    orders: list[np.ndarray],
    *,
    activation: str,
    loss: str,
    lr: float,
    batch_size: int,
    keep_example_grads: bool = False,
) -> OracleRun:
    """Plain SGD over ``orders`` (one permutation per epoch), batches of ``batch_size`` with the short last one kept."""
    weights = [np.array(w, dtype=np.float64) for w in weights]
    biases = [np.array(b, dtype=np.float64) for b in biases]
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    epoch_rows, batch_rows, batch_epoch, example_grads = [], [], [], []
    for epoch, order in enumerate(orders):
        epoch_row = np.zeros(X.shape[1])
        for start in range(0, len(order), batch_size):
            rows = np.asarray(order[start : start + batch_size])
            xb, yb = X[rows], y[rows]
            zs, activations = forward(weights, biases, activation, xb)
            deltas = backward(weights, activation, loss, zs, activations, yb)
            # Algorithm 2: the learning gradient of each example, W^(2)ᵀ c^(2) = ∂C_i/∂x (before the update)
            input_grads = deltas[0] @ weights[0]
            if keep_example_grads:
                example_grads.append(input_grads)
            batch_row = np.abs(input_grads).sum(axis=0)
            batch_rows.append(batch_row)
            batch_epoch.append(epoch)
            epoch_row += batch_row
            # Algorithm 1's update, averaged over the mini-batch (mean-reduced cost)
            for layer, delta in enumerate(deltas):
                grad_w = delta.T @ activations[layer] / len(rows)
                grad_b = delta.mean(axis=0)
                weights[layer] = weights[layer] - lr * grad_w
                biases[layer] = biases[layer] - lr * grad_b
        epoch_rows.append(epoch_row)
    return OracleRun(
        weights=weights,
        biases=biases,
        raw_relevance=np.array(epoch_rows),
        batch_raw=np.array(batch_rows),
        batch_epoch=np.array(batch_epoch),
        example_grads=example_grads,
    )
