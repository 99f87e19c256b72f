"""Build the book: execute the chapters with papermill (in parallel, cached), then render them with Jupyter Book.

One build, for one set of parameters (see :mod:`lgrad.params`):

1. every chapter notebook listed in ``_toc.yml`` gets a cache key, the sha256 of its cells (not its outputs), the
   parameters, the ``lgrad`` source and ``requirements.txt``; a chapter whose key is in ``_build/cache/`` is not
   executed again (Jupyter Book's own cache would not notice a change in ``lgrad``);
2. the others are executed by papermill, two at a time, each in a scratch folder that is renamed into the cache
   only when the notebook ran to the end, so an interrupted or failed build leaves nothing a later build would take
   for finished. ``LGRAD_FIGURES_DIR=figures`` makes each chapter save its figures beside the executed notebook;
3. a source tree is staged (``_config.yml``, ``_toc.yml``, ``book/*.md``, the executed notebooks and their
   ``book/figures/``) and built by Jupyter Book with ``-W -n --keep-going`` into a scratch folder;
4. only then are ``html/``, ``figures/`` and ``src/`` moved into place: ``_build/`` for the default parameters,
   ``_build/<params-name>/`` (e.g. ``_build/seed-7/``) otherwise. A stamp beside them lets the next build with
   nothing changed skip every step.

If a chapter or Jupyter Book fails, the build stops, the book of that name is removed (so no stale book looks like
the result) and :class:`ChapterError` / :class:`BookError` says what failed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import params as lparams

CACHE_FORMAT = 1
"""Bump to invalidate every cached chapter (e.g. when the way chapters are executed changes)."""

DEFAULT_JOBS = 2
CELL_TIMEOUT_S = 1800
KERNEL = "python3"
INJECTED_TAG = "injected-parameters"
TIMINGS = "timings.json"

Log = Callable[[str], None]


class BuildError(RuntimeError):
    """A build that could not finish; the message says what failed and where."""


class ChapterError(BuildError):
    """A chapter notebook raised; carries the failing cell's error as papermill reported it."""

    def __init__(self, chapter: str, ename: str, evalue: str, *, cell: int | None = None, detail: str = ""):
        self.chapter, self.ename, self.evalue, self.cell, self.detail = chapter, ename, evalue, cell, detail
        where = f" at cell In [{cell}]" if cell is not None else ""
        super().__init__(f"chapter {chapter!r} failed{where}: {ename}: {evalue}".rstrip(": "))


class BookError(BuildError):
    """Jupyter Book failed (a warning counts, ``-W``); ``log`` is the path of its full output."""


def _print(message: str) -> None:
    print(message, flush=True)


@dataclass(frozen=True)
class Project:
    """A book's source tree: ``_config.yml``, ``_toc.yml``, ``book/``, ``lgrad/`` and ``requirements.txt``."""

    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The project holding ``start`` (default: the working directory), else the one this package lives in."""
        here = Path(start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "_toc.yml").is_file() and (folder / "_config.yml").is_file():
                return cls(folder)
        return cls(Path(__file__).resolve().parent.parent)

    @property
    def build(self) -> Path:
        return self.root / "_build"

    @property
    def cache(self) -> Path:
        return self.build / "cache"

    @property
    def runs(self) -> Path:
        return self.build / "runs"

    def output(self, name: str) -> Path:
        """Where the book ``name`` goes: ``_build/`` for ``default``, else ``_build/<name>/``."""
        return self.build if name == "default" else self.build / name

    def pages(self) -> list[Path]:
        """The source file of every page of ``_toc.yml``, in reading order."""
        import yaml

        toc = yaml.safe_load((self.root / "_toc.yml").read_text(encoding="utf-8"))
        names: list[str] = []

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                for key in ("root", "file"):
                    if isinstance(node.get(key), str):
                        names.append(node[key])
                for value in node.values():
                    if isinstance(value, (list, dict)):
                        walk(value)
            elif isinstance(node, list):
                for item in node:
                    walk(item)

        walk(toc)
        pages = []
        for name in names:
            path = self.root / name
            found = [p for p in (path, path.with_suffix(".ipynb"), path.with_suffix(".md")) if p.is_file()]
            if not found:
                raise BuildError(f"_toc.yml lists {name!r} but no such .ipynb or .md file exists")
            pages.append(found[0])
        return pages

    def chapters(self) -> dict[str, Path]:
        """The executable chapters (the notebooks among the pages), by name (``method`` for ``book/method.ipynb``)."""
        return {p.stem: p for p in self.pages() if p.suffix == ".ipynb"}


# --- cache keys ------------------------------------------------------------------------------------------------


def _sha256(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def notebook_digest(path: Path) -> str:
    """The sha256 of what a notebook *does*: each cell's type, source and tags, and the kernel.

    Outputs, execution counts and metadata are left out, so ``make publish`` writing the outputs back does not
    make the chapter execute again.
    """
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    cells = [
        [cell.get("cell_type"), _text(cell.get("source", "")), sorted(cell.get("metadata", {}).get("tags", []))]
        for cell in nb.get("cells", [])
    ]
    kernel = nb.get("metadata", {}).get("kernelspec", {}).get("name")
    return _sha256(json.dumps([kernel, cells], sort_keys=True).encode())


def source_digest(package: Path) -> str:
    """The sha256 of every ``*.py`` file of the package (names and bytes)."""
    files = sorted(p for p in Path(package).rglob("*.py") if "__pycache__" not in p.parts)
    return _sha256(*(part for p in files for part in (p.relative_to(package).as_posix().encode(), p.read_bytes())))


def file_digest(path: Path) -> str:
    return _sha256(Path(path).read_bytes()) if Path(path).is_file() else "missing"


def chapter_key(project: Project, chapter: Path, values: Mapping[str, Any]) -> str:
    """The cache key of one chapter executed with ``values``: it changes with the notebook's cells, the parameters,
    any ``lgrad/*.py`` file and ``requirements.txt``, and with nothing else."""
    record = {
        "format": CACHE_FORMAT,
        "chapter": chapter.stem,
        "notebook": notebook_digest(chapter),
        "params": {k: values[k] for k in sorted(values)},
        "dataset": lparams.dataset_digest(values),
        "lgrad": source_digest(project.root / "lgrad"),
        "requirements": file_digest(project.root / "requirements.txt"),
    }
    return _sha256(json.dumps(record, sort_keys=True, default=str).encode())[:24]


def cache_entry(project: Project, chapter: str, key: str) -> Path:
    """The folder of a finished execution: ``<chapter>.ipynb`` and its ``figures/``."""
    return project.cache / f"{chapter}-{key}"


# --- executing chapters ----------------------------------------------------------------------------------------

_RUNNER = r"""
import json, sys, traceback
spec = json.loads(sys.argv[1])
import papermill as pm
try:
    pm.execute_notebook(spec["input"], spec["output"], parameters=spec["parameters"], kernel_name=spec["kernel"],
                        progress_bar=False, log_output=False, cwd=spec["cwd"], execution_timeout=spec["timeout"])
except pm.PapermillExecutionError as err:
    error = {"ename": err.ename, "evalue": err.evalue, "cell": err.exec_count, "source": err.source}
except BaseException as err:
    error = {"ename": type(err).__name__, "evalue": str(err), "detail": traceback.format_exc()}
else:
    with open(spec["output"]) as f:  # fold the injected parameters like the chapter's own parameters cell
        nb = json.load(f)
    for cell in nb["cells"]:
        tags = cell.setdefault("metadata", {}).setdefault("tags", [])
        if "injected-parameters" in tags and "hide-input" not in tags:
            tags.append("hide-input")
    with open(spec["output"], "w") as f:
        json.dump(nb, f, indent=1)
    sys.exit(0)
with open(spec["error"], "w") as f:
    json.dump(error, f)
sys.exit(3)
"""


@dataclass
class _Job:
    chapter: str
    source: Path
    key: str
    entry: Path
    parameters: dict[str, Any]
    scratch: Path | None = None
    process: subprocess.Popen | None = None
    log_file: Any = None
    started: float = 0.0


def kernel_env(jobs: int) -> dict[str, str]:
    """The environment of the chapters' kernels: no tqdm bars, figures beside the notebook, this venv's kernel."""
    env = dict(os.environ)
    env["TQDM_DISABLE"] = "1"
    env["LGRAD_FIGURES_DIR"] = "figures"
    env["PYTHONHASHSEED"] = "0"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    env.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // max(1, jobs))))
    share = str(Path(sys.prefix) / "share" / "jupyter")
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (share, env.get("JUPYTER_PATH", "")) if p)
    return env


def execute(
    project: Project,
    chapters: Iterable[str],
    values: Mapping[str, Any],
    *,
    jobs: int = DEFAULT_JOBS,
    log: Log = _print,
) -> dict[str, Path]:
    """Execute ``chapters`` with ``values`` (cached chapters are not run again); return each one's cache entry.

    Runs at most ``jobs`` chapters at a time, one papermill process each. Only the parameters that differ from the
    defaults are injected, so a default run executes the notebooks exactly as they are.

    Raises:
        ChapterError: the first chapter that failed (the others are stopped; nothing of theirs is cached).
    """
    available = project.chapters()
    injected = lparams.overrides_of(values)
    todo: list[_Job] = []
    entries: dict[str, Path] = {}
    for chapter in chapters:
        if chapter not in available:
            raise BuildError(f"unknown chapter {chapter!r}; chapters: {', '.join(available)}")
        source = available[chapter]
        key = chapter_key(project, source, values)
        entry = cache_entry(project, chapter, key)
        entries[chapter] = entry
        if (entry / f"{chapter}.ipynb").is_file():
            log(f"[cached ] {chapter}")
        else:
            todo.append(_Job(chapter, source, key, entry, dict(injected)))
    if not todo:
        return entries

    project.cache.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(project.cache)
    env = kernel_env(jobs)
    timings = _read_timings(project)
    # the longest chapters (as last timed) first, so that two workers finish together
    pending, running = sorted(todo, key=lambda j: -timings.get(j.chapter, 0.0)), []
    try:
        while pending or running:
            while pending and len(running) < max(1, jobs):
                job = pending.pop(0)
                _start(project, job, env)
                running.append(job)
                log(f"[start  ] {job.chapter}")
            time.sleep(0.05)
            for job in [j for j in running if j.process.poll() is not None]:
                running.remove(job)
                seconds = time.monotonic() - job.started
                try:
                    _finish(job)
                except ChapterError:
                    log(f"[failed ] {job.chapter}  {seconds:.1f} s")
                    raise
                log(f"[done   ] {job.chapter}  {seconds:.1f} s")
                timings[job.chapter] = round(seconds, 1)
    finally:
        for job in running:
            _stop(job)
        for job in todo:
            if job.log_file is not None and not job.log_file.closed:
                job.log_file.close()
            if job.scratch is not None:
                shutil.rmtree(job.scratch, ignore_errors=True)
        _write_timings(project, timings)
    return entries


def _read_timings(project: Project) -> dict[str, float]:
    try:
        return {str(k): float(v) for k, v in json.loads((project.cache / TIMINGS).read_text()).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def _write_timings(project: Project, timings: dict[str, float]) -> None:
    """Remember how long each chapter took (only to start the longest first next time)."""
    tmp = project.cache / f".tmp-{os.getpid()}-{TIMINGS}"
    try:
        tmp.write_text(json.dumps(timings, indent=1, sort_keys=True))
        os.replace(tmp, project.cache / TIMINGS)
    except OSError:
        tmp.unlink(missing_ok=True)


def _start(project: Project, job: _Job, env: dict[str, str]) -> None:
    job.scratch = project.cache / f".tmp-{os.getpid()}-{job.chapter}-{uuid.uuid4().hex[:8]}"
    (job.scratch / "figures").mkdir(parents=True)
    spec = {
        "input": str(job.source),
        "output": str(job.scratch / f"{job.chapter}.ipynb"),
        "parameters": job.parameters,
        "kernel": KERNEL,
        "cwd": str(job.scratch),
        "timeout": CELL_TIMEOUT_S,
        "error": str(job.scratch / "error.json"),
    }
    job.log_file = open(job.scratch / "papermill.log", "w")  # noqa: SIM115 - closed in execute()
    job.started = time.monotonic()
    job.process = subprocess.Popen(
        [sys.executable, "-c", _RUNNER, json.dumps(spec)],
        stdin=subprocess.DEVNULL,
        stdout=job.log_file,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=job.scratch,
        start_new_session=True,
    )


def _finish(job: _Job) -> None:
    job.log_file.close()
    scratch = job.scratch
    if job.process.returncode == 0 and (scratch / f"{job.chapter}.ipynb").is_file():
        for name in ("papermill.log", "error.json"):
            (scratch / name).unlink(missing_ok=True)
        try:
            os.replace(scratch, job.entry)
        except OSError:  # another build finished the same entry first: keep theirs
            if not (job.entry / f"{job.chapter}.ipynb").is_file():
                raise
        job.scratch = None
        return
    error_file = scratch / "error.json"
    if error_file.is_file():
        error = json.loads(error_file.read_text())
    else:
        tail = (scratch / "papermill.log").read_text(errors="replace").strip().splitlines()[-1:] or ["no output"]
        error = {"ename": "ExecutionFailed", "evalue": f"papermill exited with {job.process.returncode}: {tail[0]}"}
    failed = scratch / f"{job.chapter}.ipynb"
    kept = None
    if failed.is_file():  # keep the executed notebook, with its traceback, for reading (not in any book)
        kept = job.entry.parent.parent / "failed" / f"{job.chapter}.ipynb"
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(failed, kept)
    detail = error.get("detail", "") or (f"the executed notebook is kept in {kept}" if kept else "")
    raise ChapterError(job.chapter, error["ename"], error["evalue"], cell=error.get("cell"), detail=detail)


def _stop(job: _Job) -> None:
    if job.process is None or job.process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(job.process.pid, sig)
        except ProcessLookupError:
            return
        try:
            job.process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _remove_abandoned(folder: Path) -> None:
    """Remove the scratch folders (``.tmp-<pid>-...``) of builds that are no longer running."""
    for scratch in folder.glob(".tmp-*"):
        try:
            pid = int(scratch.name.split("-")[1])
        except (ValueError, IndexError):
            pid = None
        if pid is not None and (pid == os.getpid() or _alive(pid)):
            continue
        if scratch.is_dir():
            shutil.rmtree(scratch, ignore_errors=True)
        else:
            scratch.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- the book --------------------------------------------------------------------------------------------------

STAMP = "book.stamp"
PLACED = ("html", "figures", "src")


def _staged_files(project: Project) -> list[Path]:
    """Every source file besides the chapter notebooks that the staged tree needs."""
    files = [project.root / "_config.yml", project.root / "_toc.yml"]
    files += sorted(project.root.glob("*.bib"))
    files += [p for p in [project.root / "tools" / "sphinx_offline.py"] if p.is_file()]
    book = project.root / "book"
    notebooks = set(project.chapters().values())
    for path in sorted(book.rglob("*")):
        rel = path.relative_to(book)
        if not path.is_file() or path in notebooks or path.suffix in (".ipynb", ".cfg"):
            continue
        if rel.parts[0] == "figures" or any(p.startswith(".") or p == "__pycache__" for p in rel.parts):
            continue
        files.append(path)
    static = project.root / "_static"
    if static.is_dir():
        files += sorted(p for p in static.rglob("*") if p.is_file())
    return files


def book_stamp(project: Project, keys: Mapping[str, str]) -> str:
    """What the built book depends on: the chapters' cache keys and every other staged file."""
    from importlib import metadata

    record = {
        "chapters": dict(keys),
        "files": {str(p.relative_to(project.root)): file_digest(p) for p in _staged_files(project)},
        "jupyter-book": metadata.version("jupyter-book"),
        "format": CACHE_FORMAT,
    }
    return _sha256(json.dumps(record, sort_keys=True).encode())


def build_book(
    project: Project,
    values: Mapping[str, Any] | None = None,
    *,
    jobs: int = DEFAULT_JOBS,
    force: bool = False,
    log: Log = _print,
) -> Path:
    """Build the book for ``values`` (default: the default parameters); return the path of its ``index.html``.

    Raises:
        ChapterError: a chapter failed; BookError: Jupyter Book failed. Either way no book of that name is left.
    """
    values = dict(values or lparams.defaults())
    name = lparams.params_name(values)
    out = project.output(name)
    index = out / "html" / "index.html"
    chapters = project.chapters()
    keys = {c: chapter_key(project, p, values) for c, p in chapters.items()}
    stamp = book_stamp(project, keys)
    stamp_file = out / STAMP
    if not force and index.is_file() and stamp_file.is_file() and stamp_file.read_text() == stamp:
        log(f"[cached ] book {name}: nothing changed")
        return index

    project.build.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(project.build)
    scratch = project.build / f".tmp-{os.getpid()}-book-{uuid.uuid4().hex[:8]}"
    try:
        entries = execute(project, list(chapters), values, jobs=jobs, log=log)
        src = scratch / "src"
        _stage(project, entries, src)
        started = time.monotonic()
        log(f"[start  ] jupyter-book {name}")
        html = _jupyter_book(src, scratch / "jb", out)
        log(f"[done   ] jupyter-book {name}  {time.monotonic() - started:.1f} s")
        shutil.move(html, scratch / "html")
        shutil.copytree(src / "book" / "figures", scratch / "figures")
        _place(scratch, out, stamp_file)
        stamp_file.write_text(stamp)
    except BuildError:
        _remove_book(out)
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return index


def _stage(project: Project, entries: Mapping[str, Path], src: Path) -> None:
    for path in _staged_files(project):
        target = src / path.relative_to(project.root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    figures = src / "book" / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    sources = project.chapters()
    for chapter, entry in entries.items():
        target = src / sources[chapter].relative_to(project.root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(entry / f"{chapter}.ipynb", target)
        if (entry / "figures").is_dir():
            shutil.copytree(entry / "figures", figures, dirs_exist_ok=True)


def _jupyter_book(src: Path, work: Path, out: Path) -> Path:
    exe = Path(sys.executable).with_name("jupyter-book")
    command = [str(exe)] if exe.is_file() else [sys.executable, "-m", "jupyter_book.cli.main"]
    command += ["build", str(src), "--path-output", str(work), "--builder", "html", "-W", "-n", "--keep-going"]
    env = dict(os.environ, TQDM_DISABLE="1", NO_COLOR="1")
    result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env)
    html = work / "_build" / "html"
    if result.returncode != 0 or not (html / "index.html").is_file():
        out.mkdir(parents=True, exist_ok=True)
        log_path = out / "jupyter-book.log"
        output = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)  # no terminal colours
        log_path.write_text(output)
        warnings = [line for line in output.splitlines() if "WARNING" in line or "ERROR" in line]
        shown = "\n".join(f"  {line}" for line in warnings[:20]) or "\n".join(output.splitlines()[-10:])
        raise BookError(f"jupyter-book failed (warnings are errors); full log: {log_path}\n{shown}")
    (out / "jupyter-book.log").unlink(missing_ok=True)
    return html


def _place(scratch: Path, out: Path, stamp_file: Path) -> None:
    """Move the new ``html/``, ``figures/`` and ``src/`` over the old ones (the stamp is written after)."""
    out.mkdir(parents=True, exist_ok=True)
    stamp_file.unlink(missing_ok=True)
    old = scratch / "old"
    old.mkdir()
    for part in PLACED:
        if (out / part).exists():
            os.replace(out / part, old / part)
        if (scratch / part).exists():
            os.replace(scratch / part, out / part)


def _remove_book(out: Path) -> None:
    """Remove the book at ``out`` (after a failure): a stale book must not look like the result of this build."""
    (out / STAMP).unlink(missing_ok=True)
    for part in PLACED:
        shutil.rmtree(out / part, ignore_errors=True)


# --- one chapter, and publishing -------------------------------------------------------------------------------


def run_chapter(project: Project, chapter: str, values: Mapping[str, Any] | None = None, *, log: Log = _print) -> Path:
    """Execute one chapter into ``_build/runs/<chapter>-<params-name>.ipynb`` (figures in ``..._figures/``)."""
    values = dict(values or lparams.defaults())
    entry = execute(project, [chapter], values, jobs=1, log=log)[chapter]
    name = f"{chapter}-{lparams.params_name(values)}"
    project.runs.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(project.runs)
    target = project.runs / f"{name}.ipynb"
    figures = project.runs / f"{name}_figures"
    tmp = project.runs / f".tmp-{os.getpid()}-{name}.ipynb"
    shutil.copyfile(entry / f"{chapter}.ipynb", tmp)
    os.replace(tmp, target)
    shutil.rmtree(figures, ignore_errors=True)
    if (entry / "figures").is_dir() and any((entry / "figures").iterdir()):
        shutil.copytree(entry / "figures", figures)
    return target


def strip_volatile(nb: dict) -> dict:
    """Drop what changes from one execution to the next although nothing changed: timestamps and durations
    (papermill's and nbclient's), the kernel's Python version, the injected-parameters cell, stderr streams
    (they hold warnings with machine-specific paths)."""
    meta = nb.setdefault("metadata", {})
    meta.pop("papermill", None)
    meta.pop("widgets", None)
    meta.get("language_info", {}).pop("version", None)
    cells = []
    for cell in nb.get("cells", []):
        tags = cell.get("metadata", {}).get("tags", [])
        if INJECTED_TAG in tags:
            continue
        for key in ("papermill", "execution", "ExecuteTime", "collapsed", "scrolled"):
            cell.get("metadata", {}).pop(key, None)
        if "tags" in cell.get("metadata", {}) and not tags:
            del cell["metadata"]["tags"]
        if cell.get("cell_type") == "code":
            cell["outputs"] = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
        cells.append(cell)
    nb["cells"] = cells
    return nb


def publish(project: Project, *, jobs: int = DEFAULT_JOBS, log: Log = _print) -> list[Path]:
    """Execute every chapter with the default parameters and write the outputs back into ``book/*.ipynb``.

    Volatile metadata is stripped (:func:`strip_volatile`), so publishing twice without changes leaves no diff.
    Returns the notebooks that changed.
    """
    import nbformat

    chapters = project.chapters()
    entries = execute(project, list(chapters), lparams.defaults(), jobs=jobs, log=log)
    changed = []
    for chapter, entry in entries.items():
        executed = strip_volatile(json.loads((entry / f"{chapter}.ipynb").read_text(encoding="utf-8")))
        node = nbformat.from_dict(executed)
        text = nbformat.writes(node, version=nbformat.NO_CONVERT) + "\n"
        target = chapters[chapter]
        if target.read_text(encoding="utf-8") != text:
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, target)
            changed.append(target)
            log(f"[publish] {target.relative_to(project.root)}")
    return changed


def _text(source: str | list[str]) -> str:
    return "".join(source) if isinstance(source, list) else source
