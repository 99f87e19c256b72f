"""The study across seeds on disk: its cache key, and an ``.npz`` file (no pickle) written atomically."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ...atomic import atomic_path
from ..runs import run_key
from .accuracy import CrossValidation
from .seed_runs import DESIGNS, SeedRuns, SeedStudy

_FORMAT = "lgrad.SeedStudy/1"


def study_key(settings: Mapping[str, Any], seeds: int, long_epochs: int) -> str:
    """The cache key of a study: the base run's key (settings, data, lgrad source, torch and threads) and its sizes."""
    record = {"run": run_key(settings), "seeds": seeds, "long_epochs": long_epochs, "format": _FORMAT}
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()[:24]


_RUN_ARRAYS = ("split_seeds", "train_seeds", "relevance", "rankable", "test_accuracy")


_CV_ARRAYS = ("correct", "size", "repeat")


def save_study(study: SeedStudy, path: str | Path) -> Path:
    """Write ``study`` to an ``.npz`` file (no pickle), atomically."""
    path = Path(path)
    arrays = {}
    designs = {}
    for key, runs in study.runs.items():
        if key == "small_test" and runs is study.runs["both"]:
            designs[key] = {"same_as": "both"}
            continue
        designs[key] = {"n_test": runs.n_test, "n_train": runs.n_train, "feature_names": list(runs.feature_names)}
        arrays.update({f"{key}/{name}": getattr(runs, name) for name in _RUN_ARRAYS})
    arrays.update({f"cv/{name}": getattr(study.cv, name) for name in _CV_ARRAYS})
    cv = {"n_splits": study.cv.n_splits, "n_repeats": study.cv.n_repeats, "n_rows": study.cv.n_rows}
    meta = {"format": _FORMAT, "settings": study.settings, "designs": designs, "cv": cv, "meta": study.meta}
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, meta=np.array(json.dumps(meta, default=list)), **arrays)
    return path


def load_study(path: str | Path) -> SeedStudy:
    """Read a study written by :func:`save_study`."""
    with np.load(path, allow_pickle=False) as npz:
        doc = json.loads(str(npz["meta"]))
        arrays = {name: npz[name] for name in npz.files if name != "meta"}
    runs: dict[str, SeedRuns] = {}
    for key, design in doc["designs"].items():
        if "same_as" in design:
            continue
        runs[key] = SeedRuns(
            design=key,
            feature_names=tuple(design["feature_names"]),
            n_test=design["n_test"],
            n_train=design["n_train"],
            **{name: arrays[f"{key}/{name}"] for name in _RUN_ARRAYS},
        )
    for key, design in doc["designs"].items():
        if "same_as" in design:
            runs[key] = runs[design["same_as"]]
    cv = CrossValidation(**doc["cv"], **{name: arrays[f"cv/{name}"] for name in _CV_ARRAYS})
    settings = doc["settings"]
    settings["hidden"] = tuple(settings["hidden"])
    return SeedStudy(settings=settings, runs={k: runs[k] for k in DESIGNS}, cv=cv, meta=doc["meta"])
