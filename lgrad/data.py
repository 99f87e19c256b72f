"""Datasets: scikit-learn's bundled breast-cancer set or a CSV file, split and standardized.

The paper standardizes the inputs (subtract the mean, divide by the standard deviation) but does not say on which
rows the statistics were computed; ``scale="train"`` (the default) fits them on the training part only, ``"all"``
on every row as the paper may have done.
"""

from __future__ import annotations

import difflib
import numbers
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from .checks import check_choice, check_seed, check_test_size
from .seeding import derive_seed

BUNDLED = {"breast_cancer": load_breast_cancer}
SCALES = ("train", "all")
SHOWN_COLUMNS = 8
"""How many of a CSV file's columns a message lists before it says how many there are in all."""


class ClassCountError(ValueError):
    """A target column that does not hold exactly two classes; ``labels`` are the ones it holds, in their order."""

    def __init__(self, message: str, labels: list) -> None:
        super().__init__(message)
        self.labels = labels


@dataclass(frozen=True, eq=False)
class Dataset:
    """A binary-classification dataset split into standardized train and test tensors (float64)."""

    name: str
    feature_names: tuple[str, ...]
    class_names: tuple[str, str]
    """The labels of class 0 and class 1 as the data writes them (as text), e.g. ``("B", "M")`` for a CSV file."""
    X_train: torch.Tensor
    y_train: torch.Tensor
    X_test: torch.Tensor
    y_test: torch.Tensor
    raw: pd.DataFrame
    """Every row in original units: the feature columns and a ``target`` column (0 or 1)."""
    settings: dict
    """How it was read, split and scaled: ``test_size``, ``split_seed``, ``stratify``, ``scale``, ``target``,
    ``positive``."""

    @property
    def n_features(self) -> int:
        return len(self.feature_names)


def load_dataset(
    name: str | Path = "breast_cancer",
    *,
    test_size: float = 0.2,
    seed: int = 0,
    stratify: bool = True,
    scale: str = "train",
    target: str | None = None,
    positive: str | float | None = None,
) -> Dataset:
    """Load, split (scikit-learn's ``train_test_split``, seeded) and standardize a dataset.

    Args:
        name: ``"breast_cancer"`` (scikit-learn's bundled Wisconsin Diagnostic Breast Cancer set) or the path of a
            CSV file with numeric feature columns and a binary target column named by ``target``.
        test_size: fraction of the rows held out for testing, in (0, 1).
        seed: fixes the split (its own stream, see :mod:`lgrad.seeding`).
        stratify: keep the class balance in both parts.
        scale: ``"train"`` fits the standardization on the training rows only, ``"all"`` on every row.
        target: name of the target column of a CSV file (required for CSV, unused otherwise).
        positive: the label that is class 1, as the data writes it or as text (``"10"`` picks the number 10).
            By default the two labels keep their natural order (numbers numerically, text as it sorts) and the
            second is class 1; for ``"breast_cancer"`` the order is scikit-learn's, ``"malignant"`` then
            ``"benign"``. The split does not depend on it: the same rows are held out whichever label is class 1.
    """
    seed = check_seed(seed)
    options = {"test_size": test_size, "stratify": stratify, "scale": scale, "target": target, "positive": positive}
    return load_datasets(name, [seed], **options)[0]


def load_datasets(
    name: str | Path = "breast_cancer",
    seeds: Iterable[int] = (0,),
    *,
    test_size: float = 0.2,
    stratify: bool = True,
    scale: str = "train",
    target: str | None = None,
    positive: str | float | None = None,
) -> list[Dataset]:
    """One dataset per seed of ``seeds``: ``load_datasets(name, seeds)[i]`` is ``load_dataset(name, seed=seeds[i])``
    (the same split, the same numbers), the data read and checked once. For many splits at once, e.g. one per seed
    of :func:`lgrad.train_many`. The arguments are those of :func:`load_dataset`.
    """
    test_size = check_test_size(test_size)
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Iterable):
        raise TypeError(f"seeds must be a sequence of integer seeds, e.g. range(10), got {seeds!r}")
    seeds = [check_seed(seed, name=f"seeds[{i}]") for i, seed in enumerate(seeds)]
    check_choice("scale", scale, SCALES)
    if not isinstance(stratify, bool):
        raise TypeError(f"stratify must be True or False, got {stratify!r}")

    if isinstance(name, str) and name in BUNDLED:
        bunch = BUNDLED[name]()
        features = pd.DataFrame(bunch.data, columns=[str(c) for c in bunch.feature_names])
        order = [str(label) for label in bunch.target_names]
        column = pd.Series(np.asarray(order)[bunch.target])
        where = f"data set {name!r}"
    elif isinstance(name, (str, Path)) and (Path(name).suffix.lower() == ".csv" or Path(name).exists()):
        features, column = _read_csv(Path(name), target)
        order = sorted(column.unique().tolist())  # Python scalars: messages show 0, not np.int64(0)
        if len(order) != 2:
            shown = ", ".join(repr(c) for c in order[:5]) + (", ..." if len(order) > 5 else "")
            raise ClassCountError(
                f"target column {target!r} must hold exactly two classes, found {len(order)}: {shown}", order
            )
        where = f"target column {target!r} of {str(name)!r}"
        name = str(name)
    else:
        raise ValueError(
            f"dataset must be one of {', '.join(repr(k) for k in BUNDLED)} or the path of a CSV file, got {name!r}"
        )

    natural = (column == order[1]).to_numpy().astype(np.int64)
    swap = positive is not None and _is_first_label(order, positive, where)
    labels = 1 - natural if swap else natural
    class_names = tuple(str(label) for label in (order[::-1] if swap else order))
    rows = np.arange(len(labels))
    values = features.to_numpy(dtype=np.float64)
    raw = features.assign(target=labels)
    datasets = []
    for seed in seeds:
        try:
            train_rows, test_rows = train_test_split(
                rows,
                test_size=test_size,
                random_state=derive_seed(seed, "split") % 2**32,
                stratify=natural if stratify else None,
            )
        except ValueError as err:
            raise ValueError(f"test_size={test_size} cannot split {len(rows)} rows: {err}") from None
        train_rows, test_rows = np.sort(train_rows), np.sort(test_rows)

        scaler = StandardScaler().fit(values[train_rows] if scale == "train" else values)
        standardized = scaler.transform(values)
        dataset = Dataset(
            name=str(name),
            feature_names=tuple(features.columns),
            class_names=class_names,
            X_train=torch.from_numpy(standardized[train_rows]),
            y_train=torch.from_numpy(labels[train_rows].astype(np.float64)),
            X_test=torch.from_numpy(standardized[test_rows]),
            y_test=torch.from_numpy(labels[test_rows].astype(np.float64)),
            raw=raw,
            settings={
                "test_size": test_size,
                "split_seed": seed,
                "stratify": stratify,
                "scale": scale,
                "target": target,
                "positive": positive.item() if isinstance(positive, np.generic) else positive,
            },
        )
        datasets.append(dataset)
    return datasets


def _is_first_label(order: list, positive: str | float, where: str) -> bool:
    """Whether ``positive`` names the first of the two labels (``False``: the second); else a clear error."""
    shown = ", ".join(repr(c) for c in order)
    if isinstance(positive, bool) or not isinstance(positive, (str, numbers.Real)):
        raise TypeError(
            f"positive must be one of the labels of {where}: {shown}, got {positive!r} ({type(positive).__name__})"
        )
    if not any(_same_label(label, positive) for label in order):
        raise ValueError(f"positive must be one of the labels of {where}: {shown}, got {positive!r}")
    return _same_label(order[0], positive)


def _same_label(label, positive) -> bool:
    return label == positive or str(label) == str(positive)


def _read_csv(path: Path, target: str | None) -> tuple[pd.DataFrame, pd.Series]:
    """Read and check a CSV file, returning its feature columns (float64) and its target column.

    Every defect is one ``ValueError`` that says what and where.
    """
    if not path.is_file():
        raise ValueError(f"dataset file {str(path)!r} does not exist")
    if target is None:
        raise ValueError(f"target must name the target column of {str(path)!r}, got None")
    try:
        frame = pd.read_csv(path)
    except pd.errors.EmptyDataError:
        raise ValueError(f"dataset file {str(path)!r} is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as err:
        raise ValueError(f"dataset file {str(path)!r} is not a readable CSV file: {err}") from None
    if frame.shape[0] == 0:
        raise ValueError(f"dataset file {str(path)!r} has a header but no rows")
    if target not in frame.columns:
        raise ValueError(f"target column {target!r} is not in {str(path)!r}; {_columns_hint(target, frame.columns)}")

    missing = frame.isna()
    if missing.to_numpy().any():
        row, col = np.argwhere(missing.to_numpy())[0]
        count = int(missing.to_numpy().sum())
        raise ValueError(
            f"dataset file {str(path)!r} has {count} empty or NaN cell(s); the first is in column "
            f"{frame.columns[col]!r}, data row {row + 1} (line {row + 2} of the file)"
        )

    features = frame.drop(columns=[target])
    if features.shape[1] == 0:
        raise ValueError(f"dataset file {str(path)!r} has no feature columns besides the target {target!r}")
    for column in features.columns:
        if not pd.api.types.is_numeric_dtype(features[column]):
            text = features[column][pd.to_numeric(features[column], errors="coerce").isna()]
            row, example = int(text.index[0]), text.iloc[0]
            raise ValueError(
                f"column {column!r} of {str(path)!r} is not numeric (e.g. the value {example!r}); it is in data row "
                f"{row + 1} (line {row + 2} of the file), and every feature column must hold numbers"
            )
    values = features.to_numpy(dtype=np.float64)
    if not np.isfinite(values).all():
        col = int(np.argwhere(~np.isfinite(values))[0][1])
        raise ValueError(f"column {features.columns[col]!r} of {str(path)!r} holds an infinite value")
    for column, std in zip(features.columns, values.std(axis=0), strict=True):
        if std == 0:
            raise ValueError(
                f"column {column!r} of {str(path)!r} is constant (its standard deviation is 0), "
                "so it cannot be standardized; drop it"
            )
    return features.astype(np.float64), frame[target]


def _columns_hint(target: str, columns: pd.Index) -> str:
    """``its columns are 'a', 'b', …`` (the first :data:`SHOWN_COLUMNS`, then how many in all), with the closest
    name first if one is close to ``target`` (other case, stray spaces, a typo)."""
    names = [str(c) for c in columns]
    folded = {name.strip().lower(): name for name in names}
    close = [folded[target.strip().lower()]] if target.strip().lower() in folded else []
    close = close or difflib.get_close_matches(target, names, n=1, cutoff=0.8)
    shown = ", ".join(repr(c) for c in names[:SHOWN_COLUMNS])
    more = f", ... ({len(names)} columns in all)" if len(names) > SHOWN_COLUMNS else ""
    return (f"did you mean {close[0]!r}? " if close else "") + f"its columns are {shown}{more}"
