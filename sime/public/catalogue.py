"""The open-data catalogue that portals harvest: a `data.json` in the DCAT-US (Project Open Data
v1.1) shape that CKAN's data.json harvesters read (decision 0007).

Only datasets with something published are listed; each with its distributions (CSV, XLSX, JSON),
its data dictionary (`describedBy`), the licence, the publisher and an institutional contact (never
a person's own), and as `modified` the same date as its downloads' `Last-Modified`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Max, Min
from django.urls import reverse

from sime.public import open_data
from sime.public.datasets import DATASETS, Dataset
from sime.public.models import Publication, PublicationKind
from sime.public.open_data_formats import DATA_FORMATS, JSON_TYPE

POD_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
POD_CONTEXT = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld"
POD_CATALOG_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema/catalog.json"


@dataclass(frozen=True)
class KindState:
    """What the catalogue needs of one kind of publication."""

    modified: dt.datetime | None
    published: bool
    first_day: dt.date | None
    last_day: dt.date | None


def kind_state(kind: PublicationKind) -> KindState:
    """Two queries: the last change (`open_data.changed_at`) and the span of what is published now."""
    modified = open_data.changed_at(kind)
    current = Publication.objects.current().filter(kind=kind)
    if kind == PublicationKind.PERIOD:
        span = current.aggregate(first=Min("period__starts_on"), last=Max("period__ends_on"))
    else:
        span = current.aggregate(first=Min("activity__start_date"), last=Max("activity__start_date"))
    return KindState(modified, span["last"] is not None, span["first"], span["last"])


def dataset_urls(dataset: Dataset, base: str) -> dict[str, str]:
    """Absolute URLs of a dataset's files and its place on the open-data page."""
    page = base + reverse("opendata:dataset-list")
    urls = {
        "page": f"{page}#{dataset.slug}",
        "dictionary_json": base
        + reverse("opendata:dictionary-download", kwargs={"dataset": dataset.slug, "fmt": "json"}),
        "dictionary_csv": base
        + reverse("opendata:dictionary-download", kwargs={"dataset": dataset.slug, "fmt": "csv"}),
    }
    for fmt in DATA_FORMATS:
        urls[fmt] = base + reverse("opendata:dataset-download", kwargs={"dataset": dataset.slug, "fmt": fmt})
    return urls


def _entry(dataset: Dataset, state: KindState, base: str) -> dict[str, Any]:
    urls = dataset_urls(dataset, base)
    entry: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "identifier": urls["page"],
        "title": str(dataset.title),
        "description": str(dataset.description),
        "keyword": [str(word) for word in dataset.keywords],
        "modified": state.modified.isoformat() if state.modified else None,
        "publisher": {"@type": "org:Organization", "name": settings.OPEN_DATA_PUBLISHER},
        "contactPoint": {
            "@type": "vcard:Contact",
            "fn": settings.OPEN_DATA_CONTACT_NAME,
            "hasEmail": f"mailto:{settings.OPEN_DATA_CONTACT_EMAIL}",
        },
        "accessLevel": "public",
        "license": settings.OPEN_DATA_LICENSE_URL,
        "spatial": "Guatemala",
        "language": ["es"],
        "accrualPeriodicity": "irregular",
        "landingPage": urls["page"],
        "describedBy": urls["dictionary_json"],
        "describedByType": JSON_TYPE,
        "distribution": [
            {
                "@type": "dcat:Distribution",
                "title": f"{dataset.title} ({label})",
                "format": label,
                "mediaType": media_type,
                "downloadURL": urls[fmt],
                "describedBy": urls["dictionary_json"],
                "describedByType": JSON_TYPE,
            }
            for fmt, (media_type, label) in DATA_FORMATS.items()
        ],
    }
    if state.first_day and state.last_day:
        entry["temporal"] = f"{state.first_day.isoformat()}/{state.last_day.isoformat()}"
    return entry


def catalogue(base: str) -> dict[str, Any]:
    """The whole catalogue (`base`: the site's address, without a trailing slash)."""
    states = {kind: kind_state(kind) for kind in {dataset.kind for dataset in DATASETS.values()}}
    return {
        "@context": POD_CONTEXT,
        "@id": base + reverse("opendata:catalogue"),
        "@type": "dcat:Catalog",
        "conformsTo": POD_SCHEMA,
        "describedBy": POD_CATALOG_SCHEMA,
        "dataset": [
            _entry(dataset, states[dataset.kind], base)
            for dataset in DATASETS.values()
            if states[dataset.kind].published
        ],
    }


def catalogue_changed_at() -> dt.datetime | None:
    changes = [open_data.changed_at(kind) for kind in sorted({dataset.kind for dataset in DATASETS.values()})]
    return max((change for change in changes if change is not None), default=None)
