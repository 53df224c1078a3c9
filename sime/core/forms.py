"""Forms shared by every app, and the base every form of SIME-PM derives from."""

from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from sime.core.numbers import MAX_ID
from sime.core.text import strip_control_characters
from sime.core.widgets import DateInput


def _cleaned(values: list[Any]) -> list[Any]:
    return [strip_control_characters(value) if isinstance(value, str) else value for value in values]


class CleanTextMixin:
    """Text typed or pasted into any field arrives without control characters (U+000B and the like).

    One such character saved in a text breaks every Excel and Word export containing it, so the form
    drops them from its data before any field reads it; tabs and line breaks stay, and passwords are
    left exactly as typed. Every form of SIME-PM derives from CleanForm or CleanModelForm (a test
    checks it)."""

    data: Any
    fields: dict[str, forms.Field]
    is_bound: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            return
        kept = {
            self.add_prefix(name)  # type: ignore[attr-defined]
            for name, field in self.fields.items()
            if isinstance(field.widget, forms.PasswordInput)
        }
        data = self.data.copy()  # QueryDict.copy() is a mutable deep copy
        if hasattr(data, "setlist"):
            for key, values in self.data.lists():
                if key not in kept:
                    data.setlist(key, _cleaned(values))
        else:
            data = {key: value if key in kept else _cleaned([value])[0] for key, value in data.items()}
        self.data = data


def posted_text(data: Any, key: str) -> str:
    """A text of a POST that a view reads without a form, cleaned as CleanTextMixin cleans a form's."""
    return strip_control_characters(data.get(key, ""))


class CleanForm(CleanTextMixin, forms.Form):
    pass


class CleanModelForm(CleanTextMixin, forms.ModelForm):
    pass


class AuditFilterForm(CleanForm):
    text = forms.CharField(label=_("Buscar"), required=False)
    actor = forms.IntegerField(label=_("Usuario"), required=False, max_value=MAX_ID, widget=forms.Select)
    institution = forms.IntegerField(label=_("Institución"), required=False, max_value=MAX_ID, widget=forms.Select)
    content_type = forms.ModelChoiceField(
        label=_("Tipo de objeto"),
        queryset=ContentType.objects.filter(app_label__in=["accounts", "institutions", "core"]).order_by("model"),
        required=False,
        empty_label=_("Todos"),
    )
    object_id = forms.CharField(label=_("Id del objeto"), required=False)
    date_from = forms.DateField(label=_("Desde"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Hasta"), required=False, widget=DateInput())

    def __init__(self, *args, actor_choices=(), institution_choices=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["actor"].widget.choices = [("", _("Todos")), *list(actor_choices)]
        self.fields["institution"].widget.choices = [("", _("Todas")), *list(institution_choices)]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("La fecha final no puede ser anterior a la inicial."))
        return data
