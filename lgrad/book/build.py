"""The book's build for one set of parameters (:mod:`lgrad.book.params`), a doit task graph, in its folder
(``_build/`` for the defaults, else ``_build/<params-name>/``) with its task database. ``chapter:<name>`` executes
``book/<name>.ipynb`` with papermill, in its own process, into ``chapters/<name>/`` when its cells (not outputs),
``lgrad/**/*.py``, ``requirements.txt``, ``data/*.csv`` (a CSV dataset), the parameters or the thread count changed;
``site`` builds the HTML. Two tasks run at a time, the longest chapters first; a folder is moved into place only
when complete (an interrupted build resumes). A failed chapter stops the build naming itself and its cell, keeps its
notebook in ``failed/`` and removes the book. Each warning a chapter printed is logged with its cell; under
``STRICT_ENV=1`` (``make test``) one not in :data:`EXPECTED_WARNINGS` fails the build."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from doit.cmd_base import ModuleTaskLoader
from doit.doit_cmd import DoitMain
from doit.tools import config_changed

from ..atomic import atomic_path, atomic_write, remove_abandoned
from . import params as lparams
from . import site
from .site import BookError as BookError
from .site import BuildError, ChapterError, Project

KERNEL = "python3"
CELL_TIMEOUT_S = 1800
THREADS = 1
"""Every chapter runs single-threaded, whatever the caller's environment: the same parameters give the same bytes."""
DEFAULT_JOBS = 2
STARTED_FIRST = {"reading", "seeds", "retraining"}  # the longest at the defaults, so that the two workers end together
STRICT_ENV, EXPECTED_WARNINGS = "LGRAD_STRICT_WARNINGS", {}  # the one list: (category, message), exact → why

RUN_CACHE_ENV = "LGRAD_RUN_CACHE"
"""Where the chapters share their base run (:data:`lgrad.study.runs.RUN_CACHE_ENV`, named here: no torch import)."""

Log = Callable[[str], None]


def kernel_env(project: Project) -> dict[str, str]:
    """The chapters' environment: one thread, no progress bars, figures beside the notebook, the shared run cache."""
    env = dict(os.environ, TQDM_DISABLE="1", LGRAD_FIGURES_DIR="figures", PYTHONHASHSEED="0")
    env.update(PYDEVD_DISABLE_FILE_VALIDATION="1", OMP_NUM_THREADS=str(THREADS), MKL_NUM_THREADS=str(THREADS))
    return {**env, RUN_CACHE_ENV: str(project.build / "cache" / "runs")}


def execute_chapter(source: Path, folder: Path, parameters: Mapping[str, Any], env: Mapping[str, str]) -> None:
    """Execute ``source`` with papermill (in its own process) into ``folder``; raise :class:`ChapterError`."""
    with atomic_path(folder) as tmp:
        (tmp / "figures").mkdir(parents=True)
        executed = tmp / source.name
        command = [sys.executable, "-m", "papermill", str(source), str(executed), "-k", KERNEL, "--cwd", str(tmp)]
        command += ["--no-progress-bar", "--execution-timeout", str(CELL_TIMEOUT_S), "-y", json.dumps(dict(parameters))]
        done = subprocess.run(command, env=dict(env), stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if done.returncode != 0:
            errors = site.reported(executed, "error") if executed.is_file() else []
            if not errors:
                tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
                raise ChapterError(source.stem, "ExecutionFailed", f"papermill failed: {tail}")
            kept = atomic_write(folder.parent.parent / "failed" / source.name, executed.read_bytes())
            detail = f"the executed notebook is kept in {kept}"
            raise ChapterError(source.stem, *errors[0][1:], cell=errors[0][0], detail=detail)
        site.fold_injected_parameters(executed)


def tasks(project: Project, values: Mapping[str, Any], failures: list[BuildError], log: Log) -> dict[str, Any]:
    """The doit namespace of the book for ``values``: its task creators and its configuration."""
    out = project.output(lparams.params_name(values))
    chapters = dict(sorted(project.chapters().items(), key=lambda item: item[0] not in STARTED_FIRST))  # start order
    code = sorted(p for p in (project.root / "lgrad").rglob("*.py") if "__pycache__" not in p.parts)
    shipped = sorted((project.root / "data").glob("*.csv"))
    inputs = [*code, project.root / "requirements.txt", *shipped, *lparams.dataset_files(values)]
    injected, env = lparams.overrides_of(values), kernel_env(project)
    settings = json.dumps({"parameters": dict(values), "threads": THREADS, "kernel": KERNEL}, sort_keys=True)

    def action(job: Callable[[], None], label: str) -> Callable[[], bool]:
        def run() -> bool:
            started, ok = time.monotonic(), True
            try:
                job()
            except BuildError as err:
                failures.append(err)
                ok = False
            log(f"[{'done   ' if ok else 'failed '}] {label}  {time.monotonic() - started:.1f} s")
            return ok

        return run

    def task_chapter():
        for name, source in chapters.items():
            folder = out / "chapters" / name
            yield {
                "name": name,
                "actions": [action(lambda s=source, f=folder: execute_chapter(s, f, injected, env), name)],
                "file_dep": [str(p) for p in inputs],
                "targets": [str(folder / source.name)],
                "uptodate": [config_changed(settings + site.notebook_code(source))],
            }

    def task_site():
        executed = {name: out / "chapters" / name for name in chapters}
        return {
            "actions": [action(lambda: site.build(project.root, executed, out), f"jupyter-book {out.name}")],
            "task_dep": [f"chapter:{name}" for name in chapters],
            "file_dep": [str(executed[n] / p.name) for n, p in chapters.items()]
            + [str(p) for p in site.staged_files(project.root, chapters.values())],
            "targets": [str(out / "html" / "index.html")],
        }

    config = {"dep_file": str(out / ".doit.db"), "backend": "json", "verbosity": 2}
    return {"task_chapter": task_chapter, "task_site": task_site, "DOIT_CONFIG": config}


def run_tasks(project: Project, values: Mapping[str, Any], selected: list[str], *, jobs: int, log: Log) -> Path:
    """Run the ``selected`` doit tasks (and what they depend on) of the book for ``values``; return its folder.

    Raises:
        ChapterError, BookError: the first task that failed; the book of that name is then removed.
    """
    out = project.output(lparams.params_name(values))
    for folder in (out, out / "chapters"):
        remove_abandoned(folder) if folder.is_dir() else folder.mkdir(parents=True)
    failures: list[BuildError] = []
    arguments = ["run", "-n", str(jobs), "-P", "thread", *selected]
    code = DoitMain(ModuleTaskLoader(tasks(project, values, failures, log)), config_filenames=()).run(arguments)
    names = [task.partition(":")[2] for task in selected if ":" in task] or list(project.chapters())
    for name in names if not failures and code == 0 else []:  # every build: a chapter not re-executed is read again
        for cell, *warning in site.reported(out / "chapters" / name / f"{name}.ipynb", "warning"):
            reason = EXPECTED_WARNINGS.get(tuple(warning))
            log(f"[warning] {name}, cell In [{cell}]: {': '.join(warning)}" + f" (expected: {reason})" * bool(reason))
            if reason is None and os.environ.get(STRICT_ENV) == "1":
                failures.append(ChapterError(name, *warning, cell=cell, detail=f"not in {__name__}.EXPECTED_WARNINGS"))
    if failures or code != 0:
        for part in site.PLACED:
            shutil.rmtree(out / part, ignore_errors=True)
        raise failures[0] if failures else BuildError(f"doit failed with exit status {code}: {' '.join(arguments)}")
    return out


def build_book(project: Project, values: Mapping[str, Any] | None = None, *, jobs: int = DEFAULT_JOBS,
               force: bool = False, log: Log = print) -> Path:  # fmt: skip
    """Build the book for ``values`` (default: the defaults); return the path of its ``index.html``."""
    values = dict(values or lparams.defaults())
    if force:
        (project.output(lparams.params_name(values)) / "html" / "index.html").unlink(missing_ok=True)  # the target
    return run_tasks(project, values, ["site"], jobs=jobs, log=log) / "html" / "index.html"


def run_chapter(project: Project, chapter: str, values: Mapping[str, Any] | None = None, *, log: Log = print) -> Path:
    """Execute one chapter into ``_build/runs/<chapter>-<params-name>.ipynb`` (figures in ``..._figures/``)."""
    values = dict(values or lparams.defaults())
    if chapter not in project.chapters():
        raise lparams.ParameterError(f"chapter must be one of {', '.join(project.chapters())}, got {chapter!r}")
    folder = run_tasks(project, values, [f"chapter:{chapter}"], jobs=1, log=log) / "chapters" / chapter
    base = project.build / "runs" / f"{chapter}-{lparams.params_name(values)}"
    with atomic_path(f"{base}_figures") as tmp:
        shutil.copytree(folder / "figures", tmp)
    return atomic_write(f"{base}.ipynb", (folder / f"{chapter}.ipynb").read_bytes())


def publish(project: Project, *, jobs: int = DEFAULT_JOBS, log: Log = print) -> list[Path]:
    """Execute every chapter with the default parameters and write the outputs back into ``book/*.ipynb``, without
    volatile metadata (:func:`lgrad.book.site.strip_volatile`: publishing twice leaves no diff); return the changed."""
    out = run_tasks(project, lparams.defaults(), ["chapter"], jobs=jobs, log=log)
    changed = []
    for name, target in project.chapters().items():
        text = site.strip_volatile(out / "chapters" / name / target.name)
        if target.read_text(encoding="utf-8") != text:
            atomic_write(target, text)
            changed.append(target)
            log(f"[publish] {target.relative_to(project.root)}")
    return changed
