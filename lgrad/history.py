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
OPTIONAL_ARRAYS = ("batch_relevance", "batch_epoch")
FORMATS = (".json", ".npz")


@dataclass(eq=False)
class History:
    """What :func:`lgrad.train` measured.

    ``relevance[e]`` is the learning gradient of epoch ``e`` (0-based row): Σ_i |∂C_i/∂x| over the epoch's examples,
    normalized to sum to 1, so ``100 * relevance`` is the paper's "% relevance" of each input variable.
    ``raw_relevance`` is the same before normalizing. With ``record="batch"``, ``batch_relevance`` has one normalized
    row per mini-batch and ``batch_epoch`` the 0-based epoch of each.
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
    batch_epoch: np.ndarray | None = None
    model: torch.nn.Module | None = field(default=None, repr=False)

    @property
    def epochs(self) -> int:
        return len(self.train_loss)

    def top_features(self, k: int = 5, epoch: int = -1) -> list[str]:
        """The ``k`` most relevant input variables at ``epoch`` (0-based row; -1 = the last), most relevant first.

        Ties keep the dataset's column order.
        """
        k = check_int("k", k, minimum=1, maximum=len(self.feature_names))
        epoch = check_int("epoch", epoch, minimum=-self.epochs, maximum=self.epochs - 1)
        row = self.relevance[epoch]
        if np.isnan(row).any():
            raise ValueError("this run was trained with record=None: it holds no learning gradient")
        order = np.argsort(-row, kind="stable")[:k]
        return [self.feature_names[i] for i in order]

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


_DTYPES = {"batch_epoch": np.int64}


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
