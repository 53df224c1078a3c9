"""Open data (no login): the page listing the datasets, their downloads and dictionaries, and the
data.json catalogue. Every file is built in Spanish whatever the visitor's language, and the data
downloads and the catalogue answer conditional GETs (`Last-Modified` = `open_data.changed_at`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import condition
from django.views.generic import TemplateView

from sime.core.access import RuleRequiredMixin
from sime.core.site import site_url
from sime.public import catalogue, open_data
from sime.public.datasets import DATASETS, Dataset
from sime.public.open_data_formats import (
    CSV_TYPE,
    DATA_FORMATS,
    DICTIONARY_FORMATS,
    JSON_TYPE,
    XLSX_TYPE,
    About,
    dictionary_csv,
    dictionary_json,
    rows_csv,
    rows_json,
    rows_xlsx,
)

CONTENT_TYPES = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE, "json": JSON_TYPE}
# Caches may keep a copy but must ask again each time (answered 304 while nothing changed).
CACHE_CONTROL = "public, no-cache"


def _dataset(slug: str) -> Dataset:
    dataset = DATASETS.get(slug)
    if dataset is None:
        raise Http404
    return dataset


def _changed_at(request: HttpRequest, dataset: Dataset) -> dt.datetime | None:
    """Read once per request: the conditional check and the file's «actualizado» agree."""
    cache: dict[str, dt.datetime | None] = request.__dict__.setdefault("_open_data_changed_at", {})
    if dataset.kind not in cache:
        cache[dataset.kind] = open_data.changed_at(dataset.kind)
    return cache[dataset.kind]


def _download_changed_at(request: HttpRequest, dataset: str, fmt: str) -> dt.datetime | None:
    return _changed_at(request, DATASETS[dataset]) if dataset in DATASETS else None


def _version(changed: dt.datetime | None, *parts: str) -> str | None:
    # `Last-Modified` counts whole seconds: two changes within one second would share it. The ETag
    # keeps the microseconds, and a client sending If-None-Match is judged by it first (RFC 9110).
    return f'"{"-".join(parts)}-{changed.timestamp():.6f}"' if changed else None


def _download_etag(request: HttpRequest, dataset: str, fmt: str) -> str | None:
    return _version(_download_changed_at(request, dataset, fmt), dataset, fmt)


def _about(request: HttpRequest, dataset: Dataset) -> About:
    base = site_url()
    return About(
        title=str(dataset.title),
        description=str(dataset.description),
        publisher=settings.OPEN_DATA_PUBLISHER,
        licence_name=settings.OPEN_DATA_LICENSE_NAME,
        licence_url=settings.OPEN_DATA_LICENSE_URL,
        source_url=base + reverse("opendata:dataset-list"),
        dictionary_url=base + _dictionary_path(dataset, "json"),
        updated=_changed_at(request, dataset),
    )


def _dictionary_path(dataset: Dataset, fmt: str) -> str:
    return reverse("opendata:dictionary-download", kwargs={"dataset": dataset.slug, "fmt": fmt})


def _download_path(dataset: Dataset, fmt: str) -> str:
    return reverse("opendata:dataset-download", kwargs={"dataset": dataset.slug, "fmt": fmt})


def _file(content: bytes, *, content_type: str, filename: str, about: About) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = (
        f'<{about.licence_url}>; rel="license", <{about.dictionary_url}>; rel="describedby"; type="{JSON_TYPE}"'
    )
    response["Cache-Control"] = CACHE_CONTROL
    response["Access-Control-Allow-Origin"] = "*"
    return response


class OpenDataPageView(RuleRequiredMixin, TemplateView):
    """The datasets with their formats, dictionaries, licence and last update."""

    permission_required = "public.view_portal"
    template_name = "public/open_data.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        states = {kind: catalogue.kind_state(kind) for kind in {d.kind for d in DATASETS.values()}}
        entries = [
            {
                "dataset": dataset,
                "state": states[dataset.kind],
                "downloads": [(label, _download_path(dataset, fmt)) for fmt, (_type, label) in DATA_FORMATS.items()],
                "dictionaries": [
                    (label, _dictionary_path(dataset, fmt)) for fmt, (_type, label) in DICTIONARY_FORMATS.items()
                ],
            }
            for dataset in DATASETS.values()
        ]
        return super().get_context_data(
            entries=entries,
            licence_name=settings.OPEN_DATA_LICENSE_NAME,
            licence_url=settings.OPEN_DATA_LICENSE_URL,
            publisher=settings.OPEN_DATA_PUBLISHER,
            threshold=settings.PUBLIC_SUPPRESSION_THRESHOLD,
            **kwargs,
        )


@method_decorator(condition(etag_func=_download_etag, last_modified_func=_download_changed_at), name="get")
class DatasetDownloadView(RuleRequiredMixin, View):
    """One dataset as CSV, XLSX or JSON, from published data only."""

    permission_required = "public.view_portal"

    def get(self, request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
        spec = _dataset(dataset)
        if fmt not in DATA_FORMATS:
            raise Http404
        with translation.override("es"):
            rows = spec.rows()
            about = _about(request, spec)
            if fmt == "csv":
                content = rows_csv(spec, rows)
            elif fmt == "xlsx":
                content = rows_xlsx(spec, rows, about)
            else:
                content = rows_json(spec, rows, about)
        return _file(content, content_type=CONTENT_TYPES[fmt], filename=f"{spec.slug}.{fmt}", about=about)


class DictionaryDownloadView(RuleRequiredMixin, View):
    """A dataset's data dictionary: CSV, or JSON (a Frictionless Data Resource with its Table Schema).

    No `Last-Modified`: its code lists come from catalogues that keep no change date."""

    permission_required = "public.view_portal"

    def get(self, request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
        spec = _dataset(dataset)
        if fmt not in DICTIONARY_FORMATS:
            raise Http404
        with translation.override("es"):
            about = _about(request, spec)
            if fmt == "csv":
                content = dictionary_csv(spec, about)
            else:
                content = dictionary_json(spec, about, csv_url=site_url() + _download_path(spec, "csv"))
        response = _file(
            content, content_type=CONTENT_TYPES[fmt], filename=f"{spec.slug}-diccionario.{fmt}", about=about
        )
        response["Link"] = f'<{about.licence_url}>; rel="license"'
        return response


def _catalogue_changed_at(request: HttpRequest) -> dt.datetime | None:
    if not hasattr(request, "_catalogue_changed_at"):
        request._catalogue_changed_at = catalogue.catalogue_changed_at()  # type: ignore[attr-defined]
    return request._catalogue_changed_at  # type: ignore[attr-defined,no-any-return]


def _catalogue_etag(request: HttpRequest) -> str | None:
    return _version(_catalogue_changed_at(request), "catalogo")


@method_decorator(condition(etag_func=_catalogue_etag, last_modified_func=_catalogue_changed_at), name="get")
class CatalogueView(RuleRequiredMixin, View):
    """`data.json`: the catalogue open-data portals harvest (decision 0007)."""

    permission_required = "public.view_portal"

    def get(self, request: HttpRequest) -> HttpResponse:
        with translation.override("es"):
            document = catalogue.catalogue(site_url())
        response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
        response["Cache-Control"] = CACHE_CONTROL
        response["Access-Control-Allow-Origin"] = "*"
        return response
