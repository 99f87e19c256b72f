"""The book build (lgrad/book.py): cache keys, failures that leave no book, rebuild skipping, publishing.

Tiny throwaway projects in tmp folders (a two-line notebook runs in about two seconds), never the real book.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from lgrad import book, params

ROOT = Path(__file__).resolve().parent.parent

CONFIG = """\
title: tiny
author: tests
only_build_toc_files: true
execute:
  execute_notebooks: "off"
sphinx:
  config:
    nb_render_markdown_format: myst
"""

PARAMETERS = "seed = 0\nepochs = 40\nhidden = (3,)\n"


def _notebook(path: Path, *sources: str, title: str = "A chapter") -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cells = [nbformat.v4.new_markdown_cell(f"# {title}")]
    parameters = nbformat.v4.new_code_cell(PARAMETERS)
    parameters.metadata["tags"] = ["parameters"]
    cells.append(parameters)
    cells += [nbformat.v4.new_code_cell(s) for s in sources]
    nb.cells = cells
    nbformat.write(nb, path)


def make_project(root: Path, *, failing: bool = False) -> book.Project:
    """intro.md + two chapters; ``failing`` makes the second one raise ZeroDivisionError."""
    (root / "book").mkdir(parents=True)
    (root / "lgrad").mkdir()
    (root / "lgrad" / "core.py").write_text("X = 1\n")
    (root / "requirements.txt").write_text("numpy==2.4.6\n")
    (root / "_config.yml").write_text(CONFIG)
    (root / "_toc.yml").write_text("format: jb-book\nroot: book/intro\nchapters:\n- file: book/one\n- file: book/two\n")
    (root / "book" / "intro.md").write_text("# Intro\n\nTwo chapters.\n")
    figure = (
        "import os, pathlib\n"
        "d = pathlib.Path(os.environ['LGRAD_FIGURES_DIR']); d.mkdir(exist_ok=True)\n"
        "(d / 'fig-one.json').write_text('{\"seed\": %d}' % seed)\n"
        "print('seed', seed, 'epochs', epochs)"
    )
    _notebook(root / "book" / "one.ipynb", figure, title="One")
    _notebook(root / "book" / "two.ipynb", "x = 1\n1 / 0" if failing else "print(epochs * 2)", title="Two")
    return book.Project(root)


def quiet(lines: list[str]):
    return lines.append


# --- cache keys ------------------------------------------------------------------------------------------------


def test_the_cache_key_changes_with_the_notebook_params_lgrad_and_requirements_only(tmp_path):
    project = make_project(tmp_path)
    one = project.root / "book" / "one.ipynb"
    defaults = params.defaults()

    def key(values=defaults):
        return book.chapter_key(project, one, values)

    base = key()
    # nothing that the chapter does not depend on changes its key
    (project.root / "book" / "intro.md").write_text("# Intro, edited\n")
    (project.root / "book" / "two.ipynb").write_text((project.root / "book" / "two.ipynb").read_text() + " ")
    (project.root / "README.md").write_text("readme\n")
    (project.root / "lgrad" / "__pycache__").mkdir()
    (project.root / "lgrad" / "__pycache__" / "core.cpython-311.pyc").write_bytes(b"\0")
    nb = nbformat.read(one, as_version=4)  # outputs and metadata, as `make publish` writes them
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="seed 0\n")]
    nb.cells[2].execution_count = 3
    nb.metadata["papermill"] = {"duration": 1.0}
    nbformat.write(nb, one)
    assert key() == base

    # each thing it depends on does
    assert key(params.resolve([("seed", "7")])) != base
    assert key(params.resolve([("hidden", "4")])) != base
    changed = []
    (project.root / "lgrad" / "core.py").write_text("X = 2\n")
    changed.append(key())
    (project.root / "lgrad" / "new.py").write_text("")
    changed.append(key())
    (project.root / "requirements.txt").write_text("numpy==2.4.7\n")
    changed.append(key())
    nb.cells[2].source += "\nprint('more')"
    nbformat.write(nb, one)
    changed.append(key())
    assert len({base, *changed}) == 5


# --- executing and building ------------------------------------------------------------------------------------


def test_a_failed_chapter_stops_the_build_names_the_chapter_and_leaves_no_book(tmp_path):
    project = make_project(tmp_path, failing=True)
    out = project.output("default")
    (out / "html").mkdir(parents=True)  # a book from an earlier build
    (out / "html" / "index.html").write_text("old")
    (out / book.STAMP).write_text("old")
    log: list[str] = []
    with pytest.raises(book.ChapterError) as caught:
        book.build_book(project, log=quiet(log))
    err = caught.value
    assert (err.chapter, err.ename, err.evalue) == ("two", "ZeroDivisionError", "division by zero")
    assert str(err).startswith("chapter 'two' failed at cell In [")
    assert not (out / "html").exists() and not (out / book.STAMP).exists()
    assert not list(project.build.glob(".tmp-*")) and not list(project.cache.glob(".tmp-*"))
    assert not list(project.cache.glob("two-*")), "a failed chapter must not be cached"
    assert "[failed ] two" in " ".join(log)


def test_build_places_the_book_then_skips_everything_when_nothing_changed(tmp_path):
    project = make_project(tmp_path)
    log: list[str] = []
    index = book.build_book(project, log=quiet(log))
    assert index == project.build / "html" / "index.html" and index.is_file()
    assert (project.build / "html" / "book" / "one.html").is_file()
    assert json.loads((project.build / "figures" / "fig-one.json").read_text()) == {"seed": 0}
    assert (project.build / "src" / "book" / "figures" / "fig-one.json").is_file()
    assert any(line.startswith("[done   ] one") for line in log)
    assert not list(project.build.glob(".tmp-*"))

    log.clear()
    assert book.build_book(project, log=quiet(log)) == index
    assert log == ["[cached ] book default: nothing changed"]

    # another seed: a separate book, the default one untouched; its chapters come from the cache next time
    stamp = (project.build / book.STAMP).read_text()
    log.clear()
    index7 = book.build_book(project, params.resolve([("seed", "7")]), log=quiet(log))
    assert index7 == project.build / "seed-7" / "html" / "index.html" and index7.is_file()
    assert json.loads((project.build / "seed-7" / "figures" / "fig-one.json").read_text()) == {"seed": 7}
    assert (project.build / book.STAMP).read_text() == stamp
    assert "seed 7" in (project.build / "seed-7" / "html" / "book" / "one.html").read_text()

    # a markdown page changed: no chapter runs again, only Jupyter Book
    (project.root / "book" / "intro.md").write_text("# Intro\n\nEdited.\n")
    log.clear()
    book.build_book(project, log=quiet(log))
    assert [line.split()[-1] for line in log if line.startswith("[cached ]")] == ["one", "two"]
    assert "Edited." in (project.build / "html" / "book" / "intro.html").read_text()


def test_a_jupyter_book_warning_fails_the_build_and_leaves_no_book(tmp_path):
    project = make_project(tmp_path)
    book.build_book(project, log=quiet([]))
    (project.root / "book" / "intro.md").write_text("# Intro\n\nSee {numref}`fig-nowhere`.\n")
    with pytest.raises(book.BookError) as caught:
        book.build_book(project, log=quiet([]))
    assert "undefined label: 'fig-nowhere'" in str(caught.value)
    assert "\x1b[" not in str(caught.value)
    assert not (project.build / "html").exists() and not (project.build / book.STAMP).exists()
    assert (project.build / "jupyter-book.log").is_file()


def test_an_abandoned_scratch_folder_is_never_taken_for_a_finished_chapter(tmp_path):
    project = make_project(tmp_path)
    key = book.chapter_key(project, project.root / "book" / "one.ipynb", params.defaults())
    scratch = project.cache / f".tmp-999999999-one-{key}"  # a build killed mid-way (no such pid)
    scratch.mkdir(parents=True)
    (scratch / "one.ipynb").write_text("{}")
    log: list[str] = []
    entries = book.execute(project, ["one"], params.defaults(), log=quiet(log))
    assert log[0] == "[start  ] one"
    assert (entries["one"] / "one.ipynb").is_file()
    assert not scratch.exists()


def test_run_chapter_writes_into_runs_with_the_params_name(tmp_path):
    project = make_project(tmp_path)
    path = book.run_chapter(project, "one", params.resolve([("epochs", "3")]), log=quiet([]))
    assert path == project.runs / "one-epochs-3.ipynb"
    outputs = nbformat.read(path, as_version=4).cells
    assert any("seed 0 epochs 3" in "".join(o.get("text", "")) for c in outputs for o in c.get("outputs", []))
    assert (project.runs / "one-epochs-3_figures" / "fig-one.json").is_file()
    with pytest.raises(book.BuildError, match="unknown chapter 'intro'"):
        book.run_chapter(project, "intro", log=quiet([]))


def test_publishing_twice_leaves_no_diff(tmp_path):
    project = make_project(tmp_path)
    changed = book.publish(project, log=quiet([]))
    assert {p.name for p in changed} == {"one.ipynb", "two.ipynb"}
    first = {p.name: p.read_bytes() for p in (project.root / "book").glob("*.ipynb")}
    nb = json.loads(first["one.ipynb"])
    assert "papermill" not in nb["metadata"] and "version" not in nb["metadata"].get("language_info", {})
    assert all("execution" not in c["metadata"] and "papermill" not in c["metadata"] for c in nb["cells"])
    assert any(o.get("text") for c in nb["cells"] for o in c.get("outputs", []))

    shutil.rmtree(project.cache)  # executed afresh: the same bytes
    assert book.publish(project, log=quiet([])) == []
    assert {p.name: p.read_bytes() for p in (project.root / "book").glob("*.ipynb")} == first


def test_pages_and_chapters_follow_the_toc():
    project = book.Project(ROOT)
    names = [p.relative_to(ROOT).as_posix() for p in project.pages()] if (ROOT / "book" / "intro.md").exists() else []
    if not names:
        pytest.skip("the chapters are not written yet")
    assert names == [
        "book/intro.md",
        "book/method.ipynb",
        "book/data.ipynb",
        "book/training.ipynb",
        "book/reading.ipynb",
    ]
    assert list(project.chapters()) == ["method", "data", "training", "reading"]


def test_the_config_keeps_the_book_offline_and_strict():
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["execute"]["execute_notebooks"] == "off"
    assert config["only_build_toc_files"] is True
    assert "sphinx-mathjax-offline" in config["sphinx"]["extra_extensions"]
    assert "sphinx_proof" in config["sphinx"]["extra_extensions"]
    assert config["sphinx"]["config"]["nb_render_markdown_format"] == "myst"
    assert config["sphinx"]["config"]["intersphinx_mapping"] == {}
    assert not config["launch_buttons"]["binderhub_url"] and not config["launch_buttons"]["thebe"]
    assert not config["repository"]["url"]
