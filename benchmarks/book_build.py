"""How long `make book` takes: cold (environment installed, cache empty) and again with nothing changed.

Goals on the project's 2-core machine: cold <= 90 s (the whole book with its seed, attribution, retraining and CNN
studies: issues 9 and 10), rebuild <= 5 s.

    .venv/bin/python benchmarks/book_build.py          # or: make bench

It runs the real Makefile in a temporary copy of the source tree (your _build/ is left alone) that shares this
checkout's .venv/, so the environment is installed and only the build is timed. Not a test: it prints the numbers
and whether each goal was met, and exits 0 unless a build failed.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOALS = {"cold": 90.0, "rebuild": 5.0}
SKIP = {".venv", "_build", ".git", ".pytest_cache", ".ruff_cache", "__pycache__", "figures", ".ipynb_checkpoints"}


def timed_make(folder: Path, *targets: str) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(["make", "--no-print-directory", *targets], cwd=folder, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"book_build: `make {' '.join(targets)}` failed in {folder}:\n{result.stdout}{result.stderr}")
    return seconds, result.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy (its path is printed)")
    args = parser.parse_args()

    # the environment must be installed and up to date in this checkout: the copy only links to it
    subprocess.run(["make", "--no-print-directory", "venv"], cwd=ROOT, check=True)
    work = Path(tempfile.mkdtemp(prefix="lgrad-bench-"))
    try:
        copy = work / "lgrad"
        shutil.copytree(ROOT, copy, ignore=lambda _dir, names: [n for n in names if n in SKIP])
        os.symlink(ROOT / ".venv", copy / ".venv")  # copytree kept mtimes, so the venv stamp stays up to date

        cold, out = timed_make(copy, "book")
        rebuild, _ = timed_make(copy, "book")
    finally:
        if args.keep:
            print(f"copy kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    print(out.rstrip())
    print()
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    for name, seconds, what in (
        ("cold", cold, "cold `make book` (environment installed, cache empty)"),
        ("rebuild", rebuild, "`make book` again, nothing changed"),
    ):
        verdict = "met" if seconds <= GOALS[name] else "MISSED"
        print(f"{what:<56} {seconds:6.1f} s   goal <= {GOALS[name]:.0f} s: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
