"""lgrad.study.claims.rules: the verdict rules on made-up inputs for each outcome, and their text."""

from __future__ import annotations

import pytest

from lgrad.study.claims import rules

R, P, N = rules.REPRODUCED, rules.PARTLY, rules.NOT


@pytest.mark.parametrize(
    ("perfect_share", "perfect_anywhere", "verdict"),
    [(1.0, 400, R), (0.5, 100, R), (0.49, 98, P), (0.0, 1, P), (0.0, 0, N)],
)
def test_accuracy_verdict(perfect_share, perfect_anywhere, verdict):
    assert rules.accuracy_verdict(perfect_share, perfect_anywhere) == verdict


@pytest.mark.parametrize(
    ("n_learned", "held_share", "blocks_share", "verdict"),
    [(200, 0.5, 0.0, R), (200, 0.9, 1.0, R), (200, 0.49, 0.5, P), (200, 0.0, 0.92, P), (200, 0.3, 0.49, N),
     (0, 0.0, 0.0, N)],
)  # fmt: skip
def test_top5_verdict(n_learned, held_share, blocks_share, verdict):
    assert rules.top5_verdict(n_learned, held_share, blocks_share) == verdict


@pytest.mark.parametrize(
    ("n_learned", "settle_share", "kept_share", "verdict"),
    [(200, 1.0, 0.5, R), (200, 0.5, None, R), (200, 1.0, 0.49, P), (200, 0.6, 0.0, P), (200, 0.49, 1.0, N),
     (200, 0.0, None, N), (0, 0.0, None, N)],
)  # fmt: skip
def test_convergence_verdict(n_learned, settle_share, kept_share, verdict):
    assert rules.convergence_verdict(n_learned, settle_share, kept_share) == verdict


def test_the_rules_check_their_inputs():
    with pytest.raises(ValueError, match="perfect_share must be a finite number >= 0 and <= 1, got 1.5"):
        rules.accuracy_verdict(1.5, 3)
    with pytest.raises(ValueError, match="n_learned must be an integer >= 0"):
        rules.top5_verdict(-1, 0.0, 0.0)
    with pytest.raises(ValueError, match="kept_share must be a finite number"):
        rules.convergence_verdict(3, 1.0, float("nan"))


def test_the_rules_text_says_the_constants_the_rules_use():
    text = rules.rules_text()
    assert text.count("at least 50 %") >= 4 and f"at least {rules.HELD} of the paper's five" in text
    for verdict in rules.VERDICTS:
        assert f"*{verdict}*" in text
