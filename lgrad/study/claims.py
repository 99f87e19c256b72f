"""The paper's three claims, each with a verdict chosen by a stated rule from the numbers of the study across seeds.

The rules (:func:`rules_text` says them on the page, from the same constants):

* **100 % test accuracy**: *reproduced* if at least half of the seeds reach 100 % on the book's test split;
  *partly* if some seed reaches it on the book's split or on the 10 % split; *not reproduced* if none does.
* **The five variables**: over the runs that learned, *reproduced* if at least half of them hold at least
  :data:`HELD` of the paper's five in their own top five; *partly* if not, but at least half of them reach every
  block of correlated variables that the paper's five fall in (a variable read as its block); *not reproduced*
  otherwise, or when no run learned.
* **Convergence**: *reproduced* if the bars settle (:mod:`lgrad.study.convergence`'s criterion) in at least half
  of the runs that learned and at least half of the long runs still have, at their last epoch, the top five of the
  book's last epoch (without a longer run, the bars decide alone); *partly* if the bars settle but the ranking moves
  on; *not reproduced* if the bars settle in fewer than half of the runs, or no run learned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..checks import check_float, check_int
from .convergence import SETTLE_RATIO
from .prose import count, percent
from .seed_findings import chance, verb

REPRODUCED, PARTLY, NOT = "reproduced", "partly", "not reproduced"
VERDICTS = (REPRODUCED, PARTLY, NOT)
MAJORITY = 0.5
"""A share of runs at least this large is "most runs"."""
HELD = 4
"""A top five holds the paper's list when it has at least this many of its five variables."""


def accuracy_verdict(perfect_share: float, perfect_anywhere: int) -> str:
    """The verdict on 100 % test accuracy, from the share of seeds at 100 % on the book's split and the number of
    runs at 100 % on either split."""
    perfect_share = check_float("perfect_share", perfect_share, minimum=0, maximum=1)
    perfect_anywhere = check_int("perfect_anywhere", perfect_anywhere, minimum=0)
    if perfect_share >= MAJORITY:
        return REPRODUCED
    return PARTLY if perfect_anywhere else NOT


def top5_verdict(n_learned: int, held_share: float, blocks_share: float) -> str:
    """The verdict on the five variables, from the runs that learned: the share holding at least :data:`HELD` of
    the paper's five, and the share reaching every block of the paper's five."""
    n_learned = check_int("n_learned", n_learned, minimum=0)
    held_share = check_float("held_share", held_share, minimum=0, maximum=1)
    blocks_share = check_float("blocks_share", blocks_share, minimum=0, maximum=1)
    if not n_learned:
        return NOT
    if held_share >= MAJORITY:
        return REPRODUCED
    return PARTLY if blocks_share >= MAJORITY else NOT


def convergence_verdict(n_learned: int, settle_share: float, kept_share: float | None) -> str:
    """The verdict on convergence, from the share of runs whose bars settle and the share of long runs that keep the
    top five of the book's last epoch (``None`` without a run longer than the book's)."""
    n_learned = check_int("n_learned", n_learned, minimum=0)
    settle_share = check_float("settle_share", settle_share, minimum=0, maximum=1)
    if kept_share is not None:
        kept_share = check_float("kept_share", kept_share, minimum=0, maximum=1)
    if not n_learned or settle_share < MAJORITY:
        return NOT
    return REPRODUCED if kept_share is None or kept_share >= MAJORITY else PARTLY


def rules_text() -> str:
    """The verdict rules as a Markdown list, written from the constants the verdict functions use."""
    most = f"at least {percent(MAJORITY, 0)}"
    return "\n".join(
        [
            f"- **100 % test accuracy**: *{REPRODUCED}* if {most} of the seeds reach 100 % on the book's test "
            f"split; *{PARTLY}* if fewer do, but some seed reaches 100 % on the book's split or on the 10 % split; "
            f"*{NOT}* if none does.",
            f"- **The five variables**: among the runs that learned, *{REPRODUCED}* if {most} of them have at least "
            f"{HELD} of the paper's five in their own top five; *{PARTLY}* if not, but {most} of them reach every "
            "block of strongly correlated variables that the paper's five fall in (each variable read as its block); "
            f"*{NOT}* otherwise, and when no run learned.",
            f"- **Convergence**: *{REPRODUCED}* if the bars settle (the mean change over the last epochs at most "
            f"{SETTLE_RATIO:g} times the mean change over the first) in {most} of the runs that learned, and {most} "
            "of the long runs still have at their last epoch the top five of the book's last epoch (with no run "
            f"longer than the book's, the bars decide alone); *{PARTLY}* if the bars settle but the top five moves "
            f"on; *{NOT}* if the bars settle in fewer than {percent(MAJORITY, 0)} of the runs, or no run learned.",
        ]
    )


@dataclass(frozen=True)
class Claim:
    """One row of the report's table: the paper's claim, the verdict, what the runs show, the figures behind it."""

    claim: str
    verdict: str
    evidence: str
    figures: tuple[str, ...]


def assess(
    accuracy_book: Mapping[str, Any],
    accuracy_small: Mapping[str, Any],
    ranking: Mapping[str, Any],
    blocks: Mapping[str, Any],
    convergence: Mapping[str, Any],
    long: Mapping[str, Any],
    reference: Sequence[str],
) -> list[Claim]:
    """The three claims, judged from the summaries of :mod:`lgrad.study.seeds` (``accuracy_summary`` of the book's
    and of the 10 % split, ``ranking_summary``, ``block_summary``, ``convergence_over_seeds``, ``long_summary``)."""
    return [
        _accuracy_claim(accuracy_book, accuracy_small),
        _top5_claim(ranking, blocks, reference),
        _convergence_claim(convergence, long),
    ]


def _accuracy_claim(book: Mapping[str, Any], small: Mapping[str, Any]) -> Claim:
    verdict = accuracy_verdict(book["perfect_share"], book["perfect"] + small["perfect"])
    evidence = (
        f"After {count(book['epochs'], 'epoch')}, {book['perfect']} of {book['n_seeds']} seeds "
        f"({percent(book['perfect_share'])}) {'reaches' if book['perfect'] == 1 else 'reach'} 100 % on the book's "
        f"test split of {book['n_test']} rows, "
        f"{small['perfect']} of {small['n_seeds']} on a 10 % split of {small['n_test']} rows. Repeated stratified "
        f"cross-validation estimates {percent(book['cv'])} "
        f"(95 % interval {percent(book['cv_low'])}–{percent(book['cv_high'])}), at which a perfect score has a "
        f"chance of {chance(book['expected_perfect'])} on {book['n_test']} rows."
    )
    return Claim("100 % test accuracy after 40 epochs", verdict, evidence, ("fig-seed-accuracy",))


def _top5_claim(ranking: Mapping[str, Any], blocks: Mapping[str, Any], reference: Sequence[str]) -> Claim:
    claim = f"The five most relevant variables: {', '.join(reference)}"
    n = ranking["n_learned"]
    figures = ("fig-seed-top5", "fig-seed-blocks")
    if not n:
        nothing = "No run learned anything, so no run ranks the variables."
        return Claim(claim, top5_verdict(0, 0.0, 0.0), nothing, figures)
    held = int((ranking["overlaps"] >= HELD).sum())
    verdict = top5_verdict(n, held / n, blocks["covers_all"] / n)
    nothing = f" ({count(ranking['n_seeds'] - n, 'run')} learned nothing)" if n < ranking["n_seeds"] else ""
    units = len(blocks["reference_units"])
    evidence = (
        f"Of {count(n, 'run')} that learned{nothing}, {verb(held, 'holds', 'hold')} at least {HELD} of the paper's "
        "five and "
        f"{ranking['exact_set']} exactly its set; the seed-averaged learning gradient's top five holds "
        f"{ranking['mean_top_overlap']}. Read as blocks of correlated variables, the paper's five fall in "
        f"{count(units, 'unit')}, and {blocks['covers_all']} of the {n} runs "
        f"{'reaches' if blocks['covers_all'] == 1 else 'reach'} every one of them."
    )
    return Claim(claim, verdict, evidence, figures)


def _convergence_claim(convergence: Mapping[str, Any], long: Mapping[str, Any]) -> Claim:
    claim = "The learning gradient converges as the epochs pass"
    n, epochs = convergence["n_learned"], convergence["epochs"]
    figures = ("fig-seed-convergence",)
    if not n:
        return Claim(claim, convergence_verdict(0, 0.0, None), "No run learned anything: nothing converges.", figures)
    kept_share = long["kept"] / long["n_learned"] if long["longer"] and long["n_learned"] else None
    verdict = convergence_verdict(n, convergence["settle"] / n, kept_share)
    evidence = (
        f"The bars settle in {convergence['settle']} of the {count(n, 'run')} that learned; the top five still "
        f"changes at epoch {epochs} in {convergence['moved_last']} of them."
    )
    if kept_share is not None:
        evidence += (
            f" Trained for {long['long_epochs']} epochs, {long['kept']} of {long['n_learned']} runs still "
            f"{'has' if long['kept'] == 1 else 'have'} the top five of epoch {epochs} at the end."
        )
    else:
        evidence += " No run longer than the book's was trained (long_epochs is not larger than epochs)."
    return Claim(claim, verdict, evidence, figures)


def claims_table(claims: Sequence[Claim]) -> pd.DataFrame:
    """The report's table: one row per claim, the figures as cross-references."""
    return pd.DataFrame(
        [
            {
                "the paper claims": c.claim,
                "verdict": c.verdict,
                "what the runs show": c.evidence,
                "figures": ", ".join(f"{{numref}}`{fig}`" for fig in c.figures),
            }
            for c in claims
        ]
    )


# --- the report's sentences ---


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
