"""The sentences of the chapter *The data*."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...text import count


def data_intro(ds: Any, scale: str) -> str:
    """The data chapter's opening: where the rows come from, what the classes are, what the inputs measure."""
    classes = f"labelled {ds.class_names[0]} (target 0) or {ds.class_names[1]} (target 1)"
    scaled = "the training rows only" if scale == "train" else "all rows, test rows included"
    standardized = (
        "the scales differ by orders of magnitude, which is why the inputs are standardized before training "
        f"(subtract the mean, divide by the standard deviation, fitted here on {scaled})"
    )
    if ds.name != "breast_cancer":
        return (
            f"This book was built on the CSV file `{ds.name}` instead of the paper's data: {len(ds.raw)} rows, each "
            f"described by {ds.n_features} numeric columns and {classes} by its `{ds.settings['target']}` column.\n\n"
            "## The input variables\n\n"
            "{numref}`tbl-features` lists the input variables with the average of each over all rows, in the data's "
            f"own units; the inputs are standardized before training (fitted here on {scaled})."
        )
    return (
        "The paper uses the copy of the Wisconsin Diagnostic Breast Cancer data that ships with scikit-learn "
        f"(`sklearn.datasets.load_breast_cancer`): {len(ds.raw)} images of a fine-needle aspirate of a breast mass, "
        f"each described by {ds.n_features} numbers computed from the cell nuclei it shows, and {classes}.\n\n"
        "## The input variables: three statistics of ten measurements\n\n"
        "Ten measurements are made on every nucleus of an image. Each enters the data three times: as its **mean** "
        "over the nuclei (`mean radius`), its **standard error** (`radius error`) and its **worst** value, the mean "
        "of the three largest (`worst radius`). {numref}`tbl-features` lists them with the average of each variable "
        f"over all rows, in the data's own units: {standardized}."
    )


def blocks(blocks: Sequence[Sequence[str]], n_features: int, threshold: float, mean_error: int, mean_worst: int) -> str:
    """What the correlated blocks of the data chapter are, counted from them."""
    rule = (
        "The blocks are found from the data rather than by eye: join every pair of variables whose correlation is "
        f"at least {threshold} in absolute value, and take the groups linked by such chains "
        "(`lgrad.study.describe.correlated_blocks`). "
    )
    if not blocks:
        return rule + "No pair of variables is that strongly correlated here: there are no blocks."
    in_blocks = sum(len(block) for block in blocks)
    text = (
        f"There {'is' if len(blocks) == 1 else 'are'} {count(len(blocks), 'block')}, holding {in_blocks} of the "
        f"{n_features} variables ({{numref}}`tbl-blocks`); the largest is {', '.join(max(blocks, key=len))}. "
        "The paper describes its blocks as mainly the mean and the error statistics of the same measurement, e.g. "
        "of the radius. "
    )
    if mean_error or mean_worst:
        text += (
            f"Here {mean_error} of the blocks join the mean and the standard error of one measurement, and "
            f"{mean_worst} join its mean and its worst value; the table says which measurements and statistics "
            "each block joins."
        )
    else:
        text += "Here no block joins two statistics of one measurement."
    return rule + text
