"""``lgrad analyze DATA.csv --target COLUMN`` through the command line: the folder it names, and for every bad CSV one
line naming the column, row or value, exit status 2, and nothing written; an interrupt leaves nothing either."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
WINE = ROOT / "data" / "wine_two_cultivars.csv"


def lgrad(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "lgrad", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300, env=env)


def test_analyze_writes_the_folder_it_names(tmp_path):
    done = lgrad("analyze", str(WINE), "--target", "cultivar", "--seed", "2", "-p", "epochs", "3", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "lgrad-analysis" / "wine_two_cultivars-cultivar-seed-2_epochs-3"
    assert done.stdout == f"{folder}\n" and done.stderr == ""
    doc = json.loads((folder / "analysis.json").read_text())
    assert (doc["params"]["seed"], doc["params"]["epochs"]) == (2, 3)
    assert (folder / "fig-learning-gradient.png").is_file() and (folder / "tbl-ranking.csv").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["lgrad-analysis"]


def test_analyze_is_in_the_help():
    done = lgrad("analyze", "--help", cwd=ROOT)
    assert done.returncode == 0
    assert "DATA.csv" in done.stdout and "--target COLUMN" in done.stdout and "--positive LABEL" in done.stdout


def rows(columns: dict) -> str:
    return pd.DataFrame(columns).to_csv(index=False)


def balanced(n: int = 12) -> dict:
    rng = np.random.default_rng(0)
    return {"a": rng.normal(size=n).round(3), "b": rng.normal(size=n).round(3), "y": np.arange(n) % 2}


WIDE = {f"measure_{i}": np.arange(6) + i for i in range(30)} | {"Outcome": [0, 1] * 3}


@pytest.mark.parametrize(
    ("text", "args", "words"),
    [
        (None, ["absent.csv", "--target", "y"], ["dataset file 'absent.csv' does not exist"]),
        (
            rows(WIDE),
            ["data.csv", "--target", "outcome"],
            ["target column 'outcome' is not in", "did you mean 'Outcome'?", "'measure_7', ... (31 columns in all)"],
        ),
        (
            "a,b,y\n1,2,0\n2,3,1\n3,oops,0\n4,5,1\n",
            ["data.csv", "--target", "y"],
            ["column 'b'", "is not numeric", "the value 'oops'", "data row 3 (line 4 of the file)"],
        ),
        (
            "a,b,y\n1,2,0\n2,,1\n3,4,0\n4,5,1\n",
            ["data.csv", "--target", "y"],
            ["column 'b', data row 2", "empty or NaN"],
        ),
        ("a,b,y\n1,2,0\nNaN,3,1\n3,4,0\n4,5,1\n", ["data.csv", "--target", "y"], ["column 'a', data row 2"]),
        ("a,flat,y\n1,7,0\n2,7,1\n3,7,0\n4,7,1\n", ["data.csv", "--target", "y"], ["column 'flat'", "is constant"]),
        ("a,b,y\n1,2,x\n2,3,x\n3,4,x\n4,6,x\n", ["data.csv", "--target", "y"], ["exactly two classes, found 1: 'x'"]),
        (
            "a,b,y\n1,2,r\n2,3,g\n3,4,b\n4,6,r\n5,1,g\n6,0,b\n",
            ["data.csv", "--target", "y"],
            ["found 3: 'b', 'g', 'r'", "the paper's network is binary", "lgrad.LearningGradient(", 'loss="ce"'],
        ),
        (rows(balanced()), ["data.csv", "--target", "y", "--positive", "2"], ["positive must be one of the labels"]),
        (rows(balanced()), ["data.csv", "--target", "y", "-p", "epochs", "1"], ["epochs must be an integer >= 3"]),
        ("", ["data.csv", "--target", "y"], ["dataset file 'data.csv' is empty"]),
    ],
    ids=[
        "missing-file",
        "no-such-target",
        "non-numeric",
        "empty-cell",
        "nan-cell",
        "constant",
        "one-class",
        "three-classes",
        "bad-positive",
        "bad-parameter",
        "empty-file",
    ],  # fmt: skip
)
def test_a_bad_csv_is_one_line_with_exit_status_2_and_nothing_written(tmp_path, text, args, words):
    if text is not None:
        (tmp_path / "data.csv").write_text(text)
    before = sorted(p.name for p in tmp_path.iterdir())
    done = lgrad("analyze", *args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("lgrad: error: ") and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    for word in words:
        assert word in done.stderr, (word, done.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no lgrad-analysis/, no temporary folder


def test_an_interrupt_while_writing_leaves_nothing(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "lgrad", "analyze", str(WINE), "--target", "cultivar"]
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as in a terminal, even under `make test &`
    )  # fmt: skip
    parent = tmp_path / "lgrad-analysis"
    deadline = time.monotonic() + 240
    while not (parent.is_dir() and any(parent.iterdir())) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "the analysis ended before it started writing"
    process.send_signal(signal.SIGINT)  # what Ctrl-C sends
    out, err = process.communicate(timeout=120)
    left = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    if process.returncode == 0 and "Exception ignored" in err:
        # Python drops an interrupt that lands in a finalizer (it prints "Exception ignored"); the run then ends
        # normally, and its folder must be complete: every file that analysis.json lists, as it lists it
        folder = Path(out.strip())
        doc = json.loads((folder / "analysis.json").read_text())
        assert {p.name for p in folder.iterdir()} == {*doc["files"], "analysis.json"}, left
        for name, digest in doc["files"].items():
            assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, (name, err)
        return
    assert (process.returncode, err, out, left) == (130, "lgrad: interrupted; nothing unfinished was kept\n", "", [])
