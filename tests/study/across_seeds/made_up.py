"""Made-up seed runs for the tests of the study across seeds."""

from __future__ import annotations

import numpy as np

from lgrad.study.across_seeds import seed_runs

NAMES = ("a", "b", "c", "d", "e", "f")


def made_up(final_rows, epochs: int = 4, accuracy=None, n_test: int = 10, key: str = "both") -> seed_runs.SeedRuns:
    """Runs whose relevance moves linearly from uniform to ``final_rows``; a row of zeros learned nothing."""
    final = np.asarray(final_rows, dtype=float)
    learned = final.sum(axis=1) > 0
    final = np.where(learned[:, None], final / np.where(learned, final.sum(axis=1), 1)[:, None], 0.0)
    uniform = np.full(final.shape[1], 1 / final.shape[1])
    weights = np.linspace(0, 1, epochs)
    relevance = np.stack([[(1 - w) * uniform + w * row if ok else 0 * row for w in weights]
                          for row, ok in zip(final, learned, strict=True)])  # fmt: skip
    accuracy = np.ones(len(final)) if accuracy is None else np.asarray(accuracy, dtype=float)
    return seed_runs.SeedRuns(
        design=key,
        feature_names=NAMES,
        split_seeds=np.arange(len(final)),
        train_seeds=np.arange(len(final)),
        relevance=relevance,
        rankable=np.repeat(learned[:, None], epochs, axis=1),
        test_accuracy=np.repeat(accuracy[:, None], epochs, axis=1),
        n_test=n_test,
        n_train=20,
    )


FINALS = [[6, 5, 4, 3, 2, 1], [6, 5, 1, 2, 3, 4], [1, 2, 6, 5, 4, 3], [0, 0, 0, 0, 0, 0]]
