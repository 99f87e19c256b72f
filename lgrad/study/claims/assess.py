"""The summaries of the study across seeds (:mod:`lgrad.study.across_seeds.summaries`) judged: one
:class:`Claim` per claim of the paper, its verdict from :mod:`lgrad.study.claims.rules`, and the report's table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..across_seeds.text import chance, verb
from ..text import count, percent
from .rules import HELD, accuracy_verdict, convergence_verdict, top5_verdict


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
    """The three claims, judged from the summaries of
    :mod:`lgrad.study.across_seeds.summaries` (``accuracy_summary`` of the book's
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
