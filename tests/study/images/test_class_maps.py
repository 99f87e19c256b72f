"""lgrad.study.images.class_maps: Captum's class maps against hand-computed oracles, the ink statistic and rank
agreement on made-up maps, and the chapter's sentences on each branch."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import torch
from scipy.stats import spearmanr

import lgrad
from lgrad.study.images import class_maps


class _Linear(torch.nn.Module):
    """logits = W · vec(image) + b: its Saliency is |W[y]| and its Integrated Gradients from 0 are x ⊙ W[y], exactly."""

    def __init__(self, weight: torch.Tensor) -> None:
        super().__init__()
        self.fc = torch.nn.Linear(weight.shape[1], weight.shape[0]).double()
        with torch.no_grad():
            self.fc.weight.copy_(weight)
            self.fc.bias.fill_(0.3)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.fc(images.flatten(1))


@pytest.fixture
def tiny(seed):
    gen = torch.Generator().manual_seed(seed)
    weight = torch.randn(3, 4, generator=gen, dtype=torch.float64)
    images = torch.rand(9, 2, 2, generator=gen, dtype=torch.float64)
    labels = torch.tensor([0, 1, 2, 0, 1, 2, 0, 0, 1])
    return _Linear(weight), weight, images, labels


def test_saliency_of_a_linear_model_is_its_weights(tiny) -> None:
    model, weight, images, labels = tiny
    maps = class_maps.captum_class_maps(model, images, labels, 3, "saliency")
    np.testing.assert_allclose(maps, weight.abs().reshape(3, 2, 2).numpy(), atol=1e-12)


def test_integrated_gradients_of_a_linear_model_is_input_times_weight(tiny) -> None:
    model, weight, images, labels = tiny
    before = {k: v.clone() for k, v in model.state_dict().items()}
    maps = class_maps.captum_class_maps(model, images, labels, 3, "integrated_gradients", n_steps=4)
    for c in range(3):
        expected = (images[labels == c].flatten(1) * weight[c]).abs().mean(0).reshape(2, 2)
        np.testing.assert_allclose(maps[c], expected.numpy(), atol=1e-12)
    assert all(torch.equal(v, model.state_dict()[k]) for k, v in before.items()), "the model's weights moved"


def test_a_class_without_images_has_no_map(tiny) -> None:
    model, _, images, labels = tiny
    maps = class_maps.captum_class_maps(model, images, labels, 4, "saliency")
    assert np.isnan(maps[3]).all() and np.isfinite(maps[:3]).all()


def test_saliency_of_the_cnn_is_the_gradient_of_the_true_logit(seed) -> None:
    """The oracle of Captum's own tests: model(x)[:, y].backward(); x.grad.abs(), averaged per class."""
    digits = lgrad.load_digits_dataset(seed=seed)
    model = lgrad.build_cnn(seed=seed, dtype=torch.float64)
    images, labels = digits.X_test[:60], digits.y_test[:60]
    x = images.clone().requires_grad_(True)
    model(x).gather(1, labels[:, None]).sum().backward()
    expected = class_maps.class_mean_images(x.grad.abs(), labels, 10)
    maps = class_maps.captum_class_maps(model, images, labels, 10, "saliency")
    np.testing.assert_allclose(maps, expected, atol=1e-12, equal_nan=True)


def test_captum_class_maps_rejects_an_unknown_method(tiny) -> None:
    model, _, images, labels = tiny
    with pytest.raises(ValueError, match="method must be one of 'saliency', 'integrated_gradients'"):
        class_maps.captum_class_maps(model, images, labels, 3, "lime")


def test_map_agreement_is_spearman_per_class() -> None:
    rng = np.random.default_rng(0)
    first = rng.random((3, 4, 4))
    second = np.stack([first[0], -first[1], rng.random((4, 4))])
    rho = class_maps.map_agreement(first, second)
    assert rho[0] == pytest.approx(1.0) and rho[1] == pytest.approx(-1.0)
    assert rho[2] == pytest.approx(spearmanr(first[2].ravel(), second[2].ravel()).statistic)


def test_map_agreement_is_undefined_for_a_constant_or_broken_map() -> None:
    maps = np.random.default_rng(1).random((3, 2, 2))
    other = maps.copy()
    other[0] = 0.25
    other[1, 0, 0] = np.nan
    rho = class_maps.map_agreement(maps, other)
    assert np.isnan(rho[:2]).all() and rho[2] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="one shape"):
        class_maps.map_agreement(maps, maps[:2])


def test_ink_share_on_a_made_up_map() -> None:
    """Half of the map's mass on the one ink pixel of four; a map given unnormalized is normalized first."""
    maps = np.array([[[2.0, 1.0], [1.0, 0.0]], [[0.0, 0.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 1.0]]])
    masks = np.array([[[True, False], [False, False]]] * 3)
    share = class_maps.ink_share(maps, masks)
    assert share[0] == pytest.approx(0.5) and np.isnan(share[1]) and share[2] == pytest.approx(0.25)


def test_ink_masks_and_lift() -> None:
    means = np.array([[[0.9, 0.1], [0.6, 0.0]]])
    assert class_maps.ink_masks(means, 0.5).tolist() == [[[True, False], [True, False]]]
    even = np.ones((1, 2, 2))
    on_ink = np.array([[[1.0, 0.0], [1.0, 0.0]]])
    assert class_maps.ink_lift(means, even, 0.5) == pytest.approx(1.0)  # spread evenly: the ink's share
    assert class_maps.ink_lift(means, on_ink, 0.5) == pytest.approx(2.0)  # all on half the pixels
    assert np.isnan(class_maps.ink_lift(means, np.zeros((1, 2, 2)), 0.5))
    with pytest.raises(ValueError, match="threshold"):
        class_maps.ink_masks(means, 0.0)


def test_ink_table_has_a_column_per_map() -> None:
    means = np.array([[[0.9, 0.1], [0.6, 0.0]], [[0.0, 0.0], [0.0, 0.8]]])
    maps = {"a": np.ones((2, 2, 2)), "b": np.array([[[1, 0], [0, 0]], [[0, 0], [0, 1]]], dtype=float)}
    table = class_maps.ink_table(means, maps, ["x", "y"])
    assert list(table.columns) == ["class", "ink pixels", "a on ink", "b on ink"]
    np.testing.assert_allclose(table["ink pixels"], [0.5, 0.25])
    np.testing.assert_allclose(table["a on ink"], [0.5, 0.25])
    np.testing.assert_allclose(table["b on ink"], [1.0, 1.0])


def test_class_mean_images_and_chance() -> None:
    images = np.arange(12, dtype=float).reshape(3, 2, 2)
    means = class_maps.class_mean_images(images, np.array([0, 0, 2]), 3)
    np.testing.assert_allclose(means[0], (images[0] + images[1]) / 2)
    assert np.isnan(means[1]).all()
    assert class_maps.chance_accuracy(np.array([0, 0, 1])) == pytest.approx(2 / 3)


def _history(raw_last: np.ndarray, test_accuracy: float) -> SimpleNamespace:
    return SimpleNamespace(
        raw_relevance=np.stack([np.ones((2, 2)), raw_last]), test_accuracy=np.array([0.5, test_accuracy])
    )


def test_a_cnn_that_learned_nothing_is_said_so() -> None:
    fine = class_maps.cnn_learned_nothing(_history(np.ones((2, 2)), 0.9), chance=0.1)
    zero = class_maps.cnn_learned_nothing(_history(np.zeros((2, 2)), 0.9), chance=0.1)
    diverged = class_maps.cnn_learned_nothing(_history(np.full((2, 2), np.nan), 0.1), chance=0.1)
    chance = class_maps.cnn_learned_nothing(_history(np.ones((2, 2)), 0.1), chance=0.1)
    assert fine is None
    assert "is zero" in zero and "diverged" in diverged
    assert "no better than always predicting the most common class (10.0 %)" in chance
