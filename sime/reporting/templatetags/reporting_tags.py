"""Small tags for the instrument form: an item has a dozen error slots and there may be 200 items, so
these render with format_html instead of an {% include %} per slot (includes dominated page time)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def error_slot(item: Any, field: str, errors: Any = None) -> str:
    """The element autosave fills or clears for one field (`err-a12-status`)."""
    messages = (errors or {}).get(field, []) if isinstance(errors, dict) else []
    return format_html(
        '<div id="err-{}{}-{}" class="invalid-feedback d-block">{}</div>',
        item.kind_prefix,
        item.pk,
        field,
        " ".join(str(m) for m in messages),
    )


@register.simple_tag
def oob_error_slot(item: Any, field: str, errors: Any = None) -> str:
    """The same slot, marked for htmx's out-of-band swap in the autosave answer."""
    messages = (errors or {}).get(field, []) if isinstance(errors, dict) else []
    return format_html(
        '<div id="err-{}{}-{}" class="invalid-feedback d-block" hx-swap-oob="true">{}</div>',
        item.kind_prefix,
        item.pk,
        field,
        " ".join(str(m) for m in messages),
    )
