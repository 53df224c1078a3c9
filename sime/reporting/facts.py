"""The store of approved facts: approval writes an instrument's numbers into it, reopening takes
them out, both inside the transition's own transaction.

There is no other way in. Monitoring (sime.analytics) reads these rows only, so a dashboard read
after the approval commits sees the values and one read after a reopening does not; writing
replaces the instrument's rows, so a value approved twice is never counted twice.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from sime.reporting.models import ApprovedFact, FactKind, Submission


def _number(raw: Any) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        return Decimal(str(raw))
    except (InvalidOperation, ValueError):
        return None


def _parts(parts: Any) -> list[tuple[str, str, Decimal]]:
    """{dimension: {category: value}} → [(dimension, category, value)] for the numbers present."""
    rows: list[tuple[str, str, Decimal]] = []
    if not isinstance(parts, dict):
        return rows
    for dimension, values in sorted(parts.items()):
        if not isinstance(values, dict):
            continue
        for category, raw in sorted(values.items()):
            number = _number(raw)
            if number is not None:
                rows.append((str(dimension), str(category), number))
    return rows


def facts_of(submission: Submission) -> list[ApprovedFact]:
    """The fact rows an approved instrument contributes (not saved)."""
    period = submission.period
    common = {
        "submission_id": submission.pk,
        "period_id": period.pk,
        "institution_id": submission.institution_id,
        "year": period.year,
        "period_end": period.ends_on,
    }
    facts: list[ApprovedFact] = []
    for item in submission.indicatorvalue_items.all():
        if item.value is None:
            continue
        subject = {**common, "kind": FactKind.INDICATOR, "indicator_id": item.indicator_id}
        facts.append(ApprovedFact(**subject, value=item.value, numerator=item.numerator, denominator=item.denominator))
        facts += [
            ApprovedFact(**subject, dimension=dimension, category=category, value=value)
            for dimension, category, value in _parts(item.disaggregated)
        ]
    for progress in submission.actionprogress_items.all():
        if progress.beneficiaries_total is None:
            continue
        subject = {**common, "kind": FactKind.BENEFICIARIES, "action_id": progress.action_id}
        facts.append(ApprovedFact(**subject, value=Decimal(progress.beneficiaries_total)))
        facts += [
            ApprovedFact(**subject, dimension=dimension, category=category, value=value)
            for dimension, category, value in _parts(progress.beneficiaries_by)
        ]
    return facts


def publish_facts(submission: Submission) -> int:
    """Replace the instrument's facts with its current values. Call inside the approval transaction."""
    withdraw_facts(submission)
    facts = facts_of(submission)
    ApprovedFact.objects.bulk_create(facts, batch_size=2000)
    return len(facts)


def withdraw_facts(submission: Submission) -> int:
    """Remove the instrument's facts. Call inside the reopening transaction."""
    deleted, _by_model = ApprovedFact.objects.filter(submission_id=submission.pk).delete()
    return deleted
