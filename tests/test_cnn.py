"""The digits CNN and its training: the learning gradient of images is an 8×8 map per epoch and per class, read from
the training step's own backward pass, and it matches a replay of the training that takes each example's ∂C_i/∂x
by autograd, one example at a time (the manual oracle). Tolerance: 1e-12 relative to a map's largest pixel, in
float64. The Captum oracle is in ``test_captum.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lgrad.batches import ShuffledBatches
from lgrad.capture import LearningGradient, normalize
from lgrad.cnn import DigitsCNN, build_cnn
from lgrad.cnn_training import CNNHistory, train_cnn
from lgrad.digits import ImageDataset, load_digits_dataset
from lgrad.loss import batch_cost, example_cost
from lgrad.training import epoch_orders

REL_TOL = 1e-12
EPOCHS = 2


@pytest.fixture(scope="module")
def digits() -> ImageDataset:
    return load_digits_dataset(test_size=0.2, seed=0)


# ---- data ------------------------------------------------------------------------------------------------------------


def test_digits_are_8x8_images_in_unit_range_split_by_class(digits):
    assert digits.X_train.shape == (1437, 8, 8) and digits.X_test.shape == (360, 8, 8)
    assert digits.X_train.dtype == torch.float64 and digits.y_train.dtype == torch.int64
    assert digits.image_shape == (8, 8) and digits.n_classes == 10
    assert digits.class_names == tuple(str(c) for c in range(10))
    everything = torch.cat([digits.X_train, digits.X_test])
    assert everything.min() == 0 and everything.max() == 1
    torch.testing.assert_close(everything * 16, (everything * 16).round(), rtol=0, atol=1e-12)  # pixels / 16
    train_share = digits.y_train.bincount() / (digits.y_train.bincount() + digits.y_test.bincount())
    assert torch.all((train_share - 0.8).abs() < 0.01)  # stratified
    assert digits.settings == {"test_size": 0.2, "split_seed": 0, "stratify": True, "scale": "pixels / 16"}


def test_digits_split_follows_the_seed(digits):
    again, other = load_digits_dataset(seed=0), load_digits_dataset(seed=1)
    assert torch.equal(again.X_train, digits.X_train) and torch.equal(again.y_test, digits.y_test)
    assert not torch.equal(other.y_train, digits.y_train)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (dict(test_size=1.5), ValueError, r"test_size must be a finite number > 0 and < 1, got 1.5"),
        (dict(test_size=0.001), ValueError, r"test_size=0.001 cannot split 1797 images in 10 classes"),
        (dict(seed=-1), ValueError, r"seed must be an integer in \[0, "),
    ],
)
def test_bad_digits_arguments_are_named(kwargs, error, message):
    with pytest.raises(error, match=message):
        load_digits_dataset(**kwargs)


# ---- model -----------------------------------------------------------------------------------------------------------


def test_cnn_takes_images_and_gives_one_logit_per_class(digits):
    model = build_cnn(seed=0)
    logits = model(digits.X_train[:5].float())
    assert logits.shape == (5, 10)
    assert torch.equal(model.logits(digits.X_train[:5].float()), logits)
    assert [type(m) for m in model.children()] == [torch.nn.Conv2d, torch.nn.ReLU, torch.nn.MaxPool2d, torch.nn.Linear]


def test_cnn_init_follows_the_seed_and_not_the_global_generator(seed):
    a, b, c = build_cnn(seed=0), build_cnn(seed=0), build_cnn(seed=1)
    state = torch.random.get_rng_state()
    wide = build_cnn(seed=0, dtype=torch.float64)
    assert torch.equal(torch.random.get_rng_state(), state)
    for (name, pa), pb, pc, pw in zip(
        a.named_parameters(), b.parameters(), c.parameters(), wide.parameters(), strict=True
    ):
        assert torch.equal(pa, pb), name
        assert not torch.equal(pa, pc), name
        fan_in = pa[0].numel() if name.endswith("weight") else (9 if name.startswith("conv") else 8 * 16)
        assert pa.abs().max() <= 1 / fan_in**0.5
        torch.testing.assert_close(pw.float(), pa, rtol=0, atol=0)  # float64 draw, cast


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(channels=0), "channels must be an integer >= 1, got 0"),
        (dict(n_classes=1), "n_classes must be an integer >= 2, got 1"),
        (dict(image_shape=(8,)), r"image_shape must be a tuple \(height, width\), got \(8,\)"),
        (dict(dtype="float16"), "dtype must be one of 'float32', 'float64', got 'float16'"),
    ],
)
def test_bad_cnn_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        build_cnn(seed=0, **kwargs)


# ---- cost and batches ------------------------------------------------------------------------------------------------


def test_cross_entropy_is_the_mean_of_the_example_costs():
    logits = torch.randn(6, 10, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    y = torch.tensor([0, 3, 9, 3, 1, 2])
    costs = example_cost("ce", logits, y)
    torch.testing.assert_close(costs, -torch.log_softmax(logits, 1)[torch.arange(6), y], rtol=0, atol=1e-12)
    torch.testing.assert_close(batch_cost("ce", logits, y), costs.mean(), rtol=0, atol=1e-12)


@pytest.mark.parametrize("cost", [batch_cost, example_cost])
def test_unknown_cost_is_named(cost):
    with pytest.raises(ValueError, match="loss must be one of 'mse', 'bce', 'ce', got 'hinge'"):
        cost("hinge", torch.zeros(2), torch.zeros(2))


def test_shuffled_batches_carry_images_and_class_indices(digits):
    X, y = digits.X_train, digits.y_train
    batches = ShuffledBatches(X, y, 100)
    [order] = epoch_orders(len(y), 1, seed=3)
    pairs = list(batches.epoch(order))
    assert len(pairs) == 15 and pairs[-1][0].shape == (37, 8, 8)
    assert torch.equal(torch.cat([xb for xb, _ in pairs]), X[order])
    assert torch.equal(torch.cat([yb for _, yb in pairs]), y[order]) and pairs[0][1].dtype == torch.int64


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((np.zeros((4, 2)), torch.zeros(4), 2), TypeError, r"X must be a tensor with one row per example, .* ndarray"),
        ((torch.zeros(4, 2), torch.tensor(1.0), 2), TypeError, "y must be a tensor with one row per example"),
        ((torch.zeros(4, 2), torch.zeros(4), 0), ValueError, "size must be an integer >= 1, got 0"),
    ],
)
def test_bad_shuffled_batches_are_named(args, error, message):
    with pytest.raises(error, match=message):
        ShuffledBatches(*args)


# ---- training --------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def runs(digits) -> dict:
    settings = dict(epochs=EPOCHS, seed=0, batch_size=64, lr=0.1)
    return {record: train_cnn(digits, record=record, **settings) for record in ("epoch", "batch", None)}


def test_train_cnn_returns_maps_of_the_image_shape(runs):
    history = runs["batch"]
    assert isinstance(history, CNNHistory)
    assert history.raw_relevance.shape == history.relevance.shape == (EPOCHS, 8, 8)
    assert history.raw_class_relevance.shape == history.class_relevance.shape == (EPOCHS, 10, 8, 8)
    n_batches = -(-1437 // 64)
    assert history.batch_relevance.shape == (EPOCHS * n_batches, 8, 8)
    np.testing.assert_array_equal(history.batch_epoch, np.repeat(np.arange(EPOCHS), n_batches))
    for maps in (history.relevance, history.class_relevance, history.batch_relevance):
        np.testing.assert_allclose(maps.sum(axis=(-2, -1)), 1.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(history.relevance, normalize(history.raw_relevance, 2), rtol=0, atol=0)
    # the classes' maps of an epoch add up to the epoch's map (float32 sums in another order)
    assert (
        np.abs(history.raw_class_relevance.sum(1) - history.raw_relevance).max() <= 1e-5 * history.raw_relevance.max()
    )
    assert history.config["loss"] == "ce" and history.config["model"] == "DigitsCNN"
    assert history.train_accuracy.shape == history.test_accuracy.shape == (EPOCHS,)


def test_recording_changes_nothing(runs):
    baseline = runs[None]
    assert np.isnan(baseline.relevance).all() and np.isnan(baseline.class_relevance).all()
    assert baseline.batch_relevance is None and runs["epoch"].batch_relevance is None
    np.testing.assert_array_equal(runs["batch"].raw_relevance, runs["epoch"].raw_relevance)
    np.testing.assert_array_equal(runs["batch"].raw_class_relevance, runs["epoch"].raw_class_relevance)
    for record in ("epoch", "batch"):
        history = runs[record]
        for (name, p), p0 in zip(history.model.named_parameters(), baseline.model.parameters(), strict=True):
            assert torch.equal(p, p0), f"record={record!r} changed {name}"
        for metric in ("train_loss", "train_accuracy", "test_loss", "test_accuracy"):
            np.testing.assert_array_equal(getattr(history, metric), getattr(baseline, metric))


def test_the_cnn_learns_digits(digits):
    history = train_cnn(digits, epochs=10, seed=0)
    assert history.test_accuracy[-1] > 0.9, history.test_accuracy
    assert history.train_loss[-1] < history.train_loss[0]


def replay_with_example_gradients(digits, *, epochs, seed, batch_size, lr):
    """train_cnn's steps written out, with each example's ∂C_i/∂x taken by autograd on its own before each step."""
    model = build_cnn(seed=seed, dtype=torch.float64)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    X, y = digits.X_train, digits.y_train
    epoch_maps, class_maps = np.zeros((epochs, 8, 8)), np.zeros((epochs, 10, 8, 8))
    for epoch, order in enumerate(epoch_orders(len(y), epochs, seed)):
        for rows in order.split(batch_size):
            for i in rows:
                x = X[i : i + 1].clone().requires_grad_(True)
                (grad,) = torch.autograd.grad(example_cost("ce", model(x), y[i : i + 1]).sum(), x)
                epoch_maps[epoch] += grad[0].abs().numpy()
                class_maps[epoch, y[i]] += grad[0].abs().numpy()
            optimizer.zero_grad()
            batch_cost("ce", model(X[rows]), y[rows]).backward()
            optimizer.step()
    return model, epoch_maps, class_maps


def assert_maps_close(actual, expected, rel):
    scale = np.abs(expected).max(axis=(-2, -1), keepdims=True)
    excess = (np.abs(actual - expected) / np.where(scale > 0, scale, 1)).max()
    assert excess <= rel, f"largest difference {excess:.3g} of a map's largest pixel > {rel:g}"


def test_train_cnn_matches_a_replay_with_per_example_autograd(digits):
    settings = dict(epochs=EPOCHS, seed=0, batch_size=100, lr=0.1)  # 14 × 100 + 37: a short last batch
    history = train_cnn(digits, dtype=torch.float64, **settings)
    model, epoch_maps, class_maps = replay_with_example_gradients(digits, **settings)
    assert_maps_close(history.raw_relevance, epoch_maps, REL_TOL)
    assert_maps_close(history.raw_class_relevance, class_maps, REL_TOL)
    for p, q in zip(history.model.parameters(), model.parameters(), strict=True):
        torch.testing.assert_close(p, q, rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (dict(epochs=0), ValueError, "epochs must be an integer >= 1, got 0"),
        (dict(lr=0), ValueError, "lr must be a finite number > 0, got 0"),
        (dict(batch_size=0), ValueError, "batch_size must be an integer >= 1 or 'full', got 0"),
        (dict(record="step"), ValueError, "record must be one of 'epoch', 'batch', None, got 'step'"),
        (dict(channels=1.5), TypeError, r"channels must be an integer >= 1, got 1.5 \(float\)"),
    ],
)
def test_bad_training_arguments_are_named(digits, kwargs, error, message):
    with pytest.raises(error, match=message):
        train_cnn(digits, **kwargs)


def test_train_cnn_needs_an_image_dataset(breast_cancer):
    with pytest.raises(TypeError, match="dataset must be an lgrad ImageDataset .from lgrad.load_digits_dataset., got"):
        train_cnn(breast_cancer)


def test_recorder_on_the_cnn_attaches_to_images_and_gives_them_back(digits):
    batches = ShuffledBatches(digits.X_train.float(), digits.y_train, 500)
    with LearningGradient(batches.inputs, by_class=batches.targets, n_classes=10) as recorder:
        assert recorder.input_shape == (8, 8)
        assert all(x.requires_grad and x.grad.shape == x.shape for x in batches.inputs)
    assert not any(x.requires_grad or x.grad is not None for x in batches.inputs)
    assert isinstance(build_cnn(seed=0), DigitsCNN)
