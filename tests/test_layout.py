"""The package's layout: the method at the top level, three layers above it, imports pointing one way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
METHOD = {
    *("data", "model", "loss", "batches", "capture", "training", "history"),
    *("seeding", "checks", "defaults", "atomic", "many", "digits", "cnn", "cnn_training", "sweep"),
}


def test_the_top_level_holds_the_method_and_three_layers():
    modules = {p.stem for p in (ROOT / "lgrad").glob("*.py")} - {"__init__", "__main__"}
    assert modules == METHOD
    layers = {p.name for p in (ROOT / "lgrad").iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert layers == {"study", "figures", "book", "analyze"}


def test_the_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "0 broken" in result.stdout and "4 kept" in result.stdout


def test_the_build_layer_stays_small():
    lines = sum(len(p.read_text().splitlines()) for p in (ROOT / "lgrad" / "book").glob("*.py"))
    assert lines <= 700, f"lgrad/book/ is {lines} lines; the layout issue set 700"
