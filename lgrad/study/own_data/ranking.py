"""The final ranking of a reader's input variables by the learning gradient."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

HALF = 0.5


def final_ranking(history: Any) -> pd.DataFrame:
    """Every input variable ranked by its share of the last epoch's learning gradient, most relevant first.

    Columns: ``rank`` (1 = most relevant), ``variable``, ``share`` (of the epoch's Σ_i |∂C_i/∂x|, summing to 1) and
    ``cumulative`` (the shares of this variable and all above it). Ties keep the table's column order.

    Raises:
        DegenerateRunError: the last epoch's learning gradient is zero or not finite, so it ranks nothing.
    """
    row = np.asarray(history.relevance[history.check_rankable(-1)], dtype=float)
    order = np.argsort(-row, kind="stable")
    shares = row[order]
    return pd.DataFrame(
        {
            "rank": np.arange(1, len(order) + 1),
            "variable": [history.feature_names[i] for i in order],
            "share": shares,
            "cumulative": np.cumsum(shares),
        }
    )


def carrying(ranking: pd.DataFrame, share: float = HALF) -> int:
    """How many of the most relevant variables together carry at least ``share`` of the learning gradient."""
    reached = np.flatnonzero(ranking["cumulative"].to_numpy() >= share - 1e-12)
    return int(reached[0]) + 1 if len(reached) else len(ranking)
