"""Oracle 2: at fixed parameters, Captum's Saliency on a forward function returning each example's cost equals the
per-example |∂C_i/∂x| that the recorder reads from the training step's backward pass. Tolerance: 1e-12 in float64.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from captum.attr import Saliency

import lgrad

TOL = 1e-12


def captum_saliency(model, loss, x, y) -> torch.Tensor:
    """|∂C_i/∂x_i| per example, by Captum, on a forward function returning each example's cost (shape (B,))."""

    def example_costs(inputs, targets):
        return lgrad.example_cost(loss, model.logits(inputs), targets)

    x = x.detach().clone().requires_grad_(True)
    return Saliency(example_costs).attribute(x, abs=True, additional_forward_args=(y,))


def recorded_epoch(model, loss, batches) -> lgrad.LearningGradient:
    """One epoch of training steps without the update: batch_cost(...).backward() on each batch, as train() does."""
    inputs = [x.detach().clone() for x, _ in batches]
    with lgrad.LearningGradient(inputs, keep_batches=True, keep_examples=True) as recorder:
        for x, (_, y) in zip(inputs, batches, strict=True):
            model.zero_grad(set_to_none=True)
            lgrad.batch_cost(loss, model.logits(x), y).backward()
        recorder.end_epoch()
    return recorder


@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("activation", ["sigmoid", "relu", "tanh"])
def test_recorder_equals_captum_saliency_at_initial_weights(breast_cancer, seed, activation, loss):
    model = lgrad.build_model(breast_cancer.n_features, (3,), activation, seed=seed, dtype=torch.float64)
    X, y = breast_cancer.X_train, breast_cancer.y_train
    batches = [(X[:32], y[:32]), (X[32:39], y[32:39])]  # a full batch and a short one
    recorder = recorded_epoch(model, loss, batches)

    saliency = [captum_saliency(model, loss, x, t) for x, t in batches]
    # the recorder undoes the batch cost's 1/B: each example's own ∂C_i/∂x, whatever the size of its batch
    torch.testing.assert_close(recorder.example_gradients().abs(), torch.cat(saliency), rtol=0, atol=TOL)
    expected_batch_rows = torch.stack([s.sum(0) for s in saliency]).numpy()
    np.testing.assert_allclose(recorder.batch_rows(), expected_batch_rows, rtol=TOL, atol=TOL)
    np.testing.assert_allclose(recorder.epoch_rows(), expected_batch_rows.sum(0, keepdims=True), rtol=TOL, atol=TOL)
    np.testing.assert_array_equal(recorder.batch_epochs(), [0, 0])


def test_recorder_equals_captum_saliency_on_a_trained_model(breast_cancer, seed):
    history = lgrad.train(breast_cancer, epochs=3, seed=seed, dtype=torch.float64, record=None)
    model = history.model
    X, y = breast_cancer.X_train, breast_cancer.y_train
    batches = list(zip(X.split(100), y.split(100), strict=True))  # 4 × 100 + 55: every training example
    recorder = recorded_epoch(model, "mse", batches)
    epoch_row = recorder.epoch_rows()[0]

    saliency = captum_saliency(model, "mse", X, y)
    torch.testing.assert_close(recorder.example_gradients().abs(), saliency, rtol=0, atol=TOL)
    np.testing.assert_allclose(epoch_row, saliency.sum(0).numpy(), rtol=TOL, atol=TOL)
    np.testing.assert_allclose(lgrad.normalize(epoch_row), lgrad.normalize(saliency.sum(0).numpy()), rtol=0, atol=TOL)


def test_recorder_gradient_is_the_training_steps_parameter_gradient_too(breast_cancer, seed):
    """Watching the inputs adds ∂C/∂x to the same backward pass and leaves the parameter gradients bitwise unchanged."""
    model = lgrad.build_model(breast_cancer.n_features, (3,), "sigmoid", seed=seed, dtype=torch.float64)
    x, y = breast_cancer.X_train[:32], breast_cancer.y_train[:32]
    lgrad.batch_cost("mse", model.logits(x), y).backward()
    plain = [p.grad.clone() for p in model.parameters()]
    recorded_epoch(model, "mse", [(x, y)])
    for p, g in zip(model.parameters(), plain, strict=True):
        assert torch.equal(p.grad, g)


# ---- the digits CNN: images in, cross-entropy over 10 classes ----------------------------------------------------


@pytest.fixture(scope="module")
def digits():
    from lgrad.digits import load_digits_dataset

    return load_digits_dataset(test_size=0.2, seed=0)


def cnn_epoch(model, batches) -> lgrad.LearningGradient:
    """One epoch of the CNN's training steps without the update, recording examples, batches and classes."""
    inputs = [x.detach().clone() for x, _ in batches]
    targets = [y for _, y in batches]
    with lgrad.LearningGradient(
        inputs, keep_batches=True, keep_examples=True, by_class=targets, n_classes=10
    ) as recorder:
        for x, y in zip(inputs, targets, strict=True):
            model.zero_grad(set_to_none=True)
            lgrad.batch_cost("ce", model(x), y).backward()
        recorder.end_epoch()
    return recorder


def cnn_saliency(model, x, y, *, abs: bool) -> torch.Tensor:
    """∂C_i/∂x_i (or its absolute value) per image, by Captum, on a forward function returning each image's cost."""

    def example_costs(images, labels):
        return lgrad.example_cost("ce", model(images), labels)

    return Saliency(example_costs).attribute(
        x.detach().clone().requires_grad_(True), abs=abs, additional_forward_args=(y,)
    )


@pytest.mark.parametrize("trained", [False, True], ids=["initial", "trained"])
def test_cnn_recorder_equals_captum_saliency(digits, trained):
    """Per image, signed (Captum ``abs=False``) and in its 8×8 shape; then the batch, class and epoch maps."""
    from lgrad.cnn import build_cnn
    from lgrad.cnn_training import train_cnn

    if trained:
        model = train_cnn(digits, epochs=2, seed=0, dtype=torch.float64, record=None).model
    else:
        model = build_cnn(seed=0, dtype=torch.float64)
    X, y = digits.X_train[:300], digits.y_train[:300]
    batches = list(zip(X.split(128), y.split(128), strict=True))  # 128, 128 and a short 44
    recorder = cnn_epoch(model, batches)

    signed = torch.cat([cnn_saliency(model, x, t, abs=False) for x, t in batches])
    assert signed.shape == recorder.example_gradients().shape == (300, 8, 8)
    torch.testing.assert_close(recorder.example_gradients(), signed, rtol=0, atol=TOL)
    saliency = cnn_saliency(model, X, y, abs=True)
    expected_batches = np.stack([s.sum(0).numpy() for s in saliency.split(128)])
    np.testing.assert_allclose(recorder.batch_rows(), expected_batches, rtol=0, atol=TOL)
    np.testing.assert_allclose(recorder.epoch_rows(), saliency.sum(0, keepdim=True).numpy(), rtol=0, atol=TOL)
    expected_classes = np.stack([saliency[y == c].sum(0).numpy() for c in range(10)])
    np.testing.assert_allclose(recorder.class_rows(), expected_classes[None], rtol=0, atol=TOL)
    assert recorder.class_rows().shape == (1, 10, 8, 8)
