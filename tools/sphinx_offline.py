"""A Sphinx extension that keeps the book offline: it drops the scripts that point at another host.

Jupyter Book 1.x always loads sphinx-thebe, which writes ``const THEBE_JS_URL = "https://unpkg.com/..."`` into every
page (it is fetched only when a "live code" button is pressed, and the book has none). The page must not name a
CDN at all, so the script (and sphinx-thebe's loader, useless without it) is removed from every page's context.
Listed in ``_config.yml`` under ``sphinx.local_extensions``; the build stages this file beside the book.
"""

from __future__ import annotations

from typing import Any

REMOTE = ("http://", "https://", "//")


def _is_remote(asset: Any) -> bool:
    filename = str(getattr(asset, "filename", asset) or "")
    body = str(getattr(asset, "attributes", {}).get("body", "") or "")
    return filename.startswith(REMOTE) or "thebe" in filename or "://" in body


def drop_remote_assets(app, pagename, templatename, context, doctree) -> None:
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not _is_remote(asset)]


def setup(app) -> dict[str, Any]:
    app.connect("html-page-context", drop_remote_assets, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
