"""The whole book as one PDF (``make pdf``, ``tools/book_pdf.py``): what a reader who prints or cites gets.

The PDF checked is ``_build/pdf/lgrad-book.pdf`` beside the built HTML (``_build/html``, or env ``LGRAD_BOOK_HTML``);
``make test`` prints it after building the book. Its text (pypdf) must hold every chapter's title (each page's
``<h1>``) and every figure's and table's caption as the HTML has them, "cite this figure" line and sha256 included.
Text is compared after Unicode NFKC (ligatures such as "ﬁ" become "fi") with whitespace, hyphens and soft hyphens
removed, since a line break may fall anywhere in the PDF (and icon-font glyphs, which the PDF has and the HTML not).

Without the book these tests fail. Without chromium (so no PDF could be printed) they are skipped with a plain
message, except under ``CI=true``, where they fail; the printer itself is also tried on a small fake book.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from pathlib import Path

import pytest
from browser_check import book_html_dir, find_chromium, missing_chromium_outcome
from bs4 import BeautifulSoup
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import book_pdf  # noqa: E402  (a script in tools/, not a package)

# Whitespace, hyphens, soft hyphens, and the private-use code points of icon fonts (the theme's download icon).
_IGNORED = re.compile(r"[\s\-\u00ad\u2010\u2011\ue000-\uf8ff]+")


def squash(text: str) -> str:
    """``text`` as compared: NFKC, without whitespace, hyphens, soft hyphens or icon glyphs."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text))


def page_texts(html: str) -> tuple[str, list[str]]:
    """A built page's title (its first ``<h1>``) and the text of each figure's and table's caption."""
    soup = BeautifulSoup(html, "html.parser")
    for link in soup.select("a.headerlink"):
        link.decompose()
    heading = soup.select_one("main h1, article h1, h1")
    captions = [c.get_text(" ", strip=True) for c in soup.select("figcaption, table > caption")]
    return (heading.get_text(" ", strip=True) if heading else ""), captions


def _require_chromium() -> str:
    found = find_chromium()
    if found is None:
        outcome, message = missing_chromium_outcome(os.environ)
        if outcome == "fail":
            pytest.fail(message, pytrace=False)
        pytest.skip(message.replace("browser check", "PDF"))
    return found


# --- the book's PDF -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def html_dir() -> Path:
    found = book_html_dir()
    if not (found / "index.html").is_file():
        pytest.fail(f"the book is not built: no {found / 'index.html'}; run `make book` first", pytrace=False)
    return found


@pytest.fixture(scope="module")
def book(html_dir: Path) -> tuple[list[Path], PdfReader, str]:
    """The pages in reading order, the PDF, and its whole text squashed."""
    pages = book_pdf.page_order(ROOT, html_dir)
    pdf = html_dir.parent / "pdf" / "lgrad-book.pdf"
    if not pdf.is_file():
        _require_chromium()
        pytest.fail(f"no {pdf}: run `make pdf` after `make book`", pytrace=False)
    newest = max(page.stat().st_mtime for page in pages)
    if pdf.stat().st_mtime < newest:
        pytest.fail(f"{pdf} is older than the built HTML: run `make pdf` again", pytrace=False)
    reader = PdfReader(pdf)
    return pages, reader, squash("".join(page.extract_text() for page in reader.pages))


def test_every_chapter_title_in_reading_order(book: tuple[list[Path], PdfReader, str]) -> None:
    pages, reader, text = book
    titles = [page_texts(page.read_text(encoding="utf-8"))[0] for page in pages]
    assert all(titles), f"a page without <h1>: {dict(zip(pages, titles, strict=True))}"
    assert [item.title for item in reader.outline] == titles, "one bookmark per chapter, in _toc.yml's order"
    missing = [title for title in titles if squash(title) not in text]
    assert not missing, f"chapter title(s) not in the PDF's text: {missing}"
    starts = [text.find(squash(title)) for title in titles]
    assert starts == sorted(starts), f"chapters out of reading order in the PDF: {titles}"


def test_every_figure_and_table_caption(book: tuple[list[Path], PdfReader, str]) -> None:
    pages, _, text = book
    captions = [(page.name, c) for page in pages for c in page_texts(page.read_text(encoding="utf-8"))[1]]
    assert sum(c.startswith("Fig.") for _, c in captions) >= 5, f"too few figures found: {captions}"
    assert any(c.startswith("Table") for _, c in captions), f"no table caption found: {captions}"
    missing = [f"{name}: {caption[:100]}" for name, caption in captions if squash(caption) not in text]
    assert not missing, "caption(s) not in the PDF's text:\n" + "\n".join(missing)


# --- the printer on a fake book --------------------------------------------------------------------------------------

FAKE_TOC = "format: jb-book\nroot: book/first\nchapters:\n  - file: book/second\n"
FAKE_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title} (title tag)</title></head><body><main>
<h1>{title}<a class="headerlink" href="#x">#</a></h1><p>Body of {title}.</p>{extra}
<figure><figcaption><p><span class="caption-number">Fig. {n} </span>
<span class="caption-text">The first caption of {title}, long enough to wrap over more than one line of the printed
page so that the comparison must ignore line breaks and any hyphen the browser puts there.</span></p></figcaption>
</figure></main></body></html>"""


def _fake_book(tmp_path: Path, extra_second: str = "") -> tuple[Path, Path]:
    root, html = tmp_path / "project", tmp_path / "project" / "_build" / "html"
    (root / "book").mkdir(parents=True)
    (html / "book").mkdir(parents=True)
    (root / "_toc.yml").write_text(FAKE_TOC)
    chapters = [("first", "Alpha chapter", ""), ("second", "Beta chapter", extra_second)]
    for n, (name, title, extra) in enumerate(chapters, start=1):
        (root / "book" / f"{name}.md").write_text(f"# {title}\n")
        (html / "book" / f"{name}.html").write_text(FAKE_PAGE.format(title=title, n=n, extra=extra))
    (html / "index.html").write_text('<meta http-equiv="Refresh" content="0; url=book/first.html" />')
    return root, html


def test_printer_joins_the_pages_in_toc_order(tmp_path: Path) -> None:
    chromium = _require_chromium()
    root, html = _fake_book(tmp_path)
    out = book_pdf.write_book_pdf(html, tmp_path / "pdf" / "book.pdf", chromium, root=root)
    reader = PdfReader(out)
    assert [item.title for item in reader.outline] == ["Alpha chapter", "Beta chapter"]
    text = squash("".join(page.extract_text() for page in reader.pages))
    assert text.index("Alphachapter") < text.index("Betachapter")
    for n, title in enumerate(["Alpha chapter", "Beta chapter"], start=1):
        assert squash(page_texts(FAKE_PAGE.format(title=title, n=n, extra=""))[1][0]) in text


def test_printer_blocks_other_hosts_and_leaves_no_half_pdf(tmp_path: Path) -> None:
    chromium = _require_chromium()
    root, html = _fake_book(tmp_path, extra_second='<img src="http://example.invalid/remote.png" alt="remote">')
    out = tmp_path / "pdf" / "book.pdf"
    out.parent.mkdir()
    out.write_bytes(b"%PDF the previous one")
    with pytest.raises(RuntimeError, match=r"book/second\.html: image\(s\) not loaded.*example\.invalid"):
        book_pdf.write_book_pdf(html, out, chromium, root=root)
    assert out.read_bytes() == b"%PDF the previous one"
    assert sorted(p.name for p in out.parent.iterdir()) == ["book.pdf"], "a temporary file was left behind"


def test_page_order_needs_every_page_built(tmp_path: Path) -> None:
    root, html = _fake_book(tmp_path)
    assert book_pdf.page_order(root, html) == [html / "book" / "first.html", html / "book" / "second.html"]
    (html / "book" / "second.html").unlink()
    with pytest.raises(FileNotFoundError, match=r"second\.html.*make book"):
        book_pdf.page_order(root, html)


def test_squash_ignores_line_breaks_hyphens_and_ligatures() -> None:
    assert squash("the ﬁ-\nrst  cap\u00adtion") == squash("the first caption") == "thefirstcaption"
    assert squash("Download: \uf019 PNG") == "Download:PNG"
