"""Sections that higher apps add to the *Informe de monitoreo*, without `analytics` importing them.

`settings.MONITORING_REPORT_SECTIONS` lists dotted paths to provider functions:

    def provider(policy: Policy, *, year: int, until: datetime.date) -> ReportSection | None

Each provider returns its section as data (a title, paragraphs and tables of text cells) or None
to leave it out; the DOCX and PDF renderers draw every section the same way, numbered after
«7. Socialización» and before the annexes. Providers are called inside the builder's Spanish
translation override, in the order listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from sime.policy.models import Policy


@dataclass(frozen=True)
class SectionTable:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    numeric: tuple[int, ...] = ()  # columns aligned right
    empty_text: str = ""  # shown instead of the table when it has no rows


@dataclass(frozen=True)
class ReportSection:
    title: str  # without its number: the report numbers it
    paragraphs: tuple[str, ...] = ()
    tables: tuple[SectionTable, ...] = ()


SectionProvider = Callable[..., ReportSection | None]


def section_providers() -> list[SectionProvider]:
    return [import_string(path) for path in getattr(settings, "MONITORING_REPORT_SECTIONS", ())]


def extra_sections(policy: Policy, *, year: int, until: dt.date) -> tuple[ReportSection, ...]:
    sections = (provider(policy, year=year, until=until) for provider in section_providers())
    return tuple(section for section in sections if section is not None)
