"""The whole book built for other parameters: every build finishes, no page prints ``nan`` or an epoch past the last,
and the sentences about results hold (a guarded sentence whose premise broke would have stopped the build).

Each case is a real book (every chapter executed by papermill, then Jupyter Book) in ``_build/<params-name>/``, so a
second run reuses what did not change; a fresh clone builds them all (several minutes: CI time is budgeted for it).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from sklearn.datasets import load_breast_cancer

from lgrad.book import build, params

ROOT = Path(__file__).resolve().parents[2]

CASES = {
    "seed 7": [("seed", "7")],
    "relu, bce": [("activation", "relu"), ("loss", "bce")],
    "full batch, 10 % test": [("batch_size", "full"), ("test_size", "0.1")],
    "3 epochs": [("epochs", "3")],
    "learns nothing": [("lr", "1e6")],
}
"""Every parameter value of the issue, two to a book where they touch different things (the cost of eleven chapters
per book, in CI's time)."""


@pytest.fixture(scope="module")
def mb_csv(tmp_path_factory) -> Path:
    """The breast-cancer rows as a CSV whose labels are the strings M and B (M for malignant)."""
    bunch = load_breast_cancer(as_frame=True)
    frame = bunch.data.copy()
    frame["diagnosis"] = ["M" if t == 0 else "B" for t in bunch.target]
    path = tmp_path_factory.mktemp("csv") / "diagnosis-mb.csv"
    frame.to_csv(path, index=False)
    return path


STUDY_SIZES = [("seeds", "4"), ("retrain_seeds", "2"), ("long_epochs", "6"), ("cnn_epochs", "2")]
"""Small studies beyond the base run in every case, to keep CI's time: the sentences' premises are what is tested
(the default book, built by ``make test`` with the default sizes, checks those)."""


def build_pages(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Build the book for ``pairs`` (with small :data:`STUDY_SIZES`); return each page's visible text (code cells'
    sources left out)."""
    values = params.resolve([*STUDY_SIZES, *pairs])
    index = build.build_book(build.Project(ROOT), values, log=lambda line: None)
    pages = {}
    for page in sorted(index.parent.rglob("*.html")):
        if {"_static", "_sources"} & set(page.relative_to(index.parent).parts) or page.name in ("search.html",):
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        main = soup.find("main") or soup
        for hidden in main.select(".cell_input, script, style"):
            hidden.decompose()
        pages[page.stem] = " ".join(main.get_text(" ").split())
    assert {"intro", "method", "data", "training", "reading"} <= set(pages), sorted(pages)
    return pages


def assert_honest(pages: dict[str, str], epochs: int) -> None:
    for name, text in pages.items():
        printed = r"\bnan\b(?! cell)"  # a number printed as nan; "an empty or NaN cell" names a CSV error
        assert not re.search(printed, text, flags=re.IGNORECASE), (name, _around(text, printed))
        for match in re.finditer(r"\bepoch (\d+)\b", text):
            assert int(match.group(1)) <= epochs, (name, _around(text, match.group(0)))


def _around(text: str, pattern: str) -> str:
    found = re.search(pattern, text, flags=re.IGNORECASE)
    return text[max(0, found.start() - 150) : found.end() + 150] if found else ""


@pytest.mark.parametrize("case", list(CASES))
def test_the_book_holds_for_other_parameters(case):
    pairs = CASES[case]
    pages = build_pages(pairs)
    epochs = params.resolve(pairs)["epochs"]
    assert_honest(pages, epochs)
    if case == "learns nothing":
        assert "this run learned nothing" in pages["training"].lower()
        assert "there is no top five" in pages["training"]
        assert "nothing to converge to" in pages["training"]
        assert "No run learned anything: nothing converges." in pages["report"]
        assert "None of the 4 runs learned anything" in pages["seeds"]
        assert "the settle" not in pages["training"]
    else:
        assert "learned nothing" not in pages["training"]
        assert "The ranking settle" in pages["training"]


def test_a_csv_names_its_classes_from_the_data(mb_csv):
    pages = build_pages([("dataset", str(mb_csv)), ("target", "diagnosis")])
    assert_honest(pages, 40)
    assert "labelled B (target 0) or M (target 1)" in pages["data"]
    assert "B rows predicted M" in pages["training"]
    for name in ("data", "training", "reading"):
        assert "malignant" not in pages[name].lower() and "benign" not in pages[name].lower(), name
    flipped = [("dataset", str(mb_csv)), ("target", "diagnosis"), ("positive", "B")]
    assert "labelled M (target 0) or B (target 1)" in chapter_text(flipped, "data")


def chapter_text(pairs: list[tuple[str, str]], chapter: str) -> str:
    """Execute one chapter alone for ``pairs``; return the text and Markdown its cells display."""
    values = params.resolve([*STUDY_SIZES, *pairs])
    notebook = build.run_chapter(build.Project(ROOT), chapter, values, log=lambda line: None)
    outputs = [o for cell in nbformat.read(notebook, as_version=4).cells for o in cell.get("outputs", [])]
    return " ".join(" ".join(str(o.get("data", {}).get("text/markdown", o.get("text", ""))).split()) for o in outputs)
