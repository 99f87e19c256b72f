"""lgrad.study.attributions.agreement: Spearman agreement, seed-mean shares and rankings on made-up scores."""

from __future__ import annotations

import numpy as np
import pytest

from lgrad.study.attributions.agreement import (
    agreement_matrix,
    consensus,
    ranking,
    reference_ranks,
    shares,
    top_table,
)
from lgrad.study.rank_agreement import spearman

FEATURES = ["a", "b", "c", "d", "e", "f"]


def test_agreement_matrix_has_ones_on_its_diagonal_and_the_mean_over_seeds_elsewhere():
    rng = np.random.default_rng(0)
    seeds = [{m: rng.random(len(FEATURES)) for m in ("p", "q", "r")} for _ in range(4)]
    mean, n = agreement_matrix(seeds, ["p", "q", "r"])
    np.testing.assert_allclose(np.diag(mean), 1.0)
    expected = np.mean([spearman(s["p"], s["r"]) for s in seeds])
    assert mean.loc["p", "r"] == pytest.approx(expected) == pytest.approx(mean.loc["r", "p"])
    assert (n.to_numpy() == 4).all()


def test_a_method_without_a_ranking_on_a_seed_is_left_out_of_that_seeds_mean():
    good = {"p": np.arange(6.0), "q": np.arange(6.0)[::-1], "flat": np.arange(6.0)}
    flat = {"p": np.arange(6.0), "q": np.arange(6.0), "flat": np.ones(6)}
    mean, n = agreement_matrix([good, flat], ["p", "q", "flat"])
    assert mean.loc["p", "q"] == pytest.approx(0.0)  # (−1 + 1) / 2
    assert mean.loc["p", "flat"] == pytest.approx(1.0) and n.loc["p", "flat"] == 1
    assert n.loc["flat", "flat"] == 1 and n.loc["p", "p"] == 2
    empty, zero = agreement_matrix([], ["p", "q"])
    assert empty.isna().all().all() and (zero.to_numpy() == 0).all()


def test_consensus_averages_the_shares_and_top_table_ranks_them():
    seeds = [
        {"p": np.array([6.0, 3.0, 1.0, 0.0, 0.0, 0.0]), "q": np.array([0.0, 0.0, 0.0, 1.0, 2.0, -7.0])},
        {"p": np.array([2.0, 6.0, 1.0, 1.0, 0.0, 0.0]), "q": np.zeros(6)},  # q has no ranking here
    ]
    mean = consensus(seeds, ["p", "q"], FEATURES)
    np.testing.assert_allclose(mean["p"], [0.4, 0.45, 0.1, 0.05, 0.0, 0.0])
    np.testing.assert_allclose(mean["q"], shares(seeds[0]["q"]))
    assert ranking(mean["p"]) == ["b", "a", "c", "d", "e", "f"]  # ties keep the data set's order
    assert ranking(mean["q"])[:2] == ["e", "d"]  # a negative score ranks last
    table = top_table(mean, ["b", "e", "zzz"], k=2)
    assert list(table.columns) == ["method", "top 2 (seed mean, most relevant first)", "b", "e"]
    assert table.iloc[0].tolist() == ["p", "b, a", 1, 5]
    ranks = reference_ranks(mean, ["b", "e"])
    assert ranks.loc["e", "q"] == 1 and ranks.loc["b", "p"] == 1 and ranks.loc["b", "q"] == 4


def test_a_method_no_seed_ranks_says_so():
    mean = consensus([{"p": np.zeros(6)}], ["p"], FEATURES)
    assert mean["p"].isna().all() and ranking(mean["p"]) == []
    assert top_table(mean, ["a"]).iloc[0].tolist()[1:] == ["— (no ranking)", None]
    assert reference_ranks(mean, ["a"]).empty
