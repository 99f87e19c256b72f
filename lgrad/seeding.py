"""Independent random streams derived from one user seed.

Every random choice (split, initial weights, each epoch's order) draws from its own generator, derived from the
seed and the stream's name, never from global state: runs with different seeds can share a process (or one batched
computation) and still reproduce each seed exactly.
"""

from __future__ import annotations

import zlib

import numpy as np
import torch

from .checks import check_seed

STREAMS = ("split", "init", "order")


def derive_seed(seed: int, stream: str) -> int:
    """A 63-bit integer seed for ``stream``, a deterministic function of ``seed`` and the stream name."""
    seed = check_seed(seed)
    if stream not in STREAMS:
        raise ValueError(f"stream must be one of {STREAMS}, got {stream!r}")
    state = np.random.SeedSequence([seed, zlib.crc32(stream.encode())]).generate_state(2, dtype=np.uint32)
    return int((int(state[0]) << 31) ^ int(state[1])) & (2**63 - 1)


def generator(seed: int, stream: str) -> torch.Generator:
    """A fresh ``torch.Generator`` seeded for ``stream``."""
    return torch.Generator().manual_seed(derive_seed(seed, stream))
