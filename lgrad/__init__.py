"""lgrad: the learning gradient of Reyes-Ochoa & López-Aguayo (arXiv:2012.03188), read from the training backward pass.

data → model → training with capture → history; figures and the book build on top.
"""

from .batches import ShuffledBatches
from .capture import LearningGradient, normalize
from .data import Dataset, load_dataset
from .defaults import DEFAULTS
from .history import History
from .loss import batch_cost, example_cost
from .model import MLP, build_model
from .training import epoch_orders, train

__version__ = "0.1.0"

__all__ = [
    "DEFAULTS",
    "Dataset",
    "History",
    "LearningGradient",
    "MLP",
    "ShuffledBatches",
    "batch_cost",
    "build_model",
    "epoch_orders",
    "example_cost",
    "load_dataset",
    "normalize",
    "train",
    "__version__",
]
