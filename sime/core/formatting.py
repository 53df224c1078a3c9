"""Guatemalan number formats, independent of the active language: 163,947.00 and Q 163,947.00."""

from decimal import ROUND_HALF_UP, Decimal

CENTAVO = Decimal("0.01")
# Month names of official Spanish wording (documents, period names), whatever the UI language.
SPANISH_MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)


def format_amount(value: Decimal | int | str | None) -> str:
    """`23421` → `23,421.00`; exact (Decimal, rounded half-up to the centavo)."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value)).quantize(CENTAVO, rounding=ROUND_HALF_UP)
    return f"{amount:,.2f}"


def format_number(value: Decimal | int | str | None) -> str:
    """A measured value as written in es-GT, without needless zeros: `55181` → `55,181`, `9.090` → `9.09`."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{number.quantize(Decimal(1)):,}"
    return f"{number.normalize():,f}"


def format_money(value: Decimal | int | str | None) -> str:
    """`163947.5` → `Q 163,947.50`."""
    text = format_amount(value)
    return f"Q {text}" if text else ""
