"""lgrad.figures.provenance: files, hashes, provenance in JSON and in image metadata, reproducibility, MyST output."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch
from IPython.display import Markdown
from markdown_it.renderer import RendererHTML
from matplotlib.figure import Figure
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from PIL import Image

import lgrad
from lgrad.figures import provenance
from lgrad.figures.provenance import FigureRecord, book_citation, git_state, save_figure, save_table, show

PARAMS = {"seed": 3, "epochs": 40, "hidden": (3,), "lr": 0.5, "dataset": "breast_cancer"}
VERSION_KEYS = {"python", "torch", "numpy", "scikit-learn", "matplotlib"}
ROOT = Path(__file__).resolve().parents[2]


def small_figure() -> Figure:
    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.bar([0, 1, 2], [0.2, 0.5, 0.3])
    ax.set_title("µ ∂C/∂x")
    return fig


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def record(tmp_path: Path) -> FigureRecord:
    data = {"heights": np.array([0.2, 0.5, 0.3]), "names": ("a", "b", "c"), "count": np.int64(3)}
    return save_figure(small_figure(), "fig-small", params=PARAMS, data=data, out_dir=tmp_path / "figs")


def test_writes_the_images_and_json_and_nothing_else(record: FigureRecord, tmp_path: Path) -> None:
    written = sorted(p.name for p in (tmp_path / "figs").iterdir())
    assert written == ["fig-small.json", "fig-small.pdf", "fig-small.png", "fig-small.svg"]
    assert set(record.files) == {"png", "svg", "pdf", "json"}
    with Image.open(record.files["png"]) as png:
        assert png.format == "PNG"
    assert record.files["pdf"].read_bytes().startswith(b"%PDF")
    assert b"<svg" in record.files["svg"].read_bytes()


def test_json_hashes_match_the_files(record: FigureRecord) -> None:
    doc = json.loads(record.files["json"].read_text())
    for ext in ("png", "svg", "pdf"):
        assert doc["files"][ext]["sha256"] == sha256(record.files[ext]) == record.sha256[ext]
        assert doc["files"][ext]["bytes"] == record.files[ext].stat().st_size


def test_json_holds_the_numbers_plotted_and_the_provenance(record: FigureRecord) -> None:
    doc = json.loads(record.files["json"].read_text())
    assert doc["id"] == "fig-small" and doc["kind"] == "figure"
    assert doc["data"] == {"heights": [0.2, 0.5, 0.3], "names": ["a", "b", "c"], "count": 3}
    prov = doc["provenance"]
    assert prov["params"] == {**PARAMS, "hidden": [3]}
    assert prov["seed"] == 3
    assert prov["lgrad_version"] == lgrad.__version__
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
    status = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain"], capture_output=True, text=True)
    assert prov["git_commit"] == commit.stdout.strip(), "the commit of the checkout that holds lgrad"
    assert prov["git_dirty"] is bool(status.stdout.strip())
    assert prov["threads"] == torch.get_num_threads()
    assert VERSION_KEYS <= set(prov["versions"])
    assert all(isinstance(prov["versions"][key], str) for key in VERSION_KEYS)


def test_attached_data_is_saved_and_explicit_data_wins(tmp_path: Path) -> None:
    fig = provenance.attach_data(small_figure(), {"a": 1, "b": 2})
    doc = json.loads(
        save_figure(fig, "fig-x", params={"seed": 0}, data={"b": 3}, out_dir=tmp_path).files["json"].read_text()
    )
    assert doc["data"] == {"a": 1, "b": 3}


def test_provenance_is_in_the_image_metadata(record: FigureRecord) -> None:
    with Image.open(record.files["png"]) as png:
        png_text = png.text
    assert json.loads(png_text["Provenance"]) == record.provenance
    assert "fig-small" in png_text["Title"]
    svg = record.files["svg"].read_text()
    description = re.search(r"<dc:description>(.*?)</dc:description>", svg, re.S).group(1)
    assert json.loads(description) == record.provenance
    assert "<dc:date>" not in svg
    pdf = record.files["pdf"].read_bytes()
    subject = re.search(rb"/Subject \((.*?)\)\n", pdf).group(1).decode()
    assert json.loads(subject) == record.provenance
    assert b"/Keywords (lgrad; fig-small; seed=3" in pdf
    assert b"/CreationDate" not in pdf and b"/ModDate" not in pdf


def test_saving_twice_gives_identical_bytes(tmp_path: Path) -> None:
    first = save_figure(small_figure(), "fig-same", params=PARAMS, out_dir=tmp_path / "a")
    second = save_figure(small_figure(), "fig-same", params=PARAMS, out_dir=tmp_path / "b")
    assert first.sha256 == second.sha256
    assert first.files["json"].read_bytes() == second.files["json"].read_bytes()


def laid_out_figure() -> Figure:
    fig = Figure(figsize=(4, 3), layout="constrained")
    ax = fig.add_subplot()
    mesh = ax.pcolormesh(np.arange(12.0).reshape(3, 4))
    ax.set_yticks([0.5, 1.5, 2.5], ["a long label", "b", "c"])
    fig.colorbar(mesh, ax=ax, label="value")
    return provenance.attach_data(fig, {"values": np.arange(12)})


def test_a_figure_drawn_before_saving_gives_the_same_bytes(tmp_path: Path) -> None:
    fresh = save_figure(laid_out_figure(), "fig-l", params={}, out_dir=tmp_path / "a")
    shown = laid_out_figure()
    for dpi in (72, 100, 150):  # as a notebook's inline display would
        shown.savefig(io.BytesIO(), format="png", dpi=dpi, bbox_inches="tight")
    first = save_figure(shown, "fig-l", params={}, out_dir=tmp_path / "b")
    again = save_figure(shown, "fig-l", params={}, out_dir=tmp_path / "c")
    assert fresh.sha256 == first.sha256 == again.sha256
    assert shown.get_layout_engine().__class__.__name__ == "ConstrainedLayoutEngine"


def test_other_params_change_the_files(tmp_path: Path) -> None:
    first = save_figure(small_figure(), "fig-p", params={"seed": 0}, out_dir=tmp_path / "a")
    second = save_figure(small_figure(), "fig-p", params={"seed": 1}, out_dir=tmp_path / "b")
    assert all(first.sha256[ext] != second.sha256[ext] for ext in ("png", "svg", "pdf"))


def test_a_failed_render_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = save_figure(small_figure(), "fig-keep", params={"seed": 0}, out_dir=tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    real_render = provenance._render

    def failing(fig, fmt, *args):
        if fmt == "pdf":
            raise RuntimeError("disk on fire")
        return real_render(fig, fmt, *args)

    monkeypatch.setattr(provenance, "_render", failing)
    with pytest.raises(RuntimeError, match="disk on fire"):
        save_figure(small_figure(), "fig-keep", params={"seed": 9}, out_dir=tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    assert sha256(old.files["png"]) == old.sha256["png"]


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_replace(src, dst):
        raise OSError("no space left")

    monkeypatch.setattr(provenance.os, "replace", failing_replace)
    with pytest.raises(OSError, match="no space left"):
        save_figure(small_figure(), "fig-tmp", params={"seed": 0}, out_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_out_dir_defaults_to_env_then_figures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(provenance.FIGURES_DIR_ENV, raising=False)
    assert save_figure(small_figure(), "fig-d", params={}).files["png"] == tmp_path / "figures" / "fig-d.png"
    monkeypatch.setenv(provenance.FIGURES_DIR_ENV, str(tmp_path / "elsewhere"))
    assert save_figure(small_figure(), "fig-d", params={}).files["png"] == tmp_path / "elsewhere" / "fig-d.png"


@pytest.mark.parametrize("bad", ["Fig 1", "fig_1", "", "-fig", "fig/1", 3])
def test_rejects_bad_ids(bad: object, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="fig_id"):
        save_figure(small_figure(), bad, params={}, out_dir=tmp_path)


def test_rejects_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="params"):
        save_figure(small_figure(), "fig-a", params=[("seed", 0)], out_dir=tmp_path)
    with pytest.raises(TypeError, match="fig"):
        save_figure("not a figure", "fig-a", params={}, out_dir=tmp_path)
    with pytest.raises(TypeError, match="df"):
        save_table([[1]], "tbl-a", params={}, out_dir=tmp_path)


def myst_tokens(text: str) -> list:
    return create_md_parser(MdParserConfig(), RendererHTML).parse(text)


def test_show_gives_a_myst_figure_with_downloads_and_citation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    rec = save_figure(small_figure(), "fig-small", params=PARAMS, out_dir="figures")
    out = show(rec, "Bars of something.")
    assert isinstance(out, Markdown)
    fences = [t for t in myst_tokens(out.data) if t.type == "fence"]
    assert len(fences) == 1 and fences[0].info == "{figure} figures/fig-small.png"
    body = fences[0].content
    assert body.startswith(':name: fig-small\n:alt: "Bars of something."\n\n')
    assert "Bars of something (seed 3)." in body
    for ext in ("png", "svg", "pdf"):
        assert f"{{download}}`{ext.upper()} <figures/fig-small.{ext}>`" in body
    assert "{download}`data + provenance (JSON) <figures/fig-small.json>`" in body
    assert f"Cite this figure: {book_citation()}, figure `#fig-small`, PNG sha256 `{rec.sha256['png']}`." in body
    assert lgrad.__version__ in book_citation()


def test_show_paths_are_relative_to_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rec = save_figure(small_figure(), "fig-rel", params={"seed": 0}, out_dir=tmp_path / "out" / "figs")
    monkeypatch.chdir(tmp_path / "out")
    assert "```{figure} figs/fig-rel.png\n" in show(rec, "Caption").data


def test_show_rejects_an_empty_caption(record: FigureRecord) -> None:
    with pytest.raises(ValueError, match="caption"):
        show(record, "  ")


def test_save_table_and_show_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    df = pd.DataFrame({"rank": [1, 2], "this run": ["worst area", "a|b"], "match": ["✓", None]})
    rec = save_table(df, "tbl-top5", params={"seed": 0}, out_dir="figures")
    assert sorted(p.name for p in (tmp_path / "figures").iterdir()) == ["tbl-top5.csv", "tbl-top5.json"]
    pd.testing.assert_frame_equal(pd.read_csv(rec.files["csv"]), df)
    doc = json.loads(rec.files["json"].read_text())
    assert doc["files"]["csv"]["sha256"] == sha256(rec.files["csv"])
    assert doc["data"]["rows"][0] == {"rank": 1, "this run": "worst area", "match": "✓"}
    assert doc["provenance"]["seed"] == 0
    text = show(rec, "Top five").data
    fences = [t for t in myst_tokens(text) if t.type == "fence"]
    assert fences[0].info == "{table} Top five (seed 0)."
    assert fences[0].content.startswith(":name: tbl-top5\n\n| rank | this run | match |\n|---|---|---|\n")
    assert fences[0].content.endswith("| 2 | a\\|b |  |\n")
    assert "{download}`CSV <figures/tbl-top5.csv>`" in text
    assert f"table `#tbl-top5`, CSV sha256 `{rec.sha256['csv']}`" in text


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args], check=True, capture_output=True
    )


def test_git_state_without_commits_with_commits_and_outside(tmp_path: Path) -> None:
    assert git_state(tmp_path) == (None, None)  # not a repository
    repo = tmp_path / "repo"
    (repo / "pkg").mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / "pkg" / "a.py").write_text("x = 1\n")
    assert git_state(repo / "pkg") == (None, True)  # no commit yet
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "one")
    commit, dirty = git_state(repo / "pkg")
    assert re.fullmatch(r"[0-9a-f]{40}", commit) and dirty is False
    (repo / "pkg" / "a.py").write_text("x = 2\n")
    assert git_state(repo / "pkg") == (commit, True)


def test_git_state_of_an_ignored_copy_is_unknown(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text(".venv/\n")
    (tmp_path / ".venv" / "pkg").mkdir(parents=True)
    assert git_state(tmp_path / ".venv" / "pkg") == (None, None)


def test_the_thread_count_is_recorded(tmp_path: Path) -> None:
    before = torch.get_num_threads()
    try:
        for threads in (1, 2):
            torch.set_num_threads(threads)
            rec = save_figure(small_figure(), f"fig-t{threads}", params={"seed": 0}, out_dir=tmp_path)
            assert json.loads(rec.files["json"].read_text())["provenance"]["threads"] == threads
    finally:
        torch.set_num_threads(before)


def png_chunks(data: bytes) -> list[str]:
    """The chunk types of a PNG file, in order."""
    chunks, at = [], 8
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        chunks.append(data[at + 4 : at + 8].decode("ascii"))
        at += 12 + length
    return chunks


def test_no_file_holds_a_wall_clock_time(record: FigureRecord) -> None:
    chunks = png_chunks(record.files["png"].read_bytes())
    assert chunks[0] == "IHDR" and chunks[-1] == "IEND" and "tIME" not in chunks
    for path in record.files.values():
        data = path.read_bytes()
        assert b"CreationDate" not in data and b"ModDate" not in data and b"<dc:date>" not in data, path.name
        assert not re.search(rb"20\d\d-[01]\d-[0-3]\d|D:20\d{6}", data), path.name


def test_git_state_of_a_real_repository_flows_into_the_provenance(tmp_path: Path, monkeypatch) -> None:
    repo = tmp_path / "repo"
    (repo / "pkg").mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / "pkg" / "a.py").write_text("x = 1\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "one")
    monkeypatch.setattr(provenance, "git_state", lambda: real_git_state(repo / "pkg"))
    clean = provenance.collect_provenance({"seed": 0})
    assert re.fullmatch(r"[0-9a-f]{40}", clean["git_commit"]) and clean["git_dirty"] is False
    (repo / "pkg" / "a.py").write_text("x = 2\n")
    dirty = provenance.collect_provenance({"seed": 0})
    assert (dirty["git_commit"], dirty["git_dirty"]) == (clean["git_commit"], True)
    monkeypatch.setattr(provenance, "git_state", lambda: real_git_state(tmp_path / "elsewhere"))
    (tmp_path / "elsewhere").mkdir()
    outside = provenance.collect_provenance({"seed": 0})
    assert (outside["git_commit"], outside["git_dirty"]) == (None, None)


real_git_state = provenance.git_state


def test_the_cite_line_names_the_commit_that_built_the_item(tmp_path: Path, monkeypatch) -> None:
    commit = "0123456789abcdef0123456789abcdef01234567"
    assert provenance.built_at({"git_commit": commit, "git_dirty": False}) == f"Built at commit `{commit}`."
    dirty = provenance.built_at({"git_commit": commit, "git_dirty": True})
    assert dirty == f"Built at commit `{commit}` with uncommitted changes."
    assert provenance.built_at({"git_commit": None, "git_dirty": None}) == "Built outside a git checkout."
    assert provenance.built_at({"git_commit": None, "git_dirty": True}) == "Built before the first commit."
    monkeypatch.setattr(provenance, "git_state", lambda: (commit, False))
    rec = save_figure(small_figure(), "fig-c", params={"seed": 0}, out_dir=tmp_path)
    monkeypatch.setattr(provenance, "git_state", lambda: ("f" * 40, False))  # a later commit: the record keeps its own
    assert provenance.myst_block(rec, "A caption").rstrip().endswith(f"Built at commit `{commit}`.\n```")


def test_json_records_the_drawn_size_and_smallest_text(record: FigureRecord) -> None:
    drawn = json.loads(record.files["json"].read_text())["drawn"]
    with Image.open(record.files["png"]) as png:
        assert (drawn["width_px"], drawn["height_px"]) == png.size == (3 * provenance.PNG_DPI, 2 * provenance.PNG_DPI)
    assert (drawn["width_in"], drawn["height_in"], drawn["dpi"]) == (3.0, 2.0, provenance.PNG_DPI)
    assert (drawn["smallest_font_pt"], drawn["smallest_text"]) == (10.0, "0")  # a tick label, matplotlib's 10 pt
    # 3 in drawn, 450 px: shown at its own size, 1 pt = 450 / (3 × 72) px
    assert provenance.shown_text_px(drawn) == pytest.approx(drawn["smallest_font_pt"] * 450 / 216)
    assert provenance.shown_text_px(drawn, shown_width_px=216) == pytest.approx(drawn["smallest_font_pt"])


def test_the_sidecar_records_the_text_the_png_drew_and_the_figure_draws_as_before(tmp_path: Path) -> None:
    fig = Figure(figsize=(4, 3), layout="constrained")
    ax = fig.add_subplot()
    ax.set_title("title", fontsize=14)
    ax.text(0.5, 0.5, "small", fontsize=5)
    ax.text(0.5, 0.2, "hidden", fontsize=2, visible=False)
    ax.set_xlabel("$x_{k}$", fontsize=7)
    canvas = fig.canvas
    rec = save_figure(fig, "fig-texts", params=PARAMS, out_dir=tmp_path)
    drawn = json.loads(rec.files["json"].read_text())["drawn"]
    assert drawn == provenance.drawn_size(fig)
    assert (drawn["smallest_font_pt"], drawn["smallest_text"]) == (5, "small")
    assert fig.canvas is canvas
    again = save_figure(fig, "fig-texts", params=PARAMS, out_dir=tmp_path / "again")  # the same figure, saved again
    assert json.loads(again.files["json"].read_text())["drawn"] == drawn
    assert again.files["png"].read_bytes() == rec.files["png"].read_bytes()


def test_drawn_size_counts_only_text_that_is_drawn() -> None:
    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot()
    ax.set_title("title", fontsize=14)
    ax.text(0.5, 0.5, "small", fontsize=5)
    ax.text(0.5, 0.2, "hidden", fontsize=2, visible=False)
    ax.tick_params(labelsize=11)
    assert (provenance.drawn_size(fig)["smallest_font_pt"], provenance.drawn_size(fig)["smallest_text"]) == (5, "small")
    ax.axis("off")  # tick labels no longer drawn
    ax.texts[0].remove()
    assert provenance.drawn_size(fig)["smallest_font_pt"] == 14
