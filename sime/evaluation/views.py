"""Pages of evaluation and its follow-up. Thin: forms clean, services write, selectors read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from sime.analytics.selectors import monitored_policy
from sime.core.access import RuleRequiredMixin
from sime.core.downloads import stored_file_download
from sime.core.form_errors import add_service_errors
from sime.core.forms import posted_text
from sime.core.numbers import parse_id
from sime.evaluation import forms, selectors, services
from sime.evaluation.models import (
    ActionEvidence,
    Evaluation,
    EvaluationDocument,
    Finding,
    ImprovementAction,
    Recommendation,
    Response,
)
from sime.evaluation.snapshot import compare
from sime.evaluation.workflow import (
    ANSWERABLE,
    PROGRESS_EDITABLE,
    RESPONSE_EDITABLE,
    Closure,
    EvaluationStatus,
    ResponseStatus,
)
from sime.policy.models import Policy

CONFLICT_MESSAGE = gettext_lazy("Otra persona guardó estos datos mientras usted los editaba. Recargue la página.")


def evaluation_url(evaluation: Evaluation) -> str:
    return reverse("evaluation:evaluation-detail", kwargs={"pk": evaluation.pk})


def response_url(response: Response, anchor: str = "") -> str:
    return reverse("evaluation:response", kwargs={"pk": response.pk}) + (f"#{anchor}" if anchor else "")


def _errors_to_messages(request: Any, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _attachment(file: Any, name: str) -> FileResponse:
    return stored_file_download(file, filename=name, content_type="application/octet-stream")


# --- The annual plan and the evaluations --------------------------------------------------------


class PlanView(RuleRequiredMixin, TemplateView):
    permission_required = "evaluation.view_evaluations"
    template_name = "evaluation/plan.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        years = selectors.plan_years()
        try:
            year = int(self.request.GET.get("anio", ""))
        except ValueError:
            year = timezone.localdate().year
        if year not in years:
            year = timezone.localdate().year
        evaluations = list(selectors.evaluation_plan(year))
        by_status = {status.value: 0 for status in EvaluationStatus}
        for evaluation in evaluations:
            by_status[evaluation.status] += 1
        statuses = [(EvaluationStatus(code).label, count) for code, count in by_status.items()]
        return super().get_context_data(year=year, years=years, evaluations=evaluations, statuses=statuses, **kwargs)


class _EvaluationFormView(RuleRequiredMixin, TemplateView):
    permission_required = "evaluation.manage_evaluations"
    template_name = "evaluation/evaluation_form.html"
    evaluation: Evaluation | None = None

    def policy(self) -> Policy:
        if self.evaluation is not None:
            return self.evaluation.policy
        policy = monitored_policy()
        if policy is None:
            raise Http404(_("No hay una política registrada."))
        return policy

    def form(self, data: Any = None) -> forms.EvaluationForm:
        initial = {} if self.evaluation else {"plan_year": timezone.localdate().year, "evaluator_kind": "internal"}
        return forms.EvaluationForm(data, instance=self.evaluation, initial=initial, policy=self.policy())

    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=self.form(), evaluation=self.evaluation))

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            scope = {
                "node_ids": [n.pk for n in form.cleaned_data["nodes"]],
                "indicator_ids": [i.pk for i in form.cleaned_data["indicators"]],
                "project_ids": [p.pk for p in form.cleaned_data["projects"]],
            }
            try:
                if self.evaluation is None:
                    saved = services.create_evaluation(
                        by=self.user, policy=self.policy(), values=form.values(), **scope
                    )
                    messages.success(request, _("Evaluación %(code)s registrada.") % {"code": saved.code})
                else:
                    saved = services.update_evaluation(
                        by=self.user, evaluation=self.evaluation, values=form.values(), **scope
                    )
                    messages.success(request, _("Cambios guardados."))
                return HttpResponseRedirect(evaluation_url(saved))
            except ValidationError as error:
                add_service_errors(form, error)
        return self.render_to_response(self.get_context_data(form=form, evaluation=self.evaluation))


class EvaluationCreateView(_EvaluationFormView):
    pass


class EvaluationUpdateView(_EvaluationFormView):
    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self.evaluation = get_object_or_404(Evaluation.objects.select_related("policy"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class EvaluationDetailView(RuleRequiredMixin, TemplateView):
    permission_required = "evaluation.view_evaluations"
    template_name = "evaluation/evaluation_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        try:
            evaluation = selectors.evaluation_for_page(self.kwargs["pk"])
        except Evaluation.DoesNotExist as error:
            raise Http404 from error
        findings = selectors.findings_of(evaluation)
        node_ids, indicator_ids = selectors.node_ids_by_finding(findings)
        comparison = compare(evaluation, node_ids, indicator_ids) if evaluation.snapshot_year else None
        recommendations = selectors.recommendations_of(evaluation)
        finding_rows = [
            {
                "finding": finding,
                "nodes": [
                    (node, comparison.nodes.get(node.pk) if comparison else None) for node in finding.nodes.all()
                ],
                "indicators": [
                    (indicator, comparison.indicators.get(indicator.pk) if comparison else None)
                    for indicator in finding.indicators.all()
                ],
            }
            for finding in findings
        ]
        next_status = {
            EvaluationStatus.PLANNED: EvaluationStatus.IN_PROGRESS,
            EvaluationStatus.IN_PROGRESS: EvaluationStatus.CONCLUDED,
            EvaluationStatus.CONCLUDED: EvaluationStatus.PUBLISHED,
        }.get(EvaluationStatus(evaluation.status))
        return super().get_context_data(
            evaluation=evaluation,
            finding_rows=finding_rows,
            comparison=comparison,
            recommendations=recommendations,
            next_status=next_status,
            next_status_label=EvaluationStatus(next_status).label if next_status else "",
            documents=list(evaluation.documents.all()),
            document_form=forms.DocumentForm(),
            events=selectors.timeline(evaluation),
            questions=[q for q in evaluation.questions.splitlines() if q.strip()],
            **kwargs,
        )


class EvaluationStatusView(RuleRequiredMixin, View):
    permission_required = "evaluation.manage_evaluations"

    def post(self, request: Any, pk: int) -> HttpResponse:
        evaluation = get_object_or_404(Evaluation, pk=pk)
        target = request.POST.get("status", "")
        if target not in EvaluationStatus.values:
            messages.error(request, _("Estado no válido."))
            return HttpResponseRedirect(evaluation_url(evaluation))
        try:
            services.change_evaluation_status(by=self.user, evaluation=evaluation, to=target)
            messages.success(
                request, _("La evaluación está ahora «%(status)s».") % {"status": EvaluationStatus(target).label}
            )
        except ValidationError as error:
            _errors_to_messages(request, error)
        return HttpResponseRedirect(evaluation_url(evaluation))


class DocumentUploadView(RuleRequiredMixin, View):
    permission_required = "evaluation.manage_evaluations"

    def post(self, request: Any, pk: int) -> HttpResponse:
        evaluation = get_object_or_404(Evaluation, pk=pk)
        form = forms.DocumentForm(request.POST, request.FILES)
        if not form.is_valid():
            for problems in form.errors.as_data().values():
                for problem in problems:
                    _errors_to_messages(request, problem)
            return HttpResponseRedirect(evaluation_url(evaluation) + "#documentos")
        try:
            services.add_document(
                by=self.user, evaluation=evaluation, role=form.cleaned_data["role"], upload=form.cleaned_data["file"]
            )
            messages.success(request, _("Documento adjuntado."))
        except ValidationError as error:
            _errors_to_messages(request, error)
        return HttpResponseRedirect(evaluation_url(evaluation) + "#documentos")


class DocumentDownloadView(RuleRequiredMixin, View):
    permission_required = "evaluation.view_evaluations"

    def get(self, request: Any, pk: int, document_pk: int) -> FileResponse:
        document = get_object_or_404(EvaluationDocument, pk=document_pk, evaluation_id=pk)
        return _attachment(document.file, document.original_name)


class DocumentDeleteView(RuleRequiredMixin, View):
    permission_required = "evaluation.manage_evaluations"

    def post(self, request: Any, pk: int, document_pk: int) -> HttpResponse:
        document = get_object_or_404(
            EvaluationDocument.objects.select_related("evaluation"), pk=document_pk, evaluation_id=pk
        )
        services.remove_document(by=self.user, document=document)
        messages.success(request, _("Documento eliminado."))
        return HttpResponseRedirect(evaluation_url(document.evaluation) + "#documentos")


# --- Findings and recommendations ---------------------------------------------------------------


class _EvaluationChildView(RuleRequiredMixin, TemplateView):
    permission_required = "evaluation.manage_evaluations"

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self.evaluation = get_object_or_404(Evaluation.objects.select_related("policy"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class FindingFormView(_EvaluationChildView):
    template_name = "evaluation/finding_form.html"

    def finding(self) -> Finding | None:
        if "finding_pk" not in self.kwargs:
            return None
        return get_object_or_404(Finding, pk=self.kwargs["finding_pk"], evaluation=self.evaluation)

    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        finding = self.finding()
        initial = (
            {
                "kind": finding.kind,
                "text": finding.text,
                "nodes": list(finding.nodes.values_list("pk", flat=True)),
                "indicators": list(finding.indicators.values_list("pk", flat=True)),
            }
            if finding
            else {"kind": request.GET.get("tipo", "finding")}
        )
        form = forms.FindingForm(initial=initial, policy=self.evaluation.policy)
        return self.render_to_response(self.get_context_data(form=form, evaluation=self.evaluation, finding=finding))

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        finding = self.finding()
        form = forms.FindingForm(request.POST, policy=self.evaluation.policy)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_finding(
                    by=self.user,
                    evaluation=self.evaluation,
                    kind=finding.kind if finding else data["kind"],
                    text=data["text"],
                    node_ids=[n.pk for n in data["nodes"]],
                    indicator_ids=[i.pk for i in data["indicators"]],
                    finding=finding,
                )
                messages.success(request, _("Hallazgo guardado."))
                return HttpResponseRedirect(evaluation_url(self.evaluation) + "#hallazgos")
            except ValidationError as error:
                add_service_errors(form, error)
        return self.render_to_response(self.get_context_data(form=form, evaluation=self.evaluation, finding=finding))


class FindingDeleteView(RuleRequiredMixin, View):
    permission_required = "evaluation.manage_evaluations"

    def post(self, request: Any, pk: int, finding_pk: int) -> HttpResponse:
        finding = get_object_or_404(Finding.objects.select_related("evaluation"), pk=finding_pk, evaluation_id=pk)
        services.delete_finding(by=self.user, finding=finding)
        messages.success(request, _("Hallazgo eliminado."))
        return HttpResponseRedirect(evaluation_url(finding.evaluation) + "#hallazgos")


class RecommendationFormView(_EvaluationChildView):
    template_name = "evaluation/recommendation_form.html"

    def recommendation(self) -> Recommendation | None:
        if "recommendation_pk" not in self.kwargs:
            return None
        return get_object_or_404(Recommendation, pk=self.kwargs["recommendation_pk"], evaluation=self.evaluation)

    def form(self, data: Any = None, recommendation: Recommendation | None = None) -> forms.RecommendationForm:
        initial = {}
        if recommendation is not None:
            initial = {
                "text": recommendation.text,
                "priority": recommendation.priority,
                "scope": recommendation.scope,
                "institutions": list(recommendation.responses.values_list("institution_id", flat=True)),
                "nodes": list(recommendation.nodes.values_list("pk", flat=True)),
                "findings": list(recommendation.findings.values_list("pk", flat=True)),
            }
        return forms.RecommendationForm(
            data, initial=initial, policy=self.evaluation.policy, evaluation=self.evaluation
        )

    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        recommendation = self.recommendation()
        context = self.get_context_data(
            form=self.form(None, recommendation), evaluation=self.evaluation, recommendation=recommendation
        )
        return self.render_to_response(context)

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        recommendation = self.recommendation()
        form = self.form(request.POST, recommendation)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_recommendation(
                    by=self.user,
                    evaluation=self.evaluation,
                    text=data["text"],
                    priority=data["priority"],
                    scope=data["scope"],
                    institution_ids=[i.pk for i in data["institutions"]],
                    node_ids=[n.pk for n in data["nodes"]],
                    finding_ids=[f.pk for f in data["findings"]],
                    recommendation=recommendation,
                )
                messages.success(request, _("Recomendación guardada."))
                return HttpResponseRedirect(evaluation_url(self.evaluation) + "#recomendaciones")
            except ValidationError as error:
                add_service_errors(form, error)
        context = self.get_context_data(form=form, evaluation=self.evaluation, recommendation=recommendation)
        return self.render_to_response(context)


# --- An institution's recommendations and its responses -------------------------------------------


class OwnRecommendationsView(RuleRequiredMixin, TemplateView):
    permission_required = "evaluation.view_own_recommendations"
    template_name = "evaluation/own_recommendations.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        responses = selectors.own_responses(self.user)
        open_actions = selectors.open_actions_of_institution(self.user.institution_id)  # type: ignore[arg-type]
        return super().get_context_data(
            responses=responses, open_actions=open_actions, today=timezone.localdate(), **kwargs
        )


class _ResponseMixin(RuleRequiredMixin):
    """Pages and steps of one response; another institution's response is a 404."""

    permission_required = "evaluation.view_response"

    def get_permission_object(self) -> Any:
        if not hasattr(self, "response_obj"):
            try:
                self.response_obj = selectors.response_for_page(self.user, self.kwargs["pk"])  # type: ignore[attr-defined]
            except Response.DoesNotExist as error:
                raise Http404 from error
        return self.response_obj

    def render_page(self, request: Any, **extra: Any) -> HttpResponse:
        response = self.get_permission_object()
        actions = selectors.plan_of(response)
        user = self.user
        editable = (
            response.status in RESPONSE_EDITABLE
            and response.recommendation.evaluation.status in ANSWERABLE
            and user.has_perm("evaluation.fill_response", response)
        )
        can_report = response.status == ResponseStatus.VALIDATED and user.has_perm(
            "evaluation.report_progress", response
        )
        action_forms = extra.pop("action_forms", {})
        progress_forms = extra.pop("progress_forms", {})
        rows = []
        for action in actions:
            rows.append(
                {
                    "action": action,
                    "edit_form": action_forms.get(action.pk)
                    or forms.PlanActionForm(instance=action, prefix=f"a{action.pk}"),
                    "progress_form": progress_forms.get(action.pk)
                    or forms.ProgressForm(
                        initial={
                            "status": action.status,
                            "percent": action.percent,
                            "progress_note": action.progress_note,
                            "status_reason": action.status_reason,
                            "version": action.version,
                        },
                        prefix=f"p{action.pk}",
                    ),
                    "progress_open": action.closure in PROGRESS_EDITABLE,
                    "comments": list(action.comments.all()),
                }
            )

        def may(rule: str) -> bool:
            return bool(user.has_perm(rule, response))

        context = {
            "can_submit": editable and may("evaluation.submit_response"),
            "can_sign_off": response.status == ResponseStatus.AWAITING_SIGNOFF and may("evaluation.sign_off_response"),
            "can_send_back": response.status == ResponseStatus.AWAITING_SIGNOFF
            and may("evaluation.send_back_response"),
            "can_validate": response.status == ResponseStatus.SENT and may("evaluation.validate_response"),
            "can_validate_closure": may("evaluation.validate_closure"),
            "response": response,
            "recommendation": response.recommendation,
            "evaluation": response.recommendation.evaluation,
            "rows": rows,
            "plan_progress": selectors.plan_progress(actions),
            "editable": editable,
            "can_report": can_report,
            "answer_form": extra.pop("answer_form", None)
            or forms.AnswerForm(
                initial={
                    "decision": response.decision,
                    "justification": response.justification,
                    "version": response.version,
                }
            ),
            "new_action_form": extra.pop("new_action_form", None) or forms.PlanActionForm(prefix="new"),
            "return_form": forms.ReturnForm(),
            "evidence_form": forms.EvidenceForm(),
            "comment_form": forms.CommentForm(),
            "general_comments": selectors.general_comments(response),
            "events": selectors.timeline(response.recommendation.evaluation, response=response),
            "today": timezone.localdate(),
            "closure": Closure,
            "statuses": ResponseStatus,
            **extra,
        }
        return render(request, "evaluation/response.html", context, status=extra.get("status", 200))


class ResponseView(_ResponseMixin, View):
    def get(self, request: Any, pk: int) -> HttpResponse:
        return self.render_page(request)


class AnswerView(_ResponseMixin, View):
    permission_required = "evaluation.fill_response"

    def post(self, request: Any, pk: int) -> HttpResponse:
        response = self.get_permission_object()
        form = forms.AnswerForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_answer(
                    by=self.user,
                    response=response,
                    decision=data["decision"],
                    justification=data["justification"],
                    version=data["version"],
                )
                messages.success(request, _("Respuesta guardada."))
                return HttpResponseRedirect(response_url(response, "respuesta"))
            except services.EditConflict:
                form.add_error(
                    None, _("Otra persona guardó esta respuesta mientras usted la editaba. Recargue la página.")
                )
            except ValidationError as error:
                add_service_errors(form, error)
        return self.render_page(request, answer_form=form, status=400)


class PlanActionView(_ResponseMixin, View):
    """Add (no action_pk) or edit a plan action, or remove it (`?eliminar`)."""

    permission_required = "evaluation.fill_response"

    def post(self, request: Any, pk: int, action_pk: int | None = None) -> HttpResponse:
        response = self.get_permission_object()
        action = get_object_or_404(ImprovementAction, pk=action_pk, response=response) if action_pk else None
        if action is not None and "eliminar" in request.POST:
            try:
                services.remove_plan_action(by=self.user, action=action)
                messages.success(request, _("Acción eliminada del plan."))
            except ValidationError as error:
                _errors_to_messages(request, error)
            return HttpResponseRedirect(response_url(response, "plan"))
        prefix = f"a{action.pk}" if action else "new"
        form = forms.PlanActionForm(request.POST, instance=action, prefix=prefix)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in services.ACTION_FIELDS}
            try:
                saved = services.save_plan_action(
                    by=self.user,
                    response=response,
                    values=values,
                    action=ImprovementAction.objects.get(pk=action.pk) if action else None,
                )
                messages.success(request, _("Acción A%(number)s guardada.") % {"number": saved.number})
                return HttpResponseRedirect(response_url(response, f"accion-{saved.pk}"))
            except ValidationError as error:
                add_service_errors(form, error)
        if action is None:
            return self.render_page(request, new_action_form=form, status=400)
        return self.render_page(request, action_forms={action.pk: form}, status=400)


STEPS = {
    "submit": (
        "evaluation.submit_response",
        services.submit_response,
        gettext_lazy("Respuesta enviada a visto bueno."),
    ),
    "sign_off": (
        "evaluation.sign_off_response",
        services.sign_off_response,
        gettext_lazy("Visto bueno dado: la respuesta se envió a DEPM."),
    ),
    "send_back": (
        "evaluation.send_back_response",
        services.send_back_response,
        gettext_lazy("La respuesta volvió al enlace técnico."),
    ),
    "validate": ("evaluation.validate_response", services.validate_response, gettext_lazy("Respuesta validada.")),
}


class ResponseStepView(_ResponseMixin, View):
    def post(self, request: Any, pk: int, step: str) -> HttpResponse:
        response = self.get_permission_object()
        if step not in STEPS and step != "return":
            raise Http404
        if step == "return":
            if not self.user.has_perm("evaluation.validate_response", response):
                raise PermissionDenied
            numbered = {
                parse_id(key[len("comentario-") :]): key for key in request.POST if key.startswith("comentario-")
            }
            action_comments = {
                number: posted_text(request.POST, key) for number, key in numbered.items() if number is not None
            }
            try:
                services.return_response(
                    by=self.user,
                    response=response,
                    general_comment=posted_text(request.POST, "general_comment"),
                    action_comments=action_comments,
                )
                messages.success(request, _("Respuesta devuelta con observaciones."))
            except ValidationError as error:
                _errors_to_messages(request, error)
            return HttpResponseRedirect(response_url(response))
        rule, service, done = STEPS[step]
        if not self.user.has_perm(rule, response):
            raise PermissionDenied
        try:
            service(by=self.user, response=response)
            messages.success(request, done)
        except ValidationError as error:
            _errors_to_messages(request, error)
        return HttpResponseRedirect(response_url(response))


class ProgressView(_ResponseMixin, View):
    permission_required = "evaluation.report_progress"

    def post(self, request: Any, pk: int, action_pk: int) -> HttpResponse:
        response = self.get_permission_object()
        action = get_object_or_404(ImprovementAction, pk=action_pk, response=response)
        form = forms.ProgressForm(request.POST, prefix=f"p{action.pk}")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.report_progress(
                    by=self.user,
                    action=action,
                    values={name: data[name] for name in ("status", "percent", "progress_note", "status_reason")},
                    version=data["version"],
                )
                messages.success(request, _("Avance de la acción A%(number)s guardado.") % {"number": action.number})
                return HttpResponseRedirect(response_url(response, f"accion-{action.pk}"))
            except services.EditConflict:
                form.add_error(
                    None, _("Otra persona guardó esta acción mientras usted la editaba. Recargue la página.")
                )
            except ValidationError as error:
                add_service_errors(form, error)
        return self.render_page(request, progress_forms={action.pk: form}, status=400)


class ActionEvidenceView(_ResponseMixin, View):
    """Attach evidence to an action (POST), or remove one (POST with `eliminar`)."""

    permission_required = "evaluation.report_progress"

    def post(self, request: Any, pk: int, action_pk: int) -> HttpResponse:
        response = self.get_permission_object()
        action = get_object_or_404(ImprovementAction, pk=action_pk, response=response)
        target = response_url(response, f"accion-{action.pk}")
        if "eliminar" in request.POST:
            evidence = get_object_or_404(ActionEvidence, pk=request.POST.get("eliminar", "0")[:12] or 0, action=action)
            try:
                services.remove_action_evidence(by=self.user, evidence=evidence)
                messages.success(request, _("Evidencia eliminada."))
            except ValidationError as error:
                _errors_to_messages(request, error)
            return HttpResponseRedirect(target)
        form = forms.EvidenceForm(request.POST, request.FILES)
        if not form.is_valid():
            for problems in form.errors.as_data().values():
                for problem in problems:
                    _errors_to_messages(request, problem)
            return HttpResponseRedirect(target)
        try:
            services.add_action_evidence(by=self.user, action=action, upload=form.cleaned_data["file"])
            messages.success(request, _("Evidencia adjuntada."))
        except ValidationError as error:
            _errors_to_messages(request, error)
        return HttpResponseRedirect(target)


class ActionEvidenceDownloadView(_ResponseMixin, View):
    def get(self, request: Any, pk: int, evidence_pk: int) -> FileResponse:
        response = self.get_permission_object()
        evidence = get_object_or_404(ActionEvidence, pk=evidence_pk, action__response=response)
        return _attachment(evidence.file, evidence.original_name)


class ClosureView(_ResponseMixin, View):
    permission_required = "evaluation.validate_closure"

    def post(self, request: Any, pk: int, action_pk: int, verdict: str) -> HttpResponse:
        response = self.get_permission_object()
        action = get_object_or_404(ImprovementAction, pk=action_pk, response=response)
        try:
            if verdict == "validar":
                services.validate_closure(by=self.user, action=action)
                messages.success(request, _("Cierre de la acción A%(number)s validado.") % {"number": action.number})
            elif verdict == "devolver":
                services.return_closure(by=self.user, action=action, comment=posted_text(request.POST, "comment"))
                messages.success(request, _("Cierre de la acción A%(number)s devuelto.") % {"number": action.number})
            else:
                raise Http404
        except ValidationError as error:
            _errors_to_messages(request, error)
        return HttpResponseRedirect(response_url(response, f"accion-{action.pk}"))


# --- The follow-up board ------------------------------------------------------------------------


class BoardView(RuleRequiredMixin, TemplateView):
    permission_required = "evaluation.view_followup_board"
    template_name = "evaluation/board.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = forms.BoardFilterForm(self.request.GET or None)
        filters = form.cleaned()
        board = selectors.followup_board(**filters)
        labels = selectors.RECOMMENDATION_STATUS_LABELS
        return super().get_context_data(
            form=form,
            board=board,
            status_rows=[(code, labels[code], count) for code, count in board.by_status.items()],
            labels=labels,
            query=self.request.GET.urlencode(),
            xlsx_url=reverse("evaluation:followup-board-xlsx"),
            **kwargs,
        )
