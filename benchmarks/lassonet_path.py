"""How much the retraining chapter's lighter LassoNet path changes LassoNet's ranking, and what it saves.

The chapter *Fewer inputs* ranks the variables by the order in which they leave LassoNet's regularization path,
with the path made lighter than the package's defaults (:data:`lgrad.study.rankings.LASSONET_OPTIONS`) to keep the
build fast. For a few seeds on the book's default split, this prints the time of each path on one thread, the
Spearman correlation between the two orders of all variables, and how many of the five first variables they share.
Not a test: the default path takes too long for the build.

    python benchmarks/lassonet_path.py [--seeds 0 1 2]
"""

from __future__ import annotations

import argparse
import statistics
import time
from importlib.metadata import version

import numpy as np
import torch
from scipy.stats import spearmanr

from lgrad.study.fewer_inputs.rankings import LASSONET_OPTIONS, lassonet_ranking
from lgrad.study.runs import run_dataset, run_settings

DEFAULTS = {
    "lambda_start": "auto",
    "path_multiplier": 1.02,
    "n_iters": (1000, 100),
    "patience": (100, 10),
    "learning_rates": (1e-3, 1e-3),
}
"""``LassoNetClassifier``'s own defaults for the options that :data:`LASSONET_OPTIONS` changes."""


def ranks(order: np.ndarray) -> np.ndarray:
    """The rank of each variable (0 = first) from an order of the variables."""
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="LassoNet seeds (default 0 1 2)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    ds = run_dataset(run_settings(None))
    hidden = run_settings(None)["hidden"]
    assert set(DEFAULTS) == set(LASSONET_OPTIONS)
    print(f"lassonet {version('lassonet')}, torch {torch.__version__}, 1 thread, {len(ds.y_train)} training rows")
    print(f"{'seed':>4} {'light s':>8} {'default s':>10} {'Spearman':>9} {'top 5 shared':>13}")
    rows = []
    for seed in args.seeds:
        timed = {}
        for name, options in (("light", LASSONET_OPTIONS), ("default", DEFAULTS)):
            start = time.perf_counter()
            order = lassonet_ranking(ds.X_train, ds.y_train, seed, hidden, **options)
            timed[name] = (time.perf_counter() - start, order)
        (light_s, light), (default_s, default) = timed["light"], timed["default"]
        rho = spearmanr(ranks(light), ranks(default)).statistic
        shared = len(set(light[:5]) & set(default[:5]))
        rows.append((light_s, default_s, rho, shared))
        print(f"{seed:>4} {light_s:>8.1f} {default_s:>10.1f} {rho:>9.2f} {shared:>13}")
    light_s, default_s, rho, shared = (statistics.median(column) for column in zip(*rows, strict=True))
    print(f"median: light {light_s:.1f} s, default {default_s:.1f} s ({default_s / light_s:.0f}x), Spearman {rho:.2f}, "
          f"{shared:g} of the top 5 shared")  # fmt: skip


if __name__ == "__main__":
    main()
