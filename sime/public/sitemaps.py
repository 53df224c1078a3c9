"""sitemap.xml of the public portal (django.contrib.sitemaps): its pages and each indicator's page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from sime.analytics.selectors import monitored_policy
from sime.policy.models import Indicator
from sime.public import selectors


def _last_published() -> dt.datetime | None:
    policy = monitored_policy()
    publications = selectors.current_period_publications(policy.pk) if policy else []
    return max((p.published_at for p in publications), default=None)


class _PortalSitemap(Sitemap):
    """Every page's lastmod is the latest publication: read once per sitemap, not per page."""

    changefreq = "monthly"

    @property
    def last_published(self) -> dt.datetime | None:
        if not hasattr(self, "_last_published"):
            self._last_published = _last_published()
        return self._last_published


class PortalPagesSitemap(_PortalSitemap):
    def items(self) -> list[str]:
        return [
            "home",
            "portal:policy",
            "portal:institution-list",
            "portal:evaluation-list",
            "portal:cooperation",
            "opendata:dataset-list",
        ]

    def location(self, item: str) -> str:
        return reverse(item)

    def lastmod(self, item: str) -> dt.datetime | None:
        return self.last_published


class IndicatorSitemap(_PortalSitemap):
    def items(self) -> Any:
        policy = monitored_policy()
        return selectors.public_indicators(policy.pk).order_by("code") if policy else Indicator.objects.none()

    def location(self, item: Indicator) -> str:
        return reverse("portal:indicator", kwargs={"pk": item.pk})

    def lastmod(self, item: Indicator) -> dt.datetime | None:
        return self.last_published


SITEMAPS: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {"pages": PortalPagesSitemap, "indicators": IndicatorSitemap}
