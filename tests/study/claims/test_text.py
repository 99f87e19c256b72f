"""lgrad.study.claims.text: the report's sentences."""

from __future__ import annotations

import pandas as pd

from lgrad.study.claims import assess
from lgrad.study.claims import text as claims_text

from .made_up import summaries


def test_the_report_sentences():
    assert claims_text.network_weights(30, (3,)) == 97
    assert claims_text.network_weights(4, (8, 2)) == 5 * 8 + 9 * 2 + 3
    assert claims_text._scientific(8.3e9) == "8.3 × 10⁹"
    defaults = {"seed": 0, "hidden": (3,), "lr": 0.5}
    assert "uses them unchanged" in claims_text.settings_sentence({"seed": 0, "hidden": [3], "lr": 0.5}, defaults)
    assert "changes lr to 2.0" in claims_text.settings_sentence({"seed": 0, "hidden": [3], "lr": 2.0}, defaults)
    trainings = pd.DataFrame({"design": ["x", "y"], "networks": [2, 1], "epochs": [3, 4],
                              "training rows": [10, 10], "example gradients": [60, 40]})  # fmt: skip
    text = claims_text.compute_sentence(trainings, 97, 1)
    assert "3 networks (x: 2 networks × 3 epochs; y: 1 network × 4 epochs)" in text and "100 example" in text
    assert "5.8 × 10⁴ floating-point operations" in text and "1 CPU thread" in text
    bullets = claims_text.verdict_list(assess.assess(*summaries(), ["a", "b"]), ("s1", "s2", "s3"))
    assert bullets.count("\n- ") == 2 and "{ref}`s3`" in bullets
