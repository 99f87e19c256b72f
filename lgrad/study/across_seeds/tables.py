"""The book's tables of the study across seeds, from :mod:`lgrad.study.across_seeds.summaries`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .seed_runs import DESIGNS


def sources_table(found: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """:func:`sources` as the book's table: one row per measure, one column per design (narrow enough for a phone)."""
    rows = {
        key: {
            "seeds": row["seeds"],
            "learned": row["learned"],
            "test accuracy, mean": f"{100 * row['accuracy_mean']:.1f} %",
            "test accuracy, sd (pp)": round(100 * row["accuracy_sd"], 2),
            "seeds at 100 %": row["perfect"],
            "Kendall τ (mean over pairs)": _rounded(row["tau"]),
            "Kendall's W": _rounded(row["w"]),
            "distinct top-5 sets": row["n_sets"],
            "paper's five held (mean)": _rounded(row["held"]),
        }
        for key, row in found.items()
    }
    table = pd.DataFrame({DESIGNS[key]: pd.Series(row, dtype=object) for key, row in rows.items()})
    return table.rename_axis("measure").reset_index()


def ranking_table(book: Mapping[str, Any], small: Mapping[str, Any], units: Mapping[str, str],
                  reference: Sequence[str], rows: int = 10) -> pd.DataFrame:  # fmt: skip
    """The variables most often in a run's top five (the first ``rows``, and every variable of ``reference``) from
    :func:`ranking_summary` of the book's split (``book``) and of the 10 % split (``small``): their block, the share
    of runs with them in the top five on each split, their seed-averaged learning gradient (%) and its rank, and their
    rank in ``reference``."""
    names = list(book["frequency"].index)
    shown = list(dict.fromkeys([*names[:rows], *(name for name in reference if name in names)]))
    mean = book["mean_relevance"]
    mean_rank = mean.rank(ascending=False, method="first")
    table = []
    for name in shown:
        table.append(
            {
                "variable": name,
                "block": units[name] if units[name] != name else "",
                "top 5, book split": _share(book["frequency"][name], book["n_learned"]),
                "top 5, 10 % split": _share(small["frequency"][name], small["n_learned"]),
                "mean (%)": round(100 * float(mean[name]), 2) if book["n_learned"] else None,
                "mean's rank": int(mean_rank[name]) if book["n_learned"] else None,
                "paper's rank": reference.index(name) + 1 if name in reference else None,
            }
        )
    frame = pd.DataFrame(table)
    for column in ("mean's rank", "paper's rank"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _share(count: int, total: int) -> str:
    return f"{100 * count / total:.0f} %" if total else "—"


def _rounded(value: float, digits: int = 2) -> float | None:
    return round(float(value), digits) if np.isfinite(value) else None
