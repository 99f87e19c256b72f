"""lgrad.analyze (``lgrad analyze``): the shipped CSV and its origin, a complete folder whose files say what
they hold, the same bytes for the same seed, nothing half-written after a failure, and a run that learned nothing."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_wine

import lgrad
from lgrad.analyze import app as analysis
from lgrad.atomic import TEMPORARY_PREFIX
from lgrad.figures.provenance import git_state

ROOT = Path(__file__).resolve().parents[1]
WINE = ROOT / "data" / "wine_two_cultivars.csv"
FAST = {"epochs": 3}
FIGURES = ("fig-learning-gradient", "fig-learning-gradient-late", "fig-relevance-heatmap")


def test_the_shipped_csv_is_sklearns_wine_data_of_two_cultivars():
    table = pd.read_csv(WINE)
    bunch = load_wine()
    kept = np.isin(bunch.target, [0, 1])
    assert list(table.columns) == [*bunch.feature_names, "cultivar"]
    np.testing.assert_array_equal(table[list(bunch.feature_names)].to_numpy(), bunch.data[kept])  # exact values
    assert table["cultivar"].tolist() == [str(bunch.target_names[t]) for t in bunch.target[kept]]
    assert table["cultivar"].value_counts().to_dict() == {"class_1": 71, "class_0": 59}


def test_the_script_regenerates_the_shipped_csv_byte_for_byte(tmp_path):
    out = tmp_path / "again.csv"
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_example_csv.py"), "--out", str(out)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == WINE.read_bytes()


@pytest.fixture(scope="module")
def wine_run(tmp_path_factory) -> analysis.Analysis:
    return analysis.analyze(WINE, "cultivar", params={**FAST, "seed": 1}, out=tmp_path_factory.mktemp("a") / "out")


def test_the_folder_holds_the_figures_the_ranking_and_the_provenance(wine_run):
    expected = {f"{name}.{ext}" for name in FIGURES for ext in ("png", "svg", "pdf", "json")}
    expected |= {"tbl-ranking.csv", "tbl-ranking.json", "analysis.json", "summary.md"}
    assert {p.name for p in wine_run.folder.iterdir()} == expected
    assert {rec.files["json"].parent for rec in wine_run.records.values()} == {wine_run.folder}
    doc = json.loads((wine_run.folder / "analysis.json").read_text())
    assert doc["format"] == analysis.MARKER
    assert doc["data"]["sha256"] == hashlib.sha256(WINE.read_bytes()).hexdigest()
    assert doc["data"]["file"] == "wine_two_cultivars.csv" and doc["data"]["rows"] == 130
    assert doc["data"]["classes"] == {"class_0": 59, "class_1": 71} and doc["data"]["target"] == "cultivar"
    assert doc["params"]["epochs"] == 3 and doc["params"]["seed"] == 1 and doc["params"]["lr"] == lgrad.DEFAULTS["lr"]
    assert doc["lgrad_version"] == lgrad.__version__ and doc["git_commit"] == git_state()[0]
    assert doc["result"]["top"] == wine_run.history.top_features(5)
    assert doc["result"]["test_accuracy"] == float(wine_run.history.test_accuracy[-1])
    assert doc["command"] == f"lgrad analyze {WINE} --target cultivar --seed 1 -p epochs 3"
    for name, digest in doc["files"].items():  # every other file, as written
        assert hashlib.sha256((wine_run.folder / name).read_bytes()).hexdigest() == digest
    assert set(doc["files"]) == expected - {"analysis.json"}


def test_the_ranking_table_ranks_every_variable_by_the_last_epochs_share(wine_run):
    table = pd.read_csv(wine_run.folder / "tbl-ranking.csv")
    final = wine_run.history.relevance[-1]
    order = np.argsort(-final, kind="stable")
    assert table["variable"].tolist() == [wine_run.history.feature_names[i] for i in order]
    np.testing.assert_allclose(table["share (%)"], np.round(100 * final[order], 2))
    np.testing.assert_allclose(table["cumulative (%)"].iloc[-1], 100.0, atol=0.01)
    assert table["rank"].tolist() == list(range(1, 14))
    sidecar = json.loads((wine_run.folder / "tbl-ranking.json").read_text())
    assert sidecar["provenance"]["params"]["data_sha256"] == hashlib.sha256(WINE.read_bytes()).hexdigest()


def test_the_figures_are_the_runs_learning_gradient(wine_run):
    heatmap = json.loads((wine_run.folder / "fig-relevance-heatmap.json").read_text())["data"]
    np.testing.assert_allclose(np.array(heatmap["relevance_percent"]), 100 * wine_run.history.relevance)
    early = json.loads((wine_run.folder / "fig-learning-gradient.json").read_text())["data"]
    late = json.loads((wine_run.folder / "fig-learning-gradient-late.json").read_text())["data"]
    assert (early["epochs"], late["epochs"]) == ([1], [3])
    assert early["top_features"] == wine_run.history.top_features(5)


def test_the_same_seed_gives_the_same_bytes(wine_run, tmp_path):
    again = analysis.analyze(str(WINE), "cultivar", params={**FAST, "seed": 1}, out=tmp_path / "again")
    for path in wine_run.folder.iterdir():
        assert (again.folder / path.name).read_bytes() == path.read_bytes(), path.name


def test_a_rerun_replaces_an_earlier_analysis_whole(wine_run, tmp_path, monkeypatch):
    folder = tmp_path / "out"
    folder.mkdir()
    for path in wine_run.folder.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "stale.txt").write_text("from an older run")
    monkeypatch.setattr(analysis, "_write", lambda tmp, *args: {})  # skip the drawing: only the swap is tested
    analysis.analyze(WINE, "cultivar", params=FAST, out=folder)
    assert {p.name for p in folder.iterdir()} == {"analysis.json", "summary.md"}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def _failing_write(tmp, *args):
    (tmp / "fig-learning-gradient.png").write_bytes(b"half")
    raise RuntimeError("the disk is full")


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_a_failure_while_writing_leaves_nothing(tmp_path, monkeypatch, error):
    def write(tmp, *args):
        (tmp / "fig-learning-gradient.png").write_bytes(b"half")
        raise error("stopped")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(analysis, "_write", write)
    with pytest.raises(error):
        analysis.analyze(WINE, "cultivar", params=FAST)
    assert list(tmp_path.iterdir()) == []  # not even the lgrad-analysis/ folder it made


def test_a_failure_keeps_the_earlier_analysis_as_it_was(wine_run, monkeypatch):
    before = {p.name: p.read_bytes() for p in wine_run.folder.iterdir()}
    monkeypatch.setattr(analysis, "_write", _failing_write)
    with pytest.raises(RuntimeError, match="the disk is full"):
        analysis.analyze(WINE, "cultivar", params=FAST, out=wine_run.folder)
    assert {p.name: p.read_bytes() for p in wine_run.folder.iterdir()} == before
    assert not list(wine_run.folder.parent.glob(f"{TEMPORARY_PREFIX}*"))


def test_a_folder_that_holds_no_analysis_is_never_replaced(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(analysis.DataError, match=r"^the folder '.*' exists and holds no earlier analysis"):
        analysis.analyze(WINE, "cultivar", params=FAST, out=tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    with pytest.raises(analysis.DataError, match=r"is a file, not a folder"):
        analysis.analyze(WINE, "cultivar", params=FAST, out=tmp_path / "notes.txt")


def test_the_data_come_from_the_file_not_from_the_parameters(tmp_path):
    for key, value in (("dataset", str(WINE)), ("target", "cultivar"), ("positive", "class_0")):
        with pytest.raises(
            analysis.DataError, match=rf"^analyze takes its data from DATA.csv .* parameter\(s\) {key}$"
        ):
            analysis.analyze(WINE, "cultivar", params={key: value}, out=tmp_path / "x")
    assert list(tmp_path.iterdir()) == []


def test_more_than_two_classes_points_to_the_multi_class_recorder(tmp_path):
    bunch = load_wine(as_frame=True)
    path = tmp_path / "wine.csv"
    bunch.frame.rename(columns={"target": "cultivar"}).to_csv(path, index=False)
    with pytest.raises(analysis.DataError) as caught:
        analysis.analyze(path, "cultivar", out=tmp_path / "out")
    text = str(caught.value)
    assert text.startswith("target column 'cultivar' must hold exactly two classes, found 3: 0, 1, 2; ")
    assert "binary" in text and "lgrad.LearningGradient(" in text and "n_classes=3" in text and 'loss="ce"' in text
    assert [p.name for p in tmp_path.iterdir()] == ["wine.csv"]


def test_a_run_that_learned_nothing_is_written_and_said_so_never_ranked(tmp_path):
    done = analysis.analyze(WINE, "cultivar", params={"lr": 1e6, "epochs": 4}, out=tmp_path / "stuck")
    assert done.status is not None and done.status.startswith("this run learned nothing")
    assert pd.read_csv(done.folder / "tbl-ranking.csv")["variable"].tolist() == ["— (learned nothing)"]
    doc = json.loads((done.folder / "analysis.json").read_text())
    assert doc["result"]["learned_nothing"] == done.status and doc["result"]["top"] == []
    summary = (done.folder / "summary.md").read_text()
    assert "This run learned nothing" in summary and "most relevant" not in summary
    assert json.loads((done.folder / "fig-learning-gradient.json").read_text())["data"]["top_features"] == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("d/wine.csv", "y", None, {}), "lgrad-analysis/wine-y-default"),
        (
            ("wine.csv", "class", "B", {"seed": 7, "hidden": [8, 4]}),
            "lgrad-analysis/wine-class-positive-B-seed-7_hidden-8-4",
        ),
        (("my data.csv", "a b/c", None, {"lr": 0.05, "seed": 0}), "lgrad-analysis/my-data-a-b-c-lr-0.05"),
    ],
)
def test_the_default_folder_names_the_file_the_target_and_the_changed_settings(args, expected):
    assert analysis.default_folder(*args).as_posix() == expected


def test_the_command_names_the_file_as_asked(monkeypatch, tmp_path):
    monkeypatch.setattr(analysis, "_write", lambda tmp, *args: {})
    done = analysis.analyze(WINE, "cultivar", params=FAST, out=tmp_path / "o", shown_as="data/wine_two_cultivars.csv")
    assert done.command == "lgrad analyze data/wine_two_cultivars.csv --target cultivar -p epochs 3"
    assert json.loads((done.folder / "analysis.json").read_text())["command"] == done.command
    assert f"Repeat it with `{done.command}`." in (done.folder / "summary.md").read_text()
