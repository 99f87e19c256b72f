"""What every chapter starts with, ``chapter = setup(globals())``: ``chapter.params`` (checked), ``chapter.dataset``
and ``chapter.history``, the base run (:func:`lgrad.study.runs.run`), shared by a build's chapters through its cache."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import torch

from ..defaults import STUDY_DEFAULTS
from ..study.runs import run, run_dataset
from . import params as lparams


@dataclass(frozen=True)
class Chapter:
    params: dict[str, Any]

    @property
    def settings(self) -> dict[str, Any]:
        """The base run's settings: the parameters less the studies' sizes (``seeds``, ``cnn_epochs``, …)."""
        return {k: v for k, v in self.params.items() if k not in STUDY_DEFAULTS}

    @cached_property
    def dataset(self):
        return run_dataset(self.settings)

    @cached_property
    def history(self):
        return run(self.settings)[1]


def setup(namespace: dict[str, Any]) -> Chapter:
    """The chapter of the parameters in ``namespace`` (a notebook's ``globals()``), checked (:func:`params.resolve`);
    torch runs on ``OMP_NUM_THREADS`` threads (the build sets 1; each figure's provenance records it)."""
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS") or 1))
    return Chapter(lparams.resolve({name: namespace[name] for name in lparams.PARAMETERS if name in namespace}))
