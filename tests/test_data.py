"""Datasets: the bundled breast-cancer set split and standardized as documented, and CSV files whose every defect
is one clear ValueError that says what and where."""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pandas as pd
import pytest
import torch

import lgrad


def test_breast_cancer_split_and_names(breast_cancer):
    ds = breast_cancer
    assert ds.name == "breast_cancer"
    assert ds.n_features == 30 and len(ds.feature_names) == 30
    assert ds.feature_names[0] == "mean radius" and ds.feature_names[-1] == "worst fractal dimension"
    assert {"worst area", "worst texture", "worst radius", "mean perimeter", "mean texture"} <= set(ds.feature_names)
    assert ds.class_names == ("malignant", "benign")
    assert ds.X_train.shape == (455, 30) and ds.X_test.shape == (114, 30)
    assert ds.y_train.shape == (455,) and ds.y_test.shape == (114,)
    for tensor in (ds.X_train, ds.y_train, ds.X_test, ds.y_test):
        assert tensor.dtype == torch.float64
    assert set(torch.cat([ds.y_train, ds.y_test]).tolist()) == {0.0, 1.0}
    assert list(ds.raw.columns) == [*ds.feature_names, "target"]
    assert len(ds.raw) == 569 and ds.raw["target"].sum() == 357  # 357 benign (1), 212 malignant (0)
    assert ds.settings == {
        "test_size": 0.2,
        "split_seed": 0,
        "stratify": True,
        "scale": "train",
        "target": None,
        "positive": None,
    }


def tensor_digest(ds) -> str:
    digest = hashlib.sha256()
    for tensor in (ds.X_train, ds.y_train, ds.X_test, ds.y_test):
        digest.update(tensor.numpy().tobytes())
    return digest.hexdigest()


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, "5725106c56b7ca6ec054bcfc224b776b0ffc54b120e56aed9c49408819214491"),
        ({"positive": "benign"}, "5725106c56b7ca6ec054bcfc224b776b0ffc54b120e56aed9c49408819214491"),
        (
            {"seed": 3, "test_size": 0.3, "scale": "all"},
            "74f3e30371426be392be1ccf81827eda1f11fc698d77dc953fea79a9776a4405",
        ),
    ],
    ids=repr,
)
def test_breast_cancer_tensors_keep_their_bytes(kwargs, expected):
    """The digests were taken before classes were read from the data; the bundled set must not change by a bit."""
    assert tensor_digest(lgrad.load_dataset("breast_cancer", **kwargs)) == expected


def test_breast_cancer_positive_malignant_swaps_the_classes(breast_cancer):
    ds = lgrad.load_dataset("breast_cancer", positive="malignant")
    assert ds.class_names == ("benign", "malignant") and ds.settings["positive"] == "malignant"
    for part in ("X_train", "X_test"):
        assert torch.equal(getattr(ds, part), getattr(breast_cancer, part))
    assert torch.equal(ds.y_train, 1 - breast_cancer.y_train) and torch.equal(ds.y_test, 1 - breast_cancer.y_test)
    assert ds.raw["target"].sum() == 212


def test_stratified_split_keeps_the_class_balance(breast_cancer):
    share = 357 / 569
    assert abs(float(breast_cancer.y_train.mean()) - share) < 0.005
    assert abs(float(breast_cancer.y_test.mean()) - share) < 0.005
    unstratified = lgrad.load_dataset("breast_cancer", stratify=False)
    assert unstratified.settings["stratify"] is False and len(unstratified.y_test) == 114


def test_scale_train_fits_the_training_rows_only(breast_cancer):
    X = breast_cancer.X_train.numpy()
    np.testing.assert_allclose(X.mean(0), 0, atol=1e-12)
    np.testing.assert_allclose(X.std(0), 1, atol=1e-12)
    assert np.abs(breast_cancer.X_test.numpy().mean(0)).max() > 1e-3  # test rows are not used for the fit


def test_scale_all_fits_every_row_and_keeps_the_split(breast_cancer):
    ds = lgrad.load_dataset("breast_cancer", scale="all")
    raw = ds.raw[list(ds.feature_names)].to_numpy()
    expected = (raw - raw.mean(0)) / raw.std(0)
    both = torch.cat([ds.X_train, ds.X_test]).numpy()
    np.testing.assert_allclose(both.mean(0), 0, atol=1e-12)
    np.testing.assert_allclose(both.std(0), 1, atol=1e-12)
    # every standardized row is one raw row, each raw row used once
    distance = np.abs(both[:, None, :] - expected[None, :, :]).max(-1)
    assert distance.min(1).max() < 1e-12
    assert len(set(distance.argmin(1))) == 569
    # the split does not depend on the scaling: the same examples, affinely rescaled
    for j in range(ds.n_features):
        assert np.corrcoef(ds.X_train[:, j], breast_cancer.X_train[:, j])[0, 1] > 1 - 1e-12
    assert torch.equal(ds.y_train, breast_cancer.y_train)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            dict(name="iris"),
            ValueError,
            r"dataset must be one of 'breast_cancer' or the path of a CSV file, got 'iris'",
        ),
        (dict(name=3), ValueError, r"dataset must be one of 'breast_cancer' or the path of a CSV file, got 3"),
        (dict(name=None), ValueError, r"dataset must be one of 'breast_cancer' or the path of a CSV file, got None"),
        (dict(test_size=1.5), ValueError, r"test_size must be a finite number > 0 and < 1, got 1\.5"),
        (dict(test_size=0), ValueError, r"test_size must be a finite number > 0 and < 1, got 0"),
        (dict(test_size="0.2"), TypeError, r"test_size must be a finite number > 0 and < 1, got '0\.2' \(str\)"),
        (dict(seed=-1), ValueError, r"seed must be an integer in \[0, 9223372036854775807\], got -1"),
        (dict(scale="none"), ValueError, r"scale must be one of 'train', 'all', got 'none'"),
        (dict(stratify="yes"), TypeError, r"stratify must be True or False, got 'yes'"),
        (dict(test_size=0.001), ValueError, r"test_size=0\.001 cannot split 569 rows: .+"),
    ],
    ids=lambda v: repr(v) if isinstance(v, dict) else "",
)
def test_bad_argument(kwargs, error, message):
    with pytest.raises(error, match=f"^{message}$"):
        lgrad.load_dataset(**kwargs)


# ---- CSV files ----------------------------------------------------------------------------------------------------


def write_csv(tmp_path, text: str, name: str = "data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def numeric_csv(n: int = 20) -> str:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n), "label": np.arange(n) % 2})
    return frame.to_csv(index=False)


def test_missing_file(tmp_path):
    path = tmp_path / "absent.csv"
    with pytest.raises(ValueError, match=rf"^dataset file {re.escape(repr(str(path)))} does not exist$"):
        lgrad.load_dataset(path, target="label")


def test_target_none(tmp_path):
    path = write_csv(tmp_path, numeric_csv())
    with pytest.raises(ValueError, match=r"^target must name the target column of '.*data\.csv', got None$"):
        lgrad.load_dataset(path)


def test_missing_target_column_lists_the_columns(tmp_path):
    path = write_csv(tmp_path, numeric_csv())
    with pytest.raises(
        ValueError, match=r"^target column 'diagnosis' is not in '.*'; its columns are 'a', 'b', 'label'$"
    ):
        lgrad.load_dataset(path, target="diagnosis")


def test_non_numeric_column_is_named(tmp_path):
    path = write_csv(tmp_path, "a,size,label\n1,2,0\n2,big,1\n3,4,0\n4,5,1\n")
    with pytest.raises(
        ValueError, match=r"^column 'size' of '.*' is not numeric \(e\.g\. the value 'big'\); .*numbers$"
    ):
        lgrad.load_dataset(path, target="label")


@pytest.mark.parametrize("cell", ["", "NaN", "nan"])
def test_empty_or_nan_cell_says_column_and_row(tmp_path, cell):
    path = write_csv(tmp_path, f"a,b,label\n1,2,0\n2,{cell},1\n3,4,0\n4,5,1\n")
    with pytest.raises(
        ValueError,
        match=r"^dataset file '.*' has 1 empty or NaN cell\(s\); the first is in column 'b', data row 2 \(line 3 of",
    ):
        lgrad.load_dataset(path, target="label")


def test_constant_column_is_named(tmp_path):
    path = write_csv(tmp_path, "a,flat,label\n1,7,0\n2,7,1\n3,7,0\n4,7,1\n")
    with pytest.raises(ValueError, match=r"^column 'flat' of '.*' is constant \(its standard deviation is 0\)"):
        lgrad.load_dataset(path, target="label")


def test_infinite_value_is_named(tmp_path):
    path = write_csv(tmp_path, "a,b,label\n1,2,0\n2,inf,1\n3,4,0\n4,5,1\n")
    with pytest.raises(ValueError, match=r"^column 'b' of '.*' holds an infinite value$"):
        lgrad.load_dataset(path, target="label")


def test_target_with_one_class(tmp_path):
    path = write_csv(tmp_path, "a,b,label\n1,2,yes\n2,3,yes\n3,4,yes\n4,6,yes\n")
    with pytest.raises(ValueError, match=r"^target column 'label' must hold exactly two classes, found 1: 'yes'$"):
        lgrad.load_dataset(path, target="label")


def test_target_with_three_classes(tmp_path):
    path = write_csv(tmp_path, "a,b,label\n1,2,0\n2,3,1\n3,4,2\n4,6,0\n5,1,1\n6,0,2\n")
    with pytest.raises(ValueError, match=r"^target column 'label' must hold exactly two classes, found 3: 0, 1, 2$"):
        lgrad.load_dataset(path, target="label")


@pytest.mark.parametrize(("labels", "found"), [(["yes"] * 4, ["yes"]), ([0, 1, 2, 0], [0, 1, 2])])
def test_a_wrong_number_of_classes_keeps_the_labels_for_the_caller(tmp_path, labels, found):
    rows = "".join(f"{i},{i * i % 5},{label}\n" for i, label in enumerate(labels))
    path = write_csv(tmp_path, "a,b,label\n" + rows)
    with pytest.raises(lgrad.data.ClassCountError) as caught:
        lgrad.load_dataset(path, target="label")
    assert caught.value.labels == found


def test_a_non_numeric_cell_is_named_with_its_row(tmp_path):
    path = write_csv(tmp_path, "a,size,label\n1,2,0\n2,3,1\n3,4,0\n4,n/a?,1\n5,1,0\n")
    with pytest.raises(ValueError, match=r"the value 'n/a\?'\); it is in data row 4 \(line 5 of the file\)"):
        lgrad.load_dataset(path, target="label")


def test_a_missing_target_among_many_columns_lists_a_few_and_suggests_a_close_name(tmp_path):
    columns = [f"feature_{i}" for i in range(20)] + ["Diagnosis"]
    path = write_csv(tmp_path, ",".join(columns) + "\n" + ",".join("1" for _ in columns) + "\n")
    with pytest.raises(ValueError) as caught:
        lgrad.load_dataset(path, target="diagnosis")
    text = str(caught.value)
    assert "did you mean 'Diagnosis'? its columns are 'feature_0', " in text
    assert text.endswith("'feature_7', ... (21 columns in all)") and "'feature_8'" not in text
    with pytest.raises(ValueError, match=r"did you mean 'feature_1'\?"):
        lgrad.load_dataset(path, target="featur_1")
    with pytest.raises(ValueError, match=r"; its columns are 'feature_0'"):
        lgrad.load_dataset(path, target="label")


def labelled_csv(tmp_path, labels: list) -> tuple:
    """A CSV whose column ``x`` is larger on the rows of ``labels[1]``, labelled in column ``label``."""
    rng = np.random.default_rng(0)
    n = 40
    label = np.array([labels[i % 2] for i in range(n)], dtype=object)
    frame = pd.DataFrame({"x": rng.normal(size=n) + 3 * (np.arange(n) % 2), "z": rng.normal(size=n), "label": label})
    path = tmp_path / "labelled.csv"
    frame.to_csv(path, index=False)
    return path, np.arange(n) % 2


@pytest.mark.parametrize(
    ("positive", "class_names", "flipped"),
    [(None, ("B", "M"), False), ("M", ("B", "M"), False), ("B", ("M", "B"), True)],
)
def test_text_labels_sort_as_text_and_positive_picks_class_1(tmp_path, positive, class_names, flipped):
    path, is_m = labelled_csv(tmp_path, ["B", "M"])
    ds = lgrad.load_dataset(path, target="label", positive=positive)
    assert ds.class_names == class_names
    np.testing.assert_array_equal(ds.raw["target"], 1 - is_m if flipped else is_m)
    assert ds.settings["positive"] == positive
    default = lgrad.load_dataset(path, target="label")
    assert torch.equal(ds.X_test, default.X_test)  # the same rows are held out whichever label is class 1
    assert torch.equal(ds.y_test, 1 - default.y_test if flipped else default.y_test)
    assert lgrad.train(ds, epochs=1, seed=0, record=None).config["positive"] == positive


@pytest.mark.parametrize(
    ("positive", "class_names"),
    [(None, ("2", "10")), (10, ("2", "10")), ("10", ("2", "10")), (2, ("10", "2")), ("2", ("10", "2"))],
)
def test_numeric_labels_sort_as_numbers(tmp_path, positive, class_names):
    path, is_ten = labelled_csv(tmp_path, [2, 10])
    ds = lgrad.load_dataset(path, target="label", positive=positive)
    assert ds.class_names == class_names  # as text, 10 would sort before 2
    np.testing.assert_array_equal(ds.raw["target"], is_ten if class_names[1] == "10" else 1 - is_ten)


def test_float_labels_match_by_value(tmp_path):
    path, is_high = labelled_csv(tmp_path, [0.5, 1.5])
    assert lgrad.load_dataset(path, target="label").class_names == ("0.5", "1.5")
    ds = lgrad.load_dataset(path, target="label", positive=0.5)
    assert ds.class_names == ("1.5", "0.5")
    np.testing.assert_array_equal(ds.raw["target"], 1 - is_high)


@pytest.mark.parametrize(
    ("labels", "positive", "error", "message"),
    [
        (
            ["B", "M"],
            "X",
            ValueError,
            r"positive must be one of the labels of target column 'label' of '.*labelled\.csv': "
            r"'B', 'M', got 'X'",
        ),
        ([2, 10], 3, ValueError, r"positive must be one of the labels of target column 'label' of '.*': 2, 10, got 3"),
        (["B", "M"], "m", ValueError, r"positive must be one of .*: 'B', 'M', got 'm'"),
        (["B", "M"], ["M"], TypeError, r"positive must be one of .*: 'B', 'M', got \['M'\] \(list\)"),
        ([0, 1], True, TypeError, r"positive must be one of .*: 0, 1, got True \(bool\)"),
    ],
)
def test_positive_not_a_label(tmp_path, labels, positive, error, message):
    path, _ = labelled_csv(tmp_path, labels)
    with pytest.raises(error, match=f"^{message}$"):
        lgrad.load_dataset(path, target="label", positive=positive)


def test_positive_not_a_label_of_the_bundled_set():
    with pytest.raises(
        ValueError,
        match=r"^positive must be one of the labels of data set 'breast_cancer': 'malignant', 'benign', "
        r"got 1$",
    ):
        lgrad.load_dataset("breast_cancer", positive=1)


def test_empty_file(tmp_path):
    path = write_csv(tmp_path, "")
    with pytest.raises(ValueError, match=r"^dataset file '.*data\.csv' is empty$"):
        lgrad.load_dataset(path, target="label")


def test_header_without_rows(tmp_path):
    path = write_csv(tmp_path, "a,b,label\n")
    with pytest.raises(ValueError, match=r"^dataset file '.*' has a header but no rows$"):
        lgrad.load_dataset(path, target="label")


def test_only_the_target_column(tmp_path):
    path = write_csv(tmp_path, "label\n0\n1\n0\n1\n")
    with pytest.raises(ValueError, match=r"^dataset file '.*' has no feature columns besides the target 'label'$"):
        lgrad.load_dataset(path, target="label")


def test_valid_csv_with_string_classes_loads_and_trains(tmp_path, seed):
    rng = np.random.default_rng(seed)
    n = 60
    label = np.where(np.arange(n) % 3 == 0, "malignant", "benign")
    frame = pd.DataFrame(
        {
            "radius": rng.normal(size=n) + (label == "malignant") * 2.0,
            "texture": rng.normal(size=n),
            "diagnosis": label,
            "area": rng.uniform(100, 1000, size=n),
        }
    )
    path = tmp_path / "tumours.csv"
    frame.to_csv(path, index=False)

    ds = lgrad.load_dataset(str(path), target="diagnosis", test_size=0.25, seed=seed)
    assert ds.name == str(path)
    assert ds.feature_names == ("radius", "texture", "area")
    assert ds.class_names == ("benign", "malignant")  # sorted; target 1 = the second
    assert ds.X_train.shape == (45, 3) and ds.X_test.shape == (15, 3)
    assert list(ds.raw.columns) == ["radius", "texture", "area", "target"]
    np.testing.assert_array_equal(ds.raw["target"], (label == "malignant").astype(int))
    np.testing.assert_array_equal(ds.raw["area"], frame["area"])
    assert ds.settings["target"] == "diagnosis"
    np.testing.assert_allclose(ds.X_train.numpy().mean(0), 0, atol=1e-12)

    history = lgrad.train(ds, epochs=30, seed=seed, batch_size=8)
    assert history.feature_names == ["radius", "texture", "area"]
    assert history.relevance.shape == (30, 3)
    np.testing.assert_allclose(history.relevance.sum(1), 1, atol=1e-12)
    assert history.config["dataset"] == str(path) and history.config["target"] == "diagnosis"
    assert history.top_features(1)[0] == "radius"  # the only informative column


def test_load_datasets_gives_what_load_dataset_gives_for_each_seed(tmp_path):
    many = lgrad.load_datasets("breast_cancer", [0, 5, 5, 11], test_size=0.1, scale="all", positive="malignant")
    for seed, ds in zip([0, 5, 5, 11], many, strict=True):
        one = lgrad.load_dataset("breast_cancer", seed=seed, test_size=0.1, scale="all", positive="malignant")
        for name in ("X_train", "y_train", "X_test", "y_test"):
            assert torch.equal(getattr(ds, name), getattr(one, name)), (seed, name)
        assert ds.settings == one.settings and ds.class_names == one.class_names
        pd.testing.assert_frame_equal(ds.raw, one.raw)
    with pytest.raises(ValueError, match=r"seeds\[1\] must be an integer"):
        lgrad.load_datasets("breast_cancer", [0, -1])
    with pytest.raises(TypeError, match="seeds must be a sequence of integer seeds"):
        lgrad.load_datasets("breast_cancer", 3)
