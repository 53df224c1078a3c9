from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sime.activities.models import (
    SECTORS,
    Activity,
    ActivityEvidence,
    Agreement,
    Consultancy,
    DeliverableStatus,
    Participant,
    Project,
    Purpose,
)
from sime.core.forms import CleanForm, CleanModelForm
from sime.core.text import search_key
from sime.core.widgets import DateInput
from sime.institutions.models import Institution, Sector
from sime.policy.models import PolicyNode

DATE = DateInput()
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
AMOUNT = forms.TextInput(attrs={"inputmode": "decimal"})


class ProjectForm(CleanModelForm):
    specific_objectives_text = forms.CharField(
        label=_("Objetivos específicos"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Uno por línea."),
    )
    policy_nodes = forms.ModelMultipleChoiceField(
        label=_("Líneas de acción a las que contribuye"),
        queryset=PolicyNode.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Project
        fields = [
            "title",
            "agency",
            "modality",
            "area",
            "responsible_name",
            "responsible_position",
            "start_date",
            "end_date",
            "introduction",
            "justification",
            "general_objective",
            "location",
            "direct_beneficiaries",
            "indirect_beneficiaries",
            "signatory_name",
            "signatory_position",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "introduction": forms.Textarea(attrs={"rows": 3}),
            "justification": forms.Textarea(attrs={"rows": 3}),
            "general_objective": forms.Textarea(attrs={"rows": 2}),
            "location": forms.Textarea(attrs={"rows": 2}),
            "direct_beneficiaries": forms.Textarea(attrs={"rows": 2}),
            "indirect_beneficiaries": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = Institution.objects.filter(sector=Sector.INTERNATIONAL_COOPERATION, is_active=True)
        nodes = self.fields["policy_nodes"]
        assert isinstance(nodes, forms.ModelMultipleChoiceField)
        nodes.queryset = PolicyNode.objects.actions().select_related("policy").order_by("policy__code", "order", "code")
        if self.instance.pk:
            self.fields["specific_objectives_text"].initial = "\n".join(self.instance.specific_objectives)
            nodes.initial = list(self.instance.policy_nodes.values_list("pk", flat=True))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("La fecha de finalización no puede ser anterior a la de inicio."))
        data["specific_objectives"] = [
            line.strip() for line in data.get("specific_objectives_text", "").splitlines() if line.strip()
        ]
        return data


class ActivityForm(CleanModelForm):
    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "description",
            "start_date",
            "end_date",
            "department",
            "municipality",
            "venue",
            "attendance_total",
            *[field for field, _label in SECTORS.values()],
            "attendance_women",
            "attendance_men",
            "cost",
            "purpose",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "cost": AMOUNT,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        localized_fields = ["cost"]

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.fields["cost"].help_text = _("En quetzales, por ejemplo 11,710.50")
        self.fields["attendance_total"].help_text = _("Por sector es opcional; si se dan todos, deben sumar el total.")

    def attendance_by_sector(self) -> dict[str, int | None]:
        return {code: self.cleaned_data.get(field) for code, (field, _label) in SECTORS.items()}

    def model_fields(self) -> dict[str, Any]:
        sector_fields = {field for field, _label in SECTORS.values()}
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name not in sector_fields}


class ConsultancyForm(CleanForm):
    title = forms.CharField(label=_("Título"), max_length=300)
    description = forms.CharField(label=_("Descripción"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    start_month = forms.DateField(label=_("Mes de inicio"), widget=MONTH, input_formats=["%Y-%m", "%m/%Y"])
    end_month = forms.DateField(label=_("Mes de finalización"), widget=MONTH, input_formats=["%Y-%m", "%m/%Y"])
    amount = forms.DecimalField(
        label=_("Monto (Q)"), min_value=0, max_digits=14, decimal_places=2, localize=True, widget=AMOUNT
    )
    assignments_text = forms.CharField(
        label=_("Asignaciones y funciones"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Cada asignación en una línea (por ejemplo «Asistencia Técnica 1») seguida de sus funciones, "
            "una por línea y empezando con «-», y de sus productos entregables empezando con «*»: "
            "«* Título | fecha dd/mm/aaaa | estado»."
        ),
    )

    def __init__(self, *args: Any, consultancy: Consultancy | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if consultancy is not None:
            for name in ("title", "description", "start_month", "end_month", "amount"):
                self.fields[name].initial = getattr(consultancy, name)
            self.fields["assignments_text"].initial = assignments_as_text(consultancy)

    def _deliverable(self, text: str) -> dict[str, Any] | None:
        parts = [part.strip() for part in text.split("|")]
        title = parts[0]
        if not title:
            self.add_error("assignments_text", _("Cada producto entregable necesita un título."))
            return None
        deliverable: dict[str, Any] = {"title": title}
        if len(parts) > 1 and parts[1]:
            try:
                deliverable["due_date"] = dt.datetime.strptime(parts[1], "%d/%m/%Y").date()
            except ValueError:
                self.add_error("assignments_text", _("«%(value)s» no es una fecha dd/mm/aaaa.") % {"value": parts[1]})
                return None
        if len(parts) > 2 and parts[2]:
            wanted = search_key(parts[2])
            status = next(
                (code for code, label in DeliverableStatus.choices if wanted in (search_key(str(label)), code)), None
            )
            if status is None:
                options = ", ".join(str(label) for _code, label in DeliverableStatus.choices)
                self.add_error(
                    "assignments_text",
                    _("Estado «%(value)s» no válido; use uno de: %(options)s.")
                    % {"value": parts[2], "options": options},
                )
                return None
            deliverable["status"] = status
        return deliverable

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_month"), data.get("end_month")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.add_error("end_month", _("El mes de finalización no puede ser anterior al de inicio."))
        assignments: list[dict[str, Any]] = []
        for line in data.get("assignments_text", "").splitlines():
            text = line.strip()
            if not text:
                continue
            if text.startswith(("-", "*")):
                if not assignments:
                    self.add_error("assignments_text", _("Escriba el nombre de la asignación antes de sus funciones."))
                    break
                if text.startswith("-"):
                    assignments[-1]["duties"].append(text.lstrip("- ").strip())
                else:
                    deliverable = self._deliverable(text.lstrip("* ").strip())
                    if deliverable is None:
                        break
                    assignments[-1]["deliverables"].append(deliverable)
            else:
                assignments.append({"name": text, "duties": [], "deliverables": []})
        data["assignments"] = assignments
        return data


class AgreementForm(CleanModelForm):
    class Meta:
        model = Agreement
        fields = ["text", "activity", "responsible_institution", "responsible_person", "due_date", "status"]
        widgets = {"due_date": DATE, "text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        activity = self.fields["activity"]
        assert isinstance(activity, forms.ModelChoiceField)
        activity.queryset = project.activities.all()


def assignments_as_text(consultancy: Consultancy) -> str:
    """The assignments in the text-box notation of ConsultancyForm, to edit them."""
    lines: list[str] = []
    for assignment in consultancy.assignments.all():
        lines.append(assignment.name)
        lines += [f"- {duty}" for duty in assignment.duties]
        for deliverable in assignment.deliverables.all():
            due = deliverable.due_date.strftime("%d/%m/%Y") if deliverable.due_date else ""
            lines.append(f"* {deliverable.title} | {due} | {deliverable.get_status_display()}")
    return "\n".join(lines)


class ParticipantForm(CleanModelForm):
    class Meta:
        model = Participant
        fields = ["name", "institution", "sector", "sex", "contact"]


class ParticipantImportForm(CleanForm):
    attendance_list = forms.FileField(
        label=_("Listado de asistencia (.xlsx o .csv)"),
        help_text=_("Columnas: Nombre, Institución, Sector, Sexo, Contacto. El CSV en UTF-8, separado por «;» o «,»."),
    )


class ActivityEvidenceForm(CleanModelForm):
    class Meta:
        model = ActivityEvidence
        fields = ["kind", "title", "document"]
        help_texts = {"document": _("PDF, PNG, JPG, Word (.docx) o Excel (.xlsx).")}


class MeansOfVerificationForm(CleanForm):
    title = forms.CharField(label=_("Medio de verificación"), max_length=300)
    document = forms.FileField(
        label=_("Archivo"), required=False, help_text=_("Opcional. PDF, PNG, JPG, Word (.docx) o Excel (.xlsx).")
    )


class DeliverableFileForm(CleanForm):
    document = forms.FileField(label=_("Archivo"), help_text=_("PDF, PNG, JPG, Word (.docx) o Excel (.xlsx)."))


class ReachFilterForm(CleanForm):
    year = forms.TypedChoiceField(label=_("Año"), required=False, coerce=int, empty_value=None)
    project = forms.TypedChoiceField(label=_("Proyecto"), required=False, coerce=int, empty_value=None)
    purpose = forms.ChoiceField(label=_("Propósito"), required=False)

    def __init__(self, *args: Any, years: list[int], projects: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("Todos"))]
        self.fields["year"].choices = everything + [(year, str(year)) for year in years]  # type: ignore[attr-defined]
        self.fields["project"].choices = everything + list(projects)  # type: ignore[attr-defined]
        self.fields["purpose"].choices = everything + list(Purpose.choices)  # type: ignore[attr-defined]
