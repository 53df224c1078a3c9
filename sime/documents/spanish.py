"""Spanish (es-GT) wording of dates and periods for official documents, independent of the UI language."""

from __future__ import annotations

import datetime as dt

from sime.core.formatting import SPANISH_MONTHS

MONTHS = SPANISH_MONTHS


def long_date(day: dt.date) -> str:
    """`5 de marzo de 2024`."""
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"


def date_range(start: dt.date, end: dt.date | None) -> str:
    """`5 de marzo de 2024`, `5 al 7 de marzo de 2024`, `30 de abril al 2 de mayo de 2024`."""
    if end is None or end == start:
        return long_date(start)
    if start.year != end.year:
        return f"{long_date(start)} al {long_date(end)}"
    if start.month != end.month:
        return f"{start.day} de {MONTHS[start.month - 1]} al {long_date(end)}"
    return f"{start.day} al {long_date(end)}"


def month_range(start: dt.date, end: dt.date) -> str:
    """`Mayo a agosto 2024`, `Mayo 2024`, `Noviembre 2024 a febrero 2025`."""
    first = MONTHS[start.month - 1].capitalize()
    if (start.year, start.month) == (end.year, end.month):
        return f"{first} {start.year}"
    if start.year == end.year:
        return f"{first} a {MONTHS[end.month - 1]} {end.year}"
    return f"{first} {start.year} a {MONTHS[end.month - 1]} {end.year}"
