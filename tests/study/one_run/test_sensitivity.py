"""lgrad.study.one_run.sensitivity: one setting varied at a time, the seed sweep, and the other readings of an epoch's
bar.

Runs are short (a few epochs) so the suite stays fast; the book's chapter runs the full 40 epochs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch

import lgrad
from lgrad.study.attributions.captum_methods import saliency_relevance
from lgrad.study.one_run import sensitivity
from lgrad.study.one_run.sensitivity import Variation
from lgrad.study.references import PAPER_TOP5

SHORT = {"epochs": 3}


TOL = 1e-9


@pytest.fixture(scope="module")
def short_table() -> pd.DataFrame:
    variations = [
        Variation("learning rate", "2", {"lr": 2.0}),
        Variation("learning rate", "same as base", {"lr": lgrad.DEFAULTS["lr"]}),  # left out: changes nothing
        Variation("split seed (init. fixed)", "1", {"split_seed": 1}),
        Variation("initialization seed (split fixed)", "1", {"train_seed": 1}),
    ]
    return sensitivity.sensitivity_table(base=SHORT, variations=variations)


def test_table_has_the_base_first_and_one_row_per_effective_variation(short_table):
    assert list(short_table.columns) == list(sensitivity.COLUMNS)
    assert short_table.iloc[0]["setting"].startswith("base")
    assert "same as base" not in set(short_table["value"])
    training_rows = short_table[short_table["setting"] != "epoch bar (base model)"]
    assert len(training_rows) == 1 + 3
    assert (short_table["setting"] == "epoch bar (base model)").sum() == len(sensitivity.BAR_VARIANTS)


def test_table_counts_the_overlaps_with_the_paper_and_the_base(short_table):
    assert short_table.iloc[0]["shared with base top 5"] == 5
    base_top = short_table.iloc[0]["top 5 (most relevant first)"].split(", ")
    for _, row in short_table.iterrows():
        top = row["top 5 (most relevant first)"].split(", ")
        assert len(top) == 5
        assert row["in paper's top 5"] == len(set(top) & set(PAPER_TOP5))
        assert row["shared with base top 5"] == len(set(top) & set(base_top))
        assert 0.0 <= row["test accuracy"] <= 1.0 and 0.0 <= row["train accuracy"] <= 1.0


def test_table_rows_match_a_direct_run(short_table):
    ds = lgrad.load_dataset("breast_cancer", seed=0)
    history = lgrad.train(ds, epochs=3, seed=0, lr=2.0)
    row = short_table[short_table["value"] == "2"].iloc[0]
    assert row["test accuracy"] == pytest.approx(history.test_accuracy[-1], abs=0)
    assert row["top 5 (most relevant first)"] == ", ".join(history.top_features(5))


def test_table_is_deterministic(short_table):
    again = sensitivity.sensitivity_table(
        base=SHORT,
        variations=[
            Variation("learning rate", "2", {"lr": 2.0}),
            Variation("split seed (init. fixed)", "1", {"split_seed": 1}),
            Variation("initialization seed (split fixed)", "1", {"train_seed": 1}),
        ],
    )
    pd.testing.assert_frame_equal(again, short_table)


def test_table_rejects_what_is_not_a_variation():
    with pytest.raises(TypeError, match="Variation"):
        sensitivity.sensitivity_table(base=SHORT, variations=[{"lr": 2.0}], bar_variants=False)


def test_every_default_variation_changes_exactly_one_setting():
    keys = set(lgrad.DEFAULTS) | {"split_seed", "train_seed"}
    for variation in sensitivity.VARIATIONS:
        assert len(variation.overrides) == 1, variation
        assert set(variation.overrides) <= keys, variation


def test_bar_variants_against_captum_and_a_per_example_loop(breast_cancer):
    history = lgrad.train(breast_cancer, epochs=2, seed=0, dtype=torch.float64)
    grads_before = [p.grad.clone() for p in history.model.parameters()]
    bars = sensitivity.epoch_bar_variants(history, breast_cancer)
    for before, param in zip(grads_before, history.model.parameters(), strict=True):
        assert torch.equal(before, param.grad)  # the model is left as it was
    readings = dict(zip(sensitivity.BAR_VARIANTS.values(), bars.values(), strict=True))
    for relevance in readings.values():
        assert relevance.shape == (breast_cancer.n_features,)
        assert relevance.sum() == pytest.approx(1.0, abs=TOL)

    model, X, y = history.model, breast_cancer.X_train, breast_cancer.y_train
    post_hoc = saliency_relevance(model, X, y, "mse")
    np.testing.assert_allclose(readings["sum_abs"], post_hoc / post_hoc.sum(), atol=TOL)

    grads = []
    for i in range(len(y)):  # one example at a time: no batching to get wrong
        x = X[i : i + 1].clone().requires_grad_(True)
        lgrad.example_cost("mse", model.logits(x), y[i : i + 1]).sum().backward()
        grads.append(x.grad[0].numpy())
    grads = np.array(grads)
    signed = np.abs(grads.sum(axis=0))
    np.testing.assert_allclose(readings["abs_sum"], signed / signed.sum(), atol=TOL)
    per_example = np.abs(grads) / np.abs(grads).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(readings["mean_normalized"], per_example.mean(axis=0), atol=TOL)


def test_seed_sweep_and_its_summary():
    sweep = sensitivity.seed_sweep(base=SHORT, seeds=[0, 1])
    assert list(sweep["seed"]) == [0, 1]
    for _, row in sweep.iterrows():
        assert row["in paper's top 5"] == len(set(row["top"]) & set(PAPER_TOP5))
        assert row["top 5 (most relevant first)"] == ", ".join(row["top"])
    summary = sensitivity.sweep_summary(sweep)
    assert summary["n_seeds"] == 2
    assert summary["test_min"] <= summary["test_median"] <= summary["test_max"]
    assert summary["n_perfect_test"] == int((sweep["test accuracy"] >= 1).sum())
    assert summary["n_paper_first_in_top"] == sum(PAPER_TOP5[0] in top for top in sweep["top"])


def test_each_seed_of_the_sweep_is_the_run_train_gives():
    sweep = sensitivity.seed_sweep(base={"epochs": 4, "test_size": 0.3, "activation": "tanh"}, seeds=[2, 5])

    for _, row in sweep.iterrows():
        data = lgrad.load_dataset(seed=row["seed"], test_size=0.3)
        expected = lgrad.train(data, seed=row["seed"], epochs=4, activation="tanh")
        assert row["test accuracy"] == expected.test_accuracy[-1]
        assert row["train accuracy"] == expected.train_accuracy[-1]
        assert row["top"] == expected.top_features(5)


def test_seed_sweep_needs_a_seed():
    with pytest.raises(ValueError, match="at least one seed"):
        sensitivity.seed_sweep(base=SHORT, seeds=[])


def test_top_frequency_counts_every_variable_and_lists_the_papers():
    sweep = pd.DataFrame({"top": [["a", "worst area"], ["a", "b"]]})
    freq = sensitivity.top_frequency(sweep)
    counts = dict(zip(freq["variable"], freq["seeds with it in the top 5"], strict=True))
    assert counts["a"] == 2 and counts["b"] == 1 and counts["worst area"] == 1
    assert all(counts[name] == 0 for name in PAPER_TOP5 if name != "worst area")
    assert freq.iloc[0]["variable"] == "a"
    assert freq.set_index("variable").loc["worst area", "paper's rank"] == 1
