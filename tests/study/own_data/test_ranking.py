"""lgrad.study.own_data.ranking: the final ranking of a reader's table and how many variables carry half of it."""

from __future__ import annotations

import numpy as np
import pytest

import lgrad
from lgrad.study.own_data import ranking as own_ranking

from .made_up import fake_run


def test_the_ranking_orders_by_share_with_ties_in_column_order():
    ranking = own_ranking.final_ranking(fake_run([1, 4, 2, 2, 1], names=["a", "b", "c", "d", "e"]))
    assert ranking["variable"].tolist() == ["b", "c", "d", "a", "e"]
    assert ranking["rank"].tolist() == [1, 2, 3, 4, 5]
    np.testing.assert_allclose(ranking["share"], [0.4, 0.2, 0.2, 0.1, 0.1])
    np.testing.assert_allclose(ranking["cumulative"], [0.4, 0.6, 0.8, 0.9, 1.0])


@pytest.mark.parametrize("final", [[0, 0, 0], [1, np.nan, 2], [np.inf, 1, 1]])
def test_a_run_that_learned_nothing_is_never_ranked(final):
    with pytest.raises(lgrad.DegenerateRunError, match="epoch 3's learning gradient is"):
        own_ranking.final_ranking(fake_run(final))


@pytest.mark.parametrize(
    ("shares", "half", "expected"),
    [([6, 2, 2], 0.5, 1), ([5, 3, 2], 0.5, 1), ([4, 3, 3], 0.5, 2), ([1, 1, 1, 1], 0.5, 2), ([1, 1, 1, 1], 1.0, 4)],
)
def test_carrying_counts_the_variables_that_reach_the_share(shares, half, expected):
    assert own_ranking.carrying(own_ranking.final_ranking(fake_run(shares)), half) == expected
