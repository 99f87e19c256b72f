"""The book's default settings, fixed before any result was looked at.

The paper gives the data, the 30 → 3 → 1 architecture, the cost (MSE with ½), SGD and 40 epochs; everything else is
our choice, stated here and discussed (with its sensitivity) in the chapter *Reading the paper*.
"""

DEFAULTS = {
    "dataset": "breast_cancer",
    "seed": 0,
    "epochs": 40,
    "hidden": (3,),
    "activation": "sigmoid",
    "loss": "mse",
    "lr": 0.5,
    "batch_size": 16,
    "test_size": 0.2,
    "scale": "train",
}
