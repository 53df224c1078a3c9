from sime.core.pdf import render_pdf
from sime.documents.project_report import ProjectReport


def render_project_report_pdf(report: ProjectReport) -> bytes:
    return render_pdf("documents/project_report.html", {"report": report})
