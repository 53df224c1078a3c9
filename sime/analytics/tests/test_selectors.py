from __future__ import annotations

import datetime as dt

import pytest

from sime.analytics.selectors import approved_values, default_reading, monitored_policy
from sime.conftest import Cast
from sime.policy.models import PolicyStatus
from sime.policy.tests.factories import make_policy

pytestmark = pytest.mark.django_db


def test_monitored_policy_is_the_active_one_else_the_latest() -> None:
    assert monitored_policy() is None
    older, _levels = make_policy("PM-A", start_year=2015, end_year=2022)
    newer, _levels = make_policy("PM-B", start_year=2023, end_year=2032)
    assert monitored_policy() == newer
    older.status = PolicyStatus.ACTIVE
    older.save(update_fields=["status"])
    assert monitored_policy() == older


def test_default_reading(monitoring: Cast) -> None:
    assert default_reading(monitoring.policy) == (2026, dt.date(2026, 12, 31))


def test_default_reading_without_approvals_keeps_inside_the_horizon(reporting: Cast) -> None:
    policy = reporting.policy  # 2023–2032, nothing approved yet
    assert default_reading(policy, today=dt.date(2027, 5, 1)) == (2027, None)
    assert default_reading(policy, today=dt.date(2040, 5, 1)) == (2032, None)
    assert default_reading(policy, today=dt.date(2020, 5, 1)) == (2023, None)


def test_approved_values_leave_drafts_out(monitoring: Cast, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(1):
        rows = approved_values(monitoring.indicator)
    assert [(r.institution_acronym, r.period_code, r.value, r.approved_by) for r in rows] == [
        ("MINEX", "2026", 60, "Analista DEPM")
    ]
    assert approved_values(monitoring.indicator, until=dt.date(2026, 6, 30)) == []
