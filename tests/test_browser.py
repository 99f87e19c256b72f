"""The built book in a real browser: Debian's chromium opens every page from a server on 127.0.0.1.

One test per kind of check (images, math, console, requests, links, widths, figure text size), so a failure says
which kind broke and lists each page with what failed. Screenshots go to ``_build/screenshots/<page>-1280.png`` and
``<page>-390.png`` (beside the HTML directory).

Pages: every ``.html`` file of the build outside its asset folders, ``genindex.html`` and ``search.html`` included
(every page links to them, so they must work too); ``index.html`` is Sphinx's redirect and is followed.

Without chromium the browser tests are skipped with a plain message, except under ``CI=true``, where they fail.
The book to check is ``_build/html`` (built by ``make book``), or env ``LGRAD_BOOK_HTML``.
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from browser_check import (
    CHROMIUM_MISSING,
    CHROMIUM_MISSING_IN_CI,
    KIND_OF_CHECK,
    KINDS,
    BrowserReport,
    book_html_dir,
    check_book,
    find_chromium,
    gif_frames,
    list_pages,
    missing_chromium_outcome,
)


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        outcome, message = missing_chromium_outcome(os.environ)
        if outcome == "fail":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def book_report(chromium: str) -> BrowserReport:
    html_dir = book_html_dir()
    if not (html_dir / "index.html").is_file():
        pytest.fail(f"the book is not built: no {html_dir / 'index.html'}; run `make book` first", pytrace=False)
    return check_book(html_dir, html_dir.parent / "screenshots", chromium)


# --- the book -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_book_pages_pass(book_report: BrowserReport, kind: str) -> None:
    failed = [str(problem) for problem in book_report.problems if problem.kind == kind]
    if failed:
        pytest.fail(f"{len(failed)} {kind} problem(s) in the browser:\n" + "\n".join(failed), pytrace=False)


def test_book_animation_loads(book_report: BrowserReport) -> None:
    """The chapter *Per mini-batch* shows the paper's Fig. 5 animated: its GIF loaded and has more than one frame."""
    shown = [(src, frames) for page, src, frames in book_report.animations if page == "book/minibatch.html"]
    assert shown, f"no animated GIF loaded on book/minibatch.html; animations found: {book_report.animations}"
    assert all(frames > 1 for _, frames in shown)


def test_book_every_page_opened_and_screenshotted(book_report: BrowserReport) -> None:
    assert "index.html" in book_report.pages
    assert len(book_report.pages) > 1, f"only {book_report.pages} in the build"
    assert len(book_report.screenshots) == 2 * len(book_report.pages)
    empty = [str(shot) for shot in book_report.screenshots if not shot.is_file() or shot.stat().st_size == 0]
    assert not empty, f"missing or empty screenshots: {empty}"
    assert book_report.links_checked > 0


# --- the checker itself, on a small fake site with known defects --------------------------------------------------


def _tiny_png(width: int = 4, height: int = 3) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x80\x40\x20" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


FAKE_SITE = {
    # Everything wrong that the checker must catch.
    "index.html": """<!doctype html><html><head><title>broken</title>
<script src="http://example.invalid/tracker.js"></script>
<script>console.error("boom from the fake book");</script>
<script>throw new Error("uncaught in the fake book");</script>
</head><body>
<img src="missing.png" alt="no such file">
<p><span class="math notranslate nohighlight">\\(x^2 + y^2\\)</span></p>
<a href="missing.html">a page that does not exist</a>
<a href="good.html#nowhere">a fragment that does not exist</a>
<a href="good.html#here">a good link</a>
<a href="https://example.org/">an external link: not followed, not a request</a>
<table id="wide-table" style="width: 2000px"><tr><td>a table as wide as two windows</td></tr></table>
<figure id="fig-small"><img src="images/ok.png" alt="small text" style="width: 600px">
<a href="fig-small.json">data + provenance (JSON)</a></figure>
<figure id="fig-bare"><img src="images/ok.png" alt="no sidecar" style="width: 200px"></figure>
<img src="images/still.gif" alt="a GIF of one frame: not an animation">
</body></html>""",
    # 6 pt on a 10 in figure shown 600 px wide: 5 CSS px.
    "fig-small.json": '{"drawn": {"width_in": 10, "width_px": 1500, "smallest_font_pt": 6, "smallest_text": "x"}}',
    # 10 pt on a 4 in figure shown 300 px wide: 10.4 CSS px.
    "fig-fine.json": '{"drawn": {"width_in": 4, "width_px": 600, "smallest_font_pt": 10, "smallest_text": "y"}}',
    # Everything right: no problem may be reported on these pages.
    "good.html": """<!doctype html><html><head><title>good</title></head><body>
<h1 id="here">Here</h1><img src="images/ok.png" alt="tiny">
<a href="index.html">home</a> <a href="#here">top</a> <a href="sub/">sub</a>
<pre>code may show \\(raw\\) LaTeX and $$ signs</pre>
<div style="overflow-x: auto"><pre>{long_line}</pre></div>
<img src="images/anim.gif" alt="an animation of three frames">
<figure id="fig-fine"><img src="images/ok.png" alt="fine" style="width: 300px">
<a href="fig-fine.json">data + provenance (JSON)</a></figure>
</body></html>""".replace("{long_line}", "code that scrolls in its own box " * 20),
    "sub/index.html": '<!doctype html><html><body><a href="../good.html#here">back</a></body></html>',
    "redirect.html": '<meta http-equiv="Refresh" content="0; url=good.html" />',
    "_static/template.html": "<html><body><img src='nothing.png'></body></html>",  # an asset, not a page
}


@pytest.fixture(scope="module")
def fake_report(tmp_path_factory: pytest.TempPathFactory, chromium: str) -> BrowserReport:
    site = tmp_path_factory.mktemp("fake-book") / "html"
    for name, text in FAKE_SITE.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    (site / "images").mkdir()
    (site / "images" / "ok.png").write_bytes(_tiny_png())
    (site / "images" / "still.gif").write_bytes(_gif(1))
    (site / "images" / "anim.gif").write_bytes(_gif(3))
    return check_book(site, site.parent / "screenshots", chromium)


def _gif(frames: int) -> bytes:
    """A 6×4 GIF of ``frames`` frames, each a different grey."""
    from PIL import Image

    images = [Image.new("RGB", (6, 4), (40 * i, 40 * i, 40 * i)) for i in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:], duration=100, loop=0)
    return buffer.getvalue()


def _found(report: BrowserReport, page: str, check: str, detail_contains: str) -> bool:
    return any(p.page == page and p.check == check and detail_contains in p.detail for p in report.problems)


@pytest.mark.parametrize(
    ("check", "detail_contains"),
    [
        ("image not loaded", "missing.png"),
        ("broken link", "missing.html"),
        ("broken link", "no id 'nowhere' on good.html"),
        ("request to another host (blocked)", "http://example.invalid/tracker.js"),
        ("console error", "boom from the fake book"),
        ("uncaught exception", "uncaught in the fake book"),
        ("resource failed to load", "HTTP 404 for /missing.png"),
        ("math not rendered", "MathJax absent"),
        ("math not rendered", "x^2 + y^2"),
        ("raw LaTeX visible", "x^2 + y^2"),
        ("wider than the text column at 1280 px", "table#wide-table is 2000 px wide"),
        ("page scrolls sideways at 390 px", "in a 390 px window"),
        ("figure text smaller than 9 px at 1280 px", "fig-small: 6 pt on 10 in shown 600 px wide is 5.00 px"),
        ("figure without its size in the sidecar", "fig-bare: no sidecar JSON linked"),
        ("animation not animated", "images/still.gif is a single frame"),
    ],
)
def test_checker_catches(fake_report: BrowserReport, check: str, detail_contains: str) -> None:
    assert _found(fake_report, "index.html", check, detail_contains), fake_report.summary()


def test_checker_reports_nothing_on_good_pages(fake_report: BrowserReport) -> None:
    assert fake_report.pages == ["good.html", "index.html", "redirect.html", "sub/index.html"]
    wrong = [str(p) for p in fake_report.problems if p.page != "index.html"]
    assert not wrong, "false alarms:\n" + "\n".join(wrong)
    assert not any("example.org" in str(p) for p in fake_report.problems), "an external <a href> is not a request"
    assert all(p.check in KIND_OF_CHECK for p in fake_report.problems)


def test_checker_counts_the_frames_of_each_animation(fake_report: BrowserReport) -> None:
    # the redirect page shows good.html, so the animation is found there too
    assert fake_report.animations == [("good.html", "images/anim.gif", 3), ("redirect.html", "images/anim.gif", 3)]


def test_checker_names_page_and_check(fake_report: BrowserReport) -> None:
    line = next(str(p) for p in fake_report.problems if p.check == "image not loaded")
    assert line.startswith("index.html: image not loaded: ")


def test_checker_saves_a_screenshot_per_page_and_width(fake_report: BrowserReport) -> None:
    expected = [f"{page.removesuffix('.html')}-{width}.png" for page in fake_report.pages for width in (1280, 390)]
    assert len(fake_report.screenshots) == len(expected)
    for name, shot in zip(expected, fake_report.screenshots, strict=True):
        assert shot.as_posix().endswith(name)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    wide, narrow = (_png_width(shot) for shot in fake_report.screenshots[:2])
    assert (wide, narrow) == (1280, 390)


def _png_width(path: Path) -> int:
    return struct.unpack(">I", path.read_bytes()[16:20])[0]


# --- without a browser -----------------------------------------------------------------------------------------------


def test_missing_chromium_skips_for_readers_and_fails_in_ci() -> None:
    assert missing_chromium_outcome({}) == ("skip", CHROMIUM_MISSING)
    assert missing_chromium_outcome({"CI": "false"}) == ("skip", CHROMIUM_MISSING)
    assert missing_chromium_outcome({"CI": "true"}) == ("fail", CHROMIUM_MISSING_IN_CI)
    assert "chromium not found" in CHROMIUM_MISSING and "skipped" in CHROMIUM_MISSING


def test_gif_frames_reads_the_file(tmp_path: Path) -> None:
    for name, blob in {"three.gif": _gif(3), "one.gif": _gif(1), "ok.png": _tiny_png(), "bad.gif": b"GIF89a"}.items():
        (tmp_path / name).write_bytes(blob)
    assert gif_frames(tmp_path / "three.gif") == 3
    assert gif_frames(tmp_path / "one.gif") == 1
    assert gif_frames(tmp_path / "ok.png") == 0  # not a GIF
    assert gif_frames(tmp_path / "bad.gif") == 0  # truncated
    assert gif_frames(tmp_path / "missing.gif") == 0


def test_book_html_dir_follows_env(tmp_path: Path) -> None:
    assert book_html_dir({"LGRAD_BOOK_HTML": str(tmp_path)}) == tmp_path.resolve()
    assert book_html_dir({}).as_posix().endswith("_build/html")


def test_list_pages_leaves_out_asset_folders(tmp_path: Path) -> None:
    for name in ("index.html", "book/intro.html", "genindex.html", "_static/macros.html", "_sources/x.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("<html></html>")
    assert list_pages(tmp_path) == ["book/intro.html", "genindex.html", "index.html"]
