from decimal import Decimal

from django import template

from sime.core.formatting import format_amount, format_money, format_number

register = template.Library()


@register.filter
def amount(value: Decimal | int | str | None) -> str:
    return format_amount(value)


@register.filter
def money(value: Decimal | int | str | None) -> str:
    return format_money(value)


@register.filter
def number(value: Decimal | int | str | None) -> str:
    return format_number(value)


@register.filter
def year(value: int | str | None) -> str:
    """A year as people write it: 2024, never the localized 2,024."""
    if value is None or value == "":
        return ""
    try:
        return str(int(value))
    except (TypeError, ValueError):
        return str(value)
