"""Pages about files and people of an activity: participants (and their import), evidence files and
the project's means of verification. Downloads are always attachments, never rendered inline."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from sime.activities import forms, services
from sime.activities.models import Activity, ActivityEvidence, Deliverable, MeansOfVerification, Participant
from sime.activities.participant_import import ParticipantImportError, participant_template
from sime.activities.selectors import participants_of
from sime.activities.views import _ProjectChildMixin, project_url
from sime.core.access import RuleRequiredMixin
from sime.core.downloads import stored_file_download
from sime.core.form_errors import add_service_errors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def participants_url(activity: Activity) -> str:
    return reverse("activities:participant-list", kwargs={"pk": activity.project_id, "activity_pk": activity.pk})


def attachment(field_file: Any, filename: str) -> FileResponse:
    """A stored file as a download: attachment, a content type from its checked kind, no sniffing."""
    if not field_file:
        raise Http404
    return stored_file_download(field_file, filename=filename)


class _ActivityChildMixin(_ProjectChildMixin):
    """Pages about one activity of a project the user may see."""

    kwargs: dict[str, Any]

    def get_activity(self) -> Activity:
        if not hasattr(self, "activity"):
            self.get_permission_object()
            self.activity = get_object_or_404(Activity, pk=self.kwargs["activity_pk"], project=self.project)
            self.activity.project = self.project
        return self.activity

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(activity=self.get_activity(), **kwargs)


class ParticipantListView(_ActivityChildMixin, FormView):
    """The activity's participants (personal data: DEPM only), with a form to add one."""

    permission_required = "activities.view_participants"
    template_name = "activities/participant_list.html"
    form_class = forms.ParticipantForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        activity = self.get_activity()
        participants = list(participants_of(activity))
        return super().get_context_data(
            participants=participants,
            exceeds_total=len(participants) > activity.attendance_total,
            **kwargs,
        )

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.add_participant(by=self.user, activity=self.get_activity(), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Participante agregado."))
        return HttpResponseRedirect(participants_url(self.get_activity()))


class ParticipantDeleteView(_ActivityChildMixin, View):
    permission_required = "activities.change_participants"
    http_method_names = ["post"]

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        activity = self.get_activity()
        participant = get_object_or_404(Participant, pk=self.kwargs["participant_pk"], activity=activity)
        participant.activity = activity
        services.delete_participant(by=self.user, participant=participant)
        messages.success(request, _("Participante eliminado."))
        return HttpResponseRedirect(participants_url(activity))


class ParticipantImportView(_ActivityChildMixin, FormView):
    """Import an attendance list: the whole file is checked first, and nothing is saved on any error."""

    permission_required = "activities.change_participants"
    template_name = "activities/participant_import.html"
    form_class = forms.ParticipantImportForm

    def form_valid(self, form: Any) -> HttpResponse:
        activity = self.get_activity()
        try:
            created = services.import_participants(
                by=self.user, activity=activity, upload=form.cleaned_data["attendance_list"]
            )
        except ParticipantImportError as error:
            return self.render_to_response(self.get_context_data(form=form, problems=error.errors))
        messages.success(self.request, _("Se importaron %(count)s participantes.") % {"count": len(created)})
        return HttpResponseRedirect(participants_url(activity))


class ParticipantTemplateView(RuleRequiredMixin, View):
    """An empty attendance list to fill in (.xlsx)."""

    permission_required = "activities.change_participants"

    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        response = HttpResponse(participant_template(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="listado_de_asistencia.xlsx"'
        return response


class ActivityEvidenceCreateView(_ActivityChildMixin, FormView):
    template_name = "activities/evidence_form.html"
    form_class = forms.ActivityEvidenceForm

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.add_activity_evidence(by=self.user, activity=self.get_activity(), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Evidencia guardada."))
        return HttpResponseRedirect(project_url(self.project))


class _EvidenceMixin(_ProjectChildMixin):
    kwargs: dict[str, Any]

    def get_evidence(self) -> ActivityEvidence:
        project = self.get_permission_object()
        evidence = get_object_or_404(
            ActivityEvidence.objects.select_related("activity"),
            pk=self.kwargs["evidence_pk"],
            activity__project=project,
        )
        evidence.activity.project = project
        return evidence


class ActivityEvidenceDownloadView(_EvidenceMixin, View):
    """Whoever may see the project may download its evidence; another agency's project is a 404."""

    permission_required = "activities.view_project"

    def get(self, request: Any, *args: Any, **kwargs: Any) -> FileResponse:
        evidence = self.get_evidence()
        return attachment(evidence.document, evidence.filename)


class ActivityEvidenceDeleteView(_EvidenceMixin, View):
    http_method_names = ["post"]

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        services.delete_activity_evidence(by=self.user, evidence=self.get_evidence())
        messages.success(request, _("Evidencia eliminada."))
        return HttpResponseRedirect(project_url(self.project))


class MeansOfVerificationCreateView(_ProjectChildMixin, FormView):
    template_name = "activities/means_of_verification_form.html"
    form_class = forms.MeansOfVerificationForm

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.add_means_of_verification(by=self.user, project=self.project, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Medio de verificación guardado."))
        return HttpResponseRedirect(project_url(self.project))


class _MeansMixin(_ProjectChildMixin):
    kwargs: dict[str, Any]

    def get_item(self) -> MeansOfVerification:
        project = self.get_permission_object()
        item = get_object_or_404(MeansOfVerification, pk=self.kwargs["item_pk"], project=project)
        item.project = project
        return item


class MeansOfVerificationDownloadView(_MeansMixin, View):
    permission_required = "activities.view_project"

    def get(self, request: Any, *args: Any, **kwargs: Any) -> FileResponse:
        item = self.get_item()
        return attachment(item.document, item.filename)


class MeansOfVerificationDeleteView(_MeansMixin, View):
    http_method_names = ["post"]

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        services.delete_means_of_verification(by=self.user, item=self.get_item())
        messages.success(request, _("Medio de verificación eliminado."))
        return HttpResponseRedirect(project_url(self.project))


class _DeliverableMixin(_ProjectChildMixin):
    """A deliverable of one of the consultancies of a project the user may see."""

    kwargs: dict[str, Any]

    def get_deliverable(self) -> Deliverable:
        if not hasattr(self, "deliverable"):
            project = self.get_permission_object()
            self.deliverable = get_object_or_404(
                Deliverable.objects.select_related("assignment__consultancy"),
                pk=self.kwargs["deliverable_pk"],
                assignment__consultancy__project=project,
            )
            self.deliverable.assignment.consultancy.project = project
        return self.deliverable

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(deliverable=self.get_deliverable(), **kwargs)


class DeliverableFileUploadView(_DeliverableMixin, FormView):
    """The file of a deliverable (DEPM only); a new one replaces the previous."""

    template_name = "activities/deliverable_file_form.html"
    form_class = forms.DeliverableFileForm

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.attach_deliverable_file(
                by=self.user, deliverable=self.get_deliverable(), document=form.cleaned_data["document"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Archivo del producto entregable guardado."))
        return HttpResponseRedirect(project_url(self.project))


class DeliverableFileDownloadView(_DeliverableMixin, View):
    """Whoever may see the project may download its deliverables; another agency's project is a 404."""

    permission_required = "activities.view_project"

    def get(self, request: Any, *args: Any, **kwargs: Any) -> FileResponse:
        deliverable = self.get_deliverable()
        return attachment(deliverable.document, deliverable.filename)


class DeliverableFileDeleteView(_DeliverableMixin, View):
    http_method_names = ["post"]

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        services.remove_deliverable_file(by=self.user, deliverable=self.get_deliverable())
        messages.success(request, _("Archivo del producto entregable eliminado."))
        return HttpResponseRedirect(project_url(self.project))
