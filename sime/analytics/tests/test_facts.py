"""Approved facts are always current by construction: approval writes them, reopening takes them
out, both in the transition's own transaction, and nothing else contributes (docs/aggregation.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from sime.analytics.aggregation import ProgressStatus
from sime.analytics.progress import framework_progress
from sime.conftest import Cast, approve_instrument
from sime.policy.models import DisaggregationCategory, DisaggregationDimension, IndicatorTarget
from sime.reporting import facts, services
from sime.reporting.models import ApprovedFact, Submission
from sime.reporting.workflow import Status

D = Decimal


def save(by: Any, item: Any, values: dict[str, Any]) -> None:
    item.refresh_from_db()
    services.save_item(by=by, item=item, values=values, version=item.version)


def fill_minex(cast: Cast, value: int, men: int, beneficiaries: int, girls: int) -> None:
    save(
        cast.technical,
        cast.action_item,
        {
            "status": "in_progress",
            "progress_percent": D(40),
            "budget_allocated": D("1000.00"),
            "budget_executed": D("250.50"),
            "beneficiaries_total": beneficiaries,
            "beneficiaries_by": {"sexo": {"M": girls, "H": beneficiaries - girls}},
        },
    )
    save(
        cast.technical,
        cast.indicator_item,
        {"value": D(value), "disaggregated": {"sexo": {"H": men, "M": value - men}}},
    )


@pytest.fixture
def filled(reporting: Cast) -> Cast:
    """MINEX's 2026 instrument filled: IND-1 = 60 (H 35, M 25), 30 beneficiaries (M 10, H 20)."""
    cast = reporting
    sexo = DisaggregationDimension.objects.create(code="sexo", name="Sexo", for_beneficiaries=True)
    for code in ("M", "H"):
        DisaggregationCategory.objects.create(dimension=sexo, code=code, name=code)
    cast.indicator.dimensions.set([sexo])
    IndicatorTarget.objects.create(indicator=cast.indicator, year=2026, value=D(100))
    fill_minex(cast, value=60, men=35, beneficiaries=30, girls=10)
    return cast


def rows(submission: Submission) -> list[tuple[Any, ...]]:
    return sorted(
        ApprovedFact.objects.filter(submission=submission).values_list(
            "kind", "dimension", "category", "value", "numerator", "denominator"
        )
    )


def expected_rows(value: int, men: int, beneficiaries: int, girls: int) -> list[tuple[Any, ...]]:
    return sorted(
        [
            ("indicator", "", "", D(value), None, None),
            ("indicator", "sexo", "H", D(men), None, None),
            ("indicator", "sexo", "M", D(value - men), None, None),
            ("beneficiaries", "", "", D(beneficiaries), None, None),
            ("beneficiaries", "sexo", "H", D(beneficiaries - girls), None, None),
            ("beneficiaries", "sexo", "M", D(girls), None, None),
        ]
    )


def send_for_review(cast: Cast, submission: Submission, technical: Any, planning: Any = None) -> Submission:
    services.sign_technical(by=technical, submission=submission)
    if planning is not None:
        services.sign_planning(by=planning, submission=submission)
    services.send_submission(by=technical, submission=submission)
    return services.start_review(by=cast.analyst, submission=submission)


def indicator_value(cast: Cast) -> Decimal | None:
    [item] = framework_progress(cast.policy, year=2026).indicators
    return item.year_aggregate.value if item.year_aggregate else None


def test_approving_writes_one_row_per_value_and_per_category(filled: Cast) -> None:
    cast = filled
    send_for_review(cast, cast.submission, cast.technical, cast.planning)
    assert rows(cast.submission) == []  # nothing before the approval
    services.approve_submission(by=cast.analyst, submission=cast.submission)
    assert rows(cast.submission) == expected_rows(value=60, men=35, beneficiaries=30, girls=10)
    subjects = set(
        ApprovedFact.objects.values_list(
            "submission_id", "period_id", "institution_id", "year", "period_end", "indicator_id", "action_id"
        )
    )
    assert subjects == {
        (cast.submission.pk, cast.period.pk, cast.home.pk, 2026, dt.date(2026, 12, 31), cast.indicator.pk, None),
        (
            cast.submission.pk,
            cast.period.pk,
            cast.home.pk,
            2026,
            dt.date(2026, 12, 31),
            None,
            cast.action_node.action.pk,
        ),
    }


def test_reopening_removes_the_instruments_facts_and_only_those(filled: Cast) -> None:
    cast = filled
    cast.other.planning_signoff_exempt = True
    cast.other.save()
    for item in cast.other_submission.actionprogress_items.all():
        save(cast.outsider, item, {"status": "in_progress", "progress_percent": D(10), "beneficiaries_total": 4})
    approve_instrument(cast, cast.submission, technical=cast.technical, planning=cast.planning)
    approve_instrument(cast, cast.other_submission, technical=cast.outsider)
    mingob_rows = [("beneficiaries", "", "", D(4), None, None)] * 2  # its two lines of action
    assert rows(cast.other_submission) == mingob_rows

    services.reopen_submission(by=cast.admin, submission=cast.submission, reason="Corregir el valor de IND-1")
    assert Submission.objects.get(pk=cast.submission.pk).status == Status.RETURNED
    assert rows(cast.submission) == []
    assert rows(cast.other_submission) == mingob_rows


def test_approving_again_after_a_correction_counts_the_new_value_once(filled: Cast) -> None:
    cast = filled
    approve_instrument(cast, cast.submission, technical=cast.technical, planning=cast.planning)
    assert indicator_value(cast) == D(60)
    services.reopen_submission(by=cast.admin, submission=cast.submission, reason="Corregir el valor de IND-1")
    fill_minex(cast, value=70, men=38, beneficiaries=32, girls=12)
    approve_instrument(cast, cast.submission, technical=cast.technical, planning=cast.planning)

    assert rows(cast.submission) == expected_rows(value=70, men=38, beneficiaries=32, girls=12)
    progress = framework_progress(cast.policy, year=2026, with_parts=True)
    [item] = progress.indicators
    assert item.year_aggregate.value == D(70)  # not 130
    assert dict(item.year_aggregate.parts) == {("sexo", "H"): D(38), ("sexo", "M"): D(32)}
    assert progress.beneficiaries_total == D(32)
    assert progress.beneficiaries == {"sexo": {"H": D(20), "M": D(12)}}
    # Publishing replaces: publishing the same instrument again changes nothing.
    facts.publish_facts(Submission.objects.get(pk=cast.submission.pk))
    assert rows(cast.submission) == expected_rows(value=70, men=38, beneficiaries=32, girls=12)


class Rollback(Exception):
    pass


def test_facts_are_written_and_withdrawn_inside_the_transitions_transaction(filled: Cast) -> None:
    cast = filled
    send_for_review(cast, cast.submission, cast.technical, cast.planning)
    with pytest.raises(Rollback), transaction.atomic():
        services.approve_submission(by=cast.analyst, submission=cast.submission)
        # Visible before the transaction ends, to the same reader the pages use.
        assert rows(cast.submission) == expected_rows(value=60, men=35, beneficiaries=30, girls=10)
        assert indicator_value(cast) == D(60)
        raise Rollback
    # The approval failed as a whole: no status change, no facts.
    assert Submission.objects.get(pk=cast.submission.pk).status == Status.IN_REVIEW
    assert ApprovedFact.objects.count() == 0
    assert indicator_value(cast) is None

    services.approve_submission(by=cast.analyst, submission=cast.submission)
    with pytest.raises(Rollback), transaction.atomic():
        services.reopen_submission(by=cast.admin, submission=cast.submission, reason="Revisar")
        assert rows(cast.submission) == []
        assert indicator_value(cast) is None
        raise Rollback
    assert Submission.objects.get(pk=cast.submission.pk).status == Status.APPROVED
    assert rows(cast.submission) == expected_rows(value=60, men=35, beneficiaries=30, girls=10)


def test_an_instrument_that_is_not_approved_contributes_nothing(filled: Cast) -> None:
    cast = filled
    cast.other.planning_signoff_exempt = True
    cast.other.save()
    approve_instrument(cast, cast.submission, technical=cast.technical, planning=cast.planning)
    mingob = cast.other_submission
    for item in mingob.actionprogress_items.all():
        save(cast.outsider, item, {"status": "delayed", "progress_percent": D(5), "obstacles": "Sin fondos"})

    def seen() -> tuple[list[tuple[Any, ...]], list[str], Decimal | None]:
        progress = framework_progress(cast.policy, year=2026)
        line = progress.node(cast.action_node.pk)
        return rows(mingob), [r.institution_name for r in line.reports], line.percent

    only_minex = ([], ["MINEX"], D("40.00"))
    assert seen() == only_minex  # draft
    services.sign_technical(by=cast.outsider, submission=mingob)
    services.send_submission(by=cast.outsider, submission=mingob)
    assert seen() == only_minex  # sent
    services.start_review(by=cast.analyst, submission=mingob)
    assert seen() == only_minex  # in review
    services.return_submission(by=cast.analyst, submission=mingob, general_comment="Revise el avance")
    assert seen() == only_minex  # returned
    services.sign_technical(by=cast.outsider, submission=mingob)
    services.send_submission(by=cast.outsider, submission=mingob)
    services.start_review(by=cast.analyst, submission=mingob)
    services.approve_submission(by=cast.analyst, submission=mingob)
    assert seen() == ([], ["MINEX", "MINGOB"], D("22.50"))  # approved: (40 + 5) / 2; no values to publish


def test_the_builder_shows_a_value_right_after_approval_and_not_after_reopening(monitoring: Cast) -> None:
    cast = monitoring
    progress = framework_progress(cast.policy, year=2026)
    [item] = progress.indicators
    assert item.year_aggregate.value == D(60)
    assert (item.progress.percent, item.progress.status) == (D("60.00"), ProgressStatus.BEHIND)
    line = progress.node(cast.action_node.pk)
    assert [(r.institution_name, r.status, r.percent) for r in line.reports] == [("MINEX", "in_progress", D(40))]
    assert (line.percent, line.budget_allocated, line.budget_executed) == (D("40.00"), D("1000.00"), D("250.50"))
    assert progress.beneficiaries_total == D(30)
    assert progress.rates[0].approved == 1

    services.reopen_submission(by=cast.admin, submission=cast.submission, reason="Dato mal digitado")
    progress = framework_progress(cast.policy, year=2026)
    [item] = progress.indicators
    assert (item.year_aggregate, item.progress.status) == (None, ProgressStatus.NO_DATA)
    line = progress.node(cast.action_node.pk)
    assert line.reports == []  # and MINGOB's draft (Atrasada, 5 %) is not shown either
    assert (line.percent, line.budget_allocated, line.budget_executed) == (None, D(0), D(0))
    assert line.trouble == []
    assert progress.beneficiaries_total == D(0)
    assert progress.rates[0].approved == 0
