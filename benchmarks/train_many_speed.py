"""Speed of lgrad.many.train_many against a loop over lgrad.train, measured side by side on one thread.

Prints, for batch sizes 32 and 1, the median over paired repeats of:
- loop / batched: a Python loop of ``lgrad.train`` over the seeds, against one ``train_many`` over the same seeds
  (goals: >= 25x at batch size 32, >= 50x at batch size 1);
- recorded / plain: ``train_many`` recording the learning gradient (``record="epoch"``) against ``record=None``
  (goal: <= 1.05x);
- floor / plain: ``train_many`` whose batches require grad, so that each backward pass computes ∂C/∂x (one more
  batched matrix product) and adds it into the batches' gradient slots, with nothing read or cleared at the end of
  an epoch: the part of the recording's cost that comes with the learning gradient itself.
A loop over ``lgrad.train`` costs the same for every seed (independent runs, the same number of steps), so it is
timed on the first ``--loop-seeds`` seeds and scaled to all of them: at batch size 1, 100 seeds x 40 epochs take
~15 minutes a repeat. Each repeat runs the variants back to back in a rotating order, so that machine noise hits
them alike; medians of ratios, never single timings.

    python benchmarks/train_many_speed.py [--quick] [--seeds 100] [--epochs 40] [--repeats 5] [--batch-sizes 32,1]
"""

from __future__ import annotations

import argparse
import functools
import math
import statistics
from unittest import mock

import torch
from paired import median_ratio, paired_times

import lgrad
import lgrad.many
from lgrad.many import SeedGradients, train_many

GOALS = {32: 25.0, 1: 50.0}
RECORD_GOAL = 1.05


class InputGradOnly(SeedGradients):
    """Makes the batches leaves that require grad, so backward computes ∂C/∂x into their slots, and reads nothing."""

    def end_epoch(self) -> None:
        self._batch_rows.append(torch.zeros(1, *self._full.shape[1::2]))


def floor(*args, **kwargs) -> None:
    with mock.patch.object(lgrad.many, "SeedGradients", InputGradOnly):
        train_many(*args, **kwargs)


def loop(dataset, seeds, **settings) -> None:
    for seed in seeds:
        lgrad.train(dataset, seed=seed, **settings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=100, help="seeds trained at once (default 100)")
    parser.add_argument("--epochs", type=int, default=40, help="epochs per training (default 40)")
    parser.add_argument("--repeats", type=int, default=5, help="paired repeats per batch size (default 5)")
    parser.add_argument("--loop-seeds", type=int, default=4, help="seeds the lgrad.train loop is timed on (default 4)")
    parser.add_argument("--batch-sizes", default="32,1", help="comma-separated batch sizes (default 32,1)")
    parser.add_argument("--quick", action="store_true", help="20 seeds, 10 epochs, 3 repeats, loop timed on 2 seeds")
    args = parser.parse_args()
    if args.quick:
        args.seeds, args.epochs, args.repeats, args.loop_seeds = 20, 10, 3, 2
    torch.set_num_threads(1)
    dataset = lgrad.load_dataset()
    seeds = list(range(args.seeds))
    loop_seeds = seeds[: min(args.loop_seeds, args.seeds)]
    scale = len(seeds) / len(loop_seeds)

    print(
        f"torch {torch.__version__}, 1 thread, {len(dataset.y_train)} training examples, {len(seeds)} seeds x "
        f"{args.epochs} epochs, float32, {args.repeats} paired repeats; the loop timed on {len(loop_seeds)} seeds, "
        f"x {scale:g}"
    )
    header = ("batch size", "batched s", "loop s", "loop/batched", "goal", "recorded/plain", "floor/plain")
    print(" ".join(f"{name:>{width}}" for name, width in zip(header, (10, 9, 8, 12, 6, 14, 12), strict=True)))
    for batch_size in (int(size) for size in args.batch_sizes.split(",")):
        settings = {"batch_size": batch_size, "epochs": args.epochs}
        variants = {
            "batched": functools.partial(train_many, dataset, seeds, **settings, record="epoch"),
            "plain": functools.partial(train_many, dataset, seeds, **settings, record=None),
            "floor": functools.partial(floor, dataset, seeds, **settings, record="epoch"),
            "loop": functools.partial(loop, dataset, loop_seeds, **settings, record="epoch"),
        }
        train_many(dataset, seeds[:2], batch_size=batch_size, epochs=1)  # warm-up
        times = paired_times(variants, args.repeats)
        speedup = median_ratio(times, "loop", "batched", scale)
        record = median_ratio(times, "batched", "plain")
        goal = GOALS.get(batch_size, math.nan)
        floor_ratio = median_ratio(times, "floor", "plain")
        print(
            f"{batch_size:>10} {statistics.median(times['batched']):>9.2f} "
            f"{scale * statistics.median(times['loop']):>8.1f} {speedup:>11.1f}x {goal:>5g}x "
            f"{record:>13.3f}x {floor_ratio:>11.3f}x"
        )
    print(f"goals: loop/batched >= {GOALS[32]:g}x at batch size 32 and >= {GOALS[1]:g}x at 1; "
          f"recorded/plain <= {RECORD_GOAL}x")  # fmt: skip


if __name__ == "__main__":
    main()
