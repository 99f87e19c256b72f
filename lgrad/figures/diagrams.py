"""Schematic figures drawn by code: the training loop (paper Fig. 1), the neuron (Fig. 2) and the architecture of the
network actually trained (Fig. 3). Each returns a matplotlib ``Figure`` not managed by pyplot and attaches what it
draws for :func:`lgrad.figures.provenance.save_figure`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Ellipse, FancyBboxPatch
from torch import nn

from .provenance import attach_data

DATA_COLOR = "#dbe9f6"  # inputs and targets
PARAM_COLOR = "#dff0d8"  # parameters and predictions
STEP_COLOR = "#fde9d2"  # computations
GRADIENT_COLOR = "#f8d7da"  # the learning gradient
INPUT_TONE, SUM_TONE, OUTPUT_TONE = "#1f77b4", "#ff7f0e", "#2ca02c"
WEIGHT_CMAP = "RdBu_r"


def training_loop() -> Figure:
    """Paper Fig. 1: inputs and parameters → prediction → cost against the target → backpropagation → update, repeated.

    The learning gradient ∂C/∂x is shown as what the backward pass yields besides the parameter gradients.
    """
    fig = Figure(figsize=(10.0, 5.0), layout="constrained")
    ax = _blank_axes(fig, (-0.2, 10.2), (-0.45, 5.7))
    nodes = {
        "inputs": ((1.2, 3.9), "Inputs $x$\n(a mini-batch of examples)", DATA_COLOR),
        "network": ((3.9, 3.9), "Network\n$\\hat{y} = f(x;\\, W, b)$", STEP_COLOR),
        "prediction": ((6.5, 3.9), "Prediction $\\hat{y}$", PARAM_COLOR),
        "cost": ((9.0, 3.9), "Cost $C(\\hat{y}, y)$\n(eq. 4, MSE)", STEP_COLOR),
        "target": ((9.0, 5.1), "Target $y$", DATA_COLOR),
        "backprop": ((9.0, 1.7), "Backpropagation\n$\\partial C/\\partial W,\\ \\partial C/\\partial b$", STEP_COLOR),
        "update": ((6.5, 1.7), "Update (SGD)\n$W \\leftarrow W - \\eta\\, \\partial C/\\partial W$", STEP_COLOR),
        "parameters": ((3.9, 1.7), "Parameters $W, b$", PARAM_COLOR),
        "learning_gradient": (
            (9.0, 0.15),
            "Learning gradient $|\\partial C/\\partial x|$\n(kept, not used for the update)",
            GRADIENT_COLOR,
        ),
    }
    boxes = {
        name: _box(ax, xy, text, color, dashed=name == "learning_gradient") for name, (xy, text, color) in nodes.items()
    }
    edges = [
        ("inputs", "network"),
        ("parameters", "network"),
        ("network", "prediction"),
        ("prediction", "cost"),
        ("target", "cost"),
        ("cost", "backprop"),
        ("backprop", "update"),
        ("update", "parameters"),
        ("backprop", "learning_gradient"),
    ]
    for start, end in edges:
        _arrow(ax, boxes[start], boxes[end], dashed=end == "learning_gradient")
    ax.text(
        6.5, 2.8, "repeat for every mini-batch;\none pass over the training set = one epoch",
        ha="center", va="center", fontsize=10, style="italic", color="#555555",
    )  # fmt: skip
    ax.set_title("The training loop", fontsize=13)
    labels = {name: text for name, (_, text, _) in nodes.items()}
    return attach_data(fig, {"nodes": labels, "edges": edges})


def neuron() -> Figure:
    """Paper Fig. 2: a biological neuron (schematic) beside the artificial one, ``a = f(Σ w_i x_i + b)``.

    Matching colors pair dendrites with weighted inputs, the cell body with the sum and activation, the axon with
    the output.
    """
    fig = Figure(figsize=(10.0, 4.2), layout="constrained")
    bio_ax, math_ax = fig.subplots(1, 2, width_ratios=(1.05, 1))
    _biological_neuron(_blank_axes(bio_ax, (0, 10), (0, 6)))
    _artificial_neuron(_blank_axes(math_ax, (0, 10), (0, 6)))
    bio_ax.set_title("Biological neuron", fontsize=13)
    math_ax.set_title("Artificial neuron (eq. 1)", fontsize=13)
    pairs = [
        ["dendrites", "inputs x_i weighted by w_i"],
        ["cell body (soma)", "sum z = Σ w_i x_i + b and activation f"],
        ["axon", "output a = f(z)"],
    ]
    return attach_data(fig, {"correspondence": pairs, "formula": "a = f(sum_i w_i x_i + b)"})


def architecture(model: nn.Module, feature_names: Sequence[str] | None = None) -> Figure:
    """Paper Fig. 3 for the network actually trained: named inputs → hidden units → output, one edge per weight.

    Each edge is colored by its trained weight (red positive, blue negative) on one color scale per layer, so that
    small first-layer weights stay visible, and drawn thicker the larger ``|w|``; the network's formula is the title.

    Args:
        model: an :class:`lgrad.MLP` (or any module whose ``nn.Linear`` layers form the chain input → output).
        feature_names: one name per input; default ``x1, x2, …``.
    """
    linears = _linear_chain(model)
    sizes = [linears[0].in_features, *(lin.out_features for lin in linears)]
    names = _check_names(feature_names, sizes[0])
    weights = [lin.weight.detach().double().cpu().numpy() for lin in linears]
    biases = [lin.bias.detach().double().cpu().numpy() if lin.bias is not None else None for lin in linears]
    activation = getattr(model, "activation", "f")
    cmap = colormaps[WEIGHT_CMAP]
    norms = [Normalize(-limit, limit) for limit in (float(np.abs(w).max()) or 1.0 for w in weights)]

    height = max(4.0, 0.2 * max(sizes) + 1.8)
    width = min(8.4, 4.0 + 2.0 * (len(sizes) - 1))  # at most 8.4 in: 8 pt shows as 8.9 CSS px, 8.5 pt as 9.4
    fig = Figure(figsize=(width, height), layout="constrained")
    ax = _blank_axes(fig, (-1.35, len(sizes) - 0.65), (-0.15, 1.07))
    positions = [_layer_y(n) for n in sizes]
    for layer, (w, norm) in enumerate(zip(weights, norms, strict=True)):
        target, source = np.meshgrid(np.arange(w.shape[0]), np.arange(w.shape[1]), indexing="ij")
        order = np.argsort(np.abs(w).ravel(), kind="stable")  # strong weights on top
        t, s = target.ravel()[order], source.ravel()[order]
        segments = np.stack(
            [
                np.column_stack([np.full(s.size, layer), positions[layer][s]]),
                np.column_stack([np.full(t.size, layer + 1), positions[layer + 1][t]]),
            ],
            axis=1,
        )
        values = w.ravel()[order]
        widths = 0.4 + 2.6 * np.abs(values) / norm.vmax
        edges = LineCollection(segments, colors=cmap(norm(values)), linewidths=widths, zorder=1)
        edges.set_gid(f"weights-{layer + 1}")
        ax.add_collection(edges)
    for layer, ys in enumerate(positions):
        marker = 7 if sizes[layer] > 12 else 16
        ax.plot(np.full(ys.size, layer), ys, "o", ms=marker, mfc="white", mec="#333333", mew=1.0, zorder=3)
    fontsize = 8.5 if sizes[0] <= 40 else 5
    for name, y in zip(names, positions[0], strict=True):
        ax.text(-0.06, y, name, ha="right", va="center", fontsize=fontsize)
    for layer in range(1, len(sizes) - 1):
        if sizes[layer] <= 12:
            for unit, y in enumerate(positions[layer], start=1):
                ax.text(layer, y, f"{unit}", ha="center", va="center", fontsize=8.5, zorder=4)
    ax.text(len(sizes) - 1 + 0.12, positions[-1][0], "$\\hat{y}$", ha="left", va="center", fontsize=13)
    for layer, n in enumerate(sizes):
        kind = "input" if layer == 0 else "output" if layer == len(sizes) - 1 else f"hidden {layer}"
        act = "" if layer == 0 else f"\n{'sigmoid' if layer == len(sizes) - 1 else activation}"
        unit = "variable" if layer == 0 else "unit"
        label = f"{kind}: {n} {unit}{'s' if n != 1 else ''}{act}"
        ax.text(layer, -0.035, label, ha="center", va="top", fontsize=9, color="#444444")
    shape = " → ".join(str(n) for n in sizes)
    ax.set_title(f"The network trained: {shape}\n{_formula(len(linears))}", fontsize=12)
    for layer, norm in reversed(list(enumerate(norms, start=1))):
        colorbar = fig.colorbar(ScalarMappable(norm, cmap), ax=ax, shrink=0.4, pad=0.01, aspect=25)
        colorbar.set_label(f"$W^{{({layer})}}$", fontsize=10)
        colorbar.ax.tick_params(labelsize=8.5)
    ax.text(
        (len(sizes) - 1) / 2, -0.125, "edge color: trained weight (red > 0 > blue), one scale per layer; width ∝ |w|",
        ha="center", va="center", fontsize=9, color="#444444",
    )  # fmt: skip
    data = {
        "layer_sizes": sizes,
        "feature_names": names,
        "activation": activation,
        "weights": weights,
        "biases": biases,
    }
    return attach_data(fig, data)


def _formula(n_linears: int) -> str:
    inner = "x"
    for layer in range(1, n_linears):
        inner = f"f\\left(W^{{({layer})}} {inner} + b^{{({layer})}}\\right)"
    return f"$\\hat{{y}} = \\sigma\\left(W^{{({n_linears})}} {inner} + b^{{({n_linears})}}\\right)$"


def _layer_y(n: int) -> np.ndarray:
    """Vertical positions of ``n`` nodes in [0, 1], top first, centered; small layers are spread less."""
    if n == 1:
        return np.array([0.5])
    span = min(1.0, 0.2 * (n - 1))
    return 0.5 + span / 2 - span * np.arange(n) / (n - 1)


def _linear_chain(model: nn.Module) -> list[nn.Linear]:
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch nn.Module, got {type(model).__name__}")
    linears = list(getattr(model, "linears", None) or (m for m in model.modules() if isinstance(m, nn.Linear)))
    if not linears:
        raise ValueError("model must contain nn.Linear layers, found none")
    for before, after in zip(linears[:-1], linears[1:], strict=True):
        if before.out_features != after.in_features:
            raise ValueError(
                f"model's linear layers do not chain: {before.out_features} outputs feed {after.in_features} inputs"
            )
    return linears


def _check_names(feature_names: Sequence[str] | None, n_inputs: int) -> list[str]:
    if feature_names is None:
        return [f"x{i}" for i in range(1, n_inputs + 1)]
    if isinstance(feature_names, str) or not isinstance(feature_names, Sequence):
        raise TypeError(f"feature_names must be a sequence of strings, got {type(feature_names).__name__}")
    if len(feature_names) != n_inputs:
        raise ValueError(f"feature_names must have one name per model input ({n_inputs}), got {len(feature_names)}")
    return [str(name) for name in feature_names]


def _blank_axes(where: Figure | Axes, xlim: tuple[float, float], ylim: tuple[float, float]) -> Axes:
    ax = where.add_subplot() if isinstance(where, Figure) else where
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("auto")
    ax.axis("off")
    return ax


def _box(ax: Axes, xy: tuple[float, float], text: str, color: str, *, dashed: bool = False) -> FancyBboxPatch:
    width, height = 2.15, 0.82
    box = FancyBboxPatch(
        (xy[0] - width / 2, xy[1] - height / 2), width, height, boxstyle="round,pad=0.08,rounding_size=0.15",
        facecolor=color, edgecolor="#b22222" if dashed else "#444444", linewidth=1.2,
        linestyle="--" if dashed else "-", zorder=2,
    )  # fmt: skip
    ax.add_patch(box)
    ax.text(*xy, text, ha="center", va="center", fontsize=10, zorder=3)
    return box


def _arrow(ax: Axes, start: FancyBboxPatch, end: FancyBboxPatch, *, dashed: bool = False) -> None:
    ax.annotate(
        "", xy=_center(end), xytext=_center(start),
        arrowprops={
            "arrowstyle": "-|>", "mutation_scale": 16, "linewidth": 1.4, "color": "#b22222" if dashed else "#333333",
            "linestyle": "--" if dashed else "-", "patchA": start, "patchB": end, "shrinkA": 3, "shrinkB": 3,
        },
    )  # fmt: skip


def _center(box: FancyBboxPatch) -> tuple[float, float]:
    return box.get_x() + box.get_width() / 2, box.get_y() + box.get_height() / 2


def _biological_neuron(ax: Axes) -> None:
    soma = (3.6, 3.0)
    # dendrites: branching lines toward the left
    for angle in (-60, -25, 10, 40, 75, 150, 200):
        rad = np.deg2rad(180 + angle * 0.8)
        base = np.array(soma) + 0.75 * np.array([np.cos(rad), np.sin(rad)])
        tip = base + 1.5 * np.array([np.cos(rad), np.sin(rad)])
        ax.plot(*zip(base, tip, strict=True), color=INPUT_TONE, lw=3, solid_capstyle="round")
        for turn in (-28, 28):
            sub = np.deg2rad(180 + angle * 0.8 + turn)
            twig = tip + 0.65 * np.array([np.cos(sub), np.sin(sub)])
            ax.plot(*zip(tip, twig, strict=True), color=INPUT_TONE, lw=1.8, solid_capstyle="round")
    ax.add_patch(Ellipse(soma, 1.7, 1.45, facecolor="#fcd9b0", edgecolor=SUM_TONE, lw=2.2, zorder=2))
    ax.add_patch(Circle((soma[0] - 0.1, soma[1] + 0.05), 0.3, facecolor="#e39b53", edgecolor="none", zorder=3))
    # axon with myelin sheaths, then terminals
    ax.plot([soma[0] + 0.85, 8.3], [soma[1], soma[1]], color=OUTPUT_TONE, lw=2.5, zorder=1)
    for x in np.arange(5.0, 8.0, 0.85):
        sheath = FancyBboxPatch(
            (x, soma[1] - 0.17), 0.62, 0.34, boxstyle="round,pad=0,rounding_size=0.16",
            facecolor="#cfe8cf", edgecolor=OUTPUT_TONE, lw=1.2, zorder=2,
        )  # fmt: skip
        ax.add_patch(sheath)
    for dy in (-0.7, -0.25, 0.25, 0.7):
        end = (9.2, soma[1] + dy)
        ax.plot([8.3, end[0]], [soma[1], end[1]], color=OUTPUT_TONE, lw=1.8)
        ax.add_patch(Circle(end, 0.11, facecolor=OUTPUT_TONE, edgecolor="none"))
    labels = [
        ("dendrites\n(receive signals)", (0.9, 5.5), (2.45, 4.3), INPUT_TONE),
        ("cell body (soma)\nintegrates, fires", (3.6, 0.8), (3.6, 2.3), SUM_TONE),
        ("nucleus", (3.0, 5.2), (3.45, 3.15), "#8a4b12"),
        ("axon (myelinated)\ncarries the output", (6.5, 4.6), (6.3, 3.2), OUTPUT_TONE),
        ("axon terminals\n(synapses)", (8.8, 1.1), (9.1, 2.3), OUTPUT_TONE),
    ]
    for text, xy_text, xy, color in labels:
        ax.annotate(
            text, xy=xy, xytext=xy_text, ha="center", va="center", fontsize=10, color=color,
            arrowprops={"arrowstyle": "-", "color": color, "lw": 0.9, "shrinkA": 6, "shrinkB": 2},
        )  # fmt: skip


def _artificial_neuron(ax: Axes) -> None:
    center, radius = (5.4, 3.0), 0.62
    inputs = [("$x_1$", "$w_1$", 4.9), ("$x_2$", "$w_2$", 3.8), ("$\\vdots$", "", 2.85), ("$x_n$", "$w_n$", 1.4)]
    for label, weight, y in inputs:
        if not weight:
            ax.text(1.0, y, label, ha="center", va="center", fontsize=14)
            continue
        ax.add_patch(Circle((1.0, y), 0.36, facecolor=DATA_COLOR, edgecolor=INPUT_TONE, lw=1.6))
        ax.text(1.0, y, label, ha="center", va="center", fontsize=13)
        ax.annotate(
            "", xy=(center[0] - radius, center[1] + 0.25 * (y - center[1]) / 2), xytext=(1.4, y),
            arrowprops={"arrowstyle": "-|>", "color": INPUT_TONE, "lw": 1.6, "mutation_scale": 14},
        )  # fmt: skip
        mid = (1.4 + 0.38 * (center[0] - radius - 1.4), y + 0.38 * (center[1] - y))
        ax.text(mid[0], mid[1] + 0.28, weight, ha="center", va="center", fontsize=13, color=INPUT_TONE)
    ax.add_patch(Circle(center, radius, facecolor="#fcd9b0", edgecolor=SUM_TONE, lw=2.2))
    ax.text(*center, "$\\Sigma \\,|\\, f$", ha="center", va="center", fontsize=15)
    ax.annotate(
        "", xy=(center[0], center[1] + radius), xytext=(center[0], 5.2),
        arrowprops={"arrowstyle": "-|>", "color": "#555555", "lw": 1.4, "mutation_scale": 14},
    )  # fmt: skip
    ax.text(center[0], 5.45, "bias $b$", ha="center", va="center", fontsize=12, color="#555555")
    ax.annotate(
        "", xy=(8.4, center[1]), xytext=(center[0] + radius, center[1]),
        arrowprops={"arrowstyle": "-|>", "color": OUTPUT_TONE, "lw": 2.0, "mutation_scale": 16},
    )  # fmt: skip
    ax.text(8.55, center[1], "$a$", ha="left", va="center", fontsize=15, color=OUTPUT_TONE)
    ax.text(5.4, 0.95, "$a = f\\left(\\sum_{i=1}^{n} w_i x_i + b\\right)$", ha="center", va="center", fontsize=16)
    ax.text(
        5.4, 0.25, "$f(z) = \\sigma(z) = 1/(1 + e^{-z})$ (eq. 1) or $\\mathrm{ReLU}(z) = \\max(0, z)$ (eq. 2)",
        ha="center", va="center", fontsize=10.5, color="#444444",
    )  # fmt: skip
