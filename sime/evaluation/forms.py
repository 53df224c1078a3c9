"""Forms of the evaluation pages: they only collect and clean input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sime.activities.models import Consultancy, Project
from sime.core.forms import CleanForm, CleanModelForm
from sime.core.widgets import DateInput
from sime.evaluation.models import (
    ActionScope,
    DocumentRole,
    Evaluation,
    FindingKind,
    ImprovementAction,
    Priority,
)
from sime.evaluation.workflow import ActionStatus, Decision
from sime.institutions.models import Institution
from sime.policy.models import Indicator, Policy, PolicyNode

DATE = DateInput()


def _node_choices(policy: Policy) -> forms.ModelMultipleChoiceField:
    field = forms.ModelMultipleChoiceField(
        label=_("Nodos (ejes, objetivos o líneas)"),
        queryset=PolicyNode.objects.filter(policy=policy).order_by("order", "code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    field.label_from_instance = lambda node: f"{node.code} {node.title}"  # type: ignore[method-assign,assignment]
    return field


def _indicator_choices(policy: Policy) -> forms.ModelMultipleChoiceField:
    field = forms.ModelMultipleChoiceField(
        label=_("Indicadores"),
        queryset=Indicator.objects.filter(policy=policy).order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    field.label_from_instance = lambda indicator: f"{indicator.code} {indicator.name}"  # type: ignore[method-assign,assignment]
    return field


class EvaluationForm(CleanModelForm):
    class Meta:
        model = Evaluation
        fields = [
            "title",
            "kind",
            "moment",
            "plan_year",
            "evaluator_kind",
            "evaluator_name",
            "consultancy",
            "whole_policy",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "responses_due_on",
            "terms_of_reference",
            "methodology",
            "questions",
        ]
        widgets = {
            "planned_start": DATE,
            "planned_end": DATE,
            "actual_start": DATE,
            "actual_end": DATE,
            "responses_due_on": DATE,
            "terms_of_reference": forms.Textarea(attrs={"rows": 3}),
            "methodology": forms.Textarea(attrs={"rows": 3}),
            "questions": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"questions": _("Una pregunta por línea.")}

    def __init__(self, *args: Any, policy: Policy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nodes"] = _node_choices(policy)
        self.fields["indicators"] = _indicator_choices(policy)
        self.fields["projects"] = forms.ModelMultipleChoiceField(
            label=_("Proyectos de cooperación evaluados"),
            queryset=Project.objects.order_by("-start_date", "title"),
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 4}),
        )
        consultancy = self.fields["consultancy"]
        consultancy.queryset = Consultancy.objects.select_related("project").order_by("project__title", "title")  # type: ignore[attr-defined]
        consultancy.label_from_instance = lambda c: f"{c.project.title} · {c.title}"  # type: ignore[attr-defined]
        consultancy.empty_label = _("Ninguna")  # type: ignore[attr-defined]
        self.fields["moment"].choices = [("", _("Sin especificar")), *self.fields["moment"].choices[1:]]  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial["nodes"] = list(self.instance.nodes.values_list("pk", flat=True))
            self.initial["indicators"] = list(self.instance.indicators.values_list("pk", flat=True))
            self.initial["projects"] = list(self.instance.projects.values_list("pk", flat=True))

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class DocumentForm(CleanForm):
    role = forms.ChoiceField(label=_("Documento"), choices=DocumentRole.choices)
    file = forms.FileField(label=_("Archivo"), help_text=_("PDF, Word, Excel, PowerPoint o imagen."))


class FindingForm(CleanForm):
    kind = forms.ChoiceField(label=_("Tipo"), choices=FindingKind.choices)
    text = forms.CharField(label=_("Texto"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)

    def __init__(self, *args: Any, policy: Policy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nodes"] = _node_choices(policy)
        self.fields["indicators"] = _indicator_choices(policy)


class RecommendationForm(CleanForm):
    text = forms.CharField(label=_("Recomendación"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)
    priority = forms.ChoiceField(label=_("Prioridad"), choices=Priority.choices, initial=Priority.MEDIUM)
    scope = forms.ChoiceField(
        label=_("Tipo de acción"),
        choices=ActionScope.choices,
        help_text=_("Quién debe actuar: una institución, varias o todo el sistema."),
    )

    def __init__(self, *args: Any, policy: Policy, evaluation: Evaluation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        institutions = forms.ModelMultipleChoiceField(
            label=_("Instituciones destinatarias"),
            queryset=Institution.objects.filter(is_active=True, is_linked=True).order_by("acronym"),
            widget=forms.SelectMultiple(attrs={"size": 8}),
        )
        institutions.label_from_instance = lambda i: f"{i.acronym} — {i.name}"  # type: ignore[method-assign,assignment]
        self.fields["institutions"] = institutions
        self.fields["nodes"] = _node_choices(policy)
        findings = forms.ModelMultipleChoiceField(
            label=_("Hallazgos en que se basa"),
            queryset=evaluation.findings.order_by("kind", "number"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        findings.label_from_instance = lambda f: f"{f}: {f.text[:90]}"  # type: ignore[method-assign,assignment]
        self.fields["findings"] = findings


class AnswerForm(CleanForm):
    decision = forms.ChoiceField(
        label=_("Respuesta de la institución"), choices=Decision.choices, widget=forms.RadioSelect
    )
    justification = forms.CharField(
        label=_("Justificación"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
        help_text=_("Obligatoria si acepta parcialmente o no acepta."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class PlanActionForm(CleanModelForm):
    class Meta:
        model = ImprovementAction
        fields = ["description", "responsible_area", "starts_on", "due_on", "expected_result", "verification_means"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "starts_on": DATE,
            "due_on": DATE,
            "expected_result": forms.Textarea(attrs={"rows": 2}),
            "verification_means": forms.Textarea(attrs={"rows": 2}),
        }


class ProgressForm(CleanForm):
    status = forms.ChoiceField(label=_("Estado"), choices=ActionStatus.choices)
    percent = forms.DecimalField(label=_("% de avance"), min_value=0, max_value=100, decimal_places=2, max_digits=5)
    progress_note = forms.CharField(
        label=_("Descripción del avance"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=10000
    )
    status_reason = forms.CharField(
        label=_("Motivo (si ya no aplica)"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class EvidenceForm(CleanForm):
    file = forms.FileField(label=_("Evidencia"), help_text=_("PDF, Word, Excel, PowerPoint o imagen."))


class ReturnForm(CleanForm):
    general_comment = forms.CharField(
        label=_("Observación general"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )


class CommentForm(CleanForm):
    comment = forms.CharField(label=_("Observación"), widget=forms.Textarea(attrs={"rows": 2}), max_length=10000)


class BoardFilterForm(CleanForm):
    evaluation = forms.ModelChoiceField(
        label=_("Evaluación"), queryset=Evaluation.objects.order_by("-plan_year", "code"), required=False
    )
    institution = forms.ModelChoiceField(
        label=_("Institución"),
        queryset=Institution.objects.filter(evaluation_responses__isnull=False).distinct().order_by("acronym"),
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Estado"),
        required=False,
        choices=[
            ("", _("Todos")),
            ("unanswered", _("Sin respuesta")),
            ("answering", _("En respuesta")),
            ("executing", _("En ejecución")),
            ("closed", _("Cerrada")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("evaluation", "institution"):
            self.fields[name].empty_label = _("Todas")  # type: ignore[attr-defined]
        self.fields["institution"].label_from_instance = lambda i: i.acronym  # type: ignore[attr-defined]

    def cleaned(self) -> dict[str, Any]:
        """The filters, with bad input falling back to no filter."""
        if not self.is_bound or not self.is_valid():
            return {"evaluation_id": None, "institution_id": None, "status": None}
        data = self.cleaned_data
        return {
            "evaluation_id": data["evaluation"].pk if data["evaluation"] else None,
            "institution_id": data["institution"].pk if data["institution"] else None,
            "status": data["status"] or None,
        }
