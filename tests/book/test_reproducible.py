"""Byte-identical builds: two cold builds of the same commit in two fresh copies give the same figure files, whatever
the caller's OMP_NUM_THREADS; a chapter that is not re-executed keeps the figures, and the commit, it was built at.

The copies hold this checkout's files as git would commit them (tracked and new, not ignored), each committed with
the same author and date, so both are the same commit and clean, as two clones are. One chapter (``data``), about a
minute on two cores.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
CHAPTER = "data"
IDENTITY = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
DATE = {"GIT_AUTHOR_DATE": "2020-12-06T00:00:00Z", "GIT_COMMITTER_DATE": "2020-12-06T00:00:00Z"}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **IDENTITY, **DATE}
    return subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, capture_output=True, text=True).stdout


def fresh_copy(dest: Path) -> str:
    """This checkout's files as committed, in a new repository at ``dest`` with one commit; return its id."""
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():  # a tracked file deleted in the worktree is not copied
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "copy")
    return git(dest, "rev-parse", "HEAD").strip()


def run_chapter(copies: dict[Path, str]) -> dict[Path, subprocess.CompletedProcess]:
    """``lgrad run CHAPTER`` in every copy at once, each with its own OMP_NUM_THREADS in the caller's environment."""
    procs = {}
    for copy, threads in copies.items():
        env = {**os.environ, "PYTHONPATH": str(copy), "OMP_NUM_THREADS": threads}
        command = [sys.executable, "-m", "lgrad", "run", CHAPTER]
        procs[copy] = subprocess.Popen(command, cwd=copy, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    done = {}
    for copy, proc in procs.items():
        out, err = proc.communicate(timeout=600)
        done[copy] = subprocess.CompletedProcess(proc.args, proc.returncode, out.decode(), err.decode())
        assert proc.returncode == 0, done[copy].stderr[-3000:]
    return done


def figures(copy: Path) -> dict[str, bytes]:
    folder = copy / "_build" / "runs" / f"{CHAPTER}-default_figures"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_two_cold_builds_of_one_commit_give_identical_figures_and_a_cached_chapter_keeps_its_commit(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    commit = fresh_copy(one)
    assert fresh_copy(two) == commit, "the same files, author and date: the same commit"
    run_chapter({one: "2", two: "1"})  # the build runs every chapter single-threaded whatever the caller says

    first, second = figures(one), figures(two)
    assert {name.rsplit(".", 1)[1] for name in first} >= {"png", "svg", "pdf", "json", "csv"}
    assert first.keys() == second.keys()
    different = [name for name in first if first[name] != second[name]]
    assert different == [], f"not byte-identical: {different}"
    for name in (n for n in first if n.endswith(".json")):
        prov = json.loads(first[name])["provenance"]
        assert (prov["git_commit"], prov["git_dirty"], prov["threads"]) == (commit, False, 1), name

    (one / "README.md").write_text("A change the chapter does not depend on.\n")
    git(one, "commit", "-q", "-am", "edit the README")
    later = git(one, "rev-parse", "HEAD").strip()
    assert later != commit
    rerun = run_chapter({one: "1"})[one]
    assert f"[done   ] {CHAPTER}" not in rerun.stdout, "nothing the chapter depends on changed: it is not executed"
    assert figures(one) == first, "the cached chapter's figures are kept as they were built"
    nb = nbformat.read(one / "_build" / "runs" / f"{CHAPTER}-default.ipynb", as_version=4)
    shown = "".join(o.get("data", {}).get("text/markdown", "") for c in nb.cells for o in c.get("outputs", []))
    assert f"Built at commit `{commit}`." in shown and later not in shown, "the book names the commit that built it"
