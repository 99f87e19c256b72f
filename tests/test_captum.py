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
