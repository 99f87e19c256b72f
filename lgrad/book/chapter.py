"""What every chapter starts with: ``chapter = setup(globals())`` after its ``parameters`` cell.

``chapter.params`` are the parameters, checked; ``chapter.dataset`` their data and split; ``chapter.history`` the base
run (:func:`lgrad.study.runs.run`), which the chapters of a build share through the build's run cache.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from . import params as lparams


@dataclass(frozen=True)
class Chapter:
    params: dict[str, Any]

    @cached_property
    def dataset(self):
        from ..study.runs import run_dataset

        return run_dataset(self.params)

    @cached_property
    def history(self):
        from ..study.runs import run

        return run(self.params)[1]


def setup(namespace: Mapping[str, Any]) -> Chapter:
    """The chapter of the parameters set in ``namespace`` (a notebook's ``globals()``); a bad one raises
    :class:`lgrad.book.params.ParameterError` naming it and what is allowed."""
    return Chapter(lparams.resolve({name: namespace[name] for name in lparams.PARAMETERS if name in namespace}))
