"""Filters of the monitoring pages: year, period, axis, institution (and status for the IPTT).

Every choice comes from the database, so a value outside them (or an absurd number) is a form
error shown beside the field, never a server error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sime.analytics.aggregation import ProgressStatus
from sime.analytics.selectors import default_reading, monitored_policy
from sime.core.forms import CleanForm
from sime.institutions.models import Institution
from sime.policy.models import Policy, PolicyNode
from sime.reporting.models import ReportingPeriod, Submission


def default_policy() -> Policy | None:
    return monitored_policy()


def default_year(policy: Policy) -> int:
    """The latest year with an approved instrument; else this year, within the policy's years."""
    return default_reading(policy)[0]


class MonitoringFilterForm(CleanForm):
    """GET filters; `cleaned()` answers with defaults when a filter is absent or invalid."""

    year = forms.TypedChoiceField(label=_("Año"), coerce=int, required=False)
    period = forms.ModelChoiceField(
        label=_("Periodo"), queryset=ReportingPeriod.objects.none(), required=False, empty_label=_("Todo el año")
    )
    axis = forms.ModelChoiceField(
        label=_("Eje temático"), queryset=PolicyNode.objects.none(), required=False, empty_label=_("Todos")
    )
    institution = forms.ModelChoiceField(
        label=_("Institución"), queryset=Institution.objects.none(), required=False, empty_label=_("Todas")
    )

    def __init__(
        self, data: Any, *, policy: Policy, with_institution: bool = True, with_axis: bool = True, **kwargs: Any
    ) -> None:
        if data is not None and not data.get("year"):
            # Other filters without a year: show (and use) the default year, not the list's first.
            data = data.copy()
            data["year"] = str(default_year(policy))
        super().__init__(data, **kwargs)
        self.policy = policy
        years = range(policy.start_year, policy.end_year + 1)
        fields: dict[str, Any] = self.fields
        fields["year"].choices = [(y, str(y)) for y in years]
        fields["year"].initial = default_year(policy)
        fields["period"].queryset = ReportingPeriod.objects.filter(policy=policy).order_by("-ends_on")
        fields["axis"].queryset = PolicyNode.objects.filter(policy=policy, parent__isnull=True).order_by(
            "order", "code"
        )
        if with_institution:
            fields["institution"].queryset = Institution.objects.filter(
                pk__in=Submission.objects.filter(period__policy=policy).values("institution")
            ).order_by("name")
        else:
            del self.fields["institution"]
        if not with_axis:
            del self.fields["axis"]

    def cleaned(self) -> dict[str, Any]:
        """Valid filters with defaults filled in: year, period, until, axis, institution (computed
        once: views and templates ask again)."""
        if not hasattr(self, "_cleaned"):
            self._cleaned = self._with_defaults()
        return self._cleaned

    def _with_defaults(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        period: ReportingPeriod | None = data.get("period")
        year = period.year if period else data.get("year") or default_year(self.policy)
        until: dt.date | None = period.ends_on if period else None
        return {
            "year": year,
            "period": period,
            "until": until,
            "axis": data.get("axis"),
            "institution": data.get("institution"),
        }


class IpttFilterForm(MonitoringFilterForm):
    status = forms.ChoiceField(label=_("Estado"), choices=[("", _("Todos")), *ProgressStatus.choices], required=False)

    def _with_defaults(self) -> dict[str, Any]:
        result = super()._with_defaults()
        result["status"] = self.cleaned_data.get("status", "") if self.is_bound and self.is_valid() else ""
        return result
