"""The record of one training run: learning gradient per epoch (and mini-batch), metrics, settings, weights."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch

from .atomic import atomic_path
from .checks import check_choice, check_int

ARRAYS = ("relevance", "raw_relevance", "train_loss", "train_accuracy", "test_loss", "test_accuracy")
OPTIONAL_ARRAYS = (
    "batch_relevance",
    "raw_batch_relevance",
    "batch_epoch",
    "test_predicted_positive",
    "test_class_counts",
)
FORMATS = (".json", ".npz")


class DegenerateRunError(ValueError):
    """An epoch's learning gradient is zero or not finite, so it ranks nothing; ``epoch`` is 1-based."""

    def __init__(self, message: str, epoch: int) -> None:
        super().__init__(message)
        self.epoch = epoch


@dataclass(eq=False)
class History:
    """What :func:`lgrad.train` measured.

    ``relevance[e]`` is the learning gradient of epoch ``e`` (0-based row): Σ_i |∂C_i/∂x| over the epoch's examples,
    normalized to sum to 1, so ``100 * relevance`` is the paper's "% relevance" of each input variable.
    ``raw_relevance`` is the same before normalizing. With ``record="batch"``, ``batch_relevance`` has one normalized
    row per mini-batch, ``raw_batch_relevance`` the same before normalizing (Σ_i |∂C_i/∂x| over the batch) and
    ``batch_epoch`` the 0-based epoch of each. ``test_predicted_positive[e]`` is the share
    of test rows predicted as class 1 after epoch ``e`` and ``test_class_counts`` the number of test rows of class 0
    and of class 1 (both ``None`` in files saved before lgrad recorded them).

    An epoch whose raw learning gradient is all zero (the cost did not depend on the inputs: dead ReLUs, a saturated
    output) or not finite (an overflow: the run diverged) ranks nothing: :meth:`top_features` raises
    :class:`DegenerateRunError` for it, and :meth:`degenerate_from` says from which epoch on a run is in that state.
    Its ``relevance`` row is what :func:`lgrad.normalize` makes of it (zeros for a zero or NaN row); only
    ``raw_relevance`` tells the cases apart.
    """

    feature_names: list[str]
    relevance: np.ndarray
    raw_relevance: np.ndarray
    train_loss: np.ndarray
    train_accuracy: np.ndarray
    test_loss: np.ndarray
    test_accuracy: np.ndarray
    config: dict[str, Any]
    batch_relevance: np.ndarray | None = None
    raw_batch_relevance: np.ndarray | None = None
    batch_epoch: np.ndarray | None = None
    test_predicted_positive: np.ndarray | None = None
    test_class_counts: np.ndarray | None = None
    model: torch.nn.Module | None = field(default=None, repr=False)

    @property
    def epochs(self) -> int:
        return len(self.train_loss)

    def top_features(self, k: int = 5, epoch: int = -1) -> list[str]:
        """The ``k`` most relevant input variables at ``epoch`` (0-based row; -1 = the last), most relevant first.

        Ties keep the dataset's column order. Raises :class:`DegenerateRunError` if the epoch's learning gradient is
        zero or not finite.
        """
        k = check_int("k", k, minimum=1, maximum=len(self.feature_names))
        row = self.relevance[self.check_rankable(epoch)]
        order = np.argsort(-row, kind="stable")[:k]
        return [self.feature_names[i] for i in order]

    @property
    def rankable(self) -> np.ndarray:
        """Per epoch (0-based), whether its raw learning gradient is finite and not all zero, so it can rank inputs."""
        self._require_gradient()
        raw = self.raw_relevance
        return np.isfinite(raw).all(axis=1) & (raw != 0).any(axis=1)

    def check_rankable(self, epoch: int = -1) -> int:
        """Return ``epoch`` (0-based row; -1 = the last) as a row index if it can rank the inputs.

        Raises :class:`DegenerateRunError`, naming the 1-based epoch, if its learning gradient is zero or not finite.
        """
        epoch = check_int("epoch", epoch, minimum=-self.epochs, maximum=self.epochs - 1) % self.epochs
        if self.rankable[epoch]:
            return epoch
        number = epoch + 1
        stuck_from, diverged_from = self.degenerate_from(), self.diverged_from()
        if not np.isfinite(self.raw_relevance[epoch]).all():
            why = "not finite"
            if diverged_from is not None and diverged_from <= number:
                why += f" (the run diverged: its cost is not finite from epoch {diverged_from} on)"
        else:
            why = "zero"
            if stuck_from is not None and stuck_from <= number:
                why += f" (the run learned nothing from epoch {stuck_from} on)"
            else:
                why += " (the cost did not depend on the inputs during that epoch)"
        raise DegenerateRunError(f"epoch {number}'s learning gradient is {why}: no ranking", number)

    def degenerate_from(self) -> int | None:
        """The 1-based epoch from which every epoch's learning gradient is zero or not finite; ``None`` if the last
        epoch's is neither.

        Such a run has stopped learning: from there on no input moves the cost (every hidden ReLU dead, or the
        output sigmoid saturated), or the weights ran off to infinity or NaN. An isolated zero epoch followed by a
        healthy one does not count. The definition reads the learning gradient only; it says nothing about accuracy.
        """
        return _tail_start(~self.rankable)

    def diverged_from(self) -> int | None:
        """The 1-based epoch from which every epoch's training or test cost is not finite (overflow); ``None`` if the
        last epoch's costs are finite."""
        return _tail_start(~(np.isfinite(self.train_loss) & np.isfinite(self.test_loss)))

    @property
    def test_class_shares(self) -> np.ndarray:
        """The share of test rows in class 0 and in class 1."""
        if self.test_class_counts is None:
            raise ValueError("this History holds no test class counts (it was saved by an older lgrad): train it again")
        return self.test_class_counts / self.test_class_counts.sum()

    @property
    def majority_share(self) -> float:
        """The test accuracy of always predicting the test set's majority class."""
        return float(self.test_class_shares.max())

    def constant_prediction(self, epoch: int = -1) -> int | None:
        """The class (0 or 1) the network predicts for every test row after ``epoch`` (0-based row; -1 = the last),
        or ``None`` if it predicts both; its test accuracy is then ``test_class_shares[class]``.

        A non-finite output counts as class 0, as in ``test_accuracy``.
        """
        if self.test_predicted_positive is None:
            raise ValueError("this History holds no test predictions (it was saved by an older lgrad): train it again")
        epoch = check_int("epoch", epoch, minimum=-self.epochs, maximum=self.epochs - 1)
        share = self.test_predicted_positive[epoch]
        return int(share) if share in (0.0, 1.0) else None

    def _require_gradient(self) -> None:
        if self.config.get("record", "epoch") is None:
            raise ValueError("this run was trained with record=None: it holds no learning gradient")

    def to_frame(self) -> pd.DataFrame:
        """A long table: one row per (epoch, feature) with ``relevance`` and ``raw_relevance``; epochs are 1-based."""
        n_epochs, n_features = self.relevance.shape
        return pd.DataFrame(
            {
                "epoch": np.repeat(np.arange(1, n_epochs + 1), n_features),
                "feature": np.tile(self.feature_names, n_epochs),
                "relevance": self.relevance.ravel(),
                "raw_relevance": self.raw_relevance.ravel(),
            }
        )

    def save(self, path: str | Path) -> Path:
        """Write to ``.json`` or ``.npz`` (never pickle), with the trained weights, atomically; returns the path."""
        path = Path(path)
        check_choice("path suffix", path.suffix, FORMATS)
        arrays = {name: getattr(self, name) for name in ARRAYS + OPTIONAL_ARRAYS if getattr(self, name) is not None}
        weights = {k: v.detach().double().numpy() for k, v in self.model.state_dict().items()} if self.model else {}
        meta = {"feature_names": self.feature_names, "config": self.config, "format": "lgrad.History/1"}
        with atomic_path(path) as tmp:
            if path.suffix == ".json":
                doc = {
                    **meta,
                    **{k: _json_list(v) for k, v in arrays.items()},
                    "weights": {k: v.tolist() for k, v in weights.items()},
                }
                tmp.write_text(json.dumps(doc, allow_nan=False))
            else:
                with open(tmp, "wb") as fh:
                    np.savez(
                        fh, meta=np.array(json.dumps(meta)), **arrays, **{f"weights/{k}": v for k, v in weights.items()}
                    )
        return path

    @classmethod
    def load(cls, path: str | Path) -> History:
        """Read a file written by :meth:`save`; the model is rebuilt from the saved weights."""
        path = Path(path)
        check_choice("path suffix", path.suffix, FORMATS)
        if path.suffix == ".json":
            doc = json.loads(path.read_text())
            arrays = {k: np.array(doc[k], dtype=_DTYPES.get(k, float)) for k in ARRAYS + OPTIONAL_ARRAYS if k in doc}
            weights = {k: np.array(v) for k, v in doc["weights"].items()}
        else:
            with np.load(path, allow_pickle=False) as npz:
                doc = json.loads(str(npz["meta"]))
                arrays = {k: npz[k] for k in ARRAYS + OPTIONAL_ARRAYS if k in npz.files}
                weights = {k.removeprefix("weights/"): npz[k] for k in npz.files if k.startswith("weights/")}
        return cls(
            feature_names=list(doc["feature_names"]),
            config=doc["config"],
            model=_rebuild_model(doc["config"], len(doc["feature_names"]), weights),
            **arrays,
        )


def _tail_start(flags: np.ndarray) -> int | None:
    """The 1-based epoch from which every epoch is flagged, or ``None`` if the last one is not."""
    if not flags[-1]:
        return None
    unflagged = np.flatnonzero(~flags)
    return int(unflagged[-1]) + 2 if len(unflagged) else 1


_DTYPES = {"batch_epoch": np.int64, "test_class_counts": np.int64}


def _json_list(array: np.ndarray) -> list:
    """The array as nested lists, NaN written as null (standard JSON has no NaN); loading reads null back as NaN."""
    return np.where(np.isnan(array), None, array).tolist() if array.dtype.kind == "f" else array.tolist()


def _rebuild_model(config: dict[str, Any], n_inputs: int, weights: dict[str, np.ndarray]) -> torch.nn.Module | None:
    from .model import MLP, check_dtype

    if not weights:
        return None
    model = MLP(n_inputs, tuple(config["hidden"]), config["activation"]).to(check_dtype(config["dtype"]))
    model.load_state_dict({k: torch.from_numpy(np.asarray(v)) for k, v in weights.items()})
    return model
