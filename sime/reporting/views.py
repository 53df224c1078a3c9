"""Pages of the reporting cycle: thin — parse, call one service or selector, render."""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from sime.accounts.roles import DEPM_ROLES, FOCAL_ROLES
from sime.core.access import RuleRequiredMixin
from sime.core.downloads import stored_file_download
from sime.core.form_errors import add_service_errors
from sime.core.formatting import format_number
from sime.core.forms import posted_text
from sime.core.numbers import parse_id
from sime.core.uploads import safe_filename
from sime.reporting import (
    evidence,
    forms,
    instrument_excel,
    item_display,
    return_changes,
    selectors,
    services,
    validation,
)
from sime.reporting.exports import completeness_workbook
from sime.reporting.models import (
    ActionProgress,
    ActionStatus,
    Evidence,
    IndicatorValue,
    PeriodStatus,
    ReportingPeriod,
    Submission,
)
from sime.reporting.workflow import Status

TO_REVIEW = "por-revisar"


def _comments(data: Any, prefix: str) -> dict[int, str]:
    """{item id: comment} from inputs named «obs-a12»; an input with any other name is ignored."""
    found = {parse_id(key[len(prefix) :]): posted_text(data, key) for key in data if key.startswith(prefix)}
    return {key: value for key, value in found.items() if key is not None}


def submission_url(submission: Submission, anchor: str = "") -> str:
    url = reverse("reporting:submission-detail", kwargs={"pk": submission.pk})
    return f"{url}#{anchor}" if anchor else url


def _first_message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _error_dict(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


# --- Periods -------------------------------------------------------------------------------


class PeriodListView(RuleRequiredMixin, ListView):
    permission_required = "reporting.view_periods"
    template_name = "reporting/period_list.html"
    context_object_name = "periods"
    paginate_by = 25

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.periods_visible_to(self.user).order_by("-starts_on", "code")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        own = []
        if self.user.institution_id and self.user.role in FOCAL_ROLES:
            own = list(
                selectors.submissions_visible_to(self.user)
                .filter(institution_id=self.user.institution_id)
                .order_by("-period__starts_on")[:12]
            )
        return super().get_context_data(own_submissions=own, **kwargs)


class PeriodCreateView(RuleRequiredMixin, FormView):
    permission_required = "reporting.manage_periods"
    template_name = "reporting/period_form.html"
    form_class = forms.PeriodForm

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            period = services.create_period(by=self.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Periodo %(code)s creado. Ábralo para generar los instrumentos.") % {"code": period.code}
        )
        return HttpResponseRedirect(reverse("reporting:period-detail", kwargs={"pk": period.pk}))


class _PeriodActionView(RuleRequiredMixin, View):
    permission_required = "reporting.manage_periods"
    http_method_names = ["post"]

    def act(self, period: ReportingPeriod) -> str:
        raise NotImplementedError

    def post(self, request: Any, pk: int) -> HttpResponse:
        period = get_object_or_404(ReportingPeriod, pk=pk)
        try:
            messages.success(request, self.act(period))
        except ValidationError as error:
            messages.error(request, _first_message(error))
        return HttpResponseRedirect(reverse("reporting:period-detail", kwargs={"pk": pk}))


class PeriodOpenView(_PeriodActionView):
    def act(self, period: ReportingPeriod) -> str:
        count = services.open_period(by=self.user, period=period)
        message = _("Periodo abierto: se generaron %(count)s instrumentos.") % {"count": format_number(count)}
        left_out = len(selectors.institutions_left_out(period))
        if left_out:
            message += " " + ngettext(
                "Una institución vinculada quedó sin instrumento: vea la lista en la página del periodo.",
                "%(count)s instituciones vinculadas quedaron sin instrumento: vea la lista en la página del periodo.",
                left_out,
            ) % {"count": format_number(left_out)}
        return message


class PeriodCloseView(_PeriodActionView):
    def act(self, period: ReportingPeriod) -> str:
        services.close_period(by=self.user, period=period)
        return _("Periodo cerrado.")


class CompletenessView(RuleRequiredMixin, DetailView):
    """Completeness of a period: institutions × status, on time or late, % complete, last activity."""

    permission_required = "reporting.view_completeness"
    template_name = "reporting/completeness.html"
    context_object_name = "period"
    queryset = ReportingPeriod.objects.select_related("policy")

    def filters(self) -> dict[str, Any]:
        params = self.request.GET
        return {
            "status": params.get("estado", ""),
            "late": params.get("plazo", ""),
            "query": params.get("q", "").strip(),
            "sort": params.get("orden", "institucion"),
            "desc": params.get("dir") == "desc",
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        filters = self.filters()
        rows = list(selectors.completeness(self.object, **filters))
        contents = selectors.instrument_contents(self.object) if self.object.status == PeriodStatus.PLANNED else None
        return super().get_context_data(
            rows=rows,
            instruments_to_open=len(contents) if contents is not None else None,
            left_out=selectors.institutions_left_out(self.object, contents),
            filters=filters,
            counts=selectors.status_counts(self.object),
            statuses=Status.choices,
            period_statuses=PeriodStatus,
            sort_columns=[
                ("institucion", _("Institución")),
                ("estado", _("Estado")),
                ("avance", _("Ítems completos")),
                ("actividad", _("Última actividad")),
            ],
            **kwargs,
        )


class CompletenessExportView(CompletenessView):
    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        period = context["period"]
        content = completeness_workbook(period, context["rows"])
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="completitud-{period.code}.xlsx"'
        return response


# --- Instruments ---------------------------------------------------------------------------


class SubmissionListView(RuleRequiredMixin, ListView):
    permission_required = "reporting.view_submissions"
    template_name = "reporting/submission_list.html"
    context_object_name = "submissions"
    paginate_by = 50

    def get_queryset(self):  # type: ignore[no-untyped-def]
        rows = selectors.submissions_visible_to(self.user).order_by("-period__starts_on", "institution__name")
        status = self.status()
        if status == TO_REVIEW:
            rows = selectors.review_queue(self.user)
        elif status in Status.values:
            rows = rows.filter(status=status)
        period = self.request.GET.get("periodo", "")
        if period:
            rows = rows.filter(period__code=period)
        return rows

    def status(self) -> str:
        """DEPM opens the list on what needs the Analista; ?estado= (empty) shows everything."""
        default = TO_REVIEW if self.user.role in DEPM_ROLES else ""
        return self.request.GET.get("estado", default)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            statuses=Status.choices,
            status=self.status(),
            to_review=TO_REVIEW,
            periods=ReportingPeriod.objects.exclude(status=PeriodStatus.PLANNED).order_by("-starts_on"),
            period=self.request.GET.get("periodo", ""),
            **kwargs,
        )


class _SubmissionMixin(RuleRequiredMixin):
    """Views about one instrument: looked up among the user's own first (another institution: 404)."""

    def get_permission_object(self) -> Any:
        if not hasattr(self, "submission"):
            self.submission = get_object_or_404(
                selectors.submissions_visible_to(self.user),
                pk=self.kwargs["pk"],  # type: ignore[attr-defined]
            )
        return self.submission


class SubmissionDetailView(_SubmissionMixin, View):
    permission_required = "reporting.view_submission"
    template_name = "reporting/submission_detail.html"

    def get(self, request: Any, pk: int) -> HttpResponse:
        return render(request, self.template_name, self.context())

    def context(self, **extra: Any) -> dict[str, Any]:
        submission = self.submission
        user = self.user
        open_to_edits = submission.accepts_edits
        returned, changes = (
            return_changes.changes_since_return(submission)
            if submission.status in (Status.SENT, Status.IN_REVIEW)
            else (None, [])
        )
        return {
            "returned": returned if returned is not None and returned.values else None,
            "changes": changes,
            "submission": submission,
            "instrument": selectors.instrument(submission),
            "events": selectors.timeline(submission),
            "can_fill": open_to_edits and user.has_perm("reporting.fill_submission", submission),
            "can_review": user.has_perm("reporting.review_submission", submission),
            "can_reopen": user.has_perm("reporting.reopen_submission", submission)
            and submission.status == Status.APPROVED,
            "can_sign_technical": open_to_edits and user.has_perm("reporting.sign_technical", submission),
            "can_sign_planning": open_to_edits and user.has_perm("reporting.sign_planning", submission),
            "can_send": open_to_edits and user.has_perm("reporting.send_submission", submission),
            "statuses": Status,
            "action_statuses": ActionStatus.choices,
            **extra,
        }


class ItemSaveView(_SubmissionMixin, View):
    """Autosave of one item (htmx) or a plain form post without JavaScript."""

    permission_required = "reporting.fill_submission"
    http_method_names = ["post"]
    model: type[ActionProgress] | type[IndicatorValue] = ActionProgress

    def post(self, request: Any, pk: int, item_pk: int) -> HttpResponse:
        item: Any = get_object_or_404(self.model, pk=item_pk, submission=self.submission)
        status = 200
        try:
            values, errors = forms.parse_item(item, request.POST)
        except forms.MalformedPost as malformed:
            values, errors, status = {}, {malformed.field: [malformed.message]}, 400
        warnings: list[str] = []
        conflict = ""
        saved = cleared = False
        version = item.version
        if not errors:
            try:
                version_posted = int(request.POST.get("version", "0"))
            except ValueError:
                version_posted = 0
            try:
                result = services.save_item(by=self.user, item=item, values=values, version=version_posted)
            except ValidationError as error:
                errors = _error_dict(error)
            except services.EditConflict as error:
                conflict = error.message()
                version = error.item.version
            else:
                saved, warnings, version = True, result.warnings, result.item.version
                cleared = result.signatures_cleared
                item = result.item
        if not request.htmx:
            if saved and not errors:
                messages.success(request, _("Cambios guardados."))
                return HttpResponseRedirect(submission_url(self.submission, f"item-{item.kind_prefix}{item.pk}"))
            for message in [conflict, *(m for ms in errors.values() for m in ms)]:
                if message:
                    messages.error(request, message)
            return HttpResponseRedirect(submission_url(self.submission, f"item-{item.kind_prefix}{item.pk}"))
        submission = Submission.objects.select_related("period", "institution").get(pk=self.submission.pk)
        context = {
            "item": item,
            "errors": errors,
            "warnings": warnings,
            "conflict": conflict,
            "saved": saved,
            "signatures_cleared": cleared,
            "version": version,
            "submission": submission,
            "fields": forms.error_fields(item),
            "missing": validation.missing_for_completion(item),
        }
        return render(request, "reporting/_item_saved.html", context, status=status)


class ActionSaveView(ItemSaveView):
    model = ActionProgress


class IndicatorSaveView(ItemSaveView):
    model = IndicatorValue


class _StepView(_SubmissionMixin, View):
    """A POST that moves the instrument one step (sign, send, review); back to the page with a message."""

    http_method_names = ["post"]
    done_message = ""

    def act(self) -> None:
        raise NotImplementedError

    def post(self, request: Any, pk: int) -> HttpResponse:
        try:
            self.act()
        except ValidationError as error:
            messages.error(request, _first_message(error))
        else:
            messages.success(request, self.done_message)
        return HttpResponseRedirect(submission_url(self.submission))


class SignTechnicalView(_StepView):
    permission_required = "reporting.sign_technical"

    def act(self) -> None:
        services.sign_technical(by=self.user, submission=self.submission)
        self.done_message = _("Instrumento marcado como completo. Falta el visto bueno de planificación.")


class SignPlanningView(_StepView):
    permission_required = "reporting.sign_planning"

    def act(self) -> None:
        services.sign_planning(by=self.user, submission=self.submission)
        self.done_message = _("Visto bueno registrado. Ya se puede enviar el instrumento.")


class SendView(_StepView):
    permission_required = "reporting.send_submission"

    def act(self) -> None:
        services.send_submission(by=self.user, submission=self.submission)
        self.done_message = _("Instrumento enviado a la DEPM.")


class StartReviewView(_StepView):
    permission_required = "reporting.review_submission"

    def act(self) -> None:
        services.start_review(by=self.user, submission=self.submission)
        self.done_message = _("Revisión iniciada.")


class ApproveView(_StepView):
    permission_required = "reporting.review_submission"

    def act(self) -> None:
        services.approve_submission(
            by=self.user, submission=self.submission, comment=posted_text(self.request.POST, "comment")
        )
        self.done_message = _("Instrumento aprobado. Sus datos quedan bloqueados.")


class ReturnView(_SubmissionMixin, View):
    """The review page: each item with a box for its observation, and a general one."""

    permission_required = "reporting.review_submission"
    template_name = "reporting/return_form.html"

    def get(self, request: Any, pk: int) -> HttpResponse:
        return self.show({}, {})

    def show(self, posted: dict[str, str], errors: dict[str, list[str]]) -> HttpResponse:
        instrument = selectors.instrument(self.submission)
        for group in instrument.groups:
            for item in group.items:
                item.posted_comment = posted.get(f"obs-{item.kind_prefix}{item.pk}", "")
        return render(
            self.request,
            self.template_name,
            {"submission": self.submission, "instrument": instrument, "posted": posted, "errors": errors},
        )

    def post(self, request: Any, pk: int) -> HttpResponse:
        data = request.POST
        action_comments = _comments(data, "obs-a")
        indicator_comments = _comments(data, "obs-i")
        try:
            services.return_submission(
                by=self.user,
                submission=self.submission,
                general_comment=posted_text(data, "general_comment"),
                action_comments=action_comments,
                indicator_comments=indicator_comments,
            )
        except ValidationError as error:
            errors = _error_dict(error)
            return self.show(dict(data.items()), errors)
        messages.success(request, _("Instrumento devuelto con observaciones."))
        return HttpResponseRedirect(submission_url(self.submission))


class ReopenView(_SubmissionMixin, FormView):
    permission_required = "reporting.reopen_submission"
    template_name = "reporting/reopen_form.html"
    form_class = forms.ReasonForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(submission=self.submission, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.reopen_submission(by=self.user, submission=self.submission, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Instrumento reabierto: vuelve a los enlaces institucionales."))
        return HttpResponseRedirect(submission_url(self.submission))


# --- Evidence ------------------------------------------------------------------------------


class EvidenceUploadView(_SubmissionMixin, View):
    permission_required = "reporting.fill_submission"
    http_method_names = ["post"]

    def post(self, request: Any, pk: int) -> HttpResponse:
        form = forms.EvidenceForm(request.POST, request.FILES)
        key = request.POST.get("item", "")
        if not form.is_valid():
            messages.error(request, _("Elija un archivo para adjuntar."))
            return HttpResponseRedirect(submission_url(self.submission, f"item-{key}"))
        try:
            item = evidence.find_item(self.submission, key)
            evidence.add_evidence(by=self.user, submission=self.submission, item=item, upload=form.cleaned_data["file"])
        except ValidationError as error:
            messages.error(request, _first_message(error))
        else:
            messages.success(request, _("Archivo adjuntado."))
        return HttpResponseRedirect(submission_url(self.submission, f"item-{key}"))


class EvidenceDeleteView(_SubmissionMixin, View):
    permission_required = "reporting.fill_submission"
    http_method_names = ["post"]

    def post(self, request: Any, pk: int, evidence_pk: int) -> HttpResponse:
        found = get_object_or_404(Evidence, pk=evidence_pk, submission=self.submission)
        try:
            evidence.remove_evidence(by=self.user, evidence=found)
        except ValidationError as error:
            messages.error(request, _first_message(error))
        else:
            messages.success(request, _("Archivo quitado."))
        return HttpResponseRedirect(submission_url(self.submission))


class EvidenceDownloadView(RuleRequiredMixin, View):
    """Always an attachment, never shown inline: an uploaded file cannot run as a page of ours."""

    permission_required = "reporting.view_submission"

    def get_permission_object(self) -> Any:
        if not hasattr(self, "evidence"):
            visible = selectors.submissions_visible_to(self.user)
            self.evidence = get_object_or_404(
                Evidence.objects.select_related("submission"), pk=self.kwargs["pk"], submission__in=visible
            )
        return self.evidence.submission

    def get(self, request: Any, pk: int) -> FileResponse:
        found = self.evidence
        return stored_file_download(found.file, filename=found.original_name, content_type="application/octet-stream")


# --- Excel round-trip ----------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PENDING_DIR = "pending-uploads"


class InstrumentXlsxView(_SubmissionMixin, View):
    permission_required = "reporting.view_submission"

    def get(self, request: Any, pk: int) -> HttpResponse:
        submission = self.submission
        response = HttpResponse(instrument_excel.build_workbook(submission), content_type=XLSX)
        filename = f"instrumento-{submission.institution.acronym or submission.institution_id}-{submission.period.code}"
        response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}.xlsx"'
        return response


def _preview_rows(result: instrument_excel.UploadResult) -> list[dict[str, Any]]:
    dimensions = selectors.all_dimensions()
    rows = []
    for change in result.preview:
        model = item_display.item_model(change.field)
        rows.append(
            {
                "code": change.code,
                "field": capfirst(str(model._meta.get_field(change.field).verbose_name)),  # type: ignore[union-attr]
                "before": item_display.describe(model, change.field, change.before, dimensions),
                "after": item_display.describe(model, change.field, change.after, dimensions),
            }
        )
    return rows


class InstrumentUploadView(_SubmissionMixin, View):
    """Upload → whole-file validation → preview of the changes (dry run) → confirm."""

    permission_required = "reporting.fill_submission"
    template_name = "reporting/upload.html"

    def render_page(self, **context: Any) -> HttpResponse:
        return render(self.request, self.template_name, {"submission": self.submission, **context})

    def get(self, request: Any, pk: int) -> HttpResponse:
        return self.render_page(form=forms.UploadForm())

    def post(self, request: Any, pk: int) -> HttpResponse:
        form = forms.UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(form=form)
        upload = form.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            form.add_error("file", _("El archivo pesa más de lo permitido."))
            return self.render_page(form=form)
        result = instrument_excel.read_upload(self.submission, upload)
        if not result.ok:
            return self.render_page(form=forms.UploadForm(), problems=result.problems, rows=result.rows)
        upload.seek(0)
        path = default_storage.save(f"{PENDING_DIR}/{uuid.uuid4().hex}.xlsx", upload)
        token = signing.dumps({"path": path, "submission": self.submission.pk, "user": self.user.pk}, salt=PENDING_DIR)
        return self.render_page(
            preview=_preview_rows(result), changes=len(result.changes), rows=result.rows, token=token
        )


class InstrumentUploadConfirmView(_SubmissionMixin, View):
    permission_required = "reporting.fill_submission"
    http_method_names = ["post"]

    def post(self, request: Any, pk: int) -> HttpResponse:
        try:
            data = signing.loads(request.POST.get("token", ""), salt=PENDING_DIR, max_age=3600)
        except signing.BadSignature:
            messages.error(request, _("La vista previa venció: cargue el archivo de nuevo."))
            return HttpResponseRedirect(reverse("reporting:instrument-upload", kwargs={"pk": pk}))
        if data.get("submission") != self.submission.pk or data.get("user") != self.user.pk:
            raise Http404
        path = data["path"]
        if not default_storage.exists(path):
            messages.error(request, _("La vista previa venció: cargue el archivo de nuevo."))
            return HttpResponseRedirect(reverse("reporting:instrument-upload", kwargs={"pk": pk}))
        with default_storage.open(path, "rb") as handle:
            content = io.BytesIO(handle.read())
        result = instrument_excel.read_upload(self.submission, content)
        if not result.ok:
            return render(
                request,
                InstrumentUploadView.template_name,
                {"submission": self.submission, "form": forms.UploadForm(), "problems": result.problems},
            )
        try:
            count = services.apply_changes(
                by=self.user, submission=self.submission, changes=result.changes, source="xlsx"
            )
        except services.EditConflict:
            messages.error(request, _("Alguien modificó el instrumento mientras tanto: cargue el archivo de nuevo."))
            return HttpResponseRedirect(reverse("reporting:instrument-upload", kwargs={"pk": pk}))
        except ValidationError as error:
            messages.error(request, _first_message(error))
            return HttpResponseRedirect(submission_url(self.submission))
        finally:
            default_storage.delete(path)
        messages.success(
            request,
            ngettext(
                "Archivo cargado: %(count)s ítem actualizado.", "Archivo cargado: %(count)s ítems actualizados.", count
            )
            % {"count": count},
        )
        return HttpResponseRedirect(submission_url(self.submission))
