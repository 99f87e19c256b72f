"""The whole book as one PDF, for readers who cite or print: ``make pdf`` writes ``_build/pdf/lgrad-book.pdf``.

Chromium (Debian's ``chromium``, driven by Playwright through ``executable_path``; no browser is downloaded) prints
each page of ``_toc.yml``, in reading order, from the built HTML (``_build/html``, made by ``make book``) served on
127.0.0.1; every request to another host is blocked. The pages' PDFs are joined with pypdf, one bookmark per
chapter, and written atomically (``lgrad.atomic``): a failed run leaves the previous PDF or none, never half of one.

Usage: ``python tools/book_pdf.py [--html DIR] [--out FILE] [--if-chromium]`` (default ``_build/html`` into
``_build/pdf/lgrad-book.pdf``: ``pdf/`` beside the ``html/`` folder). With ``--if-chromium`` (what ``make test``
passes), a machine without chromium skips the PDF with a message instead of failing, except under ``CI=true``.
Not part of the site: the build stages only the Sphinx extensions of ``tools/`` (``tools/sphinx_*.py``).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from lgrad.atomic import atomic_path
from lgrad.book.site import Project

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGE_TIMEOUT_MS = 30_000
PRINT_SCALE = 0.8  # the theme's 16 px text at 0.8 prints at about 10 pt
PRINT_CSS = "details.hide { display: none !important; }"  # collapsed code cells stay out of print, as on screen
# Every image loaded (lazy ones made eager) and MathJax done typesetting, before the page is printed.
_READY = """
async (timeoutMs) => {
  const deadline = Date.now() + timeoutMs;
  for (const img of document.images) if (img.loading === "lazy") img.loading = "eager";
  await Promise.race([Promise.all(Array.from(document.images).map((img) => img.complete ? null
    : new Promise((ok) => { img.addEventListener("load", ok); img.addEventListener("error", ok); }))),
    new Promise((ok) => setTimeout(ok, timeoutMs))]);
  while (window.MathJax && !(MathJax.startup && MathJax.startup.promise) && Date.now() < deadline)
    await new Promise((ok) => setTimeout(ok, 50));
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  return Array.from(document.images).filter((img) => !(img.complete && img.naturalWidth > 0)).map((img) => img.src);
}
"""

# The page's first <h1> without its "#" permalink, else its <title>.
_TITLE = """
() => {
  const heading = document.querySelector("main h1, article h1, h1");
  if (!heading) return document.title.trim();
  const copy = heading.cloneNode(true);
  copy.querySelectorAll(".headerlink").forEach((link) => link.remove());
  return copy.textContent.replace(/\\s+/g, " ").trim();
}
"""


def find_chromium() -> str | None:
    """Path of Debian's ``chromium``, or None when it is not installed."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found or ("/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None)


def page_order(root: Path, html_dir: Path) -> list[Path]:
    """The built HTML page of every ``_toc.yml`` entry, in reading order (``book/intro.md`` → ``book/intro.html``)."""
    project = Project(root)
    pages = [html_dir / source.relative_to(project.root).with_suffix(".html") for source in project.pages()]
    missing = [str(page) for page in pages if not page.is_file()]
    if missing:
        raise FileNotFoundError(f"the built book lacks {', '.join(missing)}: run `make book` first")
    return pages


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 at a free port from a background thread; yields the base URL ending in /."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, name="book-pdf-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def print_pages(html_dir: Path, pages: Sequence[Path], chromium: str) -> list[tuple[str, bytes]]:
    """Print each page with ``chromium`` (A4, backgrounds, print CSS): its ``<h1>`` (or ``<title>``) and PDF bytes.

    Raises RuntimeError when a page's image does not load; requests to other hosts are blocked and named on stderr.
    """
    from playwright.sync_api import sync_playwright

    printed = []
    with serve(html_dir) as base_url, tempfile.TemporaryDirectory(prefix="lgrad-pdf-chromium-") as profile:

        def route(request_route) -> None:
            url = request_route.request.url
            if url.startswith(base_url) or url.startswith("data:"):
                request_route.continue_()
            else:
                print(f"book_pdf: blocked a request to another host: {url}", file=sys.stderr)
                request_route.abort("blockedbyclient")

        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=chromium, headless=True, args=CHROMIUM_ARGS, service_workers="block"
            )
            try:
                context.route("**/*", route)
                page = context.pages[0] if context.pages else context.new_page()
                page.set_default_timeout(PAGE_TIMEOUT_MS)
                for path in pages:
                    name = path.relative_to(html_dir).as_posix()
                    page.goto(base_url + name, wait_until="load")
                    broken = page.evaluate(_READY, PAGE_TIMEOUT_MS)
                    if broken:
                        raise RuntimeError(f"{name}: image(s) not loaded, the PDF would lack them: {broken}")
                    page.add_style_tag(content=PRINT_CSS)
                    title = page.evaluate(_TITLE) or name
                    pdf = page.pdf(
                        format="A4",
                        print_background=True,
                        outline=True,
                        scale=PRINT_SCALE,
                        margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"},
                    )
                    printed.append((title, pdf))
            finally:
                context.close()
    return printed


def write_book_pdf(html_dir: Path, out: Path, chromium: str, *, root: Path = ROOT) -> Path:
    """Print the book built in ``html_dir`` into one PDF at ``out`` (atomically), a bookmark per page; return it."""
    from pypdf import PdfWriter

    printed = print_pages(html_dir, page_order(root, html_dir), chromium)
    writer = PdfWriter()
    for title, pdf in printed:
        first = len(writer.pages)
        writer.append(io.BytesIO(pdf), import_outline=False)
        writer.add_outline_item(title=title, page_number=first)
    writer.add_metadata({"/Title": printed[0][0] if printed else "lgrad", "/Creator": "lgrad tools/book_pdf.py"})
    with atomic_path(out) as tmp:
        with tmp.open("wb") as stream:
            writer.write(stream)
        tmp.chmod(0o644)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html", help="the built book")
    parser.add_argument("--out", type=Path, help="the PDF (default: pdf/lgrad-book.pdf beside the html folder)")
    parser.add_argument("--if-chromium", action="store_true", help="skip, not fail, without chromium (unless CI=true)")
    args = parser.parse_args(argv)
    if not (args.html / "index.html").is_file():
        print(f"book_pdf: no book at {args.html}: run `make book` first", file=sys.stderr)
        return 1
    chromium = find_chromium()
    if chromium is None:
        in_ci = os.environ.get("CI", "").strip().lower() == "true"
        print(
            "book_pdf: chromium not found: "
            + (
                "CI must print the PDF; apt-get install chromium"
                if in_ci or not args.if_chromium
                else "the PDF is skipped; install Debian's chromium to print it"
            ),
            file=sys.stderr,
        )
        return 1 if in_ci or not args.if_chromium else 0
    from playwright.sync_api import Error as PlaywrightError

    start = time.perf_counter()
    try:
        html = args.html.resolve()
        out = write_book_pdf(html, args.out or html.parent / "pdf" / "lgrad-book.pdf", chromium)
    except (FileNotFoundError, RuntimeError, PlaywrightError) as error:
        print(f"book_pdf: {error}", file=sys.stderr)
        return 1
    print(f"{out} ({out.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
