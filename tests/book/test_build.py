"""The book build (lgrad/book/build.py, a doit task graph): what re-executes, failures that leave no book, an
interrupted build, one chapter alone, publishing.

Tiny throwaway projects in tmp folders (a two-line notebook runs in about two seconds), never the real book.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from lgrad.book import build as book
from lgrad.book import params

ROOT = Path(__file__).resolve().parents[2]

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
    """intro.md + two chapters; ``failing`` makes the second one raise ZeroDivisionError, else it waits while the
    file named by the environment variable ``HOLD`` exists."""
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
    wait = "import os, time\nwhile os.path.exists(os.environ.get('HOLD', '-')):\n    time.sleep(0.1)\n"
    two = "x = 1\n1 / 0" if failing else wait + "print(epochs * 2)"
    _notebook(root / "book" / "two.ipynb", two, title="Two")
    return book.Project(root)


def quiet(lines: list[str]):
    return lines.append


def executed(log: list[str]) -> list[str]:
    return sorted(line.split()[2] for line in log if line.startswith("[done   ]") and "jupyter-book" not in line)


def test_only_what_changed_is_executed_again(tmp_path):
    project = make_project(tmp_path)
    log: list[str] = []
    index = book.build_book(project, log=quiet(log))
    assert index == project.build / "html" / "index.html" and index.is_file()
    assert executed(log) == ["one", "two"]
    assert (project.build / "html" / "book" / "one.html").is_file()
    assert json.loads((project.build / "figures" / "fig-one.json").read_text()) == {"seed": 0}
    assert not list(project.build.rglob(".tmp-*"))

    def rebuild() -> list[str]:
        log.clear()
        book.build_book(project, log=quiet(log))
        return log[:]

    assert rebuild() == [], "nothing changed: nothing runs"
    (project.root / "book" / "intro.md").write_text("# Intro\n\nEdited.\n")
    assert executed(rebuild()) == [] and any("jupyter-book" in line for line in log)
    assert "Edited." in (project.build / "html" / "book" / "intro.html").read_text()
    nb = nbformat.read(project.root / "book" / "two.ipynb", as_version=4)
    nb.cells[-1].source += "\nprint('more')"
    nbformat.write(nb, project.root / "book" / "two.ipynb")
    assert executed(rebuild()) == ["two"]
    (project.root / "lgrad" / "core.py").write_text("X = 2\n")
    assert executed(rebuild()) == ["one", "two"]
    (project.root / "requirements.txt").write_text("numpy==2.4.7\n")
    assert executed(rebuild()) == ["one", "two"]
    (project.build / "html" / "index.html").unlink()
    assert executed(rebuild()) == [] and index.is_file(), "a missing site is built again"


def test_other_parameters_build_a_separate_book_with_its_own_task_database(tmp_path):
    project = make_project(tmp_path)
    book.build_book(project, log=quiet([]))
    before = (project.build / "html" / "book" / "one.html").read_bytes()
    log: list[str] = []
    index7 = book.build_book(project, params.resolve([("seed", "7")]), log=quiet(log))
    assert index7 == project.build / "seed-7" / "html" / "index.html" and index7.is_file()
    assert executed(log) == ["one", "two"]
    assert (project.build / "seed-7" / ".doit.db").is_file() and (project.build / ".doit.db").is_file()
    assert json.loads((project.build / "seed-7" / "figures" / "fig-one.json").read_text()) == {"seed": 7}
    assert "seed 7" in (project.build / "seed-7" / "html" / "book" / "one.html").read_text()
    assert (project.build / "html" / "book" / "one.html").read_bytes() == before
    log.clear()
    book.build_book(project, log=quiet(log))
    assert log == [], "the default book is still up to date"


def test_a_failed_chapter_stops_the_build_names_the_chapter_and_leaves_no_book(tmp_path):
    project = make_project(tmp_path, failing=True)
    (project.build / "html").mkdir(parents=True)  # a book from an earlier build
    (project.build / "html" / "index.html").write_text("old")
    log: list[str] = []
    with pytest.raises(book.ChapterError) as caught:
        book.build_book(project, log=quiet(log))
    err = caught.value
    assert (err.chapter, err.ename, err.evalue) == ("two", "ZeroDivisionError", "division by zero")
    assert str(err).startswith("chapter 'two' failed at cell In [2]: ZeroDivisionError")
    assert not (project.build / "html").exists() and not (project.build / "figures").exists()
    assert not list(project.build.rglob(".tmp-*"))
    assert not (project.build / "chapters" / "two").exists(), "a failed chapter is not taken for executed"
    kept = nbformat.read(project.build / "failed" / "two.ipynb", as_version=4)
    assert any(o.get("ename") == "ZeroDivisionError" for c in kept.cells for o in c.get("outputs", []))
    assert str(project.build / "failed" / "two.ipynb") in err.detail
    assert any(line.startswith("[failed ] two") for line in log)
    log.clear()
    with pytest.raises(book.ChapterError):
        book.build_book(project, log=quiet(log))
    assert any(line.startswith("[failed ] two") for line in log), "it is tried again, not remembered as done"


def test_a_jupyter_book_warning_fails_the_build_and_leaves_no_book(tmp_path):
    project = make_project(tmp_path)
    book.build_book(project, log=quiet([]))
    (project.root / "book" / "intro.md").write_text("# Intro\n\nSee {numref}`fig-nowhere`.\n")
    with pytest.raises(book.BookError) as caught:
        book.build_book(project, log=quiet([]))
    assert "undefined label: 'fig-nowhere'" in str(caught.value)
    assert "\x1b[" not in str(caught.value)
    assert not (project.build / "html").exists()
    assert (project.build / "jupyter-book.log").is_file()


def test_an_interrupted_build_resumes_without_redoing_the_finished_chapters(tmp_path):
    project = make_project(tmp_path)
    hold = tmp_path / "hold"
    hold.write_text("")
    script = f"from lgrad.book import build; build.build_book(build.Project({str(project.root)!r}), jobs=1)"
    env = dict(os.environ, HOLD=str(hold))
    options = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "start_new_session": True}
    options["preexec_fn"] = lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)  # as in a terminal, even under `&`
    proc = subprocess.Popen([sys.executable, "-c", script], env=env, **options)
    deadline = time.monotonic() + 120
    try:
        while not (project.build / "chapters" / "one" / "one.ipynb").is_file() or not _started(project, "two"):
            assert time.monotonic() < deadline and proc.poll() is None, "the build did not reach chapter two"
            time.sleep(0.2)
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the whole foreground group, while chapter two runs
        assert proc.wait(60) != 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert not (project.build / "html").exists()
    hold.unlink()
    log: list[str] = []
    book.build_book(project, log=quiet(log))
    assert executed(log) == ["two"]
    assert (project.build / "html" / "book" / "two.html").is_file()
    assert not list(project.build.rglob(".tmp-*"))


def _started(project: book.Project, chapter: str) -> bool:
    return any(project.build.glob(f"chapters/.tmp-*-{chapter}"))


def test_run_chapter_writes_into_runs_with_the_params_name(tmp_path):
    project = make_project(tmp_path)
    path = book.run_chapter(project, "one", params.resolve([("epochs", "3")]), log=quiet([]))
    assert path == project.build / "runs" / "one-epochs-3.ipynb"
    outputs = nbformat.read(path, as_version=4).cells
    assert any("seed 0 epochs 3" in "".join(o.get("text", "")) for c in outputs for o in c.get("outputs", []))
    assert (project.build / "runs" / "one-epochs-3_figures" / "fig-one.json").is_file()
    with pytest.raises(params.ParameterError, match="chapter must be one of one, two, got 'intro'"):
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
    log: list[str] = []
    book.build_book(project, log=quiet(log))
    assert executed(log) == [], "outputs written back into a notebook do not make it run again"

    shutil.rmtree(project.build)  # executed afresh: the same bytes
    assert book.publish(project, log=quiet([])) == []
    assert {p.name: p.read_bytes() for p in (project.root / "book").glob("*.ipynb")} == first


def test_starting_a_build_imports_no_torch():
    code = (
        "import sys; from lgrad.book import build, cli, params; "
        "params.params_name(params.defaults()); build.Project.find().chapters(); "
        "sys.exit('torch' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_the_kernels_share_the_run_cache_that_lgrad_study_reads():
    from lgrad.study.runs import RUN_CACHE_ENV

    assert book.RUN_CACHE_ENV == RUN_CACHE_ENV
    env = book.kernel_env(book.Project(ROOT))
    assert env[RUN_CACHE_ENV] == str(ROOT / "_build" / "cache" / "runs")
    assert env["OMP_NUM_THREADS"] == "1"


def test_the_longest_chapters_start_first_and_the_others_in_reading_order():
    project = book.Project(ROOT)
    site = book.tasks(project, params.defaults(), [], print)["task_site"]()
    started = [dep.removeprefix("chapter:") for dep in site["task_dep"]]

    first = [name for name in project.chapters() if name in book.STARTED_FIRST]
    assert len(first) == len(book.STARTED_FIRST) == 3
    assert started == first + [name for name in project.chapters() if name not in first]


def test_pages_and_chapters_follow_the_toc():
    project = book.Project(ROOT)
    names = [p.relative_to(ROOT).as_posix() for p in project.pages()]
    chapters = ["method", "data", "training", "reading", "seeds", "attributions", "retraining", "minibatch", "cnn"]
    chapters += ["yourdata", "report"]
    assert names == ["book/intro.md", *(f"book/{name}.ipynb" for name in chapters)]
    assert list(project.chapters()) == chapters


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


# --- warnings: logged with chapter and cell on every build; under STRICT_ENV=1 they fail unless expected ----------

WARNS = "import numpy as np\nnp.zeros(1) / 0.0"
DIVIDE = ("RuntimeWarning", "invalid value encountered in divide")


def make_warning_project(root: Path) -> book.Project:
    project = make_project(root)
    _notebook(root / "book" / "two.ipynb", WARNS, title="Two")
    return project


def test_a_warning_is_logged_with_its_chapter_and_cell_and_shown_in_the_book(tmp_path, monkeypatch):
    monkeypatch.delenv(book.STRICT_ENV, raising=False)
    project = make_warning_project(tmp_path)
    log: list[str] = []
    book.build_book(project, log=quiet(log))
    assert "[warning] two, cell In [2]: RuntimeWarning: invalid value encountered in divide" in log
    assert not any(line.startswith("[warning] one") for line in log)
    assert "invalid value encountered in divide" in (project.build / "html" / "book" / "two.html").read_text()
    log.clear()
    book.build_book(project, log=quiet(log))
    assert executed(log) == [] and any(line.startswith("[warning] two, cell In [2]") for line in log), "every build"


def test_strict_mode_fails_on_a_warning_naming_chapter_cell_and_warning(tmp_path, monkeypatch):
    project = make_warning_project(tmp_path)
    book.build_book(project, log=quiet([]))  # not strict: the chapter is executed and kept
    monkeypatch.setenv(book.STRICT_ENV, "1")
    log: list[str] = []
    with pytest.raises(book.ChapterError) as caught:
        book.build_book(project, log=quiet(log))
    assert executed(log) == [], "a chapter not re-executed is checked all the same"
    assert str(caught.value) == f"chapter 'two' failed at cell In [2]: {': '.join(DIVIDE)}"
    assert "EXPECTED_WARNINGS" in caught.value.detail
    assert not (project.build / "html").exists(), "no book that looks complete"
    command = [sys.executable, "-P", "-m", "lgrad", "run", "two"]  # -P: not the project's own lgrad/ folder
    run = subprocess.run(command, cwd=project.root, capture_output=True, text=True)
    assert run.returncode == 1 and f"cell In [2]: {': '.join(DIVIDE)}" in run.stderr


def test_an_expected_warning_passes_strict_mode_and_says_why(tmp_path, monkeypatch):
    project = make_warning_project(tmp_path)
    monkeypatch.setenv(book.STRICT_ENV, "1")
    monkeypatch.setitem(book.EXPECTED_WARNINGS, DIVIDE, "the test divides zero by zero on purpose")
    log: list[str] = []
    assert book.build_book(project, log=quiet(log)).is_file()
    line = "[warning] two, cell In [2]: RuntimeWarning: invalid value encountered in divide"
    assert f"{line} (expected: the test divides zero by zero on purpose)" in log
    monkeypatch.setitem(book.EXPECTED_WARNINGS, DIVIDE[:1] + ("invalid value encountered",), "a message not exact")
    monkeypatch.delitem(book.EXPECTED_WARNINGS, DIVIDE)
    with pytest.raises(book.ChapterError, match="RuntimeWarning"):
        book.build_book(project, log=quiet([]))


def test_the_real_book_expects_only_listed_warnings_with_reasons():
    assert all(isinstance(reason, str) and reason.strip() for reason in book.EXPECTED_WARNINGS.values())
    assert all(len(key) == 2 and key[0].endswith("Warning") for key in book.EXPECTED_WARNINGS)
