"""Cost of recording the learning gradient, measured side by side on one thread.

Prints, for batch sizes 1, 32 and "full", the median over paired repeats of the ratio to plain training
(``record=None``) of:
- recorded: training with the learning gradient recorded (``record="epoch"``);
- floor: training whose batches require grad, so that the backward pass adds ∂C/∂x into their gradient slots, but
  with nothing read or cleared at the end of an epoch: the cost of the backward pass's extra matrix product and
  accumulation alone, under which this recorder cannot go;
- post-hoc: plain training plus Captum ``Saliency`` on the whole training set after every epoch (a second forward
  and backward pass).
Each repeat runs the variants back to back in a rotating order, so machine noise hits them alike; medians of
ratios, never single timings.

    python benchmarks/capture_overhead.py [--repeats 15] [--epochs 40]
"""

from __future__ import annotations

import argparse
import functools
import statistics
from unittest import mock

import torch
from paired import median_ratio, paired_times

import lgrad
import lgrad.training
from lgrad.study.attributions.captum_methods import saliency_relevance


class InputGradOnly(lgrad.LearningGradient):
    """Makes the batches leaves that require grad, so backward computes ∂C/∂x into their slots, and reads nothing."""

    def end_epoch(self) -> None:
        self._epoch_rows.append(torch.ones(1, 1))


def floor_train(*args, **kwargs):
    with mock.patch.object(lgrad.training, "LearningGradient", InputGradOnly):
        return lgrad.train(*args, **kwargs)


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
    print(f"{'batch size':>10} {'epochs':>6} {'plain s':>8} {'recorded':>9} {'floor':>7} {'post-hoc':>9}   (ratios)")
    for batch_size in (1, 32, "full"):
        epochs = max(1, args.epochs // 4) if batch_size == 1 else args.epochs
        settings = {"batch_size": batch_size, "epochs": epochs}
        variants = {
            "plain": functools.partial(lgrad.train, dataset, **settings, record=None),
            "recorded": functools.partial(lgrad.train, dataset, **settings, record="epoch"),
            "floor": functools.partial(floor_train, dataset, **settings, record="epoch"),
            "post-hoc": functools.partial(lgrad.train, dataset, **settings, record=None, on_epoch_end=posthoc),
        }
        variants["plain"]()  # warm-up
        times = paired_times(variants, args.repeats)
        ratio = {name: median_ratio(times, name, "plain") for name in list(variants)[1:]}
        print(
            f"{batch_size!s:>10} {epochs:>6} {statistics.median(times['plain']):>8.3f} "
            f"{ratio['recorded']:>9.3f} {ratio['floor']:>7.3f} {ratio['post-hoc']:>9.3f}"
        )
    print("goal: recorded/plain <= 1.05 at batch size 32")


if __name__ == "__main__":
    main()
