"""lgrad: the learning gradient of Reyes-Ochoa & López-Aguayo (arXiv:2012.03188), read from the training backward pass.

The package is four layers, each importing only the ones below it (``lint-imports`` checks it):

* ``lgrad`` itself, the paper's method: ``data`` → ``model`` → ``loss`` → ``batches`` → ``capture`` (the learning
  gradient) → ``training`` → ``history``, with ``seeding``, ``checks``, ``defaults`` and ``atomic``; ``many`` trains
  many seeds as one batched computation; ``digits`` → ``cnn`` → ``cnn_training``, the paper's future work;
* :mod:`lgrad.study`, what the book asks of runs: convergence, sensitivity, post-hoc attributions, the data;
* :mod:`lgrad.figures`, drawing and saving what ``study`` computed, with provenance;
* :mod:`lgrad.book`, building the book: parameters, the doit task graph, the site, the command line.

The public API below is imported on first use, so that ``import lgrad.book.params`` (the build's start-up) does not
import torch.
"""

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_API = {
    "CNNHistory": "cnn_training",
    "DEFAULTS": "defaults",
    "DegenerateRunError": "history",
    "DigitsCNN": "cnn",
    "ImageDataset": "digits",
    "Dataset": "data",
    "History": "history",
    "LearningGradient": "capture",
    "MLP": "model",
    "ShuffledBatches": "batches",
    "batch_cost": "loss",
    "build_cnn": "cnn",
    "build_model": "model",
    "epoch_orders": "training",
    "example_cost": "loss",
    "load_dataset": "data",
    "load_datasets": "data",
    "load_digits_dataset": "digits",
    "normalize": "capture",
    "train": "training",
    "train_cnn": "cnn_training",
    "train_many": "many",
}

__all__ = [*_API, "__version__"]


def __getattr__(name: str) -> Any:
    if name not in _API:
        raise AttributeError(f"module 'lgrad' has no attribute {name!r}")
    value = getattr(import_module(f".{_API[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})
