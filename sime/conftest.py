"""Fixtures shared by the apps' tests: one person per role around two institutions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from sime.accounts.models import User
from sime.accounts.roles import Role
from sime.accounts.tests.factories import UserFactory
from sime.institutions.models import FocalPointRole, Institution, Sector
from sime.institutions.tests.factories import FocalPointFactory, InstitutionFactory


@dataclass
class Cast:
    """`home` is the focal points' institution; `other` belongs to the outsider."""

    home: Institution
    other: Institution
    agency: Institution
    admin: User
    analyst: User
    technical: User
    planning: User
    authority: User
    cooperant: User
    outsider: User
    # Filled by the `framework` fixture.
    policy: Any = None
    action_node: Any = None
    indicator: Any = None
    causal_link: Any = None
    project: Any = None
    activity: Any = None
    # Filled by the `reporting` fixture.
    period: Any = None
    submission: Any = None
    other_submission: Any = None
    action_item: Any = None
    indicator_item: Any = None
    evidence: Any = None

    def by_role(self) -> dict[str, User]:
        return {
            "admin": self.admin,
            "analyst": self.analyst,
            "technical": self.technical,
            "planning": self.planning,
            "authority": self.authority,
            "cooperant": self.cooperant,
            "outsider": self.outsider,
        }


@pytest.fixture
def cast(db: None) -> Cast:
    home = InstitutionFactory(name="Ministerio de Relaciones Exteriores", acronym="MINEX")
    other = InstitutionFactory(name="Ministerio de Gobernación", acronym="MINGOB")
    agency = InstitutionFactory(
        name="Organización Internacional para las Migraciones",
        acronym="OIM",
        sector=Sector.INTERNATIONAL_COOPERATION,
        is_linked=False,
    )
    technical = FocalPointFactory(institution=home, role=FocalPointRole.TECHNICAL, user__full_name="Técnica Minex").user
    planning = FocalPointFactory(
        institution=home,
        role=FocalPointRole.PLANNING,
        user__role=Role.FOCAL_PLANNING,
        user__full_name="Planifica Minex",
    ).user
    outsider = FocalPointFactory(institution=other, role=FocalPointRole.TECHNICAL, user__full_name="Enlace Mingob").user
    return Cast(
        home=home,
        other=other,
        agency=agency,
        admin=UserFactory(role=Role.ADMIN, full_name="Admin DEPM"),
        analyst=UserFactory(role=Role.ANALYST, full_name="Analista DEPM"),
        technical=technical,
        planning=planning,
        authority=UserFactory(role=Role.AUTHORITY, full_name="Autoridad AMN"),
        cooperant=UserFactory(role=Role.COOPERANT, institution=agency, full_name="Cooperante OIM"),
        outsider=outsider,
    )


@pytest.fixture
def framework(cast: Cast) -> Cast:
    """A small policy: one axis down to two lines of action, MINEX leading one of them."""
    from sime.policy.tests.factories import link, make_indicator, make_node, make_policy

    policy, levels = make_policy()
    axis = make_node(policy, levels[0], "1", title="Derechos humanos", order=1)
    objective = make_node(policy, levels[1], "OE1", axis, order=2)
    strategic = make_node(policy, levels[2], "1.1", objective, order=3)
    first = make_node(policy, levels[3], "1.1.1", strategic, title="Protocolo de recepción de NNA", order=4)
    second = make_node(policy, levels[3], "1.1.2", strategic, title="Red de albergues", order=5)
    from sime.policy.models import Action

    Action.objects.create(node=first, lead_institution=cast.home).co_responsible.set([cast.other])
    Action.objects.create(node=second, lead_institution=cast.other)
    cast.policy = policy
    cast.action_node = first
    cast.indicator = make_indicator(first, "IND-1", cast.home)
    cast.causal_link = link(first, second)

    from sime.activities.tests.factories import make_activity, make_project

    cast.project = make_project(cast.agency)  # funded by OIM, the cooperant's agency
    cast.activity = make_activity(cast.project)
    return cast


@pytest.fixture
def reporting(framework: Cast) -> Cast:
    """An open annual period 2026: MINEX's instrument has action 1.1.1 and IND-1, with one evidence file."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from sime.reporting import evidence, services

    cast = framework
    cast.period = services.create_period(
        by=cast.admin,
        policy=cast.policy,
        kind="year",
        year=2026,
        number=1,
        opens_on=dt.date(2026, 12, 1),
        closes_on=dt.date(2027, 1, 31),
    )
    services.open_period(by=cast.admin, period=cast.period)
    cast.submission = cast.period.submissions.get(institution=cast.home)
    cast.other_submission = cast.period.submissions.get(institution=cast.other)
    cast.action_item = cast.submission.actionprogress_items.get()
    cast.indicator_item = cast.submission.indicatorvalue_items.get()
    cast.evidence = evidence.add_evidence(
        by=cast.technical,
        submission=cast.submission,
        item=cast.action_item,
        upload=SimpleUploadedFile("acta.pdf", b"%PDF-1.4 acta", "application/pdf"),
    )
    return cast


def fill_instrument(cast: Cast, *, value: Any = 37, percent: Any = 45, **action: Any) -> None:
    """MINEX's two items filled through the services, as the técnica would: IND-1 = `value`, and
    line 1.1.1 in progress at `percent` % (with any other `action` values). Reads the items afresh,
    so it can be called again after a return."""
    from decimal import Decimal

    from sime.reporting import services

    indicator = type(cast.indicator_item).objects.get(pk=cast.indicator_item.pk)
    services.save_item(by=cast.technical, item=indicator, values={"value": Decimal(value)}, version=indicator.version)
    line = type(cast.action_item).objects.get(pk=cast.action_item.pk)
    values = {"status": "in_progress", "progress_percent": Decimal(percent), **action}
    services.save_item(by=cast.technical, item=line, values=values, version=line.version)


def sign_and_send(cast: Cast) -> None:
    """The técnica completes, planificación gives the visto bueno, and the instrument goes to DEPM."""
    from sime.reporting import services

    services.sign_technical(by=cast.technical, submission=cast.submission)
    services.sign_planning(by=cast.planning, submission=cast.submission)
    services.send_submission(by=cast.technical, submission=cast.submission)


def approve_instrument(cast: Cast, submission: Any, *, technical: Any, planning: Any | None = None) -> Any:
    """Sign, send, review and approve a filled instrument through the services (as people do)."""
    from sime.reporting import services

    services.sign_technical(by=technical, submission=submission)
    if planning is not None:
        services.sign_planning(by=planning, submission=submission)
    services.send_submission(by=technical, submission=submission)
    services.start_review(by=cast.analyst, submission=submission)
    return services.approve_submission(by=cast.analyst, submission=submission)


@pytest.fixture
def monitoring(reporting: Cast) -> Cast:
    """The `reporting` cast with MINEX's 2026 instrument approved: action 1.1.1 in progress at 40 %
    (budget Q 1,000.00 allocated, Q 250.50 executed, 30 beneficiaries) and IND-1 = 60 against a 2026
    target of 100. MINGOB's instrument stays a draft with a value saved (never shown by monitoring)."""
    from decimal import Decimal

    from sime.policy.models import IndicatorTarget
    from sime.reporting import services

    cast = reporting
    IndicatorTarget.objects.create(indicator=cast.indicator, year=2026, value=Decimal(100))
    services.save_item(
        by=cast.technical,
        item=cast.action_item,
        values={
            "status": "in_progress",
            "progress_percent": Decimal(40),
            "budget_allocated": Decimal("1000.00"),
            "budget_executed": Decimal("250.50"),
            "beneficiaries_total": 30,
        },
        version=cast.action_item.version,
    )
    services.save_item(
        by=cast.technical, item=cast.indicator_item, values={"value": Decimal(60)}, version=cast.indicator_item.version
    )
    cast.submission = approve_instrument(cast, cast.submission, technical=cast.technical, planning=cast.planning)
    draft_item = cast.other_submission.actionprogress_items.get(action__node=cast.action_node)
    services.save_item(
        by=cast.outsider,
        item=draft_item,
        values={"status": "delayed", "progress_percent": Decimal(5), "obstacles": "Sin fondos"},
        version=draft_item.version,
    )
    return cast
