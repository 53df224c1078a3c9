"""HTML → PDF with WeasyPrint. Documents render from templates; no network access at render time."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def _local_only(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
    """Serve `static:` files from disk; refuse everything else (no fetches from the network)."""
    from weasyprint.urls import URLFetchingError

    if url.startswith("static:"):
        path = finders.find(url.removeprefix("static:"))
        if path:
            with open(path, "rb") as handle:
                return {"string": handle.read(), "mime_type": "text/css" if path.endswith(".css") else None}
    raise URLFetchingError(f"blocked: {url}")


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_local_only).write_pdf()
