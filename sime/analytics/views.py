"""Each role's home and the monitoring pages: parse the filters, call one page function, render."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.views.generic import TemplateView, View

from sime.accounts.roles import DEPM_ROLES, FOCAL_ROLES, Role
from sime.analytics import dashboards, exports
from sime.analytics.forms import IpttFilterForm, MonitoringFilterForm, default_policy
from sime.analytics.selectors import home_panels, institutions_in_scope
from sime.core.access import RuleRequiredMixin
from sime.core.numbers import parse_id
from sime.policy.models import Indicator, Policy, PolicyNode


class MonitoringMixin(RuleRequiredMixin):
    """The policy being monitored and the page's filters (year, period, axis, institution)."""

    permission_required = "analytics.view_monitoring"
    filter_form_class: type[MonitoringFilterForm] = MonitoringFilterForm
    with_institution_filter = True
    with_axis_filter = True

    def monitored_policy(self) -> Policy:
        code = self.request.GET.get("policy", "")  # type: ignore[attr-defined]
        if code:
            return get_object_or_404(Policy, code=code[:30])
        policy = default_policy()
        if policy is None:
            raise Http404
        return policy

    def filter_form(self, policy: Policy) -> MonitoringFilterForm:
        data = self.request.GET if self.request.GET else None  # type: ignore[attr-defined]
        return self.filter_form_class(
            data, policy=policy, with_institution=self.with_institution_filter, with_axis=self.with_axis_filter
        )


class HomeView(MonitoringMixin, TemplateView):
    """Each role's landing page: the national dashboard for the Autoridad and DEPM, the
    institution's performance for focal points, the directory and projects for the others."""

    permission_required = "core.view_home"

    def get_template_names(self) -> list[str]:
        if self.user.role in DEPM_ROLES or self.user.role == Role.AUTHORITY:
            return ["analytics/dashboard.html"]
        # A focal point's home is her institution's page, while a current designation backs her role.
        if self.user.role in FOCAL_ROLES and self.user.has_perm(
            "analytics.view_institution_performance", self.user.institution
        ):
            return ["analytics/institution_performance.html"]
        return ["analytics/home.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**home_panels(self.user), is_home=True, **kwargs)
        template = self.get_template_names()[0]
        if template == "analytics/home.html":
            return context
        policy = default_policy()
        context["institution"] = self.user.institution
        if policy is None:
            context["no_policy"] = True
            return context
        if template == "analytics/dashboard.html":
            form = self.filter_form(policy)
            context.update(dashboards.national_dashboard(policy, form.cleaned()), form=form, policy=policy)
        else:
            institution = self.user.institution
            assert institution is not None  # focal roles always have one (model constraint)
            data = self.request.GET or None
            form = self.filter_form_class(data, policy=policy, with_institution=False, with_axis=False)
            context.update(dashboards.institution_page(institution, policy, form.cleaned()), policy=policy, form=form)
        return context


class DashboardView(MonitoringMixin, TemplateView):
    template_name = "analytics/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        policy = self.monitored_policy()
        form = self.filter_form(policy)
        return super().get_context_data(
            **dashboards.national_dashboard(policy, form.cleaned()), form=form, policy=policy, **kwargs
        )


class NodeProgressView(MonitoringMixin, TemplateView):
    template_name = "analytics/node_progress.html"
    with_institution_filter = with_axis_filter = False

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        node = get_object_or_404(PolicyNode.objects.select_related("policy", "level"), pk=self.kwargs["pk"])
        form = self.filter_form(node.policy)
        return super().get_context_data(
            **dashboards.node_page(node, form.cleaned()), node=node, form=form, policy=node.policy, **kwargs
        )


class IndicatorProgressView(MonitoringMixin, TemplateView):
    template_name = "analytics/indicator_progress.html"
    with_institution_filter = with_axis_filter = False

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        indicator = get_object_or_404(
            Indicator.objects.select_related("policy", "node", "responsible_institution"), pk=self.kwargs["pk"]
        )
        form = self.filter_form(indicator.policy)
        return super().get_context_data(
            **dashboards.indicator_page(indicator, self.user, form.cleaned()),
            indicator=indicator,
            form=form,
            policy=indicator.policy,
            **kwargs,
        )


class InstitutionPerformanceView(MonitoringMixin, TemplateView):
    """An institution's actions, indicators and compliance; another institution's is a 404 for its
    focal points (looked up in their scope first)."""

    permission_required = "analytics.view_institution_performance"
    template_name = "analytics/institution_performance.html"
    with_institution_filter = with_axis_filter = False

    def get_permission_object(self) -> Any:
        if not self.user.has_perm("analytics.view_monitoring"):
            raise PermissionDenied  # a Cooperante: refused like the API, before any lookup
        if not hasattr(self, "institution"):
            self.institution = get_object_or_404(institutions_in_scope(self.user), pk=self.kwargs["pk"])
        return self.institution

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        policy = self.monitored_policy()
        form = self.filter_form(policy)
        institution = self.get_permission_object()
        return super().get_context_data(
            **dashboards.institution_page(institution, policy, form.cleaned()), form=form, policy=policy, **kwargs
        )


class IpttView(MonitoringMixin, TemplateView):
    template_name = "analytics/iptt.html"
    filter_form_class = IpttFilterForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        policy = self.monitored_policy()
        form = self.filter_form(policy)
        return super().get_context_data(
            **dashboards.iptt_page(policy, form.cleaned()), form=form, policy=policy, **kwargs
        )


class IpttExportView(MonitoringMixin, View):
    """The IPTT as .xlsx or .csv, with the page's filters."""

    filter_form_class = IpttFilterForm
    export_format = "xlsx"

    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        policy = self.monitored_policy()
        filters = self.filter_form(policy).cleaned()
        page = dashboards.iptt_page(policy, filters)
        table = page["table"]
        if self.export_format == "csv":
            content, content_type = exports.iptt_csv(table), "text/csv; charset=utf-8"
        else:
            content = exports.iptt_xlsx(
                table, title=f"{policy.name} — IPTT {filters['year']}", until=page["progress"].until
            )
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(content, content_type=content_type)
        name = slugify(f"iptt-{policy.code}-{filters['year']}")
        response["Content-Disposition"] = f'attachment; filename="{name}.{self.export_format}"'
        return response


class DepartmentMapView(MonitoringMixin, TemplateView):
    template_name = "analytics/department_map.html"
    with_institution_filter = with_axis_filter = False

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        policy = self.monitored_policy()
        form = self.filter_form(policy)
        indicator = None
        raw = self.request.GET.get("indicador", "")
        if raw:
            indicator_id = parse_id(raw)
            if indicator_id is None:
                raise Http404
            indicator = get_object_or_404(dashboards.map_indicators_queryset(policy), pk=indicator_id)
        return super().get_context_data(
            **dashboards.department_map_page(self.user, policy, form.cleaned(), indicator),
            form=form,
            policy=policy,
            **kwargs,
        )


class AlignmentView(MonitoringMixin, TemplateView):
    template_name = "analytics/alignment.html"
    with_institution_filter = with_axis_filter = False

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        policy = self.monitored_policy()
        form = self.filter_form(policy)
        return super().get_context_data(
            **dashboards.alignment_page(policy, form.cleaned()), form=form, policy=policy, **kwargs
        )
