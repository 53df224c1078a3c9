"""The project report, rendered once per content: WeasyPrint takes ~98 % of a PDF download.

Every download still builds the report's data (`build_project_report`: a few queries, milliseconds)
and takes its fingerprint: a SHA-256 of the whole frozen `ProjectReport` (every value the document
shows — project, activities, consultancies, agreements with their institutions' names, means of
verification, the date line) and of the code that renders it (templates, renderer modules, library
versions). A stored rendering with that fingerprint is served as it is; otherwise the document is
rendered and stored in its place.

So there is nothing to invalidate by hand and nothing a write can forget: a write changes what the
builder reads, and the moment it commits the next download has another fingerprint and is rendered
anew — a project, activity, attendance, consultancy, agreement or means of verification changed by any
service, an institution renamed, a new day (the date line), a deployed template. Writes that change
nothing the document shows (participants, evidence files, deliverable files) keep it.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
from importlib import metadata
from typing import Any

from django.template.loader import get_template

from sime.core import pdf as core_pdf
from sime.documents import docx_parts, pdf_report, project_report, render_docx
from sime.documents.models import RenderedReport, ReportFormat
from sime.documents.project_report import ProjectReport, build_project_report

TEMPLATES = ("documents/project_report.html", "documents/report_base.html")
RENDERING_MODULES = (project_report, render_docx, docx_parts, pdf_report, core_pdf)
LIBRARIES = ("weasyprint", "python-docx")


@functools.cache
def rendering_fingerprint() -> str:
    """What else a rendering depends on besides its data: the code and templates (read once a process)."""
    digest = hashlib.sha256()
    for name in TEMPLATES:
        origin = get_template(name).origin.name  # type: ignore[attr-defined]
        with open(origin, "rb") as handle:
            digest.update(handle.read())
    for module in RENDERING_MODULES:
        digest.update(inspect.getsource(module).encode())
    for library in LIBRARIES:
        digest.update(f"{library}=={metadata.version(library)}".encode())
    return digest.hexdigest()


def report_fingerprint(report: ProjectReport, report_format: str) -> str:
    # The dataclasses' repr holds every field, Decimals exact and nested tuples in order.
    content = f"{report_format}\n{rendering_fingerprint()}\n{report!r}"
    return hashlib.sha256(content.encode()).hexdigest()


def _render(report: ProjectReport, report_format: str) -> bytes:
    if report_format == ReportFormat.DOCX:
        return render_docx.render_project_report_docx(report)
    return pdf_report.render_project_report_pdf(report)


def rendered_project_report(project: Any, report_format: str) -> bytes:
    """The project's informe as DOCX or PDF bytes: the stored rendering while its content is unchanged."""
    report = build_project_report(project.pk)
    fingerprint = report_fingerprint(report, report_format)
    stored = (
        RenderedReport.objects.filter(project=project, format=report_format, fingerprint=fingerprint)
        .values_list("content", flat=True)
        .first()
    )
    if stored is not None:
        return bytes(stored)
    content = _render(report, report_format)
    # One statement, so two first readers at once leave one row (the later rendering, identical).
    RenderedReport.objects.bulk_create(
        [RenderedReport(project=project, format=report_format, fingerprint=fingerprint, content=content)],
        update_conflicts=True,
        unique_fields=["project", "format"],
        update_fields=["fingerprint", "content", "rendered_at"],
    )
    return content
