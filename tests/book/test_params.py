"""The chapters' parameters (lgrad/book/params.py): defaults, parsing, one-line messages, build names."""

import ast
import json
from pathlib import Path

import papermill
import pytest

import lgrad
from lgrad.book import params

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_are_the_cores_and_pass_the_checks():
    values = params.defaults()
    for name, value in lgrad.DEFAULTS.items():
        if name in params.PARAMETERS:
            assert values[name] == (list(value) if isinstance(value, tuple) else value)
    for name, value in values.items():
        assert params.normalize(name, value) == value
    assert params.resolve() == values
    assert params.params_name(values) == "default"


def test_every_chapter_parameter_of_the_issue_is_known():
    required = {"seed", "epochs", "hidden", "activation", "loss", "lr", "batch_size", "test_size", "dataset"}
    assert required <= set(params.PARAMETERS)


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("seed", "7", 7),
        ("epochs", " 60 ", 60),
        ("hidden", "8,4", [8, 4]),
        ("hidden", "(3,)", [3]),
        ("hidden", "[5 2]", [5, 2]),
        ("activation", "relu", "relu"),
        ("lr", "1e-3", 0.001),
        ("batch_size", "32", 32),
        ("test_size", "0.25", 0.25),
        ("SEED", "3", 3),
        ("batch-size", "8", 8),
    ],
)
def test_parse_reads_command_line_text(name, text, value):
    assert params.parse(name, text) == value


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("epochs", "2", "epochs must be an integer >= 3, got 2"),
        ("epochs", "many", "epochs must be an integer >= 3, got 'many' (str)"),
        ("batch_size", "2.5", "batch_size must be an integer >= 1 or 'full', got 2.5 (float)"),
        ("seed", "-1", "seed must be an integer in [0, 9223372036854775807], got -1"),
        ("activation", "elu", "activation must be one of 'sigmoid', 'relu', 'tanh', got 'elu'"),
        ("loss", "hinge", "loss must be one of 'mse', 'bce', got 'hinge'"),
        ("lr", "0", "lr must be a finite number > 0, got 0.0"),
        ("lr", "inf", "lr must be a finite number > 0, got inf"),
        ("test_size", "1", "test_size must be a finite number > 0 and < 1, got 1.0"),
        ("hidden", "0", "hidden must be a non-empty sequence of integers >= 1, e.g. (3,), got (0,)"),
        ("dataset", "iris", "dataset must be one of 'breast_cancer' or the path of an existing CSV file, got 'iris'"),
        ("scale", "none", "scale must be one of 'train', 'all', got 'none'"),
        ("momentum", "0.9", "unknown parameter 'momentum'; allowed: seed, epochs, hidden, activation, loss, lr, "),
    ],
)
def test_bad_values_give_one_line_naming_the_parameter_and_what_is_allowed(name, text, message):
    with pytest.raises(params.ParameterError) as caught:
        params.resolve([(name, text)])
    text = str(caught.value)
    assert text.startswith(message)
    assert "\n" not in text


def test_params_name_lists_only_what_differs_from_the_defaults_in_a_fixed_order():
    assert params.params_name(params.resolve([("seed", "7")])) == "seed-7"
    assert params.params_name(params.resolve([("epochs", "60"), ("seed", "7")])) == "seed-7_epochs-60"
    assert params.params_name(params.resolve([("hidden", "8,4"), ("lr", "0.05")])) == "hidden-8-4_lr-0.05"
    assert params.params_name(params.resolve([("seed", "0")])) == "default"  # the default, given explicitly
    assert params.params_name(params.resolve([("batch_size", "8")])) == "batch-size-8"


def test_parse_assignments():
    assert params.parse_assignments("seed=7  epochs=60") == [("seed", "7"), ("epochs", "60")]
    assert params.parse_assignments("") == []
    with pytest.raises(params.ParameterError, match="name=value pairs"):
        params.parse_assignments("seed 7")


def _csv(tmp_path: Path) -> Path:
    rows = ["a,b,diagnosis"] + [f"{i},{(i * 7) % 11},{'M' if i % 3 else 'B'}" for i in range(30)]
    path = tmp_path / "my-data.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def test_a_csv_dataset_needs_its_target_column_and_is_checked_by_the_core(tmp_path):
    path = _csv(tmp_path)
    values = params.resolve([("dataset", str(path)), ("target", "diagnosis")])
    assert values["dataset"] == str(path.resolve())
    assert params.params_name(values) == "dataset-my-data_target-diagnosis"
    assert params.dataset_files(values) == [path.resolve()]
    assert params.dataset_files(params.defaults()) == []
    with pytest.raises(params.ParameterError, match=r"^target must name the target column"):
        params.resolve([("dataset", str(path))])
    with pytest.raises(params.ParameterError, match=r"^target column 'label' is not in"):
        params.resolve([("dataset", str(path)), ("target", "label")])


def _chapters():
    return sorted((ROOT / "book").glob("*.ipynb"))


def test_the_book_has_its_chapters():
    assert [p.stem for p in _chapters()] == sorted(
        [
            "attributions",
            "cnn",
            "data",
            "method",
            "minibatch",
            "reading",
            "report",
            "retraining",
            "seeds",
            "training",
            "yourdata",
        ]
    )


@pytest.mark.parametrize("notebook", _chapters(), ids=lambda p: p.stem)
def test_each_chapters_parameters_cell_holds_the_defaults(notebook):
    """The default book injects nothing: each notebook's own parameters cell must say what lgrad.DEFAULTS says."""
    cells = json.loads(notebook.read_text())["cells"]
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{notebook.name} needs exactly one cell tagged 'parameters'"
    found = {name: ast.literal_eval(p["default"]) for name, p in papermill.inspect_notebook(str(notebook)).items()}
    required = {"seed", "epochs", "hidden", "activation", "loss", "lr", "batch_size", "test_size", "dataset"}
    assert required <= set(found), f"{notebook.name}: parameters cell lacks {sorted(required - set(found))}"
    defaults = params.defaults()
    for name, value in found.items():
        if name in defaults:
            assert params.normalize(name, value) == defaults[name], f"{notebook.name}: {name} = {value!r}"
