"""lgrad.study.claims: the verdict rules on made-up inputs for each outcome, and the report's table and sentences."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lgrad.study import claims

R, P, N = claims.REPRODUCED, claims.PARTLY, claims.NOT


@pytest.mark.parametrize(
    ("perfect_share", "perfect_anywhere", "verdict"),
    [(1.0, 400, R), (0.5, 100, R), (0.49, 98, P), (0.0, 1, P), (0.0, 0, N)],
)
def test_accuracy_verdict(perfect_share, perfect_anywhere, verdict):
    assert claims.accuracy_verdict(perfect_share, perfect_anywhere) == verdict


@pytest.mark.parametrize(
    ("n_learned", "held_share", "blocks_share", "verdict"),
    [(200, 0.5, 0.0, R), (200, 0.9, 1.0, R), (200, 0.49, 0.5, P), (200, 0.0, 0.92, P), (200, 0.3, 0.49, N),
     (0, 0.0, 0.0, N)],
)  # fmt: skip
def test_top5_verdict(n_learned, held_share, blocks_share, verdict):
    assert claims.top5_verdict(n_learned, held_share, blocks_share) == verdict


@pytest.mark.parametrize(
    ("n_learned", "settle_share", "kept_share", "verdict"),
    [(200, 1.0, 0.5, R), (200, 0.5, None, R), (200, 1.0, 0.49, P), (200, 0.6, 0.0, P), (200, 0.49, 1.0, N),
     (200, 0.0, None, N), (0, 0.0, None, N)],
)  # fmt: skip
def test_convergence_verdict(n_learned, settle_share, kept_share, verdict):
    assert claims.convergence_verdict(n_learned, settle_share, kept_share) == verdict


def test_the_rules_check_their_inputs():
    with pytest.raises(ValueError, match="perfect_share must be a finite number >= 0 and <= 1, got 1.5"):
        claims.accuracy_verdict(1.5, 3)
    with pytest.raises(ValueError, match="n_learned must be an integer >= 0"):
        claims.top5_verdict(-1, 0.0, 0.0)
    with pytest.raises(ValueError, match="kept_share must be a finite number"):
        claims.convergence_verdict(3, 1.0, float("nan"))


def test_the_rules_text_says_the_constants_the_rules_use():
    text = claims.rules_text()
    assert text.count("at least 50 %") >= 4 and f"at least {claims.HELD} of the paper's five" in text
    for verdict in claims.VERDICTS:
        assert f"*{verdict}*" in text


def summaries(perfect=13, learned=200, held=0, covers=184, settle=200, kept=1, longer=True):
    book = {
        "perfect": perfect,
        "n_seeds": 200,
        "perfect_share": perfect / 200,
        "n_test": 114,
        "epochs": 40,
        "cv": 0.978,
        "cv_low": 0.963,
        "cv_high": 0.989,
        "expected_perfect": 0.081,
        "perfect_low": 0.968,
    }
    small = {"perfect": 57, "n_seeds": 200, "n_test": 57}
    overlaps = np.array([4] * held + [2] * (learned - held))
    ranking = {"n_learned": learned, "n_seeds": 200, "overlaps": overlaps, "exact_set": 0, "mean_top_overlap": 3}
    blocks = {"covers_all": covers, "reference_units": ["size", "texture"]}
    conv = {"n_learned": learned, "epochs": 40, "settle": settle, "moved_last": 16}
    long = {"longer": longer, "n_learned": 30 if learned else 0, "kept": kept, "long_epochs": 200}
    return book, small, ranking, blocks, conv, long


def test_assess_judges_each_claim_from_the_summaries():
    judged = claims.assess(*summaries(), ["a", "b"])
    assert [c.verdict for c in judged] == [P, P, P]
    assert "13 of 200 seeds (6.5 %) reach 100 %" in judged[0].evidence
    assert "184 of the 200 runs reach every one" in judged[1].evidence
    assert "1 of 30 runs still has the top five of epoch 40" in judged[2].evidence
    judged = claims.assess(*summaries(perfect=150, held=120, kept=20), ["a", "b"])
    assert [c.verdict for c in judged] == [R, R, R]
    judged = claims.assess(*summaries(perfect=0, learned=0, covers=0, settle=0), ["a", "b"])
    assert judged[0].verdict == P  # the 10 % split still has perfect scores
    assert [c.verdict for c in judged[1:]] == [N, N]
    assert "No run learned anything" in judged[1].evidence and "nothing converges" in judged[2].evidence
    judged = claims.assess(*summaries(longer=False), ["a", "b"])
    assert judged[2].verdict == R and "No run longer than the book's" in judged[2].evidence


def test_the_claims_table_links_its_figures():
    table = claims.claims_table(claims.assess(*summaries(), ["a", "b"]))
    assert list(table.columns) == ["the paper claims", "verdict", "what the runs show", "figures"]
    assert table.loc[1, "figures"] == "{numref}`fig-seed-top5`, {numref}`fig-seed-blocks`"


def test_the_report_sentences():
    assert claims.network_weights(30, (3,)) == 97
    assert claims.network_weights(4, (8, 2)) == 5 * 8 + 9 * 2 + 3
    assert claims._scientific(8.3e9) == "8.3 × 10⁹"
    defaults = {"seed": 0, "hidden": (3,), "lr": 0.5}
    assert "uses them unchanged" in claims.settings_sentence({"seed": 0, "hidden": [3], "lr": 0.5}, defaults)
    assert "changes lr to 2.0" in claims.settings_sentence({"seed": 0, "hidden": [3], "lr": 2.0}, defaults)
    trainings = pd.DataFrame({"design": ["x", "y"], "networks": [2, 1], "epochs": [3, 4],
                              "training rows": [10, 10], "example gradients": [60, 40]})  # fmt: skip
    text = claims.compute_sentence(trainings, 97, 1)
    assert "3 networks (x: 2 networks × 3 epochs; y: 1 network × 4 epochs)" in text and "100 example" in text
    assert "5.8 × 10⁴ floating-point operations" in text and "1 CPU thread" in text
    bullets = claims.verdict_list(claims.assess(*summaries(), ["a", "b"]), ("s1", "s2", "s3"))
    assert bullets.count("\n- ") == 2 and "{ref}`s3`" in bullets
