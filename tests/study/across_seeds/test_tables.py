"""lgrad.study.across_seeds.tables: the book's tables of a study, on made-up runs."""

from __future__ import annotations

import pytest

from lgrad.study.across_seeds import seed_runs, summaries, tables

from .made_up import FINALS, NAMES, made_up


def test_sources_compare_designs_with_as_many_seeds():
    runs_ = {key: made_up(FINALS, accuracy=[1.0, 0.9, 0.9, 0.8], key=key) for key in seed_runs.DESIGNS}
    runs_["split_fixed"] = made_up(FINALS[:2], accuracy=[0.9, 0.9], key="split_fixed")
    study = seed_runs.SeedStudy(settings={}, runs=runs_, cv=None)
    found = summaries.sources(study, ["a", "b"], k=2)
    assert [row["seeds"] for row in found.values()] == [2, 2, 2]
    assert found["split_fixed"]["accuracy_sd"] == 0.0 and found["both"]["accuracy_sd"] == pytest.approx(0.05)
    table = tables.sources_table(found)
    assert list(table.columns) == ["measure", *(seed_runs.DESIGNS[k] for k in ("both", "split_fixed", "init_fixed"))]
    assert table.set_index("measure").loc["test accuracy, sd (pp)"].tolist() == [5.0, 0.0, 5.0]


def test_the_ranking_table_lists_the_frequent_variables_and_the_papers():
    ranking = summaries.ranking_summary(made_up(FINALS), ["a", "f"], k=2)
    units = {name: name for name in NAMES} | {"a": "ab", "b": "ab"}
    table = tables.ranking_table(ranking, ranking, units, ["a", "f"], rows=2)
    assert list(table["variable"]) == ["a", "b", "f"]
    assert list(table["block"]) == ["ab", "ab", ""]
    assert list(table["top 5, book split"]) == ["67 %", "67 %", "0 %"]
    assert table["paper's rank"].tolist() == [1, pd_na(), 2]


def pd_na():
    import pandas as pd

    return pd.NA
