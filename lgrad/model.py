"""The paper's network: fully connected, ``n_inputs -> hidden... -> 1``, sigmoid output."""

from __future__ import annotations

import math

import torch
from torch import nn

from .checks import check_choice, check_hidden, check_int
from .seeding import generator

ACTIVATIONS: dict[str, type[nn.Module]] = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU, "tanh": nn.Tanh}
DTYPES = {"float32": torch.float32, "float64": torch.float64}


class MLP(nn.Module):
    """A perceptron-type network: ``linears[0..-2]`` followed by the hidden activation, ``linears[-1]`` by a sigmoid.

    ``forward`` returns the predicted probability of class 1, ŷ = sigmoid(z^(L)), shape ``(batch,)``;
    ``logits`` returns z^(L) itself, from which the costs are computed (exact even where the sigmoid saturates).
    """

    def __init__(self, n_inputs: int, hidden: tuple[int, ...] = (3,), activation: str = "sigmoid") -> None:
        super().__init__()
        n_inputs = check_int("n_inputs", n_inputs, minimum=1)
        self.hidden = check_hidden(hidden)
        self.activation = check_choice("activation", activation, ACTIVATIONS)
        sizes = (n_inputs, *self.hidden, 1)
        self.linears = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:], strict=True))
        self.act = ACTIVATIONS[activation]()

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        for linear in self.linears[:-1]:
            x = self.act(linear(x))
        return self.linears[-1](x).squeeze(-1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.logits(x))


def build_model(
    n_inputs: int,
    hidden: tuple[int, ...] = (3,),
    activation: str = "sigmoid",
    *,
    seed: int,
    dtype: torch.dtype = torch.float32,
) -> MLP:
    """An :class:`MLP` with weights and biases drawn from U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (PyTorch's default range).

    The draw uses the seed's ``init`` stream and is made in float64, then cast, so a float32 and a float64 model
    built from the same seed start from the same weights up to rounding.
    """
    dtype = check_dtype(dtype)
    with torch.random.fork_rng(devices=[]):  # nn.Linear's default init draws from the global generator: undo it
        model = MLP(n_inputs, hidden, activation).to(dtype)
    gen = generator(seed, "init")
    with torch.no_grad():
        for linear in model.linears:
            bound = 1.0 / math.sqrt(linear.in_features)
            for param in (linear.weight, linear.bias):
                draw = torch.empty(param.shape, dtype=torch.float64).uniform_(-bound, bound, generator=gen)
                param.copy_(draw)
    return model


def check_dtype(dtype: torch.dtype | str) -> torch.dtype:
    """Accept ``torch.float32``/``torch.float64`` or their names."""
    if isinstance(dtype, str):
        return DTYPES[check_choice("dtype", dtype, DTYPES)]
    return check_choice("dtype", dtype, DTYPES.values())
