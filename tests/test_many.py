"""lgrad.many.train_many against lgrad.train, seed by seed: the batched trainer returns, for every seed, the History
that train returns for that seed alone.

Tolerances, all stated here: in float64, every array (normalized relevance, per-batch relevance, metrics, trained
weights) within 1e-9 absolute, raw relevance (a sum of |∂C_i/∂x| over hundreds of examples) within 1e-9 relative to
the largest entry of its row; the settings recorded identical. In float32, normalized relevance within 1e-4 absolute
and the same five most relevant variables at every epoch (the batched products add in another order, and float32
rounding differences grow along the SGD trajectory; over seeds 0-9 the largest difference measured was 8.5e-8
after 3 epochs and 3.6e-7 after 40 epochs of relu + bce, with the same top five at every epoch).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import lgrad
from lgrad.many import train_many

TOL = 1e-9
FLOAT32_TOL = 1e-4
EPOCHS = 3
SEEDS = [0, 1, 7]
SEED_RANGE = r"an integer in \[0, 9223372036854775807\]"


def assert_same_history(history: lgrad.History, expected: lgrad.History, tol: float = TOL) -> None:
    assert history.feature_names == expected.feature_names
    assert history.config == expected.config
    assert isinstance(history.model, lgrad.MLP)
    np.testing.assert_array_equal(history.test_class_counts, expected.test_class_counts)
    names = ("relevance", "batch_relevance", "train_loss", "train_accuracy", "test_loss", "test_accuracy")
    for name in (*names, "test_predicted_positive"):
        actual, wanted = getattr(history, name), getattr(expected, name)
        if wanted is None:
            assert actual is None, name
        else:
            np.testing.assert_allclose(actual, wanted, rtol=0, atol=tol, err_msg=name)
    np.testing.assert_array_equal(history.batch_epoch, expected.batch_epoch)
    scale = np.nan_to_num(np.abs(expected.raw_relevance).max(axis=-1, keepdims=True), nan=1.0)
    np.testing.assert_allclose(history.raw_relevance / scale, expected.raw_relevance / scale, rtol=0, atol=tol)
    for (name, actual), wanted in zip(
        history.model.state_dict().items(), expected.model.state_dict().values(), strict=True
    ):
        assert actual.dtype == wanted.dtype
        np.testing.assert_allclose(actual.numpy(), wanted.numpy(), rtol=0, atol=tol, err_msg=name)


@pytest.mark.parametrize(
    "settings",
    [
        dict(batch_size=32),  # a short last batch: 455 = 14 * 32 + 7
        dict(batch_size=1, lr=0.1, record="batch"),
        dict(batch_size=32, record="batch", activation="tanh", hidden=(4, 3)),
        dict(batch_size=50, activation="relu", loss="bce", momentum=0.9),
        dict(batch_size="full", loss="bce", record="batch"),
        dict(batch_size=16, record=None),
    ],
    ids=repr,
)
def test_float64_each_seed_matches_train(breast_cancer, seed, settings):
    settings = dict(epochs=EPOCHS, dtype=torch.float64, **settings)
    histories = train_many(breast_cancer, SEEDS, **settings)

    assert len(histories) == len(SEEDS)
    for history, s in zip(histories, SEEDS, strict=True):
        assert_same_history(history, lgrad.train(breast_cancer, seed=s, **settings))


@pytest.mark.parametrize("settings", [dict(batch_size=32), dict(batch_size=1, lr=0.1, activation="relu")], ids=repr)
def test_float32_each_seed_has_trains_top_five_and_relevance(breast_cancer, seed, settings):
    histories = train_many(breast_cancer, SEEDS, epochs=EPOCHS, **settings)

    for history, s in zip(histories, SEEDS, strict=True):
        expected = lgrad.train(breast_cancer, seed=s, epochs=EPOCHS, **settings)
        assert history.model.linears[0].weight.dtype == torch.float32
        np.testing.assert_allclose(history.relevance, expected.relevance, rtol=0, atol=FLOAT32_TOL)
        for epoch in range(EPOCHS):
            assert history.top_features(5, epoch) == expected.top_features(5, epoch)


def test_one_dataset_per_seed_varies_split_and_initialization_together_or_apart(seed):
    splits = [lgrad.load_dataset(seed=split) for split in (0, 1, 1)]
    seeds = [5, 5, 6]  # the same initialization on two splits; two initializations on one split
    settings = dict(batch_size=32, epochs=2, dtype=torch.float64, record="batch")
    histories = train_many(splits, seeds, **settings)

    for history, data, s in zip(histories, splits, seeds, strict=True):
        assert_same_history(history, lgrad.train(data, seed=s, **settings))
    assert [h.config["split_seed"] for h in histories] == [0, 1, 1]
    assert not np.allclose(histories[0].relevance, histories[1].relevance)


def test_a_dataset_given_for_several_seeds_is_the_same_as_a_copy_for_each(breast_cancer):
    other = lgrad.load_dataset(seed=1)
    splits, seeds = [breast_cancer, other, breast_cancer, other], [4, 4, 5, 6]  # stored once each, seeds repeated
    settings = dict(batch_size=32, epochs=2, dtype=torch.float64, record="batch")
    histories = train_many(splits, seeds, **settings)

    for history, data, s in zip(histories, splits, seeds, strict=True):
        assert_same_history(history, lgrad.train(data, seed=s, **settings))


def test_evaluate_last_measures_only_the_last_epoch_and_trains_the_same(breast_cancer):
    settings = dict(batch_size=32, epochs=3, dtype=torch.float64)
    every = train_many([breast_cancer, lgrad.load_dataset(seed=2)], [0, 1], **settings)
    last = train_many([breast_cancer, lgrad.load_dataset(seed=2)], [0, 1], evaluate="last", **settings)

    for measured, expected in zip(last, every, strict=True):
        for name in ("train_loss", "train_accuracy", "test_loss", "test_accuracy", "test_predicted_positive"):
            values, wanted = getattr(measured, name), getattr(expected, name)
            assert np.isnan(values[:-1]).all(), name
            np.testing.assert_allclose(values[-1], wanted[-1], rtol=0, atol=TOL, err_msg=name)
        np.testing.assert_allclose(measured.relevance, expected.relevance, rtol=0, atol=TOL)


def test_a_repeated_seed_gives_the_same_history_and_a_separate_model(breast_cancer):
    first, second = train_many(breast_cancer, [3, 3], batch_size=32, epochs=2, dtype=torch.float64)

    assert_same_history(first, second)  # up to rounding: a batched product may add each seed's terms differently
    assert first.model is not second.model


def test_a_short_run_prints_no_progress_bar(breast_cancer, capsys):
    train_many(breast_cancer, [0], batch_size="full", epochs=1)

    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (dict(epochs=0), ValueError, r"epochs must be an integer >= 1, got 0"),
        (dict(lr=0), ValueError, r"lr must be a finite number > 0, got 0"),
        (dict(batch_size=0), ValueError, r"batch_size must be an integer >= 1 or 'full', got 0"),
        (dict(batch_size=2.5), TypeError, r"batch_size must be an integer >= 1 or 'full', got 2\.5 \(float\)"),
        (dict(activation="tanhh"), ValueError, r"activation must be one of 'sigmoid', 'relu', 'tanh', got 'tanhh'"),
        (dict(loss="hinge"), ValueError, r"loss must be one of 'mse', 'bce', got 'hinge'"),
        (
            dict(hidden=(0,)),
            ValueError,
            r"hidden must be a non-empty sequence of integers >= 1, e\.g\. \(3,\), got \(0,\)",
        ),
        (dict(record="step"), ValueError, r"record must be one of 'epoch', 'batch', None, got 'step'"),
        (dict(dtype="float16"), ValueError, r"dtype must be one of 'float32', 'float64', got 'float16'"),
        (dict(momentum=1), ValueError, r"momentum must be a finite number >= 0 and < 1, got 1"),
        (dict(evaluate="never"), ValueError, r"evaluate must be one of 'epoch', 'last', got 'never'"),
        (dict(seeds=0), TypeError, r"seeds must be a sequence of integer seeds, e\.g\. range\(10\), got 0"),
        (dict(seeds="01"), TypeError, r"seeds must be a sequence of integer seeds, e\.g\. range\(10\), got '01'"),
        (dict(seeds=[]), ValueError, r"seeds must hold at least one seed, got an empty sequence"),
        (dict(seeds=[0, -1]), ValueError, rf"seeds\[1\] must be {SEED_RANGE}, got -1"),
        (dict(seeds=[1.5]), TypeError, rf"seeds\[0\] must be {SEED_RANGE}, got 1\.5 \(float\)"),
    ],
    ids=lambda v: repr(v) if isinstance(v, dict) else "",
)
def test_bad_argument_is_named_with_its_value_and_what_is_allowed(breast_cancer, kwargs, error, message):
    settings = dict(seeds=[0, 1], epochs=1, **{k: v for k, v in kwargs.items() if k not in ("seeds", "epochs")})
    settings.update({k: v for k, v in kwargs.items() if k in ("seeds", "epochs")})
    with pytest.raises(error, match=f"^{message}$"):
        train_many(breast_cancer, **settings)


def test_bad_datasets_are_named(breast_cancer):
    dataset_message = r"dataset must be an lgrad Dataset \(from lgrad\.load_dataset\) or a list of them, one per seed"
    with pytest.raises(TypeError, match=rf"^{dataset_message}, got Tensor$"):
        train_many(breast_cancer.X_train, [0])
    with pytest.raises(ValueError, match=r"^dataset must hold one Dataset per seed: got 2 datasets for 3 seeds$"):
        train_many([breast_cancer, breast_cancer], [0, 1, 2])
    with pytest.raises(
        TypeError, match=r"^dataset\[1\] must be an lgrad Dataset \(from lgrad\.load_dataset\), got str$"
    ):
        train_many([breast_cancer, "breast_cancer"], [0, 1])
    smaller_test = lgrad.load_dataset(test_size=0.3)
    with pytest.raises(
        ValueError,
        match=r"^dataset\[1\] must have the same features and numbers of training and test rows as dataset\[0\]: "
        r"got 30 features, 398 \+ 171 rows against 30, 455 \+ 114$",
    ):
        train_many([breast_cancer, smaller_test], [0, 1])
