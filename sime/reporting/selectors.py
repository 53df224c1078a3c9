"""Reads of the reporting cycle, each owning the query shape its page needs (constant queries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from sime.accounts.permissions import institution_scope
from sime.institutions.models import Institution
from sime.policy.models import (
    Action,
    DisaggregationCategory,
    DisaggregationDimension,
    Indicator,
    IndicatorTarget,
    MilestoneStep,
)
from sime.reporting.models import (
    ActionProgress,
    ApprovedFact,
    Evidence,
    FactKind,
    IndicatorValue,
    PeriodStatus,
    ReportingPeriod,
    ReviewComment,
    Submission,
    SubmissionEvent,
)
from sime.reporting.periods import indicator_due
from sime.reporting.validation import missing_for_completion
from sime.reporting.workflow import Status

if TYPE_CHECKING:
    from sime.accounts.models import User

Dimensions = dict[str, tuple[str, dict[str, str]]]


def _dimension_catalogue(queryset: QuerySet[DisaggregationDimension]) -> Dimensions:
    categories = DisaggregationCategory.objects.filter(dimension__in=queryset).order_by(
        "dimension__order", "order", "code"
    )
    catalogue: Dimensions = {d.code: (d.name, {}) for d in queryset.order_by("order", "code")}
    for category in categories.select_related("dimension"):
        catalogue[category.dimension.code][1][category.code] = category.name
    return catalogue


def beneficiary_dimensions() -> Dimensions:
    return _dimension_catalogue(DisaggregationDimension.objects.filter(for_beneficiaries=True))


def indicator_dimensions(indicator: Indicator) -> Dimensions:
    return _dimension_catalogue(DisaggregationDimension.objects.filter(indicators=indicator))


def all_dimensions() -> Dimensions:
    return _dimension_catalogue(DisaggregationDimension.objects.all())


def periods_visible_to(user: User) -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.select_related("policy").annotate(
        instruments=Count("submissions", distinct=True),
        approved=Count("submissions", filter=Q(submissions__status=Status.APPROVED), distinct=True),
    )


def submissions_visible_to(user: User | Any) -> QuerySet[Submission]:
    """Everything for DEPM and Autoridad; their own institution's instruments for focal points."""
    return institution_scope(user, Submission.objects.all()).select_related("period", "institution")


@dataclass
class PartRow:
    """One dimension of an item's disaggregation, ready for the form: inputs named prefix__dim__cat."""

    code: str
    name: str
    cells: list[tuple[str, str, str, Any]]  # (input name, category code, category name, value)


def review_queue(user: User | Any) -> QuerySet[Submission]:
    """What waits for the Analista: instruments sent or in review, the longest waiting first."""
    return (
        submissions_visible_to(user)
        .filter(status__in=[Status.SENT, Status.IN_REVIEW])
        .select_related("period", "institution")
        .order_by("sent_at", "institution__name")
    )


def instrument_contents(period: ReportingPeriod) -> dict[int, tuple[list[Action], list[Indicator]]]:
    """institution id → the lines of action and indicators of its instrument for the period: the
    actions in force in the period's year (lead or co-responsible) and the indicators due at its
    end, of active institutions only. What `open_period` generates."""
    year = period.year
    actions = (
        Action.objects.filter(node__policy=period.policy, lead_institution__is_active=True)
        .exclude(start_year__gt=year)
        .exclude(end_year__lt=year)
        .select_related("node")
        .order_by("node__order", "node__code")
    )
    co_responsible = Action.co_responsible.through.objects.filter(action__in=actions, institution__is_active=True)
    co_by_action: dict[int, list[int]] = {}
    for action_id, institution_id in co_responsible.values_list("action_id", "institution_id"):
        co_by_action.setdefault(action_id, []).append(institution_id)
    indicators = [
        indicator
        for indicator in Indicator.objects.filter(policy=period.policy, responsible_institution__is_active=True)
        .select_related("node")
        .order_by("code")
        if indicator_due(indicator.frequency, period.ends_on)
    ]

    per_institution: dict[int, tuple[list[Action], list[Indicator]]] = {}
    for action in actions:
        for institution_id in [action.lead_institution_id, *co_by_action.get(action.pk, [])]:
            per_institution.setdefault(institution_id, ([], []))[0].append(action)
    for indicator in indicators:
        per_institution.setdefault(indicator.responsible_institution_id, ([], []))[1].append(indicator)
    return per_institution


@dataclass(frozen=True)
class LeftOut:
    """A linked institution without an instrument in a period, and why."""

    institution: Institution
    reason: str


def institutions_left_out(period: ReportingPeriod, contents: dict[int, Any] | None = None) -> list[LeftOut]:
    """Linked institutions that get no instrument (planned period) or have none (opened), with the
    reason: inactive, or nothing to report (no line of action in force, no indicator due).
    `contents`: the planned period's `instrument_contents`, when the caller has it already."""
    if period.status == PeriodStatus.PLANNED:
        with_instrument = set(instrument_contents(period) if contents is None else contents)
    else:
        with_instrument = set(period.submissions.values_list("institution_id", flat=True))
    return [
        LeftOut(
            institution,
            _("inactiva")
            if not institution.is_active
            else _("sin líneas de acción vigentes en %(year)s ni indicadores que se reporten en el periodo")
            % {"year": period.year},
        )
        for institution in Institution.objects.linked().exclude(pk__in=with_instrument).order_by("name")
    ]


def part_rows(dimensions: Dimensions, values: Any, prefix: str) -> list[PartRow]:
    values = values if isinstance(values, dict) else {}
    return [
        PartRow(
            code=code,
            name=name,
            cells=[
                (f"{prefix}__{code}__{category}", category, label, (values.get(code) or {}).get(category))
                for category, label in categories.items()
            ],
        )
        for code, (name, categories) in dimensions.items()
    ]


@dataclass
class AxisGroup:
    axis: Any
    items: list[Any] = field(default_factory=list)

    @property
    def completed(self) -> int:
        return sum(1 for item in self.items if item.is_complete)


@dataclass
class InstrumentView:
    submission: Submission
    groups: list[AxisGroup]
    beneficiary_dimensions: Dimensions
    dimensions: Dimensions
    general_comments: list[ReviewComment]


def instrument(submission: Submission) -> InstrumentView:
    """The instrument grouped by axis, with each item's comments of the latest round and evidence."""
    latest_round = max((c.round for c in ReviewComment.objects.filter(submission=submission).only("round")), default=0)
    latest_comments = ReviewComment.objects.filter(round=latest_round).select_related("author")
    evidence = Evidence.objects.select_related("uploaded_by")
    actions = (
        ActionProgress.objects.filter(submission=submission)
        .select_related("action__node", "axis", "updated_by")
        .prefetch_related(
            Prefetch("comments", queryset=latest_comments, to_attr="latest_comments"),
            Prefetch("evidence", queryset=evidence, to_attr="files"),
        )
        .order_by("position")
    )
    period = submission.period
    # Beside each input, what the technical sheet and the past say: subqueries, not a query per card.
    earlier_facts = (
        ApprovedFact.objects.filter(
            kind=FactKind.INDICATOR,
            dimension="",
            indicator=OuterRef("indicator_id"),
            institution_id=submission.institution_id,
            period_end__lte=period.ends_on,
        )
        .exclude(submission=submission)
        .order_by("-period_end", "-pk")
    )
    indicators = (
        IndicatorValue.objects.filter(submission=submission)
        .annotate(
            year_target=Subquery(
                IndicatorTarget.objects.filter(indicator=OuterRef("indicator_id"), year=period.year).values("value")[:1]
            ),
            last_approved_value=Subquery(earlier_facts.values("value")[:1]),
            last_approved_period=Subquery(earlier_facts.values("period__name")[:1]),
        )
        .select_related("indicator__node", "axis", "updated_by")
        .prefetch_related(
            Prefetch("comments", queryset=latest_comments, to_attr="latest_comments"),
            Prefetch("evidence", queryset=evidence, to_attr="files"),
            Prefetch("indicator__dimensions", to_attr="dimension_list"),
            Prefetch("indicator__milestone_steps", queryset=MilestoneStep.objects.order_by("value"), to_attr="steps"),
        )
        .order_by("position")
    )
    groups: dict[Any, AxisGroup] = {}
    beneficiaries = beneficiary_dimensions()
    catalogue = all_dimensions()
    items: list[Any] = [*actions, *indicators]
    for item in items:
        if type(item) is ActionProgress:
            setattr(item, "kind", "action")  # noqa: B010 - annotations for the template only
            setattr(item, "part_rows", part_rows(beneficiaries, item.beneficiaries_by, "ben"))  # noqa: B010
        else:
            item.kind = "indicator"
            wanted = {d.code: catalogue[d.code] for d in item.indicator.dimension_list if d.code in catalogue}
            item.part_rows = part_rows(wanted, item.disaggregated, "dis")
        item.missing = missing_for_completion(item)
        groups.setdefault(item.axis_id, AxisGroup(axis=item.axis)).items.append(item)
    ordered = sorted(
        groups.values(), key=lambda g: (g.axis is None, getattr(g.axis, "order", 0), getattr(g.axis, "code", ""))
    )
    general: list[ReviewComment] = []
    if latest_round:
        general = list(
            ReviewComment.objects.filter(
                submission=submission, round=latest_round, action_progress__isnull=True, indicator_value__isnull=True
            ).select_related("author")
        )
    return InstrumentView(
        submission=submission,
        groups=ordered,
        beneficiary_dimensions=beneficiaries,
        dimensions=catalogue,
        general_comments=general,
    )


def timeline(submission: Submission) -> QuerySet[SubmissionEvent]:
    return SubmissionEvent.objects.filter(submission=submission).select_related("actor").order_by("occurred_at", "pk")


SORTS = {
    "institucion": ("institution__name",),
    "estado": ("status", "institution__name"),
    "avance": ("percent", "institution__name"),
    "actividad": ("last_activity_at", "institution__name"),
}


def completeness(
    period: ReportingPeriod,
    *,
    status: str = "",
    late: str = "",
    query: str = "",
    sort: str = "institucion",
    desc: bool = False,
) -> QuerySet[Submission]:
    """One row per institution of the period, filterable and sortable; a fixed number of queries."""
    rows = (
        Submission.objects.filter(period=period)
        .select_related("institution", "period")
        .annotate(
            percent=Case(
                When(total_items=0, then=Value(100)),
                default=F("completed_items") * 100 / F("total_items"),
                output_field=IntegerField(),
            )
        )
    )
    if status in Status.values:
        rows = rows.filter(status=status)
    if query:
        rows = rows.filter(Q(institution__name__icontains=query) | Q(institution__acronym__icontains=query))
    if late in ("si", "no"):
        late_filter = Q(first_sent_at__date__gt=period.closes_on) | Q(
            first_sent_at__isnull=True, period__closes_on__lt=timezone.localdate()
        )
        rows = rows.filter(late_filter) if late == "si" else rows.exclude(late_filter)
    order = SORTS.get(sort, SORTS["institucion"])
    if desc:
        order = tuple(f"-{name}" for name in order)
    return rows.order_by(*order)


def status_counts(period: ReportingPeriod) -> dict[str, int]:
    counts = dict(
        Submission.objects.filter(period=period)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {value: counts.get(value, 0) for value in Status.values}
