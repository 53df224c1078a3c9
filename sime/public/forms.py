from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sime.core.forms import CleanForm


class UnpublishForm(CleanForm):
    reason = forms.CharField(
        label=_("Motivo del retiro"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Queda en el registro de publicaciones."),
    )


class PublicSearchForm(CleanForm):
    q = forms.CharField(label=_("Buscar en el portal"), max_length=100, required=False)
