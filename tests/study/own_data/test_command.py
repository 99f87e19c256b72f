"""lgrad.study.own_data.command: the method settings, the changed ones, and the command that repeats an analysis."""

from __future__ import annotations

import shlex

import pytest

from lgrad.study.own_data import command as own_command


def test_the_method_settings_and_the_changed_ones():
    params = {"seed": 7, "epochs": 40, "hidden": [3], "dataset": "other.csv", "seeds": 200, "lr": 0.05}
    assert own_command.method_settings(params) == {"seed": 7, "epochs": 40, "hidden": [3], "lr": 0.05}
    assert own_command.changed_settings(params) == {"seed": 7, "lr": 0.05}  # [3] is the default (3,)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("data.csv", "y"), "lgrad analyze data.csv --target y"),
        (("my data.csv", "class", "M"), "lgrad analyze 'my data.csv' --target class --positive M"),
        (
            ("d.csv", "y", None, {"seed": 7, "epochs": 60, "hidden": (8, 4), "lr": 0.5, "batch_size": "full"}),
            "lgrad analyze d.csv --target y --seed 7 -p epochs 60 -p hidden 8,4 -p batch_size full",
        ),
    ],
)
def test_the_command_line_repeats_the_analysis(args, expected):
    assert own_command.command_line(*args) == expected


def test_the_command_line_is_read_back_by_the_command():
    from lgrad.book import cli, params

    settings = {"seed": 3, "hidden": [8, 4], "lr": 0.05, "scale": "all", "batch_size": "full"}
    args = cli.build_parser().parse_args(shlex.split(own_command.command_line("my d.csv", "y", "M", settings))[1:])
    assert (args.command, args.data, args.target, args.positive) == ("analyze", "my d.csv", "y", "M")
    assert params.resolve([("seed", args.seed), *args.param]) == params.resolve(settings)
