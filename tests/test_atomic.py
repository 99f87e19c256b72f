"""lgrad.atomic: a target is replaced whole or left as it was, and nothing half-written stays behind."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

import lgrad
from lgrad.atomic import TEMPORARY_PREFIX, atomic_path, atomic_write, remove_abandoned


def test_atomic_write_replaces_the_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "a" / "out.txt"
    atomic_write(target, "first")
    atomic_write(target, b"second")
    assert target.read_text() == "second"
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.txt"]


def test_a_failure_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError, match="disk full"), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("disk full")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_a_block_that_writes_nothing_is_an_error_not_an_empty_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing was written"), atomic_path(tmp_path / "out.txt"):
        pass
    assert list(tmp_path.iterdir()) == []


def test_a_folder_replaces_the_old_folder_whole(tmp_path):
    target = tmp_path / "book"
    target.mkdir()
    (target / "stale.html").write_text("old")
    with atomic_path(target) as tmp:
        tmp.mkdir()
        (tmp / "index.html").write_text("new")
    assert sorted(p.name for p in target.iterdir()) == ["index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book"]


def test_remove_abandoned_removes_the_temporaries_of_dead_processes_only(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    abandoned = tmp_path / f"{TEMPORARY_PREFIX}{dead.stdout.strip()}-abcd1234-chapter"
    abandoned.mkdir()
    (abandoned / "half.ipynb").write_text("{")
    mine = tmp_path / f"{TEMPORARY_PREFIX}{os.getpid()}-abcd1234-other"
    mine.write_text("in progress")
    remove_abandoned(tmp_path)
    assert not abandoned.exists() and mine.exists()


def test_a_history_that_fails_to_save_leaves_nothing_behind(tmp_path, monkeypatch):
    history = lgrad.train(lgrad.load_dataset("breast_cancer", seed=0), epochs=1, seed=0)
    target = tmp_path / "run.npz"

    def broken_savez(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(OSError, match="disk full"):
        history.save(target)
    assert list(tmp_path.iterdir()) == []
