from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from sime.core.widgets import DateInput


class AuditFilterForm(forms.Form):
    text = forms.CharField(label=_("Buscar"), required=False)
    actor = forms.IntegerField(label=_("Usuario"), required=False, widget=forms.Select)
    institution = forms.IntegerField(label=_("Institución"), required=False, widget=forms.Select)
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
