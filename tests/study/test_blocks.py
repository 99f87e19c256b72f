"""lgrad.study.blocks: the features' names read as measurement × statistic, block labels, and variables read as their
blocks."""

from __future__ import annotations

import pytest

from lgrad.study import blocks


def test_block_labels_group_the_statistics():
    assert blocks.block_label(["mean texture", "worst texture"]) == "mean/worst texture"
    size = ["mean radius", "mean perimeter", "mean area", "worst radius", "worst perimeter", "worst area"]
    assert blocks.block_label(size) == "mean/worst radius/perimeter/area"
    assert blocks.block_label(["radius error", "area error"]) == "radius/area error"
    assert (
        blocks.block_label(["mean concavity", "mean concave points", "worst concave points"])
        == "mean concavity/concave points, worst concave points"
    )
    assert blocks.block_label(["mean radius", "radius error"]) == "mean radius, radius error"
    assert blocks.block_label(["a", "b"]) == "a, b"


def test_units_read_each_variable_as_its_block():
    units = blocks.block_units(["mean texture", "worst texture", "worst area"], [["mean texture", "worst texture"]])
    assert units == {"mean texture": "mean/worst texture", "worst texture": "mean/worst texture",
                     "worst area": "worst area"}  # fmt: skip
    assert blocks.as_units(["mean texture", "worst texture", "worst area"], units) == {
        "mean/worst texture",
        "worst area",
    }
    assert blocks.as_units(["not in the data"], units) == {"not in the data"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("mean radius", ("radius", "mean")),
        ("radius error", ("radius", "standard error")),
        ("worst concave points", ("concave points", "worst")),
        ("age", None),
    ],
)
def test_split_name(name, expected):
    assert blocks.split_name(name) == expected
