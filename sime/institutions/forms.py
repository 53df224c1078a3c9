from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sime.accounts.models import User
from sime.accounts.roles import FOCAL_ROLES
from sime.core.forms import CleanForm, CleanModelForm
from sime.core.widgets import DateInput
from sime.institutions.models import FocalPointRole, Institution, Sector

DATE_WIDGET = DateInput()


class InstitutionFilterForm(CleanForm):
    text = forms.CharField(label=_("Buscar por nombre o siglas"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("Todos")), *list(Sector.choices)])
    linked = forms.ChoiceField(
        label=_("Vinculación"),
        required=False,
        choices=[("", _("Todas")), ("yes", _("Vinculadas a la Política")), ("no", _("No vinculadas"))],
    )
    status = forms.ChoiceField(
        label=_("Estado"),
        required=False,
        choices=[("", _("Activas")), ("inactive", _("Inactivas")), ("all", _("Todas"))],
    )

    def selector_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        linked = {"yes": True, "no": False}.get(data.get("linked", ""))
        active = {"": True, "inactive": False, "all": None}.get(data.get("status", ""), True)
        return {"text": data.get("text", ""), "sector": data.get("sector", ""), "linked": linked, "active": active}


class InstitutionForm(CleanModelForm):
    class Meta:
        model = Institution
        fields = list(Institution.EDITABLE_FIELDS)
        widgets = {"source": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sector = self.fields["sector"]
        assert isinstance(sector, forms.ChoiceField)
        sector.choices = [("", _("— Elija un sector —")), *Sector.choices]
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.empty_label = _("— Sin departamento —")

    def clean_acronym(self) -> str:
        acronym = self.cleaned_data["acronym"].strip().upper()
        clash = Institution.objects.filter(acronym__iexact=acronym).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Ya existe una institución con estas siglas."))
        return acronym


class InstitutionContactForm(CleanModelForm):
    class Meta:
        model = Institution
        fields = list(Institution.CONTACT_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.empty_label = _("— Sin departamento —")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.is_active:
            return str(obj)
        return str(_("%(name)s (cuenta desactivada: se reactiva al designarla)") % {"name": obj})


class FocalPointDesignationForm(CleanForm):
    role = forms.ChoiceField(label=_("Tipo de enlace"), choices=FocalPointRole.choices)
    user = PersonChoiceField(
        label=_("Persona con cuenta"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— Registrar una persona nueva —"),
    )
    new_full_name = forms.CharField(label=_("Nombre completo"), required=False, max_length=200)
    new_email = forms.EmailField(label=_("Correo electrónico"), required=False)
    new_phone = forms.CharField(label=_("Teléfono"), required=False, max_length=40)
    new_position = forms.CharField(label=_("Cargo"), required=False, max_length=200)
    designated_on = forms.DateField(label=_("Fecha de designación"), widget=DATE_WIDGET)
    designation_reference = forms.CharField(
        label=_("Documento de designación"),
        required=False,
        max_length=200,
        help_text=_("Por ejemplo: Oficio 123-2025."),
    )
    designation_document = forms.FileField(label=_("Archivo del documento (PDF o imagen)"), required=False)

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("designated_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        user_field = self.fields["user"]
        assert isinstance(user_field, forms.ModelChoiceField)
        # Former focal points (deactivated when their designation ended) may be designated again.
        user_field.queryset = User.objects.filter(
            Q(institution=institution) | Q(institution__isnull=True),
            role__in=sorted(FOCAL_ROLES),
        ).order_by("-is_active", "full_name")

    def clean_designated_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["designated_on"]
        if value > timezone.localdate() + dt.timedelta(days=366):
            raise forms.ValidationError(_("La fecha de designación está demasiado lejos en el futuro."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("user") is None:
            if not data.get("new_full_name"):
                self.add_error("new_full_name", _("Elija una persona con cuenta o escriba el nombre de la nueva."))
            if not data.get("new_email"):
                self.add_error("new_email", _("Escriba el correo electrónico de la persona nueva."))
            elif User.objects.filter(email__iexact=data["new_email"]).exists():
                self.add_error("new_email", _("Ya existe una cuenta con este correo: elíjala en la lista."))
        return data


class FocalPointEndForm(CleanForm):
    ended_on = forms.DateField(label=_("Fecha de finalización"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("ended_on", timezone.localdate())
        super().__init__(*args, **kwargs)
