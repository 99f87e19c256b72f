"""lgrad.figures.diagrams: the schematics draw, and the architecture diagram is drawn from the model's own weights."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import LineCollection
from torch import nn

import lgrad
from lgrad.figures import diagrams
from lgrad.figures.provenance import save_figure

NAMES = lgrad.load_dataset("breast_cancer").feature_names


def edge_collections(fig) -> list[LineCollection]:
    return [c for c in fig.axes[0].collections if isinstance(c, LineCollection)]


def png_bytes(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=40)
    return buffer.getvalue()


def all_text(fig) -> str:
    return "\n".join(t.get_text() for ax in fig.axes for t in ax.texts)


@pytest.mark.parametrize("hidden", [(3,), (5, 2), (1,)])
def test_architecture_has_one_edge_per_weight(hidden: tuple[int, ...]) -> None:
    model = lgrad.build_model(30, hidden, seed=0)
    fig = diagrams.architecture(model, NAMES)
    sizes = [30, *hidden, 1]
    collections = edge_collections(fig)
    assert [len(c.get_segments()) for c in collections] == [a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
    assert fig._lgrad_plotted_data["layer_sizes"] == sizes
    assert f"{' → '.join(map(str, sizes))}" in fig.axes[0].get_title()


def test_architecture_edge_colors_follow_the_weight_signs() -> None:
    model = lgrad.build_model(30, (4,), seed=1)
    fig = diagrams.architecture(model, NAMES)
    for linear, edges in zip(model.linears, edge_collections(fig), strict=True):
        weights = linear.weight.detach().numpy().ravel()
        colors = edges.get_colors()
        reddish = int((colors[:, 0] > colors[:, 2]).sum())
        assert reddish == int((weights > 0).sum())
        widths = np.sort(edges.get_linewidths())
        expected = np.sort(0.4 + 2.6 * np.abs(weights) / np.abs(weights).max())
        np.testing.assert_allclose(widths, expected, rtol=1e-6)


def test_architecture_names_every_input() -> None:
    fig = diagrams.architecture(lgrad.build_model(30, (3,), seed=0), NAMES)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert all(name in texts for name in NAMES)
    assert fig._lgrad_plotted_data["feature_names"] == list(NAMES)


def test_architecture_changes_with_hidden_and_with_training() -> None:
    ds = lgrad.load_dataset("breast_cancer")
    small = diagrams.architecture(lgrad.build_model(30, (3,), seed=0), NAMES)
    wider = diagrams.architecture(lgrad.build_model(30, (6,), seed=0), NAMES)
    trained = lgrad.train(ds, epochs=2, seed=0).model
    after = diagrams.architecture(trained, NAMES)
    assert len({png_bytes(small), png_bytes(wider), png_bytes(after)}) == 3
    np.testing.assert_allclose(after._lgrad_plotted_data["weights"][0], trained.linears[0].weight.detach().double())


def test_architecture_of_any_linear_chain_defaults_names() -> None:
    model = nn.Sequential(nn.Linear(4, 2), nn.Tanh(), nn.Linear(2, 1))
    fig = diagrams.architecture(model)
    assert fig._lgrad_plotted_data["feature_names"] == ["x1", "x2", "x3", "x4"]
    assert [len(c.get_segments()) for c in edge_collections(fig)] == [8, 2]


def test_architecture_rejects_bad_arguments() -> None:
    model = lgrad.build_model(30, (3,), seed=0)
    with pytest.raises(ValueError, match="feature_names"):
        diagrams.architecture(model, NAMES[:5])
    with pytest.raises(TypeError, match="model"):
        diagrams.architecture("a model", NAMES)
    with pytest.raises(ValueError, match="chain"):
        diagrams.architecture(nn.Sequential(nn.Linear(4, 2), nn.Linear(3, 1)))
    with pytest.raises(ValueError, match="nn.Linear"):
        diagrams.architecture(nn.Sequential(nn.ReLU()))


def test_training_loop_shows_the_loop_and_the_learning_gradient() -> None:
    fig = diagrams.training_loop()
    text = all_text(fig)
    for word in (
        "Inputs",
        "Parameters",
        "Prediction",
        "Cost",
        "Target",
        "Backpropagation",
        "Update",
        "Learning gradient",
    ):
        assert word in text
    edges = fig._lgrad_plotted_data["edges"]
    assert ("update", "parameters") in edges and ("backprop", "learning_gradient") in edges
    nodes = fig._lgrad_plotted_data["nodes"]
    assert {a for a, b in edges} | {b for a, b in edges} == set(nodes)


def test_neuron_pairs_biology_with_the_formula() -> None:
    fig = diagrams.neuron()
    assert [ax.get_title() for ax in fig.axes] == ["Biological neuron", "Artificial neuron (eq. 1)"]
    text = all_text(fig)
    assert "dendrites" in text and "axon" in text and "\\sum_{i=1}^{n} w_i x_i + b" in text


def test_diagrams_save_reproducibly_and_leave_no_pyplot_figures(tmp_path) -> None:
    model = lgrad.build_model(30, (3,), seed=0)
    makers = {
        "fig-training-loop": diagrams.training_loop,
        "fig-neuron": diagrams.neuron,
        "fig-architecture": lambda: diagrams.architecture(model, NAMES),
    }
    for fig_id, make in makers.items():
        first = save_figure(make(), fig_id, params={"seed": 0}, out_dir=tmp_path / "a")
        shown = make()
        png_bytes(shown)  # drawn once before saving, as a notebook display would
        second = save_figure(shown, fig_id, params={"seed": 0}, out_dir=tmp_path / "b")
        assert first.sha256 == second.sha256
    assert plt.get_fignums() == []
