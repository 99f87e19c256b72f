"""Open every page of the built book in a real browser and report what a reader would see broken.

A local ``http.server`` on 127.0.0.1 serves the HTML directory; Debian's ``chromium``, driven by Playwright through
``executable_path`` (never a downloaded browser), opens each page and checks that

- every ``<img>`` loaded (``complete`` and ``naturalWidth > 0``), and every ``.gif`` it shows is an animation: a GIF
  of more than one frame (Pillow's ``n_frames``), read from the file the server answered with;
- the math rendered: MathJax finished typesetting (``MathJax.startup.promise``), every Sphinx ``.math`` element holds
  an ``mjx-container``, no ``mjx-merror``, and no raw ``\\(``, ``\\)``, ``\\[``, ``\\]`` or ``$$`` is left visible
  outside code;
- no console error and no uncaught exception, and no same-host resource answered with an HTTP error;
- no request leaves the local server (every such request is blocked and reported);
- every internal link resolves: the target file exists, and its ``#fragment`` is an ``id`` on the target page;
- in a 1280 px wide window, nothing is wider than the text column (the content box of ``article.bd-article``;
  what scrolls inside its own box, such as code, counts by that box, but a table or an image counts by itself);
- in a 390 px wide window (a phone), the page does not scroll sideways;
- every figure's smallest text is at least 9 CSS px as shown at 1280 px: its sidecar JSON (the figure's
  "data + provenance" download) records the drawn width and the smallest font, the browser the shown width.

A full-page screenshot of each page at each width is saved as ``<screenshot_dir>/<page>-1280.png`` and
``<page>-390.png``.

Run it by hand with ``python tests/browser_check.py [HTML_DIR]``; ``tests/test_browser.py`` runs it under pytest.
"""

from __future__ import annotations

import html.parser
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "tools"))
from book_pdf import serve  # noqa: E402  (one local server for the browser check and the PDF printer)

DEFAULT_HTML_DIR = REPO_ROOT / "_build" / "html"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHROMIUM_MISSING = "chromium not found: the browser check is skipped; install Debian's chromium to run it"
CHROMIUM_MISSING_IN_CI = "chromium not found but CI=true: CI must run the browser check; apt-get install chromium"

# Folders of a Sphinx build that hold assets, not pages (``_static`` even holds HTML templates).
ASSET_DIRS = {"_static", "_sources", "_images", "_downloads"}
PAGE_TIMEOUT_MS = 30_000
MATHJAX_TIMEOUT_MS = 15_000
IMAGE_TIMEOUT_MS = 10_000
WIDE, NARROW = 1280, 390  # window widths (CSS px): a laptop, a phone
VIEWPORT_HEIGHT = 900
MIN_TEXT_PX = 9.0  # the smallest text a figure may show at WIDE (lgrad.figures.provenance.MIN_TEXT_PX)


# Each check's name and what it is about (its kind); tests/test_browser.py has one test per kind.
KIND_OF_CHECK = {
    "page could not be checked": "page",
    "image not loaded": "image",
    "animation not animated": "image",
    "math not rendered": "math",
    "math error": "math",
    "raw LaTeX visible": "math",
    "console error": "console",
    "uncaught exception": "console",
    "resource failed to load": "console",
    "request to another host (blocked)": "request",
    "request to another host": "request",
    "broken link": "link",
    "wider than the text column at 1280 px": "width",
    "page scrolls sideways at 390 px": "width",
    "figure text smaller than 9 px at 1280 px": "text size",
    "figure without its size in the sidecar": "text size",
}
KINDS = ("page", "image", "math", "console", "request", "link", "width", "text size")


@dataclass(frozen=True)
class Problem:
    """One failed check: the page (path relative to the HTML directory), the check, and what was found."""

    page: str
    check: str
    detail: str

    @property
    def kind(self) -> str:
        """One of KINDS: the page could not be checked, an image, the math, the console, a request, a link."""
        return KIND_OF_CHECK[self.check]

    def __str__(self) -> str:
        return f"{self.page}: {self.check}: {self.detail}"


@dataclass
class BrowserReport:
    """What one run of the check found: the pages opened, the screenshots written, and every problem."""

    pages: list[str] = field(default_factory=list)
    screenshots: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    links_checked: int = 0
    animations: list[tuple[str, str, int]] = field(default_factory=list)
    """Every ``.gif`` shown that loaded: (page, src, frames)."""

    def summary(self) -> str:
        lines = [f"{len(self.problems)} problem(s) on {len(self.pages)} page(s):"]
        lines += [f"  {problem}" for problem in self.problems]
        return "\n".join(lines)


def find_chromium() -> str | None:
    """Path of Debian's ``chromium``, or None when it is not installed."""
    found = shutil.which("chromium")
    if found:
        return found
    fallback = Path("/usr/bin/chromium")
    return str(fallback) if fallback.is_file() and os.access(fallback, os.X_OK) else None


def missing_chromium_outcome(environ: dict[str, str] | os._Environ) -> tuple[str, str]:
    """What to do without chromium: ``("fail", message)`` when ``CI=true``, else ``("skip", message)``."""
    if environ.get("CI", "").strip().lower() == "true":
        return "fail", CHROMIUM_MISSING_IN_CI
    return "skip", CHROMIUM_MISSING


def book_html_dir(environ: dict[str, str] | os._Environ = os.environ) -> Path:
    """The built book to check: env ``LGRAD_BOOK_HTML``, else ``_build/html`` in the repository."""
    return Path(environ.get("LGRAD_BOOK_HTML") or DEFAULT_HTML_DIR).resolve()


def list_pages(html_dir: Path) -> list[str]:
    """Every ``.html`` page under ``html_dir`` (genindex and search included), assets folders left out, sorted."""
    pages = []
    for path in html_dir.rglob("*.html"):
        relative = path.relative_to(html_dir)
        if relative.parts[0] not in ASSET_DIRS:
            pages.append(relative.as_posix())
    return sorted(pages)


class _StaticPageScan(html.parser.HTMLParser):
    """Ids and the meta-refresh target of a page, read from its HTML source (no browser)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.refresh_target: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            content = values.get("content", "")
            if "url=" in content.lower():
                self.refresh_target = content[content.lower().index("url=") + 4 :].strip().strip("'\"")


def _scan_file(path: Path) -> _StaticPageScan:
    scan = _StaticPageScan()
    scan.feed(path.read_text(encoding="utf-8", errors="replace"))
    return scan


# --- JavaScript run inside each page -------------------------------------------------------------------------------

_WAIT_FOR_MATHJAX = """
async (timeoutMs) => {
  if (!window.MathJax) return "absent";
  const deadline = Date.now() + timeoutMs;
  while (!(window.MathJax.startup && window.MathJax.startup.promise)) {
    if (Date.now() > deadline) return "did not start";
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const done = await Promise.race([
    window.MathJax.startup.promise.then(() => "ok", (error) => "failed: " + error),
    new Promise((resolve) => setTimeout(() => resolve("timed out"), Math.max(0, deadline - Date.now()))),
  ]);
  return done;
}
"""

_WAIT_FOR_IMAGES = """
async (timeoutMs) => {
  const images = Array.from(document.images);
  for (const img of images) if (img.loading === "lazy") img.loading = "eager";
  const settled = images.map((img) => img.complete ? null
    : new Promise((resolve) => { img.addEventListener("load", resolve); img.addEventListener("error", resolve); }));
  await Promise.race([Promise.all(settled), new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
  return images
    .filter((img) => !(img.complete && img.naturalWidth > 0))
    .map((img) => img.getAttribute("src") || img.currentSrc || "(no src)");
}
"""

_LOADED_GIFS = """
() => Array.from(document.images)
  .filter((img) => img.complete && img.naturalWidth > 0 && /\\.gif$/i.test(new URL(img.currentSrc || img.src).pathname))
  .map((img) => [img.getAttribute("src"), img.currentSrc || img.src])
"""

_MATH_STATE = """
() => {
  const mathElements = Array.from(document.querySelectorAll(".math"));
  const unrendered = mathElements.filter((el) => !el.querySelector("mjx-container"))
    .map((el) => el.textContent.trim().slice(0, 80));
  const errors = Array.from(document.querySelectorAll("mjx-merror"))
    .map((el) => (el.getAttribute("data-mjx-error") || el.textContent).trim().slice(0, 80));
  const skip = "pre, code, script, style, textarea, mjx-container, .highlight";
  const raw = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip)) continue;
    if (parent.checkVisibility && !parent.checkVisibility()) continue;
    const text = node.textContent;
    if (/\\\\[()\\[\\]]|\\$\\$/.test(text)) raw.push(text.trim().slice(0, 80));
  }
  return {
    count: mathElements.length,
    containers: document.querySelectorAll("mjx-container").length,
    unrendered, errors, raw,
  };
}
"""

_LINKS_AND_IDS = """
() => ({
  links: Array.from(document.querySelectorAll("a[href]")).map((a) => [a.getAttribute("href"), a.href]),
  ids: Array.from(document.querySelectorAll("[id]")).map((el) => el.id)
    .concat(Array.from(document.querySelectorAll("a[name]")).map((a) => a.getAttribute("name"))),
})
"""


_TOO_WIDE = """
(tolerance) => {
  const article = document.querySelector("article.bd-article") || document.body;
  const box = article.getBoundingClientRect();
  const style = getComputedStyle(article);
  const left = box.left + parseFloat(style.paddingLeft), right = box.right - parseFloat(style.paddingRight);
  const found = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.classList.length ? "." + el.classList[0] : "");
  const check = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return true;  // not rendered (e.g. in a closed toggle)
    if (el.checkVisibility && !el.checkVisibility({opacityProperty: true, visibilityProperty: true})) return true;
    if (r.left >= left - tolerance && r.right <= right + tolerance) return true;
    found.push(`${name(el)} is ${Math.round(r.width)} px wide (x ${Math.round(r.left)}–${Math.round(r.right)}),`
      + ` the text column ${Math.round(right - left)} px (x ${Math.round(left)}–${Math.round(right)})`);
    return false;
  };
  const walk = (el) => {
    for (const child of el.children) {
      if (!check(child)) continue;  // the outermost element that is too wide is enough
      if (getComputedStyle(child).overflowX !== "visible") {  // scrolls in its own box: tables and images still count
        child.querySelectorAll("table, img").forEach(check);
        continue;
      }
      walk(child);
    }
  };
  walk(article);
  return found;
}
"""

_FIGURES = """
() => Array.from(document.querySelectorAll("figure")).filter((f) => f.querySelector("img")).map((f) => {
  const img = f.querySelector("img");
  const sidecar = Array.from(f.querySelectorAll("a[href]")).find((a) => a.getAttribute("href").endsWith(".json"));
  return {id: f.id || img.getAttribute("src"), shown: img.getBoundingClientRect().width,
          sidecar: sidecar ? sidecar.href : null};
})
"""

_SCROLL = "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"


def _screenshot_path(screenshot_dir: Path, page: str, width: int) -> Path:
    return screenshot_dir / f"{page[: -len('.html')]}-{width}.png"


def shown_text_px(drawn: dict, shown_width_px: float) -> float:
    """The smallest text of a figure in CSS px when shown ``shown_width_px`` wide (as
    ``lgrad.figures.provenance.shown_text_px``): ``smallest_font_pt / 72 / width_in × shown width``."""
    return float(drawn["smallest_font_pt"]) / 72.0 / float(drawn["width_in"]) * float(shown_width_px)


def _check_widths(page, html_dir: Path, base_url: str, problem) -> None:
    """At the wide window: nothing wider than the text column, and each figure's smallest text large enough."""
    for detail in page.evaluate(_TOO_WIDE, 1.0):
        problem("wider than the text column at 1280 px", detail)
    for figure in page.evaluate(_FIGURES):
        sidecar = _local_file(html_dir, base_url, figure["sidecar"]) if figure["sidecar"] else None
        if sidecar is None or not sidecar.is_file():
            problem("figure without its size in the sidecar", f"{figure['id']}: no sidecar JSON linked")
            continue
        drawn = json.loads(sidecar.read_text(encoding="utf-8")).get("drawn") or {}
        if drawn.get("smallest_font_pt") is None or not drawn.get("width_in"):
            problem("figure without its size in the sidecar", f"{figure['id']}: no drawn width or font size")
            continue
        shown = shown_text_px(drawn, figure["shown"])
        if shown < MIN_TEXT_PX - 1e-6:
            size = f"{drawn['smallest_font_pt']} pt on {drawn['width_in']} in shown {figure['shown']:.0f} px wide"
            problem(
                "figure text smaller than 9 px at 1280 px",
                f"{figure['id']}: {size} is {shown:.2f} px ({drawn.get('smallest_text')!r})",
            )


def gif_frames(path: Path) -> int:
    """How many frames the GIF at ``path`` holds (Pillow's ``n_frames``); 0 if it is missing or not a GIF."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return int(getattr(image, "n_frames", 1)) if image.format == "GIF" else 0
    except (OSError, UnidentifiedImageError):
        return 0


def _check_animations(page, html_dir: Path, base_url: str, problem, report: BrowserReport, name: str) -> None:
    """Every ``.gif`` the page shows (and that loaded) must be a GIF of more than one frame."""
    for src, url in page.evaluate(_LOADED_GIFS):
        local = _local_file(html_dir, base_url, url)
        frames = gif_frames(local) if local is not None else 0
        if frames > 1:
            report.animations.append((name, src, frames))
        else:
            what = "not a GIF" if frames == 0 else "a single frame"
            problem("animation not animated", f"{src} is {what}")


def _local_file(html_dir: Path, base_url: str, url: str) -> Path | None:
    """The file the local server answers ``url`` with, or None when ``url`` is not on the local server."""
    if not url.startswith(base_url):
        return None
    path = unquote(urlsplit(url).path).lstrip("/")
    target = (html_dir / path).resolve()
    if path == "" or path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def check_book(html_dir: Path, screenshot_dir: Path, chromium: str) -> BrowserReport:
    """Open every page of the HTML build in ``html_dir`` with ``chromium`` and report each failed check.

    Args:
        html_dir: the built HTML (e.g. ``_build/html``); it must contain ``index.html``.
        screenshot_dir: where the ``<page>-1280.png`` and ``<page>-390.png`` full-page screenshots go (emptied of
            old ``.png`` files first).
        chromium: path of the chromium executable.

    Returns:
        A BrowserReport; ``report.problems`` is empty when every check passed.
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    html_dir = html_dir.resolve()
    report = BrowserReport(pages=list_pages(html_dir))
    if screenshot_dir.is_dir():
        for old in screenshot_dir.rglob("*.png"):
            old.unlink()
    page_ids: dict[str, set[str]] = {}
    links: list[tuple[str, str, str]] = []  # (page, href as written, absolute URL)

    with serve(html_dir) as base_url, tempfile.TemporaryDirectory(prefix="lgrad-chromium-") as profile:
        current = {"page": ""}
        blocked: set[str] = set()  # URLs already reported: the console's "Failed to load resource" repeats them
        failed: set[str] = set()

        def problem(check: str, detail: str) -> None:
            report.problems.append(Problem(current["page"], check, detail))

        def route(route_obj) -> None:  # every http(s) request of the page passes here
            url = route_obj.request.url
            if url.startswith(base_url):
                route_obj.continue_()
            else:
                blocked.add(url)
                problem("request to another host (blocked)", url)
                route_obj.abort("blockedbyclient")

        def on_websocket(websocket) -> None:
            if not websocket.url.startswith(base_url.replace("http", "ws", 1)):
                problem("request to another host", f"websocket {websocket.url}")

        def on_response(response) -> None:
            if response.url.startswith(base_url) and response.status >= 400:
                failed.add(response.url)
                problem("resource failed to load", f"HTTP {response.status} for {response.url[len(base_url) - 1 :]}")

        def on_console(message) -> None:
            if message.type == "error":
                where = message.location.get("url", "") if message.location else ""
                if message.text.startswith("Failed to load resource") and where in blocked | failed:
                    return  # already reported as a blocked request or an HTTP error
                problem("console error", message.text + (f" (at {where})" if where else ""))

        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=chromium,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": WIDE, "height": VIEWPORT_HEIGHT},
                service_workers="block",
            )
            try:
                context.route("**/*", route)
                page = context.pages[0] if context.pages else context.new_page()
                page.set_default_timeout(PAGE_TIMEOUT_MS)
                page.on("websocket", on_websocket)
                page.on("response", on_response)
                page.on("console", on_console)
                page.on("pageerror", lambda error: problem("uncaught exception", str(error)))
                for name in report.pages:
                    current["page"] = name
                    url = urljoin(base_url, name)
                    try:
                        page.goto(url, wait_until="load")
                        refresh = _scan_file(html_dir / name).refresh_target
                        if refresh is not None:
                            target = urljoin(url, refresh)
                            links.append((name, f"meta refresh to {refresh}", target))
                            if target.startswith(base_url) and _local_file(html_dir, base_url, target).is_file():
                                page.wait_for_url(urldefrag(target).url + "*", wait_until="load")
                        _check_open_page(page, problem)
                        _check_animations(page, html_dir, base_url, problem, report, name)
                        state = page.evaluate(_LINKS_AND_IDS)
                        page_ids[page.url.split("#")[0]] = set(state["ids"])
                        links.extend((name, href, absolute) for href, absolute in state["links"])
                        _check_widths(page, html_dir, base_url, problem)
                        for width in (WIDE, NARROW):
                            if width != WIDE:
                                page.set_viewport_size({"width": width, "height": VIEWPORT_HEIGHT})
                                page.evaluate("() => new Promise((r) => requestAnimationFrame(() => r()))")
                                scroll_width, client_width = page.evaluate(_SCROLL)
                                if scroll_width > client_width:
                                    problem(
                                        "page scrolls sideways at 390 px",
                                        f"the page is {scroll_width} px wide in a {client_width} px window",
                                    )
                            shot = _screenshot_path(screenshot_dir, name, width)
                            shot.parent.mkdir(parents=True, exist_ok=True)
                            page.screenshot(path=str(shot), full_page=True)
                            report.screenshots.append(shot)
                        page.set_viewport_size({"width": WIDE, "height": VIEWPORT_HEIGHT})
                    except PlaywrightError as error:
                        problem("page could not be checked", str(error).splitlines()[0])
            finally:
                context.close()

    link_problems, report.links_checked = _check_links(html_dir, base_url, links, page_ids)
    report.problems.extend(link_problems)
    return report


def _check_open_page(page, problem) -> None:
    """Images, then math, on the page currently open."""
    for src in page.evaluate(_WAIT_FOR_IMAGES, IMAGE_TIMEOUT_MS):
        problem("image not loaded", src)
    mathjax = page.evaluate(_WAIT_FOR_MATHJAX, MATHJAX_TIMEOUT_MS)
    state = page.evaluate(_MATH_STATE)
    if state["count"] and mathjax != "ok":
        problem("math not rendered", f"{state['count']} math element(s) but MathJax {mathjax}")
    elif mathjax not in ("ok", "absent"):
        problem("math not rendered", f"MathJax {mathjax}")
    for source in state["unrendered"][:5]:
        problem("math not rendered", f"no MathJax output for {source!r}")
    if len(state["unrendered"]) > 5:
        problem("math not rendered", f"... and {len(state['unrendered']) - 5} more math element(s)")
    for source in state["errors"]:
        problem("math error", source)
    for text in state["raw"][:5]:
        problem("raw LaTeX visible", repr(text))


def _check_links(
    html_dir: Path, base_url: str, links: list[tuple[str, str, str]], page_ids: dict[str, set[str]]
) -> tuple[list[Problem], int]:
    """Every same-host link: the file exists, and its fragment is an id on the target page.

    Returns the problems found and how many (page, link) pairs were checked.
    """
    problems = []
    seen: set[tuple[str, str]] = set()
    for page, href, absolute in links:
        if (page, absolute) in seen or not absolute.startswith(base_url):
            continue  # other schemes (mailto:, javascript:) and other hosts are not followed: the book is offline
        seen.add((page, absolute))
        target_url, fragment = urldefrag(absolute)
        target = _local_file(html_dir, base_url, target_url)
        if target is None or not target.is_relative_to(html_dir) or not target.is_file():
            problems.append(Problem(page, "broken link", f"{href} (no file {target_url[len(base_url) - 1 :]})"))
            continue
        fragment = unquote(fragment)
        if not fragment or target.suffix != ".html":
            continue
        ids = page_ids.get(target_url)
        if ids is None:
            ids = page_ids[target_url] = _scan_file(target).ids
        if fragment not in ids:
            problems.append(Problem(page, "broken link", f"{href} (no id {fragment!r} on {target.name})"))
    return problems, len(seen)


def main(argv: list[str] | None = None) -> int:
    """``python tests/browser_check.py [HTML_DIR]``: print the problems; exit 1 if any, 0 if none or skipped."""
    argv = sys.argv[1:] if argv is None else argv
    html_dir = Path(argv[0]).resolve() if argv else book_html_dir()
    if not (html_dir / "index.html").is_file():
        print(f"no book at {html_dir}: run `make book` first", file=sys.stderr)
        return 1
    chromium = find_chromium()
    if chromium is None:
        outcome, message = missing_chromium_outcome(os.environ)
        print(message, file=sys.stderr)
        return 1 if outcome == "fail" else 0
    report = check_book(html_dir, html_dir.parent / "screenshots", chromium)
    print(report.summary() if report.problems else f"all checks passed on {len(report.pages)} page(s)")
    print(f"{report.links_checked} internal link(s) checked")
    print(f"screenshots in {html_dir.parent / 'screenshots'}")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
