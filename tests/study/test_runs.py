"""lgrad.study.runs: a run's complete settings, its data and training, and the run cache shared by the chapters."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import lgrad
from lgrad.study import runs

SHORT = {"epochs": 3}


def test_run_settings_fill_the_defaults_and_both_seeds():
    settings = runs.run_settings({"seed": 7, "hidden": [4]}, lr=0.1)
    assert settings["split_seed"] == settings["train_seed"] == 7
    assert settings["hidden"] == (4,)
    assert settings["lr"] == 0.1
    assert settings["epochs"] == lgrad.DEFAULTS["epochs"]
    assert runs.run_settings(train_seed=3)["split_seed"] == lgrad.DEFAULTS["seed"]


def test_run_settings_reject_an_unknown_setting():
    with pytest.raises(ValueError, match="unknown setting.*'momentum'"):
        runs.run_settings(momentum=0.9)


def test_run_uses_the_split_seed_for_the_split_and_the_train_seed_for_the_weights():
    ds_a, hist_a = runs.run(runs.run_settings(SHORT, split_seed=1, train_seed=2))
    ds_b = lgrad.load_dataset("breast_cancer", seed=1)
    hist_b = lgrad.train(ds_b, epochs=3, seed=2)
    assert torch.equal(ds_a.X_test, ds_b.X_test)
    np.testing.assert_array_equal(hist_a.relevance, hist_b.relevance)


def test_the_run_cache_trains_once_and_gives_back_the_same_numbers(tmp_path, monkeypatch):
    monkeypatch.setenv(runs.RUN_CACHE_ENV, str(tmp_path))
    calls = []
    monkeypatch.setattr(
        runs, "train_run", lambda ds, settings, real=runs.train_run: calls.append(1) or real(ds, settings)
    )
    ds, first = runs.run(runs.run_settings(SHORT, seed=4))
    _, again = runs.run(runs.run_settings(SHORT, seed=4))
    assert len(calls) == 1 and len(list(tmp_path.glob("run-*.npz"))) == 1
    fresh = lgrad.train(ds, epochs=3, seed=4)
    for name in ("relevance", "raw_relevance", "train_loss", "test_accuracy"):
        np.testing.assert_array_equal(getattr(again, name), getattr(fresh, name))
        np.testing.assert_array_equal(getattr(first, name), getattr(fresh, name))
    for a, b in zip(again.model.parameters(), fresh.model.parameters(), strict=True):
        assert torch.equal(a, b)
    runs.run(runs.run_settings(SHORT, seed=5))
    assert len(calls) == 2, "other settings are another run"


def test_the_run_key_changes_with_the_settings_the_threads_and_the_source(monkeypatch, tmp_path):
    base = runs.run_key(runs.run_settings(SHORT))
    assert runs.run_key(runs.run_settings(SHORT)) == base
    assert runs.run_key(runs.run_settings(SHORT, lr=0.1)) != base
    assert runs.run_key(runs.run_settings(SHORT, train_seed=1)) != base
    monkeypatch.setattr(torch, "get_num_threads", lambda: 7)
    assert runs.run_key(runs.run_settings(SHORT)) != base
    monkeypatch.undo()
    (tmp_path / "a.py").write_text("x = 1\n")
    before = runs.source_digest(tmp_path)
    (tmp_path / "a.py").write_text("x = 2\n")
    assert runs.source_digest(tmp_path) != before
