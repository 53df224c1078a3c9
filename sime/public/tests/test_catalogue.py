"""The data.json catalogue against the DCAT-US (Project Open Data Metadata Schema v1.1) required
fields (decision 0007), and only what is published in it."""

from __future__ import annotations

import json
import re
from typing import Any

from django.test import Client
from django.urls import reverse

from sime.conftest import Cast
from sime.public import services
from sime.public.datasets import DATASETS
from sime.public.models import Publication

# Required fields, from the Project Open Data Metadata Schema v1.1 (DCAT-US),
# https://project-open-data.cio.gov/v1.1/schema/ — «Catalog Fields», «Dataset Fields» and «Dataset
# Distribution Fields» (Required: Always, and If-Applicable where it applies to us), and its JSON
# Schema files catalog.json, dataset.json, distribution.json, organization.json and vcard.json.
# bureauCode and programCode are required of United States federal agencies only (marked USG).
CATALOG_REQUIRED = ["conformsTo", "dataset"]
DATASET_REQUIRED = [
    "title",
    "description",
    "keyword",
    "modified",
    "publisher",
    "contactPoint",
    "identifier",
    "accessLevel",
]
# If-Applicable: we publish under a licence, for a place and a span of time, with files to download.
DATASET_REQUIRED_IF_APPLICABLE = ["license", "spatial", "temporal", "distribution"]
PUBLISHER_REQUIRED = ["name"]  # organization.json
CONTACT_REQUIRED = ["fn", "hasEmail"]  # vcard.json
DISTRIBUTION_REQUIRED_WITH_DOWNLOAD = ["downloadURL", "mediaType"]  # «a downloadURL … must be accompanied by mediaType»
CONFORMS_TO = "https://project-open-data.cio.gov/v1.1/schema"
ACCESS_LEVELS = {"public", "restricted public", "non-public"}
HAS_EMAIL = re.compile(r"^mailto:([\w.-]+@[\w.-]+\.[\w.-]+)?$")  # vcard.json
MEDIA_TYPE = re.compile(r"^[-\w]+/[-\w]+(\.[-\w]+)*([+][-\w]+)?$")  # distribution.json
ISO_8601 = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([zZ]|[+-]\d{2}:?\d{2})?)?$")
INTERVAL = re.compile(r"^\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}$")


def _catalogue() -> dict[str, Any]:
    response = Client().get(reverse("opendata:catalogue"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return json.loads(response.content)


def _missing(document: dict[str, Any], fields: list[str]) -> list[str]:
    return [name for name in fields if document.get(name) in (None, "", [])]


def test_the_catalogue_has_every_required_field(published: Cast) -> None:
    catalogue = _catalogue()
    assert _missing(catalogue, CATALOG_REQUIRED) == []
    assert catalogue["conformsTo"] == CONFORMS_TO
    assert catalogue["@type"] == "dcat:Catalog" and catalogue["@id"].endswith("/datos/data.json")
    assert {entry["identifier"].rsplit("#", 1)[1] for entry in catalogue["dataset"]} == set(DATASETS)
    identifiers = [entry["identifier"] for entry in catalogue["dataset"]]
    assert len(identifiers) == len(set(identifiers))
    for entry in catalogue["dataset"]:
        assert _missing(entry, DATASET_REQUIRED + DATASET_REQUIRED_IF_APPLICABLE) == [], entry["identifier"]
        assert isinstance(entry["keyword"], list) and all(isinstance(k, str) and k for k in entry["keyword"])
        assert ISO_8601.match(entry["modified"]), entry["modified"]
        assert INTERVAL.match(entry["temporal"]), entry["temporal"]
        assert entry["accessLevel"] in ACCESS_LEVELS
        assert entry["license"] == "https://creativecommons.org/licenses/by/4.0/"
        assert _missing(entry["publisher"], PUBLISHER_REQUIRED) == []
        assert _missing(entry["contactPoint"], CONTACT_REQUIRED) == []
        assert HAS_EMAIL.match(entry["contactPoint"]["hasEmail"])
        assert entry["describedBy"].endswith("/diccionario.json")
        formats = set()
        for distribution in entry["distribution"]:
            assert _missing(distribution, DISTRIBUTION_REQUIRED_WITH_DOWNLOAD) == []
            assert MEDIA_TYPE.match(distribution["mediaType"]), distribution["mediaType"]
            formats.add(distribution["format"])
        assert formats == {"CSV", "XLSX", "JSON"}


def test_every_download_in_the_catalogue_answers(published: Cast) -> None:
    client = Client()
    for entry in _catalogue()["dataset"]:
        for url in [entry["describedBy"], *(d["downloadURL"] for d in entry["distribution"])]:
            path = url.removeprefix("http://testserver")
            response = client.get(path)
            assert response.status_code == 200, url


def test_the_contact_is_an_institutional_mailbox_never_a_person(published: Cast) -> None:
    text = json.dumps(_catalogue(), ensure_ascii=False)
    for person in (published.technical, published.planning, published.analyst, published.admin):
        assert person.email not in text and person.full_name not in text
    assert "mailto:datos.abiertos@igm.gob.gt" in text


def test_only_published_datasets_are_listed(monitoring: Cast) -> None:
    assert _catalogue()["dataset"] == []  # 2026 is approved, not published
    publication = services.publish(by=monitoring.analyst, target=monitoring.period)
    listed = {entry["identifier"].rsplit("#", 1)[1] for entry in _catalogue()["dataset"]}
    assert listed == {"valores-indicadores", "desagregaciones-indicadores", "avance-lineas-accion"}
    (entry, *_rest) = _catalogue()["dataset"]
    assert entry["temporal"] == "2026-01-01/2026-12-31"
    services.unpublish(by=monitoring.analyst, publication=publication, reason="Revisión")
    assert _catalogue()["dataset"] == []
    assert not Publication.objects.current().exists()
