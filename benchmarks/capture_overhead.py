"""Cost of recording the learning gradient, measured side by side on one thread.

Prints, for batch sizes 1, 32 and "full", the median over paired repeats of
    (training with the learning gradient recorded) / (plain training, record=None)
and the same ratio for the post-hoc alternative: plain training plus Captum ``Saliency`` on the whole training set
after every epoch (a second forward and backward pass). Each repeat runs the three variants back to back in a
rotating order, so machine noise hits them alike; medians and ratios, never single timings.

    python benchmarks/capture_overhead.py [--repeats 15] [--epochs 40]
"""

from __future__ import annotations

import argparse
import functools
import statistics
import time

import torch

import lgrad
from lgrad.posthoc import saliency_relevance


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="paired repeats per batch size (default 15)")
    parser.add_argument("--epochs", type=int, default=40, help="epochs per training (batch size 1 uses a quarter)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    dataset = lgrad.load_dataset()
    X, y = dataset.X_train.float(), dataset.y_train.float()

    def posthoc(epoch, model):
        saliency_relevance(model, X, y, "mse")

    print(f"torch {torch.__version__}, 1 thread, {len(y)} training examples, {args.repeats} paired repeats")
    print(f"{'batch size':>10} {'epochs':>6} {'plain s':>8} {'recorded/plain':>15} {'post-hoc/plain':>15}")
    for batch_size in (1, 32, "full"):
        epochs = max(1, args.epochs // 4) if batch_size == 1 else args.epochs
        settings = {"batch_size": batch_size, "epochs": epochs}
        variants = {
            "plain": functools.partial(lgrad.train, dataset, **settings, record=None),
            "recorded": functools.partial(lgrad.train, dataset, **settings, record="epoch"),
            "posthoc": functools.partial(lgrad.train, dataset, **settings, record=None, on_epoch_end=posthoc),
        }
        variants["plain"]()  # warm-up
        times: dict[str, list[float]] = {name: [] for name in variants}
        names = list(variants)
        for repeat in range(args.repeats):
            for name in names[repeat % 3 :] + names[: repeat % 3]:
                times[name].append(timed(variants[name]))
        ratio = {
            name: statistics.median(t / p for t, p in zip(times[name], times["plain"], strict=True))
            for name in ("recorded", "posthoc")
        }
        print(
            f"{batch_size!s:>10} {epochs:>6} {statistics.median(times['plain']):>8.3f} "
            f"{ratio['recorded']:>15.3f} {ratio['posthoc']:>15.3f}"
        )
    print("goal: recorded/plain <= 1.05 at batch size 32")


if __name__ == "__main__":
    main()
