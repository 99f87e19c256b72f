"""One training run from a complete set of settings, computed once and shared by every chapter that reads it.

The chapters of a book read the same base run (the method chapter draws its network, the training chapter its
learning gradient, the sensitivity table compares against it). :func:`run` trains it from the settings; with a run
cache (``LGRAD_RUN_CACHE``, set by the book's build) the result is saved with :meth:`History.save` under a key of
everything that decides its numbers (the settings, the lgrad source, the torch version and thread count) and loaded
by the next chapter that asks for it. A file lock makes a second chapter wait for the first instead of training again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import torch
from filelock import FileLock

from ..data import Dataset, load_dataset, load_datasets
from ..defaults import DEFAULTS
from ..history import History
from ..training import train

RUN_CACHE_ENV = "LGRAD_RUN_CACHE"
"""The folder of the run cache; unset: every call trains."""

TRAIN_KEYS = ("hidden", "activation", "loss", "lr", "batch_size", "epochs")
"""The settings of a run that :func:`lgrad.train` and :func:`lgrad.train_many` take (besides the seeds)."""

SETTING_KEYS = ("dataset", "test_size", "scale", "hidden", "activation", "loss", "lr", "batch_size", "epochs")
"""The settings a run takes besides its seeds (``split_seed``, ``train_seed``; both default to ``seed``)."""

_PACKAGE = Path(__file__).resolve().parent.parent


def run_settings(base: Mapping[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    """The complete settings of a run: :data:`lgrad.DEFAULTS`, updated with ``base``, then ``overrides``.

    ``seed`` sets both ``split_seed`` and ``train_seed`` unless those are given.
    """
    settings = {**DEFAULTS, **(base or {}), **overrides}
    unknown = set(settings) - set(DEFAULTS) - {"split_seed", "train_seed", "target", "positive"}
    if unknown:
        allowed = ", ".join(sorted({*DEFAULTS, "split_seed", "train_seed"}))
        raise ValueError(f"unknown setting(s) {sorted(unknown)}; allowed: {allowed}")
    settings.setdefault("split_seed", settings["seed"])
    settings.setdefault("train_seed", settings["seed"])
    settings["hidden"] = tuple(settings["hidden"]) if not isinstance(settings["hidden"], int) else (settings["hidden"],)
    return settings


def run(settings: Mapping[str, Any]) -> tuple[Dataset, History]:
    """Load the data and train once with ``settings`` (see :func:`run_settings`); returns ``(dataset, history)``.

    The learning gradient is recorded per epoch. With ``LGRAD_RUN_CACHE`` set, a run already in the cache is
    loaded instead of trained (the same numbers: the key holds everything that decides them).
    """
    settings = run_settings(settings)
    ds = run_dataset(settings)
    cache = os.environ.get(RUN_CACHE_ENV)
    if not cache:
        return ds, train_run(ds, settings)
    path = Path(cache) / f"run-{run_key(settings)}.npz"
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(path.with_name(path.name + ".lock")):
        if not path.is_file():
            train_run(ds, settings).save(path)
        return ds, History.load(path)


def run_dataset(settings: Mapping[str, Any]) -> Dataset:
    """The data set and split of a run's settings (the split is fixed by ``split_seed``)."""
    settings = run_settings(settings)
    return load_dataset(
        settings["dataset"],
        test_size=settings["test_size"],
        seed=settings["split_seed"],
        scale=settings["scale"],
        target=settings.get("target"),
        positive=settings.get("positive"),
    )


def seed_datasets(settings: Mapping[str, Any], seeds: Iterable[int], test_size: float | None = None) -> list[Dataset]:
    """The data of a run's settings split once per seed of ``seeds`` (``test_size`` if given, else the settings')."""
    settings = run_settings(settings)
    return load_datasets(
        settings["dataset"],
        seeds,
        test_size=settings["test_size"] if test_size is None else test_size,
        scale=settings["scale"],
        target=settings.get("target"),
        positive=settings.get("positive"),
    )


def run_key(settings: Mapping[str, Any]) -> str:
    """The cache key of a run: its settings, the CSV's bytes, the lgrad source, torch's version and thread count."""
    settings = run_settings(settings)
    dataset = Path(str(settings["dataset"]))
    record = {
        "settings": {k: settings[k] for k in sorted(settings)},
        "csv": hashlib.sha256(dataset.read_bytes()).hexdigest() if dataset.suffix == ".csv" else None,
        "lgrad": source_digest(_PACKAGE),
        "torch": metadata.version("torch"),
        "threads": torch.get_num_threads(),
    }
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()[:24]


def source_digest(package: Path) -> str:
    """The sha256 of every ``*.py`` file of ``package`` (relative names and bytes)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(package).rglob("*.py") if "__pycache__" not in p.parts):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def train_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments of :func:`lgrad.train` and :func:`lgrad.train_many` among a run's settings
    (:data:`TRAIN_KEYS`, ``hidden`` as a tuple)."""
    return {key: tuple(settings[key]) if key == "hidden" else settings[key] for key in TRAIN_KEYS}


def train_run(ds: Dataset, settings: Mapping[str, Any], record: str = "epoch") -> History:
    """Train on ``ds`` with the complete ``settings`` of a run (:func:`run_settings`), recording per ``record``."""
    return train(ds, **train_settings(settings), seed=settings["train_seed"], record=record)
