"""lgrad.study.one_run.describe: the feature grid, the class balance and the blocks' statistics."""

from __future__ import annotations

import pytest

import lgrad
from lgrad.study.one_run import describe


def test_feature_grid_of_the_breast_cancer_data(breast_cancer):
    grid = describe.feature_grid(breast_cancer)
    assert list(grid.columns) == ["measurement", "what it measures", *describe.STATISTICS]
    assert list(grid["measurement"]) == list(describe.MEASUREMENTS)
    radius = grid.set_index("measurement").loc["radius"]
    assert radius["mean"] == pytest.approx(breast_cancer.raw["mean radius"].mean(), rel=1e-2)
    assert radius["worst"] == pytest.approx(breast_cancer.raw["worst radius"].mean(), rel=1e-2)


def test_feature_grid_of_other_names_is_a_list(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("age,dose,y\n30,1.5,0\n40,2.5,1\n50,3.5,0\n60,4.5,1\n70,5.5,0\n80,6.5,1\n")
    ds = lgrad.load_dataset(path, target="y", test_size=0.34)
    grid = describe.feature_grid(ds)
    assert list(grid["variable"]) == ["age", "dose"]
    assert grid["mean over all rows"].tolist() == [55.0, 4.0]


def test_class_balance_adds_up(breast_cancer):
    balance = describe.class_balance(breast_cancer)
    assert list(balance["class"]) == list(breast_cancer.class_names)
    assert balance["all rows"].sum() == len(breast_cancer.raw)
    assert (balance["train"] + balance["test"]).tolist() == balance["all rows"].tolist()
    assert balance["test"].sum() == len(breast_cancer.y_test)
    assert balance["share"].sum() == pytest.approx(1.0)


def test_blocks_table_and_joins():
    blocks = [["mean radius", "radius error", "worst area"], ["mean texture", "worst texture"]]
    table = describe.blocks_table(blocks)
    assert table["measurements"].tolist() == ["radius, area", "texture"]
    assert table["statistics"].tolist() == ["mean, standard error, worst", "mean, worst"]
    assert describe.joins(blocks[0], "mean", "standard error")
    assert not describe.joins(blocks[0], "mean", "worst")  # worst area is not the radius
    assert describe.joins(blocks[1], "mean", "worst")
