"""The recorder reads the learning gradient from the training step's own backward pass and changes nothing else:
final weights, gradients, metrics and optimizer state are bitwise those of training without it, no hook is left
behind, and there is exactly one forward and one backward pass per SGD step.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import lgrad
import lgrad.training

RECORDS = ["epoch", "batch", None]
EPOCHS = 3


class RecordingSGD(torch.optim.SGD):
    """torch.optim.SGD that keeps every instance and counts its steps with a step post-hook."""

    instances: list[RecordingSGD] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = 0
        self.register_step_post_hook(self._count)
        RecordingSGD.instances.append(self)

    @staticmethod
    def _count(optimizer, args, kwargs):
        optimizer.steps += 1


@pytest.fixture
def recording_sgd(monkeypatch):
    RecordingSGD.instances = []
    monkeypatch.setattr(torch.optim, "SGD", RecordingSGD)
    return RecordingSGD.instances


def train_three_ways(ds, seed, **settings):
    return {record: lgrad.train(ds, epochs=EPOCHS, seed=seed, record=record, **settings) for record in RECORDS}


@pytest.mark.parametrize(
    "settings",
    [
        dict(batch_size=32),
        dict(batch_size=32, momentum=0.9),
        dict(batch_size=1, lr=0.1, activation="relu"),
        dict(batch_size="full", loss="bce", dtype=torch.float64),
    ],
    ids=["b32", "b32-momentum", "b1-relu", "full-bce-f64"],
)
def test_recording_changes_nothing(breast_cancer, seed, recording_sgd, settings):
    runs = train_three_ways(breast_cancer, seed, **settings)
    baseline = runs[None]
    for record in ("epoch", "batch"):
        history = runs[record]
        for (name, p), p0 in zip(history.model.named_parameters(), baseline.model.parameters(), strict=True):
            assert torch.equal(p, p0), f"record={record!r} changed {name}"
            assert torch.equal(p.grad, p0.grad), f"record={record!r} changed the last gradient of {name}"
        for metric in ("train_loss", "train_accuracy", "test_loss", "test_accuracy"):
            np.testing.assert_array_equal(getattr(history, metric), getattr(baseline, metric))

    states = [optimizer.state_dict() for optimizer in recording_sgd]
    assert len(states) == 3
    for state in states[:2]:
        assert state["param_groups"] == states[2]["param_groups"]
        assert state["state"].keys() == states[2]["state"].keys()
        for key, buffers in state["state"].items():
            for name, value in buffers.items():
                expected = states[2]["state"][key][name]
                assert torch.equal(value, expected) if isinstance(value, torch.Tensor) else value == expected
    if settings.get("momentum"):
        assert all("momentum_buffer" in s for s in states[2]["state"].values())


def test_record_none_holds_no_learning_gradient(breast_cancer, seed):
    history = lgrad.train(breast_cancer, epochs=2, seed=seed, record=None)
    assert history.relevance.shape == history.raw_relevance.shape == (2, breast_cancer.n_features)
    assert np.isnan(history.relevance).all() and np.isnan(history.raw_relevance).all()
    assert history.batch_relevance is None and history.batch_epoch is None
    with pytest.raises(ValueError, match="record=None"):
        history.top_features()


def test_record_batch_keeps_the_epoch_rows(breast_cancer, seed):
    by_epoch = lgrad.train(breast_cancer, epochs=EPOCHS, seed=seed, batch_size=32, record="epoch")
    by_batch = lgrad.train(breast_cancer, epochs=EPOCHS, seed=seed, batch_size=32, record="batch")
    np.testing.assert_array_equal(by_batch.raw_relevance, by_epoch.raw_relevance)
    np.testing.assert_array_equal(by_batch.relevance, by_epoch.relevance)
    assert by_epoch.batch_relevance is None and by_epoch.batch_epoch is None
    assert by_batch.batch_relevance.shape == (EPOCHS * 15, breast_cancer.n_features)
    assert by_batch.batch_epoch.dtype.kind == "i"


def _hooks_left(model: torch.nn.Module) -> list[str]:
    left = []
    for name, module in model.named_modules():
        for kind in ("_forward_hooks", "_forward_pre_hooks", "_backward_hooks", "_backward_pre_hooks"):
            if getattr(module, kind, None):
                left.append(f"{name or 'model'}.{kind}")
    for name, p in model.named_parameters():
        if p._backward_hooks:
            left.append(f"{name}._backward_hooks")
        if getattr(p, "_post_accumulate_grad_hooks", None):
            left.append(f"{name}._post_accumulate_grad_hooks")
    return left


@pytest.mark.parametrize("record", RECORDS)
def test_no_hook_left_and_requires_grad_unchanged(breast_cancer, seed, record):
    fresh = lgrad.build_model(breast_cancer.n_features, (3,), "sigmoid", seed=seed)
    history = lgrad.train(breast_cancer, epochs=2, seed=seed, record=record)
    assert _hooks_left(history.model) == []
    assert [p.requires_grad for p in history.model.parameters()] == [p.requires_grad for p in fresh.parameters()]
    assert all(p.is_leaf for p in history.model.parameters())
    assert not torch.nn.modules.module._global_forward_hooks
    assert not torch.nn.modules.module._global_backward_hooks


def test_recorder_attaches_once_and_release_gives_the_batches_back(breast_cancer):
    data = breast_cancer.X_train[:20].clone()
    batches = data.split(8)
    recorder = lgrad.LearningGradient(batches)
    assert all(x.is_leaf and x.requires_grad for x in batches)
    slots = [x.grad for x in batches]
    assert all(g.untyped_storage().data_ptr() == slots[0].untyped_storage().data_ptr() for g in slots)  # one buffer
    assert [g.shape for g in slots] == [x.shape for x in batches]
    assert torch.equal(data, breast_cancer.X_train[:20])
    recorder.release()
    assert not any(x.requires_grad for x in batches)
    assert all(x.grad is None for x in batches)


# ---- no extra pass: count forwards, backwards and optimizer steps for real ------------------------------------------


class PassCounter:
    """Counts grad-enabled and no-grad forward passes through the network (at its first Linear layer, whichever entry
    point, ``forward`` or ``logits``, was called), calls of the autograd entry points, and how many times the first
    Linear layer's backward node actually ran (whatever API launched the backward pass)."""

    def __init__(self):
        self.grad_forwards = self.nograd_forwards = 0
        self.backward_calls = self.grad_calls = 0
        self.first_layer_backwards = 0

    def attach(self, model: torch.nn.Module) -> None:
        model.linears[0].register_forward_hook(self._on_first_layer)

    def _on_first_layer(self, module, inputs, output):
        if torch.is_grad_enabled():
            self.grad_forwards += 1
        else:
            self.nograd_forwards += 1
        if output.grad_fn is not None:
            output.grad_fn.register_prehook(self._on_first_layer_backward)

    def _on_first_layer_backward(self, grad_outputs):
        self.first_layer_backwards += 1


@pytest.fixture
def pass_counter(monkeypatch, recording_sgd):
    counter = PassCounter()
    build_model = lgrad.training.build_model

    def counted_build_model(*args, **kwargs):
        model = build_model(*args, **kwargs)
        counter.attach(model)
        return model

    backward, grad = torch.autograd.backward, torch.autograd.grad

    def counted_backward(*args, **kwargs):
        counter.backward_calls += 1
        return backward(*args, **kwargs)

    def counted_grad(*args, **kwargs):
        counter.grad_calls += 1
        return grad(*args, **kwargs)

    monkeypatch.setattr(lgrad.training, "build_model", counted_build_model)
    monkeypatch.setattr(torch.autograd, "backward", counted_backward)
    monkeypatch.setattr(torch.autograd, "grad", counted_grad)
    return counter


@pytest.mark.parametrize("record", RECORDS)
@pytest.mark.parametrize("batch_size", [1, 32, "full"])
def test_one_forward_and_one_backward_per_sgd_step(
    breast_cancer, seed, pass_counter, recording_sgd, batch_size, record
):
    epochs = 2
    lgrad.train(breast_cancer, epochs=epochs, seed=seed, batch_size=batch_size, lr=0.1, record=record)
    n_train = len(breast_cancer.y_train)
    steps = epochs * (1 if batch_size == "full" else math.ceil(n_train / batch_size))

    [optimizer] = recording_sgd
    assert optimizer.steps == steps
    assert pass_counter.first_layer_backwards == steps
    assert pass_counter.backward_calls == steps
    assert pass_counter.grad_calls == 0
    assert pass_counter.grad_forwards == steps
    assert pass_counter.nograd_forwards == 2 * epochs  # the per-epoch evaluation on the train and test parts


def test_pass_counter_sees_an_extra_pass(breast_cancer, seed):
    """The counter is not blind: a post-hoc attribution after a training step shows up as a second backward pass."""
    from captum.attr import Saliency

    counter = PassCounter()
    model = lgrad.build_model(breast_cancer.n_features, (3,), "sigmoid", seed=seed)
    counter.attach(model)
    x, y = breast_cancer.X_train[:16].float(), breast_cancer.y_train[:16].float()
    lgrad.batch_cost("mse", model.logits(x), y).backward()
    Saliency(lambda inputs: lgrad.example_cost("mse", model.logits(inputs), y)).attribute(
        x.clone().requires_grad_(True)
    )
    assert counter.grad_forwards == 2
    assert counter.first_layer_backwards == 2


def one_epoch(model, recorder, batches, targets, skip=()):
    for i, (x, y) in enumerate(zip(batches, targets, strict=True)):
        if i not in skip:
            lgrad.batch_cost("mse", model.logits(x), y).backward()
    recorder.end_epoch()


@pytest.fixture
def two_batches(breast_cancer):
    model = lgrad.build_model(breast_cancer.n_features, (3,), "sigmoid", seed=0, dtype=torch.float64)
    return model, breast_cancer.X_train[:12].clone().split(8), breast_cancer.y_train[:12].split(8)


def test_end_epoch_needs_one_backward_per_batch(two_batches):
    model, batches, targets = two_batches
    recorder = lgrad.LearningGradient(batches)
    with pytest.raises(RuntimeError, match="each of the 2 batches to go through backward.. once per epoch.*counted 1"):
        one_epoch(model, recorder, batches, targets, skip={1})


def test_end_epoch_notices_a_gradient_taken_out_of_its_slot(two_batches):
    model, batches, targets = two_batches
    recorder = lgrad.LearningGradient(batches)
    batches[0].grad = None  # backward then stores a new tensor instead of adding into the recorder's buffer
    with pytest.raises(RuntimeError, match="with its .grad left in place; counted 1"):
        one_epoch(model, recorder, batches, targets)


def test_end_epoch_starts_each_epoch_from_zero(two_batches):
    """Memory does not grow with the steps, and epochs do not leak into each other: the same steps twice at the same
    weights give two equal epoch rows (a buffer left uncleared would double the second)."""
    model, batches, targets = two_batches
    recorder = lgrad.LearningGradient(batches, keep_batches=True)
    buffer = batches[0].grad
    one_epoch(model, recorder, batches, targets)
    assert all(torch.count_nonzero(x.grad) == 0 for x in batches)
    one_epoch(model, recorder, batches, targets)
    rows = recorder.epoch_rows()
    assert rows.shape == (2, batches[0].shape[1]) and np.all(rows[0] > 0)
    np.testing.assert_array_equal(rows[0], rows[1])
    np.testing.assert_array_equal(recorder.batch_epochs(), [0, 0, 1, 1])
    assert batches[0].grad is buffer


def test_batch_rows_and_example_gradients_need_asking(two_batches):
    _, batches, _ = two_batches
    recorder = lgrad.LearningGradient(batches)
    with pytest.raises(RuntimeError, match="keep_batches=True"):
        recorder.batch_rows()
    with pytest.raises(RuntimeError, match="keep_examples=True"):
        recorder.example_gradients()


@pytest.mark.parametrize(
    ("batches", "error", "message"),
    [
        (torch.zeros(4, 3), TypeError, "batches must be a sequence of tensors .e.g. X.split.32.., got Tensor"),
        ([], ValueError, "batches must hold at least one tensor, got an empty sequence"),
        ([torch.zeros(4, 3), "x"], TypeError, r"batches\[1\] must be a tensor, got str"),
        ([torch.zeros(4)], ValueError, r"batches\[0\] must be a non-empty floating tensor of shape .batch, feat"),
        ([torch.zeros(4, 3, dtype=torch.int64)], ValueError, r"batches\[0\] must be a non-empty floating tensor"),
        ([torch.zeros(4, 3), torch.zeros(4, 2)], ValueError, r"batches\[1\] must match batches\[0\] in features"),
        (
            [torch.zeros(4, 3), torch.zeros(4, 3, dtype=torch.float64)],
            ValueError,
            r"batches\[1\] must match batches\[0\] in features, dtype and device: got 3, torch.float64",
        ),
        ([torch.zeros(4, 3, requires_grad=True)], ValueError, r"batches\[0\] must be a leaf that does not require"),
    ],
    ids=["tensor", "empty", "not-a-tensor", "1-d", "integer", "features", "dtype", "requires-grad"],
)
def test_bad_batches_are_named(batches, error, message):
    with pytest.raises(error, match=message):
        lgrad.LearningGradient(batches)


def test_the_documented_loop_is_what_train_runs(breast_cancer, seed):
    """LearningGradient's docstring example, written out: it records exactly train()'s learning gradient."""
    X, y = breast_cancer.X_train.float(), breast_cancer.y_train.float()
    model = lgrad.build_model(breast_cancer.n_features, seed=seed)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    batches = lgrad.ShuffledBatches(X, y, 32)
    with lgrad.LearningGradient(batches.inputs) as recorder:
        for order in lgrad.epoch_orders(len(X), EPOCHS, seed):
            for xb, yb in batches.epoch(order):
                optimizer.zero_grad()
                lgrad.batch_cost("mse", model.logits(xb), yb).backward()
                optimizer.step()
            recorder.end_epoch()
    history = lgrad.train(breast_cancer, epochs=EPOCHS, seed=seed, batch_size=32, lr=0.5)
    np.testing.assert_array_equal(recorder.epoch_rows(), history.raw_relevance)
    assert not any(x.requires_grad or x.grad is not None for x in batches.inputs)


# ---- any input shape, any cost, maps per class --------------------------------------------------------------------


class TinyConv(torch.nn.Module):
    """A one-filter convolution over (N, 2, 5, 5) inputs and a linear read-out to 3 classes."""

    def __init__(self):
        super().__init__()
        gen = torch.Generator().manual_seed(0)
        self.conv = torch.nn.Conv2d(2, 1, 3)
        self.fc = torch.nn.Linear(9, 3)
        with torch.no_grad():
            for p in self.parameters():
                p.copy_(torch.randn(p.shape, generator=gen))
        self.double()

    def forward(self, x):
        return self.fc(torch.tanh(self.conv(x)).flatten(1))


@pytest.fixture
def images():
    gen = torch.Generator().manual_seed(1)
    X = torch.randn(10, 2, 5, 5, dtype=torch.float64, generator=gen)
    y = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1, 0, 0])  # class 2 only in the first batch of 6
    return X, y


def test_maps_keep_the_input_shape_and_classes_add_up(images):
    X, y = images
    model = TinyConv()
    batches, targets = X.clone().split(6), y.split(6)
    recorder = lgrad.LearningGradient(batches, keep_batches=True, keep_examples=True, by_class=targets, n_classes=4)
    for _ in range(2):
        for x, t in zip(batches, targets, strict=True):
            lgrad.batch_cost("ce", model(x), t).backward()
        recorder.end_epoch()
    recorder.release()

    per_example = []
    for i in range(len(y)):
        x = X[i : i + 1].clone().requires_grad_(True)
        (g,) = torch.autograd.grad(lgrad.example_cost("ce", model(x), y[i : i + 1]).sum(), x)
        per_example.append(g[0])
    per_example = torch.stack(per_example)
    assert recorder.input_shape == (2, 5, 5)
    torch.testing.assert_close(recorder.example_gradients(), torch.cat([per_example, per_example]), rtol=0, atol=1e-12)
    epoch = per_example.abs().sum(0).numpy()
    assert recorder.epoch_rows().shape == (2, 2, 5, 5)
    np.testing.assert_allclose(recorder.epoch_rows(), np.stack([epoch, epoch]), rtol=0, atol=1e-12)
    assert recorder.batch_rows().shape == (4, 2, 5, 5)
    np.testing.assert_allclose(recorder.batch_rows()[1], per_example[6:].abs().sum(0).numpy(), rtol=0, atol=1e-12)
    classes = recorder.class_rows()
    assert classes.shape == (2, 4, 2, 5, 5)
    for c in range(3):
        np.testing.assert_allclose(classes[1, c], per_example[y == c].abs().sum(0).numpy(), rtol=0, atol=1e-12)
    assert not classes[:, 3].any()  # a class with no example has a map of zeros
    np.testing.assert_allclose(classes.sum(1), recorder.epoch_rows(), rtol=0, atol=1e-12)


def test_class_rows_read_each_epochs_targets_in_place(images):
    """The target batches are read at end_epoch: refilled in place with the inputs, the classes follow them."""
    X, y = images
    model = TinyConv()
    batches = lgrad.ShuffledBatches(X, y, 4)
    recorder = lgrad.LearningGradient(batches.inputs, by_class=batches.targets, n_classes=3)
    for order in lgrad.epoch_orders(len(y), 2, seed=0):
        for x, t in batches.epoch(order):
            lgrad.batch_cost("ce", model(x), t).backward()
        recorder.end_epoch()
    recorder.release()
    classes = recorder.class_rows()
    np.testing.assert_allclose(classes[0], classes[1], rtol=1e-12, atol=0)  # same weights: same class maps


def test_normalize_scales_each_map(images):
    maps = np.abs(images[0].numpy())  # 10 × (2, 5, 5)
    shares = lgrad.normalize(maps, input_ndim=3)
    np.testing.assert_allclose(shares.sum(axis=(1, 2, 3)), 1.0, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(lgrad.normalize(np.zeros((2, 3, 3)), input_ndim=2), np.zeros((2, 3, 3)))
    np.testing.assert_array_equal(lgrad.normalize(maps.reshape(10, -1)), lgrad.normalize(maps.reshape(10, -1), 1))


def test_class_rows_need_asking(two_batches):
    _, batches, _ = two_batches
    with pytest.raises(RuntimeError, match=r"class rows are kept only with LearningGradient\(by_class=targets"):
        lgrad.LearningGradient(batches).class_rows()


def test_labels_out_of_range_are_named_at_end_of_epoch(images):
    X, y = images
    model, x = TinyConv(), X.clone()
    labels = y.clone()
    recorder = lgrad.LearningGradient([x], by_class=[labels], n_classes=3)
    lgrad.batch_cost("ce", model(x), labels).backward()
    labels[0] = 5
    with pytest.raises(ValueError, match=r"by_class labels must be class indices in \[0, 3\) .n_classes=3., found 5"):
        recorder.end_epoch()


IMAGES = [torch.zeros(4, 2, 5, 5), torch.zeros(3, 2, 5, 5)]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            dict(batches=[IMAGES[0], torch.zeros(4, 2, 4, 5)]),
            ValueError,
            r"in features, dtype and device: got \(2, 4, 5\)",
        ),
        (dict(n_classes=3), ValueError, "n_classes is used only with by_class .the target batches., got n_classes=3"),
        (dict(by_class=[torch.zeros(4, dtype=torch.int64)] * 2), ValueError, "n_classes must be given with by_class"),
        (dict(by_class=[torch.zeros(4)], n_classes=0), ValueError, "n_classes must be an integer >= 1, got 0"),
        (dict(by_class=torch.zeros(7), n_classes=3), TypeError, "by_class must be a sequence of target tensors"),
        (dict(by_class=[torch.zeros(4)], n_classes=3), ValueError, "by_class must hold one target tensor per batch, 2"),
        (
            dict(by_class=[torch.zeros(4), torch.zeros(3)], n_classes=3),
            TypeError,
            r"by_class\[0\] must be an integer tensor of class indices, got torch.float32",
        ),
        (
            dict(by_class=[torch.zeros(4, dtype=torch.int64), torch.zeros(4, dtype=torch.int64)], n_classes=3),
            ValueError,
            r"by_class\[1\] must have shape \(3,\), one class index per example of batches\[1\]",
        ),
    ],
    ids=["shape", "n-classes-alone", "no-n-classes", "zero-classes", "tensor", "count", "float", "length"],
)
def test_bad_class_arguments_are_named(kwargs, error, message):
    kwargs.setdefault("batches", [x.clone() for x in IMAGES])
    with pytest.raises(error, match=message):
        lgrad.LearningGradient(**kwargs)
