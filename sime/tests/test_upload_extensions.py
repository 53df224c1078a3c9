"""Every upload point stores (and so downloads) a file under the extension of its detected type.

`poly.html` holding a PDF was kept and served as .html by the instrument's evidence; a browser or a
desktop that trusts the extension would open it as a page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sime.activities import services as activities
from sime.activities.models import Deliverable
from sime.activities.tests.factories import make_activity, make_consultancy, make_project
from sime.conftest import Cast
from sime.evaluation import services as evaluation
from sime.evaluation.models import Closure, DocumentRole
from sime.evaluation.tests.factories import action_in, make_evaluation
from sime.institutions import services as institutions
from sime.institutions.models import FocalPointRole
from sime.reporting.evidence import add_evidence


def _poly() -> SimpleUploadedFile:
    return SimpleUploadedFile("poly.html", b"%PDF-1.4 a PDF that calls itself a page", "text/html")


def _instrument_evidence(cast: Cast) -> list[str]:
    found = add_evidence(by=cast.technical, submission=cast.submission, item=cast.action_item, upload=_poly())
    return [found.file.name, found.original_name]


def _activity_evidence(cast: Cast) -> list[str]:
    activity = make_activity(make_project(cast.agency))
    found = activities.add_activity_evidence(by=None, activity=activity, kind="photo", document=_poly())
    return [found.document.name]


def _means_of_verification(cast: Cast) -> list[str]:
    found = activities.add_means_of_verification(
        by=None, project=make_project(cast.agency), title="Acta", document=_poly()
    )
    return [found.document.name]


def _deliverable_file(cast: Cast) -> list[str]:
    make_consultancy(make_project(cast.agency))
    found = activities.attach_deliverable_file(by=None, deliverable=Deliverable.objects.get(), document=_poly())
    return [found.document.name]


def _evaluation_document(cast: Cast) -> list[str]:
    found = evaluation.add_document(
        by=cast.analyst,
        evaluation=make_evaluation(cast, institutions=[cast.home]),
        role=DocumentRole.ANNEX,
        upload=_poly(),
    )
    return [found.file.name, found.original_name]


def _action_evidence(cast: Cast) -> list[str]:
    found = evaluation.add_action_evidence(by=cast.technical, action=action_in(cast, Closure.NONE), upload=_poly())
    return [found.file.name, found.original_name]


def _designation_document(cast: Cast) -> list[str]:
    found = institutions.designate_focal_point(
        by=cast.admin,
        institution=cast.other,
        role=FocalPointRole.PLANNING,
        new_person=institutions.NewPerson(full_name="Pedro Planificador", email="pedro@mingob.gob.gt"),
        designated_on=dt.date(2025, 2, 1),
        designation_document=_poly(),
    )
    return [found.designation_document.name]


@pytest.mark.parametrize(
    "upload_point",
    [
        _instrument_evidence,
        _activity_evidence,
        _means_of_verification,
        _deliverable_file,
        _evaluation_document,
        _action_evidence,
        _designation_document,
    ],
)
def test_a_pdf_named_html_is_stored_as_pdf(reporting: Cast, upload_point: Any) -> None:
    names = upload_point(reporting)
    assert names and all(name.endswith(".pdf") and "html" not in name for name in names), names


def test_the_instrument_evidence_downloads_as_pdf(reporting: Cast, client: Any) -> None:
    from django.urls import reverse

    found = add_evidence(
        by=reporting.technical, submission=reporting.submission, item=reporting.action_item, upload=_poly()
    )
    client.force_login(reporting.technical)
    response = client.get(reverse("reporting:evidence-download", kwargs={"pk": found.pk}))
    assert response["Content-Disposition"] == 'attachment; filename="poly.pdf"'
