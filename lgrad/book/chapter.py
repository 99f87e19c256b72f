"""What every chapter starts with, ``chapter = setup(globals())``: ``chapter.params`` (checked), ``chapter.dataset``
and ``chapter.history``, the base run (:func:`lgrad.study.runs.run`), shared by a build's chapters through its cache.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..study.runs import run, run_dataset
from . import params as lparams


@dataclass(frozen=True)
class Chapter:
    params: dict[str, Any]

    @cached_property
    def dataset(self):
        return run_dataset(self.params)

    @cached_property
    def history(self):
        return run(self.params)[1]


def setup(namespace: Mapping[str, Any]) -> Chapter:
    """The chapter of the parameters in ``namespace`` (a notebook's ``globals()``), checked (:func:`params.resolve`)."""
    return Chapter(lparams.resolve({name: namespace[name] for name in lparams.PARAMETERS if name in namespace}))
