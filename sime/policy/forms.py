from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sime.core.forms import CleanForm, CleanModelForm
from sime.core.numbers import NumberError, parse_count
from sime.institutions.models import Institution
from sime.policy.models import (
    Action,
    GcmObjective,
    Indicator,
    KatunPriority,
    Policy,
    PolicyNode,
    SdgTarget,
    TargetPopulation,
)

# Milestone values are stored in a PositiveSmallIntegerField.
MAX_STEP = 32_767


class TreeFilterForm(CleanForm):
    text = forms.CharField(label=_("Buscar por texto o código"), required=False)
    institution = forms.ModelChoiceField(
        label=_("Institución"), queryset=Institution.objects.none(), required=False, empty_label=_("Todas")
    )
    population = forms.ModelChoiceField(
        label=_("Población objetivo"), queryset=TargetPopulation.objects.all(), required=False, empty_label=_("Todas")
    )
    axis = forms.ModelChoiceField(
        label=_("Eje"), queryset=PolicyNode.objects.none(), required=False, empty_label=_("Todos")
    )

    def __init__(self, *args: Any, policy: Policy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        institution = self.fields["institution"]
        assert isinstance(institution, forms.ModelChoiceField)
        institution.queryset = Institution.objects.filter(
            pk__in=Action.objects.filter(node__policy=policy).values("lead_institution")
        ) | Institution.objects.filter(pk__in=Action.objects.filter(node__policy=policy).values("co_responsible"))
        institution.queryset = institution.queryset.distinct().order_by("name")
        axis = self.fields["axis"]
        assert isinstance(axis, forms.ModelChoiceField)
        axis.queryset = PolicyNode.objects.filter(policy=policy, parent__isnull=True).order_by("order")

    def selector_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "text": data.get("text", ""),
            "institution_id": data["institution"].pk if data.get("institution") else None,
            "population_id": data["population"].pk if data.get("population") else None,
            "axis_id": data["axis"].pk if data.get("axis") else None,
        }

    @property
    def is_filtering(self) -> bool:
        return any(self.selector_arguments().values())


class NodeForm(CleanModelForm):
    class Meta:
        model = PolicyNode
        fields = [
            "title",
            "description",
            "order",
            "weight",
            "is_illustrative",
            "gcm_objectives",
            "sdg_targets",
            "katun_priorities",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "gcm_objectives": forms.CheckboxSelectMultiple,
            "sdg_targets": forms.CheckboxSelectMultiple,
            "katun_priorities": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, model in (
            ("gcm_objectives", GcmObjective),
            ("sdg_targets", SdgTarget),
            ("katun_priorities", KatunPriority),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = model.objects.all()
            field.required = False


class ActionForm(CleanModelForm):
    class Meta:
        model = Action
        fields = [
            "lead_institution",
            "co_responsible",
            "horizon",
            "start_year",
            "end_year",
            "target_populations",
            "expected_product",
            "estimated_budget",
        ]
        widgets = {
            "co_responsible": forms.SelectMultiple(attrs={"size": 8}),
            "target_populations": forms.CheckboxSelectMultiple,
            "expected_product": forms.Textarea(attrs={"rows": 3}),
            "estimated_budget": forms.TextInput(attrs={"inputmode": "decimal"}),
        }
        help_texts = {"estimated_budget": _("En quetzales, por ejemplo 1,234,500.00")}
        # Localised: es-GT input "1,234,500.00" is read with its thousands separators.
        localized_fields = ["estimated_budget"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("lead_institution", "co_responsible"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField)
            field.queryset = Institution.objects.filter(is_active=True).order_by("name")
        self.fields["co_responsible"].required = False
        self.fields["target_populations"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lead = data.get("lead_institution")
        if lead and lead in (data.get("co_responsible") or []):
            self.add_error("co_responsible", _("La institución responsable no puede ser también corresponsable."))
        return data


class CausalLinkForm(CleanForm):
    target = forms.ModelChoiceField(label=_("Contribuye a"), queryset=PolicyNode.objects.none())
    evidence_note = forms.CharField(
        label=_("Evidencia o supuesto"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, source: PolicyNode, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = self.fields["target"]
        assert isinstance(target, forms.ModelChoiceField)
        target.queryset = PolicyNode.objects.filter(policy_id=source.policy_id).exclude(pk=source.pk).order_by("order")
        target.label_from_instance = lambda node: f"{node.code} — {node.title[:90]}"  # type: ignore[method-assign,assignment]


class FrameworkUploadForm(CleanForm):
    workbook = forms.FileField(
        label=_("Libro de Excel (.xlsx)"),
        help_text=_("Con el formato de «Descargar Excel»: se valida completo y no se guarda nada si tiene errores."),
    )


class IndicatorForm(CleanModelForm):
    """The technical sheet, with one target field per year of the policy and the milestone scale."""

    milestone_scale = forms.CharField(
        label=_("Escala de hitos"),
        required=False,
        help_text=_("Solo para escalas de hitos: «0=No iniciado; 1=En elaboración; 2=Aprobado»."),
    )

    class Meta:
        model = Indicator
        fields = [*Indicator.SHEET_FIELDS, "dimensions"]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "numerator_definition": forms.Textarea(attrs={"rows": 2}),
            "denominator_definition": forms.Textarea(attrs={"rows": 2}),
            "means_of_verification": forms.Textarea(attrs={"rows": 2}),
            "dimensions": forms.CheckboxSelectMultiple,
            "baseline_value": forms.TextInput(attrs={"inputmode": "decimal"}),
        }
        localized_fields = ["baseline_value"]

    def __init__(self, *args: Any, policy: Policy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy
        node = self.fields["node"]
        assert isinstance(node, forms.ModelChoiceField)
        node.queryset = PolicyNode.objects.filter(policy=policy).select_related("level").order_by("order", "code")
        node.label_from_instance = lambda n: f"{n.code} — {n.title[:80]}"  # type: ignore[method-assign,assignment]
        institution = self.fields["responsible_institution"]
        assert isinstance(institution, forms.ModelChoiceField)
        institution.queryset = Institution.objects.filter(is_active=True).order_by("name")
        self.fields["dimensions"].required = False
        existing = {t.year: t.value for t in self.instance.targets.all()} if self.instance.pk else {}
        for year in self.target_years:
            self.fields[f"target_{year}"] = forms.DecimalField(
                label=_("Meta %(year)s") % {"year": year},
                required=False,
                localize=True,
                max_digits=18,
                decimal_places=4,
                initial=existing.get(year),
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
        if self.instance.pk:
            self.fields["milestone_scale"].initial = "; ".join(
                f"{s.value}={s.name}" for s in self.instance.milestone_steps.all()
            )

    @property
    def target_years(self) -> range:
        return range(self.policy.start_year, self.policy.end_year + 1)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        clash = Indicator.objects.filter(policy=self.policy, code=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Ya existe un indicador con este código en la política."))
        return code

    def clean_milestone_scale(self) -> list[tuple[int, str]]:
        steps = []
        for part in [p.strip() for p in self.cleaned_data["milestone_scale"].split(";") if p.strip()]:
            value, _sep, name = part.partition("=")
            try:
                number = parse_count(value.strip(), maximum=MAX_STEP) if name.strip() else None
            except NumberError:
                number = None
            if number is None:
                raise forms.ValidationError(_("Escriba los hitos como «0=No iniciado; 1=En proceso»."))
            steps.append((number, name.strip()))
        return steps

    def targets(self) -> dict[int, Any]:
        return {
            year: self.cleaned_data[f"target_{year}"]
            for year in self.target_years
            if self.cleaned_data.get(f"target_{year}") is not None
        }


class NodeCreateForm(CleanForm):
    code = forms.CharField(label=_("Código"), max_length=30, help_text=_("Único en la política, por ejemplo 2.1.3."))
    title = forms.CharField(label=_("Título"), max_length=500)
    description = forms.CharField(label=_("Descripción"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_illustrative = forms.BooleanField(label=_("Texto ilustrativo"), required=False)
    lead_institution = forms.ModelChoiceField(
        label=_("Institución responsable"), queryset=Institution.objects.none(), required=False
    )

    def __init__(self, *args: Any, policy: Policy, parent: PolicyNode | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy
        depth = parent.level.depth + 1 if parent else 1
        self.level = policy.levels.filter(depth=depth).first()
        lead = self.fields["lead_institution"]
        assert isinstance(lead, forms.ModelChoiceField)
        if self.level is not None and self.level.is_action_level:
            lead.queryset = Institution.objects.filter(is_active=True).order_by("name")
            lead.required = True
        else:
            del self.fields["lead_institution"]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if PolicyNode.objects.filter(policy=self.policy, code=code).exists():
            raise forms.ValidationError(_("Ya existe un nodo con este código en la política."))
        return code


class ThresholdsForm(CleanModelForm):
    class Meta:
        model = Policy
        fields = ["on_track_threshold", "at_risk_threshold", "maintain_tolerance"]
