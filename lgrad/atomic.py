"""Writing files and folders all at once: a reader sees the old version or the new one, never half of either.

Every file that lgrad writes for later reading (a saved :class:`~lgrad.history.History`, a figure and its sidecar,
an executed chapter, a built book) goes through :func:`atomic_path`: the content is written to a temporary path
beside the target, which replaces the target only when the writing finished. A failure or an interrupt removes the
temporary path, so nothing half-written is left behind under any name.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEMPORARY_PREFIX = ".tmp-"
"""Temporary paths are ``<folder>/.tmp-<pid>-<random>-<name>``: hidden, and named for the process writing them."""


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends without error it replaces ``path``.

    The block writes a file or creates a folder at the yielded path. A folder replaces an existing one whole (the
    old one is removed after the swap). If the block raises, or writes nothing, ``path`` is left as it was.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{TEMPORARY_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}-{target.name}")
    try:
        yield tmp
        if not tmp.exists():
            raise FileNotFoundError(f"nothing was written for {target}")
        if tmp.is_dir() and target.is_dir():
            old = tmp.with_name(tmp.name + "-old")
            os.replace(target, old)
            os.replace(tmp, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
    finally:
        _remove(tmp)


def atomic_write(path: str | os.PathLike, content: bytes | str) -> Path:
    """Write ``content`` (text as UTF-8) to ``path`` atomically, readable by all (0o644); return the path."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
        tmp.chmod(0o644)
    return Path(path)


def remove_abandoned(folder: str | os.PathLike) -> None:
    """Remove the temporary paths in ``folder`` left by processes that died before they finished."""
    for tmp in Path(folder).glob(f"{TEMPORARY_PREFIX}*"):
        pid = tmp.name.removeprefix(TEMPORARY_PREFIX).split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            _remove(tmp)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
