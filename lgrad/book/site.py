"""The site: the pages of ``_toc.yml``, the staged sources, Jupyter Book 1.x's HTML (``-W -n --keep-going``: a
warning is an error), moved into the book's folder only once built; and the executed notebooks' errors and metadata."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..atomic import atomic_path

PLACED = ("html", "figures", "src")
"""A book's folders; a failed build removes them, so that a stale book never looks like the result of this build."""
INJECTED_TAG = "injected-parameters"
_VOLATILE_KEYS = ["metadata.papermill", "metadata.widgets", "metadata.language_info.version"] + [
    f"cell.metadata.{key}" for key in ("papermill", "execution", "ExecuteTime", "collapsed", "scrolled")
]


class BuildError(RuntimeError):
    """A build that could not finish; the message says what failed and where."""


class ChapterError(BuildError):
    """A chapter notebook raised; carries the failing cell's error as the executed notebook recorded it."""

    def __init__(self, chapter: str, ename: str, evalue: str, *, cell: int | None = None, detail: str = ""):
        self.chapter, self.ename, self.evalue, self.cell, self.detail = chapter, ename, evalue, cell, detail
        where = f" at cell In [{cell}]" if cell is not None else ""
        super().__init__(f"chapter {chapter!r} failed{where}: {ename}: {evalue}".rstrip(": "))


class BookError(BuildError):
    """Jupyter Book failed (a warning counts, ``-W``); its full output is in ``jupyter-book.log`` of the book."""


@dataclass(frozen=True)
class Project:
    """A book's source tree: ``_config.yml``, ``_toc.yml``, ``book/``, ``lgrad/`` and ``requirements.txt``."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root).resolve())

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The project holding ``start`` (default: the working directory), else the one this package lives in."""
        here = Path(start or Path.cwd()).resolve()
        found = [f for f in (here, *here.parents) if (f / "_toc.yml").is_file() and (f / "_config.yml").is_file()]
        return cls(found[0] if found else Path(__file__).resolve().parents[2])

    @property
    def build(self) -> Path:
        return self.root / "_build"

    def output(self, name: str) -> Path:
        """Where the book ``name`` goes: ``_build/`` for ``default``, else ``_build/<name>/``."""
        return self.build if name == "default" else self.build / name

    def pages(self) -> list[Path]:
        """The source file of every page of ``_toc.yml`` in reading order, read by sphinx-external-toc."""
        from sphinx_external_toc.parsing import parse_toc_yaml

        found = []
        for name in parse_toc_yaml(self.root / "_toc.yml"):  # reading order: each page, then its sections
            path = self.root / name
            candidates = [p for p in (path, path.with_suffix(".ipynb"), path.with_suffix(".md")) if p.is_file()]
            if not candidates:
                raise BuildError(f"_toc.yml lists {name!r} but no such .ipynb or .md file exists")
            found.append(candidates[0])
        return found

    def chapters(self) -> dict[str, Path]:
        """The executable chapters (the notebooks among the pages), by name (``method`` for ``book/method.ipynb``)."""
        return {p.stem: p for p in self.pages() if p.suffix == ".ipynb"}


def staged_files(root: Path, notebooks: Iterable[Path]) -> list[Path]:
    """Every source file of the site besides the chapter notebooks (which come executed)."""
    skip = set(notebooks)
    files = [root / "_config.yml", root / "_toc.yml", *sorted([*root.glob("*.bib"), *root.glob("tools/sphinx_*.py")])]
    for path in sorted((root / "book").rglob("*")):
        rel = path.relative_to(root / "book")
        hidden = any(part.startswith(".") or part in ("__pycache__", "figures") for part in rel.parts)
        if path.is_file() and path not in skip and path.suffix not in (".ipynb", ".cfg") and not hidden:
            files.append(path)
    return files + sorted(p for p in (root / "_static").rglob("*") if p.is_file())


def build(root: Path, executed: Mapping[str, Path], out: Path) -> None:
    """Stage the site with the ``executed`` chapter folders, build it, and place it in ``out``."""
    notebooks = Project(root).chapters()
    with tempfile.TemporaryDirectory(dir=out, prefix=".tmp-site-") as scratch:
        src = Path(scratch) / "src"
        for path in staged_files(root, notebooks.values()):
            (src / path.relative_to(root)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, src / path.relative_to(root))
        (src / "book" / "figures").mkdir(parents=True, exist_ok=True)
        for name, folder in executed.items():
            shutil.copy2(folder / f"{name}.ipynb", src / notebooks[name].relative_to(root))
            shutil.copytree(folder / "figures", src / "book" / "figures", dirs_exist_ok=True)
        html = _jupyter_book(src, Path(scratch) / "jb", out)
        for part, made in (("html", html), ("figures", src / "book" / "figures"), ("src", src)):
            with atomic_path(out / part) as tmp:
                shutil.move(made, tmp)


def _jupyter_book(src: Path, work: Path, out: Path) -> Path:
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(src), "--path-output", str(work)]
    command += ["--builder", "html", "-W", "-n", "--keep-going"]
    env = dict(os.environ, TQDM_DISABLE="1", NO_COLOR="1")
    result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env)
    html = work / "_build" / "html"
    log_path = out / "jupyter-book.log"
    if result.returncode != 0 or not (html / "index.html").is_file():
        output = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)
        log_path.write_text(output)
        warnings = [line for line in output.splitlines() if "WARNING" in line or "ERROR" in line]
        shown = "\n".join(f"  {line}" for line in warnings[:20]) or "\n".join(output.splitlines()[-10:])
        raise BookError(f"jupyter-book failed (warnings are errors); full log: {log_path}\n{shown}")
    log_path.unlink(missing_ok=True)
    return html


def notebook_code(path: Path) -> str:
    """What a notebook does (each cell's type, source and tags; the kernel), not its outputs or metadata."""
    nb = nbformat.read(path, as_version=4)
    cells = [(c.cell_type, c.source, sorted(c.metadata.get("tags", []))) for c in nb.cells]
    return json.dumps([nb.metadata.get("kernelspec", {}).get("name"), cells])


def reported(path: Path, kind: str) -> list[tuple[int | None, str, str]]:
    """``(cell, name, message)`` of each error (``kind="error"``) or warning printed to stderr (``"warning"``, as
    :func:`warnings.formatwarning` writes it: category, message) of an executed notebook, in order."""
    cells = nbformat.read(path, as_version=4).cells
    outputs = [(c.get("execution_count"), o) for c in cells for o in c.get("outputs", [])]
    if kind == "error":
        return [(n, o.ename, o.evalue) for n, o in outputs if o.output_type == "error"]
    lines = re.compile(r"^\S.*?:\d+: ([A-Z]\w*): (.*)$", re.M)
    return [(n, *m.groups()) for n, o in outputs if o.get("name") == "stderr" for m in lines.finditer(o.text)]


def fold_injected_parameters(path: Path) -> None:
    """Hide the input of papermill's injected-parameters cell, as the chapter's own parameters cell is."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        tags = cell.metadata.setdefault("tags", [])
        if INJECTED_TAG in tags and "hide-input" not in tags:
            tags.append("hide-input")
    nbformat.write(nb, path)


def strip_volatile(path: Path) -> str:
    """The executed notebook as text without what changes between two executions of the same thing: timestamps
    and durations, the kernel's Python version, the injected-parameters cell (stderr, e.g. a warning, is kept)."""
    from nbstripout import strip_output

    keep = {"keep_output": True, "keep_count": True, "keep_id": True, "drop_tagged_cells": [INJECTED_TAG]}
    nb = strip_output(nbformat.read(path, as_version=4), extra_keys=_VOLATILE_KEYS, **keep)
    for cell in nb.cells:
        if "tags" in cell.metadata and not cell.metadata.tags:
            del cell.metadata["tags"]
    return nbformat.writes(nb, version=nbformat.NO_CONVERT) + "\n"
