"""The scale generator at a tiny size: facts add up, match what approval would publish, and repeat."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command

from sime.analytics.scale import Shape, fact_rows_of, generate, generate_peer
from sime.policy.models import Policy
from sime.reporting.facts import facts_of
from sime.reporting.models import ApprovedFact, Submission

pytestmark = pytest.mark.django_db

TINY = Shape(years=2, institutions=5, lines=6, indicators=20)


def test_parts_add_up_to_totals_and_match_what_approval_publishes() -> None:
    result = generate(facts=2000, seed=1, policy_code="PM-T1", shape=TINY)
    facts = ApprovedFact.objects.filter(period__policy=result.policy)
    assert 1500 < result.facts <= 2000
    assert facts.count() == result.facts
    assert facts.filter(kind="beneficiaries").exists() and facts.exclude(dimension="").exists()

    totals: dict[tuple[object, ...], Decimal] = {}
    parts: dict[tuple[object, ...], Decimal] = defaultdict(Decimal)
    rows = facts.filter(indicator__measure_type__in=["count", None]).values_list(
        "submission_id", "kind", "indicator_id", "action_id", "dimension", "value"
    )
    for submission_id, kind, indicator_id, action_id, dimension, value in rows:
        subject = (submission_id, kind, indicator_id, action_id)
        if dimension:
            parts[(*subject, dimension)] += value
        else:
            totals[subject] = value
    assert parts
    for (*subject, _dimension), value in parts.items():
        assert totals[tuple(subject)] == value

    def normal(rows: object) -> list[tuple[object, ...]]:
        return sorted(rows)  # type: ignore[call-overload]

    fields = ("kind", "indicator_id", "action_id", "dimension", "category", "value", "numerator", "denominator")
    for submission in Submission.objects.filter(period__policy=result.policy).select_related("period"):
        published = normal(tuple(getattr(f, name) for name in fields) for f in facts_of(submission))
        stored = normal(ApprovedFact.objects.filter(submission=submission).values_list(*fields))
        assert stored == published


def test_the_same_seed_gives_the_same_rows() -> None:
    call_command(
        "generate_monitoring_scale",
        "--facts=2000",
        "--seed=3",
        "--policy-code=PM-A",
        "--years=2",
        "--institutions=5",
        "--lines=6",
        "--indicators=20",
        stdout=None,
    )
    generate(facts=2000, seed=3, policy_code="PM-B", shape=TINY)
    generate(facts=2000, seed=4, policy_code="PM-C", shape=TINY)
    first, second, other = (list(fact_rows_of(Policy.objects.get(code=code))) for code in ("PM-A", "PM-B", "PM-C"))
    assert first == second
    assert len(other) == len(first) and other != first


def test_peer_shape_has_one_value_per_indicator_and_month() -> None:
    policy = generate_peer(indicators=15)
    assert policy.indicators.count() == 15
    assert ApprovedFact.objects.filter(period__policy=policy).count() == 15 * 12
    with pytest.raises(ValueError, match="ya existe"):
        generate_peer(indicators=15)
