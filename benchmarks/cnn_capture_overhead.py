"""Cost of recording the learning gradient of the digits CNN, measured side by side on one thread.

Prints, for a few batch sizes, the median over paired repeats of the ratio to plain training (``record=None``) of:
- recorded: training with the learning gradient recorded as maps per epoch and per class (``record="epoch"``);
- floor: training whose image batches require grad, so that the backward pass also computes ∂C/∂x (the
  convolution's input gradient, which plain training skips) into their gradient slots, with nothing read or cleared
  at the end of an epoch: the cost of that extra gradient alone, under which this recorder cannot go;
- post-hoc: plain training plus Captum ``Saliency`` on every training image after every epoch (a second forward
  and backward pass).
Each repeat runs the variants back to back in a rotating order, so machine noise hits them alike; medians of
ratios, never single timings.

Read recorded against floor: the gap is the recorder's own cost (its end-of-epoch bulk sums); the floor is what
computing ∂C/∂x costs in PyTorch's backward pass. For the paper's network that is one small matrix product; here
the first layer is a convolution, and its input gradient is a transposed convolution that plain training skips.

    python benchmarks/cnn_capture_overhead.py [--repeats 15] [--epochs 20] [--batch-sizes 1 32 full] [--quick]
"""

from __future__ import annotations

import argparse
import functools
import statistics
from unittest import mock

import torch
from captum.attr import Saliency
from paired import median_ratio, paired_times

import lgrad.cnn_training
from lgrad.capture import LearningGradient
from lgrad.cnn_training import train_cnn
from lgrad.digits import load_digits_dataset
from lgrad.loss import example_cost


class InputGradOnly(LearningGradient):
    """Makes the batches leaves that require grad, so backward computes ∂C/∂x into their slots, and reads nothing."""

    def end_epoch(self) -> None:
        pass


def floor_train(*args, **kwargs):
    with mock.patch.object(lgrad.cnn_training, "LearningGradient", InputGradOnly):
        return train_cnn(*args, **kwargs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="paired repeats per batch size (default 15)")
    parser.add_argument("--epochs", type=int, default=20, help="epochs per training (default 20)")
    parser.add_argument(
        "--batch-sizes", nargs="+", default=["1", "32", "full"], help="integers or 'full' (default 1 32 full)"
    )
    parser.add_argument("--quick", action="store_true", help="5 repeats of 5 epochs, batch size 32 only")
    args = parser.parse_args()
    batch_sizes = tuple(size if size == "full" else int(size) for size in args.batch_sizes)
    repeats, epochs = args.repeats, args.epochs
    if args.quick:
        repeats, epochs, batch_sizes = 5, 5, (32,)
    torch.set_num_threads(1)
    digits = load_digits_dataset()
    X, y = digits.X_train.float(), digits.y_train

    def posthoc(epoch, model):
        saliency = Saliency(lambda images: example_cost("ce", model(images), y))
        saliency.attribute(X.detach().requires_grad_(True), abs=True).sum(0)

    print(f"torch {torch.__version__}, 1 thread, {len(y)} training images (8×8), {repeats} paired repeats")
    print(f"{'batch size':>10} {'epochs':>6} {'plain s':>8} {'recorded':>9} {'floor':>7} {'post-hoc':>9}   (ratios)")
    for batch_size in batch_sizes:
        n_epochs = max(1, epochs // 8) if batch_size == 1 else epochs
        settings = {"batch_size": batch_size, "epochs": n_epochs}
        variants = {
            "plain": functools.partial(train_cnn, digits, **settings, record=None),
            "recorded": functools.partial(train_cnn, digits, **settings, record="epoch"),
            "floor": functools.partial(floor_train, digits, **settings, record="epoch"),
            "post-hoc": functools.partial(train_cnn, digits, **settings, record=None, on_epoch_end=posthoc),
        }
        variants["plain"]()  # warm-up
        times = paired_times(variants, repeats)
        ratio = {name: median_ratio(times, name, "plain") for name in list(variants)[1:]}
        print(
            f"{batch_size!s:>10} {n_epochs:>6} {statistics.median(times['plain']):>8.3f} "
            f"{ratio['recorded']:>9.3f} {ratio['floor']:>7.3f} {ratio['post-hoc']:>9.3f}"
        )
    print("goal: recorded/plain <= 1.05 at batch size 32")


if __name__ == "__main__":
    main()
