"""Form widgets shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# Guatemala writes dates day first; the browser's own date picker would follow the browser's
# language (mm/dd/yyyy in an English browser), so dates are typed as text in one format.
DATE_FORMAT = "%d/%m/%Y"


class DateInput(forms.DateInput):
    """A date typed as dd/mm/aaaa whatever the browser's language (ISO dates are accepted too)."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {
            "placeholder": _("dd/mm/aaaa"),
            "inputmode": "numeric",
            "autocomplete": "off",
            "maxlength": "10",
            "class": "date-input",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format=DATE_FORMAT)
