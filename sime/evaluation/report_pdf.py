"""FollowUpReport → PDF (WeasyPrint) from `evaluation/report/followup_report.html`."""

from __future__ import annotations

from sime.core.pdf import render_pdf
from sime.evaluation.followup_report import FollowUpReport


def render_followup_report_pdf(report: FollowUpReport) -> bytes:
    return render_pdf("evaluation/report/followup_report.html", {"report": report})
