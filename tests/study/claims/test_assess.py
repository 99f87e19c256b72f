"""lgrad.study.claims.assess: each claim judged from made-up summaries, and the report's table."""

from __future__ import annotations

from lgrad.study.claims import assess, rules

from .made_up import summaries

R, P, N = rules.REPRODUCED, rules.PARTLY, rules.NOT


def test_assess_judges_each_claim_from_the_summaries():
    judged = assess.assess(*summaries(), ["a", "b"])
    assert [c.verdict for c in judged] == [P, P, P]
    assert "13 of 200 seeds (6.5 %) reach 100 %" in judged[0].evidence
    assert "184 of the 200 runs reach every one" in judged[1].evidence
    assert "1 of 30 runs still has the top five of epoch 40" in judged[2].evidence
    judged = assess.assess(*summaries(perfect=150, held=120, kept=20), ["a", "b"])
    assert [c.verdict for c in judged] == [R, R, R]
    judged = assess.assess(*summaries(perfect=0, learned=0, covers=0, settle=0), ["a", "b"])
    assert judged[0].verdict == P  # the 10 % split still has perfect scores
    assert [c.verdict for c in judged[1:]] == [N, N]
    assert "No run learned anything" in judged[1].evidence and "nothing converges" in judged[2].evidence
    judged = assess.assess(*summaries(longer=False), ["a", "b"])
    assert judged[2].verdict == R and "No run longer than the book's" in judged[2].evidence


def test_the_claims_table_links_its_figures():
    table = assess.claims_table(assess.assess(*summaries(), ["a", "b"]))
    assert list(table.columns) == ["the paper claims", "verdict", "what the runs show", "figures"]
    assert table.loc[1, "figures"] == "{numref}`fig-seed-top5`, {numref}`fig-seed-blocks`"
