"""Keep-and-retrain (lgrad/study/retraining.py): the masking, the batched retraining, the smallest-k rule, the prose."""

import numpy as np
import pandas as pd
import pytest
import torch
from scipy.stats import sem

import lgrad
from lgrad.model import build_model
from lgrad.study import rankings, retraining, runs
from lgrad.study.rankings import LASSONET, LEARNING_GRADIENT, PERMUTATION, RANDOM, SEED_AVERAGED

SETTINGS = {"hidden": [3], "activation": "sigmoid", "loss": "mse", "lr": 0.5, "batch_size": 64, "epochs": 3}


def test_a_kept_dataset_keeps_exactly_the_kept_columns_and_zeros_elsewhere(breast_cancer):
    keep = [17, 0, 3]
    before = breast_cancer.X_train.clone()
    kept = retraining.kept_dataset(breast_cancer, keep)
    dropped = [i for i in range(30) if i not in keep]
    for part in ("X_train", "X_test"):
        original, masked = getattr(breast_cancer, part), getattr(kept, part)
        assert torch.equal(masked[:, keep], original[:, keep])
        assert (masked[:, dropped] == 0).all()
        assert not (original[:, dropped] == 0).all()
    assert torch.equal(kept.y_train, breast_cancer.y_train) and torch.equal(kept.y_test, breast_cancer.y_test)
    assert kept.feature_names == breast_cancer.feature_names
    assert kept.settings["kept"] == [breast_cancer.feature_names[i] for i in (0, 3, 17)]
    assert torch.equal(breast_cancer.X_train, before)  # the original is untouched


@pytest.mark.parametrize(("keep", "message"), [([], "at least one"), ([1, 1], "no index twice"), ([30], "keep")])
def test_a_bad_set_of_kept_columns_is_named(breast_cancer, keep, message):
    with pytest.raises((ValueError, TypeError), match=message):
        retraining.kept_dataset(breast_cancer, keep)


def test_a_subset_dataset_has_only_the_kept_columns_in_data_order(breast_cancer):
    subset = retraining.subset_dataset(breast_cancer, [5, 2])
    assert subset.feature_names == (breast_cancer.feature_names[2], breast_cancer.feature_names[5])
    assert torch.equal(subset.X_test, breast_cancer.X_test[:, [2, 5]])
    assert list(subset.raw.columns) == [*subset.feature_names, "target"]


def test_a_masked_network_in_train_many_is_lgrad_train_on_the_masked_dataset(breast_cancer):
    """One call with several kept sets gives each seed what lgrad.train gives on its masked data set; the dropped
    columns' first-layer weights never move from their initial values."""
    keeps = [[0, 1, 2], [7], [4, 20, 21, 29]]
    seeds = [3, 4, 5]
    datasets = [retraining.kept_dataset(breast_cancer, keep) for keep in keeps]
    settings = {**runs.train_settings(SETTINGS), "dtype": "float64"}
    many = lgrad.train_many(datasets, seeds, **settings)
    for data, seed, keep, history in zip(datasets, seeds, keeps, many, strict=True):
        one = lgrad.train(data, seed=seed, **settings)
        np.testing.assert_allclose(history.train_loss, one.train_loss, rtol=1e-9)
        np.testing.assert_array_equal(history.test_accuracy, one.test_accuracy)
        for a, b in zip(history.model.parameters(), one.model.parameters(), strict=True):
            np.testing.assert_allclose(a.detach(), b.detach(), rtol=1e-9, atol=1e-12)
        initial = build_model(30, (3,), seed=seed, dtype=torch.float64).linears[0].weight
        dropped = [i for i in range(30) if i not in keep]
        assert torch.equal(history.model.linears[0].weight[:, dropped], initial[:, dropped])
        assert not torch.equal(history.model.linears[0].weight[:, keep], initial[:, keep])


def test_retrain_trains_each_distinct_network_once_in_one_call(breast_cancer, monkeypatch):
    calls = []
    real = retraining.train_many
    monkeypatch.setattr(retraining, "train_many", lambda data, seeds, **kw: calls.append(len(seeds)) or real(
        data, seeds, **kw))  # fmt: skip
    order_a = np.arange(30)
    order_b = np.r_[0, np.arange(29, 0, -1)]  # the same first variable as order_a, then different ones
    seeds = [0, 1]
    table = retraining.retrain(
        breast_cancer, {"a": [order_a] * 2, "b": [order_b] * 2}, seeds, SETTINGS, ks=[1, 2], fixed={"p": [5, 6, 7]}
    )
    assert calls == [len(seeds) * (1 + 2 + 1)]  # k=1 shared by a and b; k=2 differs; the fixed set
    assert len(table) == 2 * 2 * 2 + 2
    shared = table[table["k"] == 1].groupby("seed")["network"].nunique()
    assert (shared == 1).all()
    assert set(table[table["ranking"] == "p"]["k"]) == {3}
    assert table["learned"].all() and table["test_accuracy"].between(0, 1).all()
    with pytest.raises(ValueError, match="one order per seed"):
        retraining.retrain(breast_cancer, {"a": [order_a]}, seeds, SETTINGS, ks=[1])


def test_learned_agrees_with_the_recorded_learning_gradient(breast_cancer):
    """The check after training flags the networks whose recorded learning gradient is degenerate, and no other."""
    datasets = [breast_cancer, retraining.kept_dataset(breast_cancer, [0, 1])]
    for lr in (0.5, 1e6):
        recorded = lgrad.train_many(datasets, [0, 1], lr=lr, epochs=3, batch_size=64)
        flags = retraining.learned(recorded, datasets, "mse", chunk=1)
        assert flags.tolist() == [h.degenerate_from() is None for h in recorded]
        assert flags.all() if lr == 0.5 else not flags.any()


@pytest.mark.parametrize(
    ("ks", "means", "expected"),
    [
        ([1, 2, 3, 4, 5], [0.50, 0.80, 0.95, 0.96, 0.97], (3, True)),  # arrives at 3, stays
        ([1, 2, 3, 4], [0.50, 0.955, 0.90, 0.97], (2, False)),  # arrives at 2, falls below at 3
        ([1, 2, 3], [0.50, 0.60, 0.94], (None, False)),  # never within one SE
        ([1, 2], [0.99, 0.97], (1, True)),  # above the full model counts as within
        ([1, 2, 3], [np.nan, 0.97, 0.96], (2, True)),  # a missing mean is not within
        ([3, 1, 2], [0.97, 0.5, 0.96], (2, True)),  # the ks are read in order
        ([1, 2], [np.nan, np.nan], (None, False)),
    ],
)
def test_the_smallest_k_rule_on_made_up_curves(ks, means, expected):
    assert retraining.smallest_k(ks, means, full_mean=0.96, full_se=0.01) == expected


def test_the_smallest_k_rule_with_a_zero_standard_error_asks_for_as_good_as_the_full_model():
    full = (0.1 + 0.2) / 1  # 0.30000000000000004: the same mean reached by another sum still counts
    assert retraining.smallest_k([1, 2, 3], [0.29, 0.3, 0.3], full_mean=full, full_se=0.0) == (2, True)
    with pytest.raises(ValueError, match="same length"):
        retraining.smallest_k([1, 2], [0.5], 0.9, 0.0)


def _rows(ranking, k, accuracies, learned=True):
    return pd.DataFrame(
        {"ranking": ranking, "k": k, "seed": range(len(accuracies)), "test_accuracy": accuracies, "learned": learned}
    )


def test_curves_put_the_full_model_at_k_n_and_give_the_standard_error_of_the_mean():
    table = pd.concat([_rows("a", 1, [0.5, 0.7, 0.6]), _rows("a", 2, [0.95, 0.96, 0.93]),
                       _rows("b", 1, [0.8, 0.8, 0.8]), _rows("b", 2, [0.93, 0.93, 0.93], learned=False)])  # fmt: skip
    full = _rows(retraining.FULL, 3, [0.95, 0.96, 0.94])
    curve = retraining.curves(table, full, ["b", "a"])
    assert curve["ranking"].tolist() == ["b"] * 3 + ["a"] * 3
    a1 = curve[(curve["ranking"] == "a") & (curve["k"] == 1)].iloc[0]
    assert a1["mean"] == pytest.approx(0.6) and a1["se"] == pytest.approx(sem([0.5, 0.7, 0.6]))
    at_n = curve[curve["k"] == 3]
    assert at_n["mean"].tolist() == pytest.approx([0.95, 0.95])
    k_table = retraining.smallest_k_table(curve, *retraining.full_mean_se(full))
    assert k_table.set_index("ranking")["smallest k"].to_dict() == {"b": 3, "a": 2}
    assert k_table.set_index("ranking")["learned nothing"].to_dict() == {"b": 3, "a": 0}
    assert k_table.set_index("ranking")["networks"].to_dict() == {"b": 9, "a": 9}


def test_the_published_three_are_found_by_name(breast_cancer):
    keep = retraining.published_keep(breast_cancer.feature_names)
    assert [breast_cancer.feature_names[i] for i in keep] == list(retraining.PUBLISHED_THREE)
    assert retraining.published_keep(["a", "b", "worst area"]) is None


# --- the sentences, on made-up numbers for each branch ---


def test_rankings_sentence_says_which_rank_nothing_and_why():
    assert (
        retraining.rankings_sentence(list(rankings.RANKINGS), {}) == "All 6 rankings order the variables for this run."
    )
    text = retraining.rankings_sentence([LASSONET, RANDOM], {LEARNING_GRADIENT: "the run learned nothing (x)"})
    assert text.startswith("2 rankings of 3 order the variables")
    assert "the learning gradient of one seed ranks nothing: the run learned nothing (x)" in text


def test_networks_sentence_counts_distinct_networks_and_those_that_learned_nothing():
    table = pd.DataFrame({"network": [0, 0, 1, 2], "learned": [True, True, False, True]})
    full = pd.DataFrame({"learned": [True, True]})
    text = retraining.networks_sentence(table, full)
    assert "4 (ranking, k, seed) points" in text and "so 3 networks were trained" in text
    assert "1 of the 3 retrained networks and 0 of the 2 full-input ones learned nothing" in text
    assert "Every one of them learned" in retraining.networks_sentence(table.assign(learned=True), full)


def test_full_sentence_explains_a_zero_standard_error_and_a_full_model_that_learned_nothing():
    same = _rows(retraining.FULL, 30, [0.9825] * 4)
    assert "at least as accurate as the full model" in retraining.full_sentence(same)
    spread = _rows(retraining.FULL, 30, [0.97, 0.98, 0.99])
    text = retraining.full_sentence(spread)
    assert "98.0 %" in text and f"{100 * sem([0.97, 0.98, 0.99]):.2f} percentage points" in text
    assert "at least as accurate" not in text and "learned nothing" not in text
    assert "matching them is no achievement" in retraining.full_sentence(same.assign(learned=False))


def _k_table(rows):
    return pd.DataFrame(rows, columns=["ranking", "smallest k", "stays within"])


def test_smallest_k_sentence_names_the_fewest_the_never_and_the_dips():
    table = _k_table([(LEARNING_GRADIENT, 16, False), (LASSONET, 8, True), (RANDOM, None, False)])
    text = retraining.smallest_k_sentence(table, 30)
    assert "the learning gradient of one seed, k = 16; LassoNet, k = 8; the random order, never" in text
    assert "The fewest variables, 8 of 30, are needed by LassoNet." in text
    assert "For the learning gradient of one seed, some larger k falls below" in text
    never = retraining.smallest_k_sentence(_k_table([(RANDOM, None, False)]), 30)
    assert never.endswith("No ranking comes that close with fewer variables than all of them.")
    all_n = retraining.smallest_k_sentence(_k_table([(RANDOM, 30, True), (LASSONET, 30, True)]), 30)
    assert "No ranking gets there with fewer than all 30 variables." in all_n
    assert "No ranking orders" in retraining.smallest_k_sentence(_k_table([]), 30)


def test_published_sentence_compares_with_the_full_model_and_each_top_three():
    full = _rows(retraining.FULL, 30, [0.98, 0.98])
    at_three = pd.DataFrame({"ranking": [LASSONET, RANDOM, PERMUTATION], "mean": [0.97, 0.90, 0.95]})
    text = retraining.published_sentence(_rows("p", 3, [0.95, 0.95]), full, at_three)
    assert "95.0 %" in text and "not within one standard error of the full model's 98.0 %" in text
    assert "the top three of LassoNet do better" in text and "those of the random order do worse" in text
    assert "permutation" not in text  # as good as the published three: neither better nor worse
    within = retraining.published_sentence(_rows("p", 3, [0.99, 0.99]), full, at_three)
    assert ": within one standard error" in within and "no ranking's top three does better" in within
    assert "does not hold the three published variables" in retraining.published_sentence(None, full, at_three)


def test_true_k_sentence_within_and_beyond_two_standard_errors():
    def check(difference, se):
        return pd.DataFrame({"k": [1, 3], "masked se": [se, se], "true se": [se, se], "difference": difference})

    close = retraining.true_k_sentence(check([0.001, -0.001], 0.001), LEARNING_GRADIENT, 30)
    assert "+0.10, -0.10 percentage points" in close and "within two standard errors" in close
    far = retraining.true_k_sentence(check([0.001, 0.05], 0.001), LEARNING_GRADIENT, 30)
    assert "At k = 3 the difference is more than two standard errors" in far
    exact = retraining.true_k_sentence(check([0.0, 0.01], 0.0), SEED_AVERAGED, 30)
    assert "At k = 3 the difference" in exact and "At k = 1" not in exact
    assert "not made" in retraining.true_k_sentence(None, None, 30)


def test_aim_sentence_for_each_outcome():
    def aim(rows):
        return retraining.aim_sentence(_k_table([(r, k, True) for r, k in rows]), 30)

    assert "learned nothing" in aim([(LASSONET, 8), (RANDOM, 30)])
    assert "never comes within" in aim([(LEARNING_GRADIENT, None), (RANDOM, 30)])
    better = aim([(LEARNING_GRADIENT, 16), (LASSONET, 8), (RANDOM, 30)])
    assert "16 of the 30 variables, fewer than a random order needs (30): it does simplify" in better
    assert better.endswith("LassoNet needs only 8.")
    worse = aim([(LEARNING_GRADIENT, 20), (RANDOM, 20)])
    assert "no fewer than a random order needs (20)" in worse and worse.endswith("No other ranking needs fewer.")
    assert "The random order and" not in worse
    tie = aim([(LEARNING_GRADIENT, 20), (LASSONET, 5), (PERMUTATION, 5)])
    assert tie.endswith("LassoNet and permutation importance need only 5.")


def _synthetic(n_features: int = 6, n_rows: int = 200) -> lgrad.Dataset:
    """Noise columns of which 1 and 3 decide the class; not the paper's data (no published three)."""
    rng = np.random.default_rng(1)
    X = rng.standard_normal((n_rows, n_features))
    y = (X[:, 1] + X[:, 3] > 0).astype(float)
    names = tuple(f"x{i}" for i in range(n_features))
    cut = n_rows * 3 // 4
    return lgrad.Dataset(
        name="synthetic", feature_names=names, class_names=("0", "1"),
        X_train=torch.from_numpy(X[:cut]), y_train=torch.from_numpy(y[:cut]),
        X_test=torch.from_numpy(X[cut:]), y_test=torch.from_numpy(y[cut:]),
        raw=pd.DataFrame(X, columns=names).assign(target=y.astype(int)), settings={},
    )  # fmt: skip


def test_the_whole_study_on_a_small_problem_is_complete_and_reproducible():
    data = _synthetic()
    settings = {**SETTINGS, "lr": 2.0, "epochs": 4, "batch_size": 32}
    base = lgrad.train(data, seed=5, **runs.train_settings(settings))
    study = retraining.run_study(data, base, [5, 6], settings)
    assert study.missing == {} and set(study.orders) == set(rankings.RANKINGS)
    assert study.published is None
    assert sorted(study.curve["k"].unique().tolist()) == list(range(1, 7))
    assert (study.curve.groupby("ranking")["n"].min() == 2).all()
    assert study.ktable["ranking"].tolist() == list(rankings.RANKINGS)
    assert study.true_k_ranking == LEARNING_GRADIENT and study.true_k["k"].tolist() == [1, 3]
    assert study.full["seed"].tolist() == [5, 6]
    first = retraining.first_variables(study, data.feature_names, n=2)
    assert first[RANDOM] == "a new order per seed" and first[LASSONET].count(",") == 1
    again = retraining.run_study(data, base, [5, 6], settings)
    pd.testing.assert_frame_equal(again.table, study.table)
    pd.testing.assert_frame_equal(again.ktable, study.ktable)
    fewer = retraining.run_study(data, base, [5, 6], settings, ks=[1, 2])
    assert sorted(fewer.curve["k"].unique().tolist()) == [1, 2, 6] and fewer.true_k["k"].tolist() == [1]
