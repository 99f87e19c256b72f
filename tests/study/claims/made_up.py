"""Made-up summaries of the 200-seed study, today's numbers by default, for the claims' tests."""

from __future__ import annotations

import numpy as np


def summaries(perfect=13, learned=200, held=0, covers=184, settle=200, kept=1, longer=True):
    book = {
        "perfect": perfect,
        "n_seeds": 200,
        "perfect_share": perfect / 200,
        "n_test": 114,
        "epochs": 40,
        "cv": 0.978,
        "cv_low": 0.963,
        "cv_high": 0.989,
        "expected_perfect": 0.081,
        "perfect_low": 0.968,
    }
    small = {"perfect": 57, "n_seeds": 200, "n_test": 57}
    overlaps = np.array([4] * held + [2] * (learned - held))
    ranking = {"n_learned": learned, "n_seeds": 200, "overlaps": overlaps, "exact_set": 0, "mean_top_overlap": 3}
    blocks = {"covers_all": covers, "reference_units": ["size", "texture"]}
    conv = {"n_learned": learned, "epochs": 40, "settle": settle, "moved_last": 16}
    long = {"longer": longer, "n_learned": 30 if learned else 0, "kept": kept, "long_epochs": 200}
    return book, small, ranking, blocks, conv, long
