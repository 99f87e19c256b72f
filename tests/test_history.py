"""History: save/load round trips (JSON and NPZ, never pickle), top_features, to_frame."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import torch

import lgrad
from lgrad.history import ARRAYS, OPTIONAL_ARRAYS


@pytest.fixture(scope="module")
def histories(breast_cancer):
    return {
        "float32-batch": lgrad.train(breast_cancer, epochs=3, seed=0, record="batch", batch_size="full"),
        "float64-epoch": lgrad.train(breast_cancer, epochs=2, seed=1, dtype=torch.float64, hidden=(4, 2)),
        "none": lgrad.train(breast_cancer, epochs=2, seed=0, record=None, activation="relu", loss="bce"),
    }


def small_history(relevance, names=None) -> lgrad.History:
    relevance = np.asarray(relevance, dtype=np.float64)
    n_epochs, n_features = relevance.shape
    zeros = np.zeros(n_epochs)
    return lgrad.History(
        feature_names=names or [f"x{i}" for i in range(n_features)],
        relevance=relevance,
        raw_relevance=relevance * 10,
        train_loss=zeros,
        train_accuracy=zeros,
        test_loss=zeros,
        test_accuracy=zeros,
        config={},
    )


@pytest.mark.parametrize("suffix", [".json", ".npz"])
@pytest.mark.parametrize("which", ["float32-batch", "float64-epoch", "none"])
def test_save_load_round_trip(histories, breast_cancer, tmp_path, suffix, which):
    history = histories[which]
    path = history.save(tmp_path / f"run{suffix}")
    assert path == tmp_path / f"run{suffix}" and path.is_file()
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left behind
    loaded = lgrad.History.load(path)

    assert loaded.feature_names == history.feature_names
    assert loaded.config == history.config
    assert loaded.epochs == history.epochs
    for name in ARRAYS + OPTIONAL_ARRAYS:
        original, restored = getattr(history, name), getattr(loaded, name)
        if original is None:
            assert restored is None, name
        else:
            np.testing.assert_array_equal(restored, original, err_msg=name)
            assert restored.dtype.kind == original.dtype.kind, name
    assert isinstance(loaded.model, lgrad.MLP)
    assert loaded.model.hidden == history.model.hidden and loaded.model.activation == history.model.activation
    for (name, p), q in zip(history.model.named_parameters(), loaded.model.parameters(), strict=True):
        assert p.dtype == q.dtype and torch.equal(p, q), name
    x = breast_cancer.X_test.to(next(history.model.parameters()).dtype)
    with torch.no_grad():
        assert torch.equal(loaded.model(x), history.model(x))


def test_files_are_json_and_npz_without_pickle(histories, tmp_path):
    history = histories["float32-batch"]
    doc = json.loads(history.save(tmp_path / "run.json").read_text())
    assert doc["format"] == "lgrad.History/1" and doc["feature_names"] == history.feature_names
    with np.load(history.save(tmp_path / "run.npz"), allow_pickle=False) as npz:
        assert {"meta", *ARRAYS, *OPTIONAL_ARRAYS} <= set(npz.files)
        assert all(npz[k].dtype != object for k in npz.files)


def test_json_is_standard_json_even_without_a_learning_gradient(histories, tmp_path):
    """record=None leaves NaN rows; the file writes them as null (standard JSON) and loading reads NaN back."""
    path = histories["none"].save(tmp_path / "run.json")
    doc = json.loads(path.read_text(), parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))
    assert doc["relevance"][0][0] is None
    assert np.isnan(lgrad.History.load(path).relevance).all()


def test_history_without_model_round_trips(tmp_path):
    history = small_history([[0.25, 0.75], [0.5, 0.5]])
    loaded = lgrad.History.load(history.save(tmp_path / "small.npz"))
    assert loaded.model is None
    np.testing.assert_array_equal(loaded.relevance, history.relevance)


@pytest.mark.parametrize("name", ["run.pkl", "run", "run.JSON.gz", "run.csv"])
def test_bad_suffix(histories, tmp_path, name):
    suffix = repr((tmp_path / name).suffix)
    with pytest.raises(ValueError, match=rf"^path suffix must be one of '\.json', '\.npz', got {suffix}$"):
        histories["float32-batch"].save(tmp_path / name)
    with pytest.raises(ValueError, match=r"^path suffix must be one of '\.json', '\.npz', got"):
        lgrad.History.load(tmp_path / name)


def test_relevance_rows_sum_to_one(histories):
    for which in ("float32-batch", "float64-epoch"):
        history = histories[which]
        np.testing.assert_allclose(history.relevance.sum(axis=1), 1, rtol=0, atol=1e-12)
        assert (history.relevance >= 0).all()
    np.testing.assert_allclose(histories["float32-batch"].batch_relevance.sum(axis=1), 1, rtol=0, atol=1e-12)


def test_top_features_order_and_ties():
    history = small_history([[0.1, 0.4, 0.2, 0.3], [0.3, 0.2, 0.3, 0.2]], names=["a", "b", "c", "d"])
    assert history.top_features(k=4) == ["a", "c", "b", "d"]  # last epoch; ties keep the column order
    assert history.top_features(k=2, epoch=-1) == ["a", "c"]
    assert history.top_features(k=4, epoch=0) == ["b", "d", "c", "a"]
    assert history.top_features(k=1, epoch=-2) == ["b"]
    assert history.top_features(k=4, epoch=1) == history.top_features(k=4, epoch=-1)


def test_top_features_default_is_five_at_the_last_epoch(histories):
    history = histories["float64-epoch"]
    top = history.top_features()
    assert len(top) == 5
    expected = [history.feature_names[i] for i in np.argsort(-history.relevance[-1], kind="stable")[:5]]
    assert top == expected


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (dict(k=0), ValueError, r"k must be an integer in \[1, 4\], got 0"),
        (dict(k=5), ValueError, r"k must be an integer in \[1, 4\], got 5"),
        (dict(k=2.0), TypeError, r"k must be an integer in \[1, 4\], got 2\.0 \(float\)"),
        (dict(k=1, epoch=2), ValueError, r"epoch must be an integer in \[-2, 1\], got 2"),
        (dict(k=1, epoch=-3), ValueError, r"epoch must be an integer in \[-2, 1\], got -3"),
        (dict(k=1, epoch="last"), TypeError, r"epoch must be an integer in \[-2, 1\], got 'last' \(str\)"),
    ],
    ids=lambda v: repr(v) if isinstance(v, dict) else "",
)
def test_top_features_validation(kwargs, error, message):
    history = small_history([[0.1, 0.4, 0.2, 0.3], [0.3, 0.2, 0.3, 0.2]])
    with pytest.raises(error, match=f"^{message}$"):
        history.top_features(**kwargs)


def test_to_frame(histories):
    history = histories["float32-batch"]
    frame = history.to_frame()
    n_features = len(history.feature_names)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["epoch", "feature", "relevance", "raw_relevance"]
    assert frame.shape == (history.epochs * n_features, 4)
    assert frame["epoch"].tolist() == [e for e in range(1, history.epochs + 1) for _ in range(n_features)]
    assert frame["feature"].tolist() == history.feature_names * history.epochs
    np.testing.assert_array_equal(frame["relevance"], history.relevance.ravel())
    np.testing.assert_array_equal(frame["raw_relevance"], history.raw_relevance.ravel())
    wide = frame.pivot(index="epoch", columns="feature", values="relevance")[history.feature_names]
    np.testing.assert_array_equal(wide.to_numpy(), history.relevance)
    np.testing.assert_allclose(frame.groupby("epoch")["relevance"].sum(), 1, rtol=0, atol=1e-12)


# ---- runs that learned nothing -------------------------------------------------------------------------------------


def kill_hidden_units_after(epoch_to_kill: int):
    """An ``on_epoch_end`` that sets every hidden bias to -1e6 after the given epoch, so every ReLU dies."""

    def on_epoch_end(epoch, model):
        if epoch == epoch_to_kill:
            with torch.no_grad():
                model.linears[0].bias.fill_(-1e6)

    return on_epoch_end


@pytest.fixture(scope="module")
def degenerate(breast_cancer):
    return {
        "saturated": lgrad.train(breast_cancer, epochs=4, seed=0, lr=1e6),
        "diverged": lgrad.train(breast_cancer, epochs=3, seed=0, lr=1e6, activation="relu", loss="bce"),
        "dead relus": lgrad.train(
            breast_cancer, epochs=4, seed=0, activation="relu", on_epoch_end=kill_hidden_units_after(2)
        ),
    }


def test_a_saturated_output_learns_nothing_and_ranks_nothing(degenerate):
    """lr=1e6 saturates the output sigmoid within epoch 1: from epoch 2 on no input moves the (float32) cost."""
    history = degenerate["saturated"]
    assert (history.raw_relevance[1:] == 0).all() and (history.raw_relevance[0] > 0).all()
    assert history.rankable.tolist() == [True, False, False, False]
    assert history.degenerate_from() == 2 and history.diverged_from() is None
    with pytest.raises(
        lgrad.history.DegenerateRunError,
        match=r"^epoch 4's learning gradient is zero \(the run learned nothing from epoch 2 on\): no ranking$",
    ) as caught:
        history.top_features()
    assert caught.value.epoch == 4 and isinstance(caught.value, ValueError)
    with pytest.raises(lgrad.history.DegenerateRunError, match=r"^epoch 2's learning gradient is zero"):
        history.top_features(epoch=1)
    assert len(history.top_features(epoch=0)) == 5
    np.testing.assert_array_equal(history.relevance, lgrad.normalize(history.raw_relevance))  # normalize unchanged
    assert (history.relevance[1:] == 0).all()


def test_the_network_then_predicts_one_class_and_its_accuracy_is_that_class_share(degenerate):
    history = degenerate["saturated"]
    assert history.constant_prediction() == 0 and history.test_predicted_positive[-1] == 0
    assert history.test_accuracy[-1] == history.test_class_shares[0] == 42 / 114
    assert history.majority_share == 72 / 114  # the run is worse than always answering the majority class


def test_a_diverged_run_is_named_as_such(degenerate):
    history = degenerate["diverged"]
    assert not np.isfinite(history.raw_relevance).any() and not np.isfinite(history.train_loss).any()
    assert history.degenerate_from() == 1 and history.diverged_from() == 1
    assert not history.rankable.any()
    message = r"^epoch 3's learning gradient is not finite \(the run diverged: its cost is not finite from epoch 1 on\)"
    with pytest.raises(lgrad.history.DegenerateRunError, match=message + ": no ranking$"):
        history.top_features()
    with pytest.raises(lgrad.history.DegenerateRunError, match=r"^epoch 1's learning gradient is not finite"):
        history.top_features(epoch=-3)
    assert not all(torch.isfinite(p).all() for p in history.model.parameters())
    np.testing.assert_array_equal(history.relevance, 0)  # what normalize gives for NaN rows


def test_dead_relus_from_an_epoch_on(degenerate, breast_cancer):
    history = degenerate["dead relus"]
    model = history.model
    with torch.no_grad():
        assert (model.act(model.linears[0](breast_cancer.X_train.float())) == 0).all()
    assert history.rankable.tolist() == [True, True, False, False]
    assert history.degenerate_from() == 3 and history.diverged_from() is None
    assert len(history.top_features(epoch=1)) == 5
    with pytest.raises(lgrad.history.DegenerateRunError, match=r"^epoch 3's learning gradient is zero \(the run l"):
        history.top_features(epoch=2)
    assert history.constant_prediction() in (0, 1)
    assert history.test_accuracy[-1] == history.test_class_shares[history.constant_prediction()]


def test_a_zero_epoch_the_run_recovers_from_is_not_a_degenerate_run():
    history = small_history([[0.5, 0.5], [0.0, 0.0], [0.25, 0.75]])
    assert history.degenerate_from() is None
    assert history.top_features(1) == ["x1"]
    with pytest.raises(
        lgrad.history.DegenerateRunError,
        match=r"^epoch 2's learning gradient is zero \(the cost did not depend on the inputs during that epoch\): "
        r"no ranking$",
    ):
        history.top_features(1, epoch=1)
    relapsed = small_history([[0.5, 0.5], [0.0, 0.0], [0.25, 0.75], [0.0, 0.0], [0.0, 0.0]])
    assert relapsed.degenerate_from() == 4
    assert small_history([[0.0, 0.0], [0.0, 0.0]]).degenerate_from() == 1


def test_a_single_non_finite_entry_makes_the_epoch_unrankable():
    history = small_history([[0.5, 0.5], [np.inf, 0.5]])
    assert history.degenerate_from() == 2 and history.diverged_from() is None
    with pytest.raises(lgrad.history.DegenerateRunError, match=r"^epoch 2's learning gradient is not finite: no rank"):
        history.top_features(1)


def test_a_healthy_run_is_unaffected(histories, breast_cancer):
    for which in ("float32-batch", "float64-epoch"):
        history = histories[which]
        assert history.rankable.all()
        assert history.degenerate_from() is None and history.diverged_from() is None
        for epoch in range(history.epochs):
            assert history.check_rankable(epoch - history.epochs) == epoch
    trained = lgrad.train(breast_cancer, epochs=3, seed=0)
    with torch.no_grad():
        predicted = trained.model(breast_cancer.X_test.float()) >= 0.5
    assert trained.test_predicted_positive[-1] == predicted.double().mean().item()
    assert trained.constant_prediction() is None and 0.5 < trained.test_predicted_positive[-1] < 0.75
    assert histories["float32-batch"].constant_prediction() == 1  # 3 full-batch steps: not yet out of the start


def test_test_class_counts_and_majority_share(histories, breast_cancer):
    history = histories["float32-batch"]
    assert history.test_class_counts.tolist() == [42, 72]
    assert history.test_class_counts.tolist() == [int((breast_cancer.y_test == c).sum()) for c in (0, 1)]
    np.testing.assert_array_equal(history.test_class_shares, [42 / 114, 72 / 114])
    assert history.majority_share == 72 / 114


def test_a_run_without_learning_gradient_says_so(histories):
    history = histories["none"]
    for ask in (history.top_features, history.degenerate_from, lambda: history.rankable):
        with pytest.raises(ValueError, match=r"^this run was trained with record=None: it holds no learning gradient$"):
            ask()
    assert history.diverged_from() is None


def test_a_history_saved_without_predictions_says_so(tmp_path):
    loaded = lgrad.History.load(small_history([[0.25, 0.75]]).save(tmp_path / "old.json"))
    assert loaded.test_class_counts is None and loaded.test_predicted_positive is None
    with pytest.raises(ValueError, match=r"^this History holds no test class counts \(it was saved by an older lgra"):
        _ = loaded.majority_share
    with pytest.raises(ValueError, match=r"^this History holds no test predictions \(it was saved by an older lgrad"):
        loaded.constant_prediction()
