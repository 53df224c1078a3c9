"""HTML → PDF with WeasyPrint. Documents render from templates; no network access at render time."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

# Images drawn on the server (charts) travel inside the HTML as base64 data: URIs.
DATA_IMAGE_TYPES = ("image/png",)


def _data_uri(url: str) -> tuple[bytes, str] | None:
    """`data:image/png;base64,…` → its bytes and type; None for any other data: URI."""
    header, _comma, payload = url.removeprefix("data:").partition(",")
    mime_type, *params = header.split(";")
    if mime_type not in DATA_IMAGE_TYPES or params != ["base64"]:
        return None
    try:
        return base64.b64decode(payload, validate=True), mime_type
    except binascii.Error:
        return None


def local_resource(url: str) -> tuple[bytes, str | None]:
    """The bytes and type WeasyPrint may read: `static:` files from disk and base64 PNG images from
    data: URIs. Everything else is refused with URLFetchingError (no fetches from the network)."""
    from weasyprint.urls import URLFetchingError

    if url.startswith("data:") and (image := _data_uri(url)) is not None:
        return image
    if url.startswith("static:"):
        path = finders.find(url.removeprefix("static:"))
        if path:
            with open(path, "rb") as handle:
                return handle.read(), "text/css" if path.endswith(".css") else None
    raise URLFetchingError(f"blocked: {url}")


def _local_fetcher() -> Any:
    """A WeasyPrint URL fetcher that only answers with `local_resource` (refusals become warnings)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            body, mime_type = local_resource(url)
            return URLFetcherResponse(url, body, {"Content-Type": mime_type} if mime_type else None)

    return LocalOnlyFetcher()


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_local_fetcher()).write_pdf()
