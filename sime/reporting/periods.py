"""Reporting period arithmetic: kinds, codes and dates (the fiscal year is the calendar year)."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from sime.core.formatting import SPANISH_MONTHS


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Mensual")
    QUARTER = "quarter", _("Trimestral")
    FOUR_MONTH = "four_month", _("Cuatrimestral")
    SEMESTER = "semester", _("Semestral")
    YEAR = "year", _("Anual")


# Months per period of each kind, and the letter of its code (2025-T1, 2025-C2, 2025-S2, 2025).
MONTHS = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.FOUR_MONTH: 4,
    PeriodKind.SEMESTER: 6,
    PeriodKind.YEAR: 12,
}
LETTER = {PeriodKind.MONTH: "M", PeriodKind.QUARTER: "T", PeriodKind.FOUR_MONTH: "C", PeriodKind.SEMESTER: "S"}
ORDINAL_NAME = {
    PeriodKind.QUARTER: ("Primer", "Segundo", "Tercer", "Cuarto"),
    PeriodKind.FOUR_MONTH: ("Primer", "Segundo", "Tercer"),
    PeriodKind.SEMESTER: ("Primer", "Segundo"),
}
KIND_NOUN = {PeriodKind.QUARTER: "trimestre", PeriodKind.FOUR_MONTH: "cuatrimestre", PeriodKind.SEMESTER: "semestre"}
MONTH_NAMES = SPANISH_MONTHS

# Months in a cycle of each indicator frequency (sime.policy.models.Frequency values).
FREQUENCY_MONTHS = {"monthly": 1, "quarterly": 3, "four_monthly": 4, "semiannual": 6, "annual": 12}


def periods_in_year(kind: str) -> int:
    return 12 // MONTHS[PeriodKind(kind)]


def period_dates(kind: str, year: int, number: int) -> tuple[dt.date, dt.date]:
    months = MONTHS[PeriodKind(kind)]
    if not 1 <= number <= 12 // months:
        raise ValueError(number)
    first_month = (number - 1) * months + 1
    last_month = first_month + months - 1
    return dt.date(year, first_month, 1), dt.date(year, last_month, calendar.monthrange(year, last_month)[1])


def period_code(kind: str, year: int, number: int) -> str:
    kind = PeriodKind(kind)
    if kind == PeriodKind.YEAR:
        return str(year)
    width = 2 if kind == PeriodKind.MONTH else 1
    return f"{year}-{LETTER[kind]}{number:0{width}d}"


def period_name(kind: str, year: int, number: int) -> str:
    """The Spanish name people use: «Primer cuatrimestre 2025», «Marzo 2025», «Año 2025»."""
    kind = PeriodKind(kind)
    if kind == PeriodKind.YEAR:
        return f"Año {year}"
    if kind == PeriodKind.MONTH:
        return f"{MONTH_NAMES[number - 1].capitalize()} {year}"
    return f"{ORDINAL_NAME[kind][number - 1]} {KIND_NOUN[kind]} {year}"


def indicator_due(frequency: str, period_end: dt.date) -> bool:
    """An indicator is due in a period when one of its cycles ends in the period's last month."""
    return period_end.month % FREQUENCY_MONTHS[frequency] == 0
