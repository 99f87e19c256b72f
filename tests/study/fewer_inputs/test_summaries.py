"""lgrad.study.fewer_inputs.summaries: the curves and the smallest-k rule on made-up numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import sem

from lgrad.study.fewer_inputs import summaries as retraining_summaries


@pytest.mark.parametrize(
    ("ks", "means", "expected"),
    [
        ([1, 2, 3, 4, 5], [0.50, 0.80, 0.95, 0.96, 0.97], (3, True)),  # arrives at 3, stays
        ([1, 2, 3, 4], [0.50, 0.955, 0.90, 0.97], (2, False)),  # arrives at 2, falls below at 3
        ([1, 2, 3], [0.50, 0.60, 0.94], (None, False)),  # never within one SE
        ([1, 2], [0.99, 0.97], (1, True)),  # above the full model counts as within
        ([1, 2, 3], [np.nan, 0.97, 0.96], (2, True)),  # a missing mean is not within
        ([3, 1, 2], [0.97, 0.5, 0.96], (2, True)),  # the ks are read in order
        ([1, 2], [np.nan, np.nan], (None, False)),
    ],
)
def test_the_smallest_k_rule_on_made_up_curves(ks, means, expected):
    assert retraining_summaries.smallest_k(ks, means, full_mean=0.96, full_se=0.01) == expected


def test_the_smallest_k_rule_with_a_zero_standard_error_asks_for_as_good_as_the_full_model():
    full = (0.1 + 0.2) / 1  # 0.30000000000000004: the same mean reached by another sum still counts
    assert retraining_summaries.smallest_k([1, 2, 3], [0.29, 0.3, 0.3], full_mean=full, full_se=0.0) == (2, True)
    with pytest.raises(ValueError, match="same length"):
        retraining_summaries.smallest_k([1, 2], [0.5], 0.9, 0.0)


def _rows(ranking, k, accuracies, learned=True):
    return pd.DataFrame(
        {"ranking": ranking, "k": k, "seed": range(len(accuracies)), "test_accuracy": accuracies, "learned": learned}
    )


def test_curves_put_the_full_model_at_k_n_and_give_the_standard_error_of_the_mean():
    table = pd.concat([_rows("a", 1, [0.5, 0.7, 0.6]), _rows("a", 2, [0.95, 0.96, 0.93]),
                       _rows("b", 1, [0.8, 0.8, 0.8]), _rows("b", 2, [0.93, 0.93, 0.93], learned=False)])  # fmt: skip
    full = _rows(retraining_summaries.FULL, 3, [0.95, 0.96, 0.94])
    curve = retraining_summaries.curves(table, full, ["b", "a"])
    assert curve["ranking"].tolist() == ["b"] * 3 + ["a"] * 3
    a1 = curve[(curve["ranking"] == "a") & (curve["k"] == 1)].iloc[0]
    assert a1["mean"] == pytest.approx(0.6) and a1["se"] == pytest.approx(sem([0.5, 0.7, 0.6]))
    at_n = curve[curve["k"] == 3]
    assert at_n["mean"].tolist() == pytest.approx([0.95, 0.95])
    k_table = retraining_summaries.smallest_k_table(curve, *retraining_summaries.full_mean_se(full))
    assert k_table.set_index("ranking")["smallest k"].to_dict() == {"b": 3, "a": 2}
    assert k_table.set_index("ranking")["learned nothing"].to_dict() == {"b": 3, "a": 0}
    assert k_table.set_index("ranking")["networks"].to_dict() == {"b": 9, "a": 9}
