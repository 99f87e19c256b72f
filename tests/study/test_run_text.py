"""lgrad.study.run_text: a run that learned nothing is said so, and how its rows are fed."""

from __future__ import annotations

import pytest

from lgrad.study import run_text


@pytest.mark.parametrize(
    ("batch_size", "expected"),
    [(16, "mini-batches of 16 examples"), ("full", "one batch of all 455 training rows"), (1, "one example per step")],
)
def test_batches_are_described_by_their_size(batch_size, expected):
    assert run_text.batches(batch_size, 455).startswith(expected)
