"""The site's base URL for links that leave the browser (e-mails): SITE_URL when it is configured,
else the address this request is being served at, else loopback."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.checks import Warning as CheckWarning
from django.core.checks import register
from django.http import HttpRequest, HttpResponse

FALLBACK_SITE_URL = "http://127.0.0.1:8000"
_served: ContextVar[str | None] = ContextVar("served_site_url", default=None)


def site_url() -> str:
    """No trailing slash. Outside a request (the task worker) only SITE_URL can say it."""
    return (settings.SITE_URL or _served.get() or FALLBACK_SITE_URL).rstrip("/")


class ServedSiteURLMiddleware:
    """Remembers the scheme and host of the request being served (the host is one ALLOWED_HOSTS
    already accepted), so that an e-mail sent while answering it links back to the same server."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _served.set(request.build_absolute_uri("/"))
        try:
            return self.get_response(request)
        finally:
            _served.reset(token)


@register(deploy=True)
def check_site_url(app_configs: object, **kwargs: object) -> list[CheckWarning]:
    if settings.SITE_URL:
        return []
    return [
        CheckWarning(
            "SITE_URL is not set: e-mails sent by the task worker will link to " + FALLBACK_SITE_URL + ".",
            hint="Set SITE_URL to the public address, e.g. https://sime.igm.gob.gt",
            id="sime.W001",
        )
    ]
