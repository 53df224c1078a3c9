from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

DJANGO_EMPTY_LABEL = "---------"

register = template.Library()


@register.filter
def bootstrap(field: BoundField) -> SafeString:
    """Render a field's widget with Bootstrap classes and the ARIA links to its help and errors."""
    widget = field.field.widget
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
        _spanish_empty_choice(field.field)
    elif isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_error")
    attrs: dict[str, str | bool] = {"class": f"{widget.attrs.get('class', '')} {css}".strip()}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


def _spanish_empty_choice(field: forms.Field) -> None:
    """Django's "---------" empty choice reads "Seleccione…" (the form's own copy of the field)."""
    if getattr(field, "empty_label", None) == DJANGO_EMPTY_LABEL:
        field.empty_label = _("Seleccione…")  # type: ignore[attr-defined]
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        choices = list(field.choices)  # type: ignore[arg-type]
        if choices and choices[0] == ("", DJANGO_EMPTY_LABEL):
            field.choices = [("", _("Seleccione…")), *choices[1:]]
