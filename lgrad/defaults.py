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

STUDY_DEFAULTS = {"seeds": 200, "retrain_seeds": 30, "long_epochs": 200, "cnn_epochs": 30}
"""The sizes of the book's studies beyond one run: networks across seeds, seeds per retraining point, the epochs of
the long runs, the epochs of the digits CNN. Chosen for a cold build of the whole book in about a minute and a half
on two cores; every chapter states what its numbers rest on."""
