"""The ``lgrad`` command (lgrad/cli.py): help, exit statuses, one-line errors without tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from test_build import make_project

from lgrad.book import cli

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lgrad", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_help_lists_the_commands():
    result = run("--help")
    assert result.returncode == 0, result.stderr
    for command in ("book", "run", "publish", "params", "chapters"):
        assert command in result.stdout


def test_a_bad_parameter_is_one_line_with_exit_status_2_and_no_traceback():
    result = run("book", "--seed", "-1")
    assert result.returncode == 2
    assert result.stderr == "lgrad: error: seed must be an integer in [0, 9223372036854775807], got -1\n"
    assert result.stdout == ""


def test_the_console_script_is_installed():
    script = Path(sys.executable).with_name("lgrad")
    assert script.exists(), "the lgrad console script is installed by `make` (pip install -e .)"
    result = subprocess.run([str(script), "run", "training", "-p", "epochs", "0"], capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (2, "lgrad: error: epochs must be an integer >= 3, got 0\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["book", "--nope"], "lgrad: error: unrecognized arguments: --nope (see lgrad --help)"),
        (["nope"], "lgrad: error: argument COMMAND: invalid choice: 'nope'"),
        (["run"], "lgrad run: error: the following arguments are required: chapter (see lgrad --help)"),
        (["book", "-p", "epochs"], "lgrad book: error: argument -p/--param: expected 2 arguments"),
        (["book", "-p", "epochs", "x"], "lgrad: error: epochs must be an integer >= 3, got 'x' (str)"),
        (["book", "-p", "colour", "red"], "lgrad: error: unknown parameter 'colour'; allowed: seed, epochs,"),
        (["book", "--params", "seed7"], "lgrad: error: PARAMS must be name=value pairs"),
        (["book", "--params", "epochs=-2"], "lgrad: error: epochs must be an integer >= 3, got -2"),
        (["book", "--jobs", "0"], "lgrad: error: --jobs must be an integer >= 1, got 0"),
    ],
)
def test_usage_and_parameter_errors(argv, message, capsys):
    with pytest.raises(SystemExit) as caught:
        sys.exit(cli.main(argv))
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(message), err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_an_unknown_chapter_is_a_usage_error(tmp_path, monkeypatch, capsys):
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["run", "intro"]) == 2
    assert capsys.readouterr().err == "lgrad: error: chapter must be one of one, two, got 'intro'\n"


def test_params_lists_every_parameter_with_its_default(capsys):
    assert cli.main(["params"]) == 0
    out = capsys.readouterr().out
    for name in ("seed", "epochs", "hidden", "activation", "loss", "lr", "batch_size", "test_size", "dataset"):
        assert f"  {name} " in out


def test_a_failed_chapter_exits_1_naming_the_chapter_and_the_error(tmp_path, monkeypatch, capsys):
    make_project(tmp_path, failing=True)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["run", "two", "--seed", "3"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("lgrad: chapter 'two' failed at cell In [")
    assert err[0].endswith("ZeroDivisionError: division by zero")
    assert not (tmp_path / "_build" / "runs" / "two-seed-3.ipynb").exists()
