"""The one way in for numbers people type or upload: web forms of the instrument, Excel cells, imports.

A number is checked *before* `Decimal()` sees it, so a hostile or mistyped value costs nothing:
`1e1000000` is a valid Decimal whose first formatting takes seconds of CPU, and `1e30` overflows an
integer column. Accepted, as people write numbers in Guatemala: `1234.5`, `1,234.50`, `Q 1,234.50`,
`-3`, `.5`; the comma only groups thousands (`12,5` is refused rather than read as 125), and
scientific notation, NaN and infinities are refused. Numbers from Excel cells arrive as int or float
and get the same bounds. The way out (es-GT formatting) is `sime.core.formatting`.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from sime.core.formatting import format_number

MAX_LENGTH = 30  # characters of typed text, thousands separators and "Q" included
MAX_INTEGER_DIGITS = 15  # digits before the decimal point; no field of SIME-PM holds more
MAX_FRACTION_DIGITS = 20  # beyond any field's decimal places; bounds Decimal and float input alike
# PositiveIntegerField holds up to 2,147,483,647 on every database SIME-PM runs on.
MAX_COUNT = 2_147_483_647
# Ids and versions a request body may name: the range of an integer column on every database.
MAX_ID = MAX_COUNT

_TYPED = re.compile(r"(?P<sign>[+-]?)(?P<whole>\d{1,3}(?:,\d{3})+|\d*)(?:\.(?P<fraction>\d*))?", re.ASCII)


class NumberError(ValueError):
    """A number that was refused; `str(error)` is the Spanish message for the field or cell.

    `code` tells why: "invalid" (not a number at all), "too_long", "exponent", "not_finite",
    "decimal_comma", "too_big", "too_precise", "not_a_count"."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def _not_a_number() -> NumberError:
    return NumberError(_("Escriba un número, por ejemplo 1,234.50."), "invalid")


def _not_finite() -> NumberError:
    return NumberError(_("Escriba un número finito, por ejemplo 1,234.50."), "not_finite")


def _too_many_digits(max_integer_digits: int) -> NumberError:
    return NumberError(
        _("El número tiene más de %(max)s cifras antes del punto decimal.") % {"max": max_integer_digits}, "too_big"
    )


def _check_size(number: Decimal, max_integer_digits: int) -> Decimal:
    if not number.is_finite():
        raise _not_finite()
    if number and number.adjusted() >= max_integer_digits:
        raise _too_many_digits(max_integer_digits)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_FRACTION_DIGITS:
        raise NumberError(_("El número tiene más de %(max)s decimales.") % {"max": MAX_FRACTION_DIGITS}, "too_precise")
    return number


def _from_text(raw: str) -> Decimal:
    text = raw.strip()
    if len(text) > MAX_LENGTH:
        raise NumberError(_("El número tiene más de %(max)s caracteres.") % {"max": MAX_LENGTH}, "too_long")
    if text[:1] in ("Q", "q"):
        text = text[1:].lstrip()
    lowered = text.lower()
    if re.fullmatch(r"[+-]?(s?nan\d*|inf|infinity)", lowered):
        raise _not_finite()
    if "e" in lowered and re.fullmatch(r"[+-]?[\d.,]+e[+-]?\d+", lowered):
        raise NumberError(_("Escriba el número sin notación científica (sin «e»), por ejemplo 1,234.50."), "exponent")
    match = _TYPED.fullmatch(text)
    if match is None or not (match["whole"] or match["fraction"]):
        if re.fullmatch(r"[+-]?\d+,\d{1,2}", text):
            raise NumberError(
                _("La coma separa miles y el punto los decimales: escriba por ejemplo 1,234.50 o 12.5."),
                "decimal_comma",
            )
        raise _not_a_number()
    whole = match["whole"].replace(",", "") or "0"
    fraction = f".{match['fraction']}" if match["fraction"] else ""
    return Decimal(f"{match['sign']}{whole}{fraction}")


def parse_decimal(value: Any, *, max_integer_digits: int = MAX_INTEGER_DIGITS) -> Decimal:
    """A Decimal from typed text, an Excel number (int or float) or a Decimal; raises NumberError.

    Typed text is at most MAX_LENGTH characters and has no exponent; every number has at most
    `max_integer_digits` digits before the point (callers pass their field's limit)."""
    if isinstance(value, bool):
        raise _not_a_number()
    if isinstance(value, int):
        if abs(value) >= 10**max_integer_digits:
            raise _too_many_digits(max_integer_digits)
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _not_finite()
        if abs(value) >= 10.0**max_integer_digits:
            raise _too_many_digits(max_integer_digits)
        # repr() is the shortest text that reads back as the same float: 0.1 → "0.1", not 0.1000000000000000055…
        return _check_size(Decimal(repr(value)), max_integer_digits)
    if isinstance(value, Decimal):
        return _check_size(value, max_integer_digits)
    if not isinstance(value, str):
        raise _not_a_number()
    return _check_size(_from_text(value), max_integer_digits)


def parse_count(value: Any, *, maximum: int = MAX_COUNT) -> int:
    """A whole number from 0 to `maximum` (people, events), from text or an Excel cell; raises NumberError."""
    number = parse_decimal(value)
    if number < 0 or number != number.to_integral_value():
        raise NumberError(_("Escriba un número entero mayor o igual a cero."), "not_a_count")
    if number > maximum:
        raise NumberError(_("El número no puede pasar de %(max)s.") % {"max": format_number(maximum)}, "too_big")
    return int(number)


def parse_id(text: Any) -> int | None:
    """The id in a query parameter or input name («12»), or None: only ASCII digits, at most 18 of
    them, so a pasted «٣» or a 40-digit number never reaches a query (SQLite overflows past 2⁶³)."""
    if not isinstance(text, str) or not 0 < len(text) <= 18 or not text.isascii() or not text.isdigit():
        return None
    return int(text)
