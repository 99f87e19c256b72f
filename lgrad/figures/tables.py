"""Tables of the book: this run's most relevant variables beside the paper's."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..checks import check_int
from ..study.references import PAPER_TOP5


def top5_table(history: Any, k: int = 5) -> pd.DataFrame:
    """The ``k`` most relevant variables after the last epoch beside the paper's top 5 (Fig. 5's caption).

    Columns: ``rank``; ``this run`` and its ``relevance (%)`` (the learning gradient of the last epoch × 100);
    ``paper`` (the paper's variable at that rank, empty past 5); ``in paper's top 5``: ``✓ same rank``,
    ``✓ paper #r`` (listed by the paper at rank r) or ``✗``. A run that learned nothing has no top ``k``: its rows
    say so, beside the paper's list.
    """
    final = np.asarray(history.relevance[-1], dtype=float)
    names = list(history.feature_names)
    k = check_int("k", k, minimum=1, maximum=len(names))
    learned = bool(np.isfinite(final).all() and (final != 0).any())  # the last epoch ranks (History.rankable)
    order = list(np.argsort(-final, kind="stable")[:k]) if learned else [None] * k
    rows = []
    for rank, index in enumerate(order, start=1):
        name = names[index] if index is not None else "— (learned nothing)"
        if index is None:
            match = "—"
        elif name not in PAPER_TOP5:
            match = "✗"
        elif PAPER_TOP5.index(name) + 1 == rank:
            match = "✓ same rank"
        else:
            match = f"✓ paper #{PAPER_TOP5.index(name) + 1}"
        rows.append(
            {
                "rank": rank,
                "this run": name,
                "relevance (%)": round(100.0 * float(final[index]), 2) if index is not None else None,
                "paper": PAPER_TOP5[rank - 1] if rank <= len(PAPER_TOP5) else "",
                "in paper's top 5": match,
            }
        )
    return pd.DataFrame(rows)


SHORT_HEADERS = {"test accuracy": "test acc.", "train accuracy": "train acc."}
"""Column names :func:`display_table` shortens, so that the sensitivity table fits the book's text column."""


def display_table(table: pd.DataFrame, k: int = 5) -> pd.DataFrame:
    """A copy with accuracies as percentages (one decimal) and counts as "n/k", for the book's tables
    (the sensitivity table and the seed sweep of :mod:`lgrad.study.sensitivity`); the accuracies' column names are
    shortened (:data:`SHORT_HEADERS`)."""
    shown = table.drop(columns=["top", "learned"], errors="ignore").copy()
    for column in ("test accuracy", "train accuracy"):
        if column in shown:
            shown[column] = [f"{100 * v:.1f} %" for v in shown[column]]
    for column in ("in paper's top 5", "shared with base top 5"):
        if column in shown:
            shown[column] = ["—" if np.isnan(v) else f"{int(v)}/{k}" for v in shown[column].astype(float)]
    return shown.rename(columns=SHORT_HEADERS)
