"""lgrad.study.images.text: the CNN chapter's sentences follow the numbers they state."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from lgrad.study.images import class_maps
from lgrad.study.images import text as images_text


def test_evolution_of_maps_that_do_not_change() -> None:
    rng = np.random.default_rng(2)
    maps = np.repeat(rng.random((1, 3, 4, 4)), 3, axis=0)
    means = rng.random((3, 4, 4))
    table = class_maps.evolution(maps, means)
    assert table["epoch"].tolist() == [1, 2, 3]
    np.testing.assert_allclose(table["spearman_last"], 1.0)
    np.testing.assert_allclose(table["ink_lift"], class_maps.ink_lift(means, maps[0]))
    assert "stays at" in images_text.evolution_sentence(table)
    assert "single epoch" in images_text.evolution_sentence(table.iloc[:1])


def _ink(pixels: list[float], mass: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"class": list("abc"), "ink pixels": pixels, "learning gradient on ink": mass})


@pytest.mark.parametrize(
    ("mass", "lifts", "expected"),
    [
        ([0.5, 0.6, 0.7], {0.25: 1.5, 0.5: 1.6}, ["In every one of the 3 classes", "above 1 at every threshold"]),
        ([0.1, 0.2, 0.2], {0.25: 0.6, 0.5: 0.7}, ["In none of the 3 classes", "at most 1 at every threshold"]),
        ([0.5, 0.6, 0.2], {0.25: 0.9, 0.5: 1.2}, ["In 2 of the 3 classes", "the verdict depends on it"]),
    ],
)
def test_ink_sentence_says_what_the_numbers_say(mass, lifts, expected) -> None:
    text = images_text.ink_sentence(_ink([0.3, 0.3, 0.3], mass), lifts, 0.5, None)
    for phrase in expected:
        assert phrase in text


def test_ink_sentence_of_a_network_that_learned_nothing() -> None:
    status = "this network learned nothing: its last learning gradient is zero (no pixel moves its cost)"
    nothing = images_text.ink_sentence(_ink([0.3] * 3, [np.nan] * 3), {0.5: np.nan}, 0.5, status)
    assert nothing.startswith("This network learned nothing") and "no mass" in nothing
    weak = images_text.ink_sentence(_ink([0.3] * 3, [0.4] * 3), {0.5: 1.3}, 0.5, status)
    assert weak.endswith("so the maps show no region it learned.")


def test_agreement_sentence_names_the_weakest_class() -> None:
    rho = {"Saliency": np.array([0.9, 0.5, np.nan]), "IG": np.full(3, np.nan)}
    text = images_text.agreement_sentence(rho, ["zero", "one", "two"])
    assert (
        "with Saliency, Spearman's ρ is 0.70 in the median class (lowest 0.50, for one; undefined for 1 classes)"
        in text
    )
    assert "with IG it is undefined for every class" in text


def test_shown_epochs_phrases() -> None:
    assert images_text.listed_epochs([1]) == "epoch 1"
    assert images_text.listed_epochs([1, 7, 13]) == "epochs 1, 7 and 13"
    assert images_text.shown_epochs_phrase([1, 3], 4) == "every odd epoch (1 and 3)"
    assert images_text.shown_epochs_phrase([1], 1) == "its only odd epoch, 1"
    assert images_text.shown_epochs_phrase([1, 7, 29], 30).startswith("3 of the 15 odd epochs, evenly spaced")


def test_accuracy_sentence_and_settings() -> None:
    history = SimpleNamespace(train_accuracy=np.array([0.5, 0.9]), test_accuracy=np.array([0.6, 0.8]))
    text = images_text.accuracy_sentence(history, 0.1, None)
    assert "80.0 % of its test images" in text and "best test accuracy, 80.0 %, came after epoch 2" in text
    config = {"batch_size": 32, "momentum": 0.0, "lr": 0.1, "epochs": 3, "channels": 8}
    assert images_text.settings_phrase(config).startswith(
        "plain SGD (no momentum), learning rate 0.1, mini-batches of 32"
    )
