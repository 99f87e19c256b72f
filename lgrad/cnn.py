"""A small convolutional network for 8×8 digit images: convolution, pooling, one fully connected layer.

The paper (section 2.1) notes that the learning gradient extends to convolutional networks, where it is a saliency
map (Simonyan et al. 2014); this is the network on which the package shows it.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from .checks import check_int
from .model import check_dtype
from .seeding import generator


class DigitsCNN(nn.Module):
    """images (N, H, W) → conv 3×3, ``channels`` filters, padding 1 → ReLU → max-pool 2×2 → flatten → linear → logits.

    The input is the images themselves, without a channel axis (the network adds it), so that the learning
    gradient, ∂C/∂x, has the images' shape: an 8×8 map per image. ``forward`` (and its alias ``logits``) returns one
    logit per class, shape (N, n_classes), for the cross-entropy cost ``"ce"``.
    """

    def __init__(self, image_shape: tuple[int, int] = (8, 8), n_classes: int = 10, channels: int = 8) -> None:
        super().__init__()
        if not isinstance(image_shape, tuple) or len(image_shape) != 2:
            raise ValueError(f"image_shape must be a tuple (height, width), got {image_shape!r}")
        height, width = (check_int("image_shape", side, minimum=2) for side in image_shape)
        self.image_shape = (height, width)
        self.n_classes = check_int("n_classes", n_classes, minimum=2)
        self.channels = check_int("channels", channels, minimum=1)
        self.conv = nn.Conv2d(1, self.channels, kernel_size=3, padding=1)
        self.act = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(self.channels * (height // 2) * (width // 2), self.n_classes)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        features = self.pool(self.act(self.conv(images.unsqueeze(1))))
        return self.fc(features.flatten(1))

    def logits(self, images: torch.Tensor) -> torch.Tensor:
        """The same as calling the network: one logit per class, shape (N, n_classes)."""
        return self(images)


def build_cnn(
    *,
    seed: int,
    image_shape: tuple[int, int] = (8, 8),
    n_classes: int = 10,
    channels: int = 8,
    dtype: torch.dtype | str = torch.float32,
) -> DigitsCNN:
    """A :class:`DigitsCNN` with weights and biases drawn from U(-1/sqrt(fan_in), 1/sqrt(fan_in)).

    That is PyTorch's default range for both layers (fan_in = 9 for the 3×3 convolution of one channel, the
    flattened size for the linear layer), drawn from the seed's ``init`` stream in float64 and then cast, as
    :func:`lgrad.build_model` does.
    """
    dtype = check_dtype(dtype)
    with torch.random.fork_rng(devices=[]):  # the layers' default init draws from the global generator: undo it
        model = DigitsCNN(image_shape, n_classes, channels).to(dtype)
    gen = generator(seed, "init")
    with torch.no_grad():
        for layer in (model.conv, model.fc):
            fan_in = layer.weight[0].numel()
            bound = 1.0 / math.sqrt(fan_in)
            for param in (layer.weight, layer.bias):
                draw = torch.empty(param.shape, dtype=torch.float64).uniform_(-bound, bound, generator=gen)
                param.copy_(draw)
    return model
