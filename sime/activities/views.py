from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView

from sime.activities import forms, services
from sime.activities.models import SECTORS, Activity, Agreement, Consultancy, Project
from sime.activities.selectors import (
    project_detail_queryset,
    project_schedule,
    project_summary,
    projects_visible_to,
    reach_filter_options,
    socialization_reach,
)
from sime.core.access import RuleRequiredMixin
from sime.core.form_errors import add_service_errors


def project_url(project: Project) -> str:
    return reverse("activities:project-detail", kwargs={"pk": project.pk})


class ProjectListView(RuleRequiredMixin, ListView):
    permission_required = "activities.view_projects"
    template_name = "activities/project_list.html"
    context_object_name = "projects"
    paginate_by = 25

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return projects_visible_to(self.user).order_by("-start_date", "title")


class ProjectDetailView(RuleRequiredMixin, DetailView):
    permission_required = "activities.view_project"
    template_name = "activities/project_detail.html"
    context_object_name = "project"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        # A Cooperante looks only among its agency's projects: another agency's is a 404.
        return project_detail_queryset().filter(pk__in=projects_visible_to(self.user).values("pk"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        summary = project_summary(self.object)
        sectors = [(label, summary["attendance_by_sector"][code]) for code, (_f, label) in SECTORS.items()]
        return super().get_context_data(
            summary=summary, sectors=sectors, schedule=project_schedule(self.object), **kwargs
        )


class _ProjectChildMixin(RuleRequiredMixin):
    """Pages that add or edit something inside a project (DEPM only)."""

    permission_required = "activities.change_project"

    def get_permission_object(self) -> Any:
        if not hasattr(self, "project"):
            self.project = get_object_or_404(projects_visible_to(self.user), pk=self.kwargs["pk"])  # type: ignore[attr-defined]
        return self.project

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(project=self.project, **kwargs)  # type: ignore[misc]


class ProjectCreateView(RuleRequiredMixin, FormView):
    permission_required = "activities.change_project"
    template_name = "activities/project_form.html"
    form_class = forms.ProjectForm

    def form_valid(self, form: Any) -> HttpResponse:
        data = form.cleaned_data
        try:
            project = services.save_project(
                by=self.user,
                policy_nodes=data["policy_nodes"],
                **{name: data[name] for name in services.PROJECT_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Proyecto creado."))
        return HttpResponseRedirect(project_url(project))


class ProjectUpdateView(_ProjectChildMixin, FormView):
    template_name = "activities/project_form.html"
    form_class = forms.ProjectForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Project.objects.get(pk=self.project.pk)
        return kwargs

    def form_valid(self, form: Any) -> HttpResponse:
        data = form.cleaned_data
        try:
            services.save_project(
                by=self.user,
                project=self.project,
                policy_nodes=data["policy_nodes"],
                **{name: data[name] for name in services.PROJECT_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Cambios guardados."))
        return HttpResponseRedirect(project_url(self.project))


class ActivityFormView(_ProjectChildMixin, FormView):
    template_name = "activities/activity_form.html"
    form_class = forms.ActivityForm

    def get_activity(self) -> Activity | None:
        pk = self.kwargs.get("activity_pk")
        return get_object_or_404(Activity, pk=pk, project=self.project) if pk else None

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        activity = self.get_activity()
        if activity is not None:
            kwargs["instance"] = activity
        return kwargs

    def form_valid(self, form: Any) -> HttpResponse:
        activity = self.get_activity()
        try:
            saved = services.save_activity(
                by=self.user,
                project=self.project,
                activity=activity,
                attendance_by_sector=form.attendance_by_sector(),
                **form.model_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Actividad guardada."))
        for warning in saved.warnings():
            messages.warning(self.request, warning)
        return HttpResponseRedirect(project_url(self.project))


class ConsultancyFormView(_ProjectChildMixin, FormView):
    """Create a consultancy or edit it with its assignments, duties and deliverables."""

    template_name = "activities/consultancy_form.html"
    form_class = forms.ConsultancyForm

    def get_consultancy(self) -> Consultancy | None:
        if not hasattr(self, "_consultancy"):
            pk = self.kwargs.get("consultancy_pk")
            self._consultancy = (
                get_object_or_404(
                    Consultancy.objects.prefetch_related("assignments__deliverables"), pk=pk, project=self.project
                )
                if pk
                else None
            )
        return self._consultancy

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["consultancy"] = self.get_consultancy()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(consultancy=self.get_consultancy(), **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        data = form.cleaned_data
        try:
            services.save_consultancy(
                by=self.user,
                project=self.project,
                consultancy=self.get_consultancy(),
                assignments=data["assignments"],
                **{name: data[name] for name in ("title", "description", "start_month", "end_month", "amount")},
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Consultoría guardada."))
        return HttpResponseRedirect(project_url(self.project))


class AgreementFormView(_ProjectChildMixin, FormView):
    """Create a follow-up agreement or edit it (its status, above all)."""

    template_name = "activities/agreement_form.html"
    form_class = forms.AgreementForm

    def get_agreement(self) -> Agreement | None:
        pk = self.kwargs.get("agreement_pk")
        return get_object_or_404(Agreement, pk=pk, project=self.project) if pk else None

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        agreement = self.get_agreement()
        if agreement is not None:
            kwargs["instance"] = agreement
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(agreement=self.get_agreement(), **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.save_agreement(
                by=self.user, project=self.project, agreement=self.get_agreement(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Acuerdo guardado."))
        return HttpResponseRedirect(project_url(self.project))


class SocializationReachView(RuleRequiredMixin, TemplateView):
    """People reached by the events of every project the user may see, with filters."""

    permission_required = "activities.view_projects"
    template_name = "activities/socialization_reach.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        options = reach_filter_options(self.user)
        form = forms.ReachFilterForm(self.request.GET or None, **options)
        filters: dict[str, Any] = {}
        if form.is_valid():
            filters = {
                "year": form.cleaned_data["year"],
                "project_id": form.cleaned_data["project"],
                "purpose": form.cleaned_data["purpose"],
            }
        return super().get_context_data(
            form=form, reach=socialization_reach(self.user, **filters), is_filtered=bool(self.request.GET), **kwargs
        )
