"""The report's sentences besides the verdicts: the settings, the compute, the difficulties."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..convergence import SETTLE_RATIO
from ..text import count, percent
from .assess import Claim


def verdict_list(claims: Sequence[Claim], sections: Sequence[str]) -> str:
    """The results, one bullet per claim: the claim, its verdict, what the runs show and where (``sections``: a
    section label per claim)."""
    return "\n".join(
        f"- **{c.claim}**: *{c.verdict}*. {c.evidence} ({{ref}}`{section}`)"
        for c, section in zip(claims, sections, strict=True)
    )


def settings_sentence(params: Mapping[str, Any], defaults: Mapping[str, Any]) -> str:
    """Which settings the runs used, and whether they are the book's defaults."""

    def plain(value: Any) -> str:
        return ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)

    changed = [name for name in defaults if name in params and plain(params[name]) != plain(defaults[name])]
    listed = "; ".join(f"{name} = {plain(defaults[name])}" for name in defaults)
    text = (
        f"The settings the paper leaves out were chosen, with the reasons given in {{ref}}`chap-reading`, and written "
        f"into `lgrad.DEFAULTS` before any result was looked at: {listed}. No seed was searched for. "
    )
    if changed:
        return text + (
            "This build changes " + ", ".join(f"{name} to {plain(params[name])}" for name in changed) + ", so its "
            "numbers are not the default book's."
        )
    return text + "This build uses them unchanged."


def network_weights(n_inputs: int, hidden: Sequence[int]) -> int:
    """The weights and biases of the fully connected network ``n_inputs → hidden… → 1``."""
    sizes = [n_inputs, *hidden, 1]
    return sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))


def compute_sentence(trainings: pd.DataFrame, n_weights: int, threads: int) -> str:
    """The compute of the study across seeds, counted from its trainings (not timed)."""
    networks = int(trainings["networks"].sum())
    gradients = int(trainings["example gradients"].sum())
    flops = _scientific(6 * n_weights * gradients)
    parts = "; ".join(
        f"{row['design']}: {count(int(row['networks']), 'network')} × {count(int(row['epochs']), 'epoch')}"
        for _, row in trainings.iterrows()
    )
    return (
        f"The study across seeds trains {count(networks, 'network')} ({parts}). In all that is {gradients:,} example "
        f"gradients (one forward and one backward pass of one training example through the {n_weights}-weight "
        f"network), about {flops} floating-point operations at the usual 6 per weight and example: a small "
        f"computation, run here on {count(threads, 'CPU thread')}. Counting trainings instead of timing them gives "
        "the same number on any machine."
    )


def _scientific(value: float) -> str:
    """``8.3 × 10⁹``."""
    exponent = int(np.floor(np.log10(value))) if value > 0 else 0
    superscript = str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{value / 10**exponent:.1f} × 10{superscript}"


def blocks_bullet(n_blocks: int, reference_units: int) -> str:
    """The difficulty of near-duplicate variables, as far as the data have them."""
    if not n_blocks:
        return (
            "- **Near-duplicate variables.** None here: no two variables are strongly correlated, so each ranking "
            "is read variable by variable."
        )
    return (
        f"- **Near-duplicate variables.** The data hold {count(n_blocks, 'block')} of strongly correlated variables, "
        'so "the five most relevant variables" is partly a choice among equivalents; the paper\'s five fall in '
        f"{count(reference_units, 'unit')} once each variable is read as its block, and the comparison is made at "
        "both levels."
    )


def difficulties(book: Mapping[str, Any], n_blocks: int, reference_units: int) -> str:
    """What made the reproduction hard, as a Markdown list, with the numbers that show it."""
    return "\n".join(
        [
            "- **The settings the paper leaves out.** The learning rate, the batch size, the split, the hidden "
            "activation, the initialization and how per-example gradients make an epoch's bar are not given; "
            "{ref}`chap-reading` chooses each and measures how much the results move with it.",
            f"- **A perfect score on a small test set.** With {book['n_test']} test rows, 100 % is consistent with a "
            f"true accuracy as low as {percent(book['perfect_low'])}; telling the paper's number from the luck of "
            f"the split took {count(book['n_seeds'], 'split')} and a cross-validation.",
            blocks_bullet(n_blocks, reference_units),
            "- **Convergence is not defined in the paper.** The criterion used here (the bars settle when their late "
            f"change is at most {SETTLE_RATIO:g} times their early change) and the long runs are this book's reading "
            "of the claim.",
        ]
    )
