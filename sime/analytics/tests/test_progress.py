"""The progress builder on a known scene, every figure worked out by hand from docs/aggregation.md.

The scene (2026, two cuatrimestres, read by default at the end of 2026-C2, 31 August):

    1 Derechos humanos (weight 1)            2 (weight 2)
    └ OE1 └ 1.1                              └ OE2 └ 2.1  ◄── 1.1.2 contributes to 2.1, 2.1 to OE2
            ├ 1.1.1 MINEX + MINGOB (weight 3)          ├ 2.1.1 MINEX
            └ 1.1.2 MINGOB                             └ 2.1.2 MINEX, from 2027 (no reports)

    IND-S (1.1.1) four-monthly sum, by sexo, baseline 300, target 1,200: C1 500 (M 200, H 300),
          C2 400 (M 250, H 150).
    IND-P (2.1.1) four-monthly percentage, target 20 %: C1 10/100, C2 9/10.
    IND-X (2.1.1) SEGEPLAN's: C2 sent and in review, never approved. IND-1 (1.1.1): annual, no value.

    1.1.1  C1 MINEX 20 %, MINGOB Atrasada 10 %;  C2 MINEX 45 % (Q 1,500.25 / 600.35),
           MINGOB 30 % (Q 800.40 / 300.33).
    1.1.2  C1 MINGOB 50 %;  C2 MINGOB Atrasada 40 % (Q 200.00 / 20.00).
    2.1.1  C1 MINEX 50 %;  C2 MINEX 80 % (Q 400.00 / 250.00).

C1 closed yesterday (both instruments were sent today: late); C2 closes in 30 days.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sime.accounts.roles import Role
from sime.analytics.aggregation import ProgressStatus
from sime.analytics.progress import alignment_groups, framework_progress
from sime.conftest import Cast, approve_instrument
from sime.institutions.models import FocalPointRole
from sime.institutions.tests.factories import FocalPointFactory, InstitutionFactory
from sime.policy.models import (
    Action,
    DisaggregationCategory,
    DisaggregationDimension,
    GcmObjective,
    IndicatorTarget,
    PolicyNode,
    SdgTarget,
)
from sime.policy.tests.factories import link, make_indicator, make_node, make_policy, make_tree
from sime.reporting import services

D = Decimal
S = ProgressStatus
AUG = dt.date(2026, 8, 31)
APR = dt.date(2026, 4, 30)


def dimension(code: str, *categories: str) -> DisaggregationDimension:
    dim = DisaggregationDimension.objects.create(code=code, name=code.capitalize(), for_beneficiaries=True)
    for order, category in enumerate(categories):
        DisaggregationCategory.objects.create(dimension=dim, code=category, name=category, order=order)
    return dim


def fill(submission: Any, by: Any, actions: dict[Any, dict], indicators: dict[Any, dict]) -> None:
    """Save every item of an instrument through the service, as a focal point does."""
    for node, values in actions.items():
        item = submission.actionprogress_items.get(action__node=node)
        services.save_item(by=by, item=item, values=values, version=item.version)
    for indicator, values in indicators.items():
        item = submission.indicatorvalue_items.get(indicator=indicator)
        services.save_item(by=by, item=item, values=values, version=item.version)


def action(status: str, percent: str, allocated: str, executed: str, **extra: Any) -> dict[str, Any]:
    values = {
        "status": status,
        "progress_percent": D(percent),
        "budget_allocated": D(allocated),
        "budget_executed": D(executed),
        **extra,
    }
    if status == "delayed":
        values.setdefault("obstacles", "Sin fondos")
    return values


@pytest.fixture
def scene(framework: Cast) -> SimpleNamespace:
    cast = framework
    policy = cast.policy
    levels = list(policy.levels.order_by("depth"))
    n111 = cast.action_node
    n112 = PolicyNode.objects.get(policy=policy, code="1.1.2")
    axis2 = make_node(policy, levels[0], "2", order=10, weight=D(2))
    oe2 = make_node(policy, levels[1], "OE2", axis2, order=11)
    s21 = make_node(policy, levels[2], "2.1", oe2, order=12)
    n211 = make_node(policy, levels[3], "2.1.1", s21, order=13)
    n212 = make_node(policy, levels[3], "2.1.2", s21, order=14)
    Action.objects.create(node=n211, lead_institution=cast.home)
    Action.objects.create(node=n212, lead_institution=cast.home, start_year=2027)
    link(n112, s21)
    link(s21, oe2)
    PolicyNode.objects.filter(pk=n111.pk).update(weight=D(3))

    sexo = dimension("sexo", "M", "H")
    dimension("edad", "0-17", "18+")
    ind_s = make_indicator(
        n111, "IND-S", cast.home, frequency="four_monthly", baseline_value=D(300), baseline_year=2025
    )
    ind_s.dimensions.set([sexo])
    ind_p = make_indicator(
        n211,
        "IND-P",
        cast.home,
        measure_type="percentage",
        unit="%",
        frequency="four_monthly",
        numerator_definition="Casos atendidos",
        denominator_definition="Casos recibidos",
    )
    segeplan = InstitutionFactory(name="Secretaría de Planificación", acronym="SEGEPLAN", planning_signoff_exempt=True)
    segeplan_technical = FocalPointFactory(institution=segeplan, role=FocalPointRole.TECHNICAL).user
    ind_x = make_indicator(n211, "IND-X", segeplan, frequency="four_monthly")
    for indicator, target in ((ind_s, 1200), (ind_p, 20), (ind_x, 10)):
        IndicatorTarget.objects.create(indicator=indicator, year=2026, value=D(target))
    mingob_planning = FocalPointFactory(
        institution=cast.other, role=FocalPointRole.PLANNING, user__role=Role.FOCAL_PLANNING
    ).user

    today = timezone.localdate()
    periods = []
    for number, closes_on in ((1, today - dt.timedelta(days=1)), (2, today + dt.timedelta(days=30))):
        period = services.create_period(
            by=cast.admin,
            policy=policy,
            kind="four_month",
            year=2026,
            number=number,
            opens_on=today - dt.timedelta(days=40),
            closes_on=closes_on,
        )
        services.open_period(by=cast.admin, period=period)
        periods.append(period)
    c1, c2 = periods

    def instruments(period):
        return (
            period.submissions.get(institution=cast.home),
            period.submissions.get(institution=cast.other),
            period.submissions.get(institution=segeplan),
        )

    minex, mingob, _segeplan = instruments(c1)
    fill(
        minex,
        cast.technical,
        {
            n111: action(
                "in_progress",
                "20",
                "1000.10",
                "100.05",
                beneficiaries_total=30,
                beneficiaries_by={"sexo": {"M": 10, "H": 20}, "edad": {"0-17": 12, "18+": 18}},
            ),
            n211: action("in_progress", "50", "300.00", "100.00"),
        },
        {
            ind_s: {"value": D(500), "disaggregated": {"sexo": {"M": "200", "H": "300"}}},
            ind_p: {"numerator": D(10), "denominator": D(100)},
        },
    )
    fill(
        mingob,
        cast.outsider,
        {
            n111: action("delayed", "10", "500.00", "50.00", obstacles="Retraso en la contratación"),
            n112: action("in_progress", "50", "100.00", "10.00"),
        },
        {},
    )
    approve_instrument(cast, minex, technical=cast.technical, planning=cast.planning)
    approve_instrument(cast, mingob, technical=cast.outsider, planning=mingob_planning)

    minex, mingob, in_review = instruments(c2)
    fill(
        minex,
        cast.technical,
        {
            n111: action(
                "in_progress",
                "45",
                "1500.25",
                "600.35",
                beneficiaries_total=50,
                beneficiaries_by={"sexo": {"M": 30, "H": 20}, "edad": {"0-17": 25, "18+": 25}},
            ),
            n211: action("in_progress", "80", "400.00", "250.00"),
        },
        {
            ind_s: {"value": D(400), "disaggregated": {"sexo": {"M": "250", "H": "150"}}},
            ind_p: {"numerator": D(9), "denominator": D(10)},
        },
    )
    fill(
        mingob,
        cast.outsider,
        {
            n111: action(
                "in_progress",
                "30",
                "800.40",
                "300.33",
                beneficiaries_total=20,
                beneficiaries_by={"sexo": {"M": 5, "H": 15}, "edad": {"0-17": 2, "18+": 18}},
            ),
            n112: action("delayed", "40", "200.00", "20.00"),
        },
        {},
    )
    fill(in_review, segeplan_technical, {}, {ind_x: {"value": D(7)}})
    approve_instrument(cast, minex, technical=cast.technical, planning=cast.planning)
    approve_instrument(cast, mingob, technical=cast.outsider, planning=mingob_planning)
    services.sign_technical(by=segeplan_technical, submission=in_review)
    services.send_submission(by=segeplan_technical, submission=in_review)
    services.start_review(by=cast.analyst, submission=in_review)

    nodes = {node.code: node for node in PolicyNode.objects.filter(policy=policy)}
    return SimpleNamespace(
        cast=cast, policy=policy, nodes=nodes, c1=c1, c2=c2, ind_s=ind_s, ind_p=ind_p, ind_x=ind_x, segeplan=segeplan
    )


def read(scene: SimpleNamespace, **options: Any):
    return framework_progress(scene.policy, year=2026, with_parts=True, **options)


def by_code(progress) -> dict[str, Any]:
    return {item.indicator.code: item for item in progress.indicators}


def node(progress, scene: SimpleNamespace, code: str):
    return progress.node(scene.nodes[code].pk)


# --- Indicators ------------------------------------------------------------------------------


def test_indicators_at_the_end_of_the_second_cuatrimestre(scene) -> None:
    """IND-S (a pro-rated sum with its parts), IND-P (ratio of sums), and what has no data yet."""
    progress = read(scene, with_points=True)
    assert progress.until == AUG  # the end of the latest period with an approved instrument
    items = by_code(progress)

    item = items["IND-S"]
    assert [(o.period_end, o.value) for o in item.observations] == [(APR, D(500)), (AUG, D(400))]
    assert dict(item.observations[0].parts) == {("sexo", "M"): D(200), ("sexo", "H"): D(300)}
    year = item.year_aggregate
    assert (year.value, year.periods) == (D(900), 2)
    assert dict(year.parts) == {("sexo", "M"): D(450), ("sexo", "H"): D(450)}
    # August: f = 8/12. Expected 8/12 · 1200 = 800; progress (900 − 8/12 · 300) / (1200 − 300) = 77.78 %
    # against an expected (800 − 200) / 900 = 66.67 %: ratio 1.17, en ruta.
    result = item.progress
    assert (result.actual, result.target, result.baseline) == (D(900), D(1200), D(300))
    assert result.expected == D("800.0000")
    assert (result.percent, result.expected_percent) == (D("77.78"), D("66.67"))
    assert result.status == S.ON_TRACK
    # The policy horizon (only 2026 has a target): (900 − 300) / (1200 − 300), not pro-rated.
    assert item.horizon_aggregate.value == D(900)
    assert (item.horizon_progress.target, item.horizon_progress.percent) == (D(1200), D("66.67"))
    # IPTT cells: at the end of C1, f = 4/12: (500 − 100) / 900 = 44.44 % against 33.33 % expected.
    first, second = item.points
    assert (first.period.code, first.value, first.to_date.value) == ("2026-C1", D(500), D(500))
    assert (first.progress.percent, first.progress.expected_percent) == (D("44.44"), D("33.33"))
    assert first.progress.expected == D("400.0000")
    assert first.progress.status == S.ON_TRACK
    assert (second.period.code, second.value, second.to_date.value) == ("2026-C2", D(400), D(900))
    assert second.progress == result
    # Parts are read only when asked for.
    plain = by_code(framework_progress(scene.policy, year=2026))["IND-S"]
    assert (plain.year_aggregate.value, dict(plain.year_aggregate.parts)) == (D(900), {})

    item = items["IND-P"]
    assert [o.value for o in item.observations] == [D("10.00"), D("90.00")]
    year = item.year_aggregate
    # 19 / 110 = 17.27 %, not the mean of 10 % and 90 % (50 %, which would meet the 20 % target).
    assert (year.value, year.numerator, year.denominator) == (D("17.27"), D(19), D(110))
    # No pro-rating for percentages: 17.27 / 20 = 86.35 % of the target, en riesgo.
    assert (item.progress.percent, item.progress.expected_percent) == (D("86.35"), D(100))
    assert item.progress.status == S.AT_RISK

    assert items["IND-X"].observations == []  # SEGEPLAN's 7 is in review, not approved
    assert items["IND-X"].year_aggregate is None
    assert items["IND-X"].status == S.NO_DATA
    assert items["IND-1"].status == S.NO_DATA  # annual: no cycle ended by August
    assert progress.status_counts == {
        "behind": 0,
        "at_risk": 1,
        "on_track": 1,
        "met": 0,
        "no_data": 2,
        "no_target": 0,
    }
    assert [i.indicator.code for i in progress.indicators_needing_attention] == ["IND-P"]


def test_reading_at_the_end_of_the_first_cuatrimestre(scene) -> None:
    """In April: C1's values, MINGOB's delay of 1.1.1 in force, IND-P rezagado."""
    progress = read(scene, until=APR)
    items = by_code(progress)
    assert items["IND-S"].year_aggregate.value == D(500)
    assert items["IND-S"].progress.percent == D("44.44")
    assert items["IND-P"].year_aggregate.value == D("10.00")
    assert items["IND-P"].progress.status == S.BEHIND  # 10 / 20 = 50 %
    line = node(progress, scene, "1.1.1")
    assert [(r.institution_name, r.status, r.percent) for r in line.reports] == [
        ("MINEX", "in_progress", D(20)),
        ("MINGOB", "delayed", D(10)),
    ]
    assert line.percent == D("15.00")
    assert line.trouble == ["MINGOB: Atrasada"]
    assert (line.budget_allocated, line.budget_executed) == (D("1500.10"), D("150.05"))
    assert progress.beneficiaries_total == D(30)
    # IND-P is 10 % of a 20 % target: rezagado, so its node needs attention.
    assert node(progress, scene, "2.1.1").trouble == ["IND-P: Rezagado"]
    assert node(progress, scene, "2.1.1").inherited_risk == []  # nothing contributes to it
    # In April MINGOB's report of 1.1.1 says Atrasada: 2.1 inherits it through 1.1.2, which is fine.
    assert [[n.code for n in c] for c in node(progress, scene, "2.1").inherited_risk] == [["1.1.1", "1.1.2", "2.1"]]


# --- Lines of action, roll-up, risk ----------------------------------------------------------


def test_lines_of_action_roll_up_and_inherited_risk(scene) -> None:
    """Each institution's latest report, the weighted roll-up to the policy, and riesgo heredado."""
    progress = read(scene)
    line = node(progress, scene, "1.1.1")
    assert [(r.institution_name, r.period.code, r.status, r.percent) for r in line.reports] == [
        ("MINEX", "2026-C2", "in_progress", D(45)),
        ("MINGOB", "2026-C2", "in_progress", D(30)),
    ]
    assert line.percent == D("37.50")  # (45 + 30) / 2
    # Budgets are year to date: the latest reports, 1500.25 + 800.40 and 600.35 + 300.33.
    assert (line.budget_allocated, line.budget_executed) == (D("2300.65"), D("900.68"))
    assert line.trouble == []  # MINGOB's delay in C1 was superseded by its C2 report
    assert line.action_status == "in_progress"

    percents = {code: node(progress, scene, code).percent for code in scene.nodes}
    assert percents == {
        "1.1.1": D("37.50"),
        "1.1.2": D("40.00"),
        "1.1": D("38.13"),  # (37.50 · 3 + 40 · 1) / 4 = 38.125
        "OE1": D("38.13"),
        "1": D("38.13"),
        "2.1.1": D("80.00"),
        "2.1.2": None,  # no reports: left out of 2.1
        "2.1": D("80.00"),
        "OE2": D("80.00"),
        "2": D("80.00"),
    }
    assert progress.percent == D("66.04")  # (38.13 · 1 + 80 · 2) / 3
    assert [root.node.code for root in progress.roots] == ["1", "2"]
    strategic = node(progress, scene, "1.1")
    assert (strategic.budget_allocated, strategic.budget_executed) == (D("2500.65"), D("920.68"))
    assert (progress.budget_allocated, progress.budget_executed) == (D("2900.65"), D("1170.68"))

    assert node(progress, scene, "1.1.2").trouble == ["MINGOB: Atrasada"]

    def chains(code: str) -> list[list[str]]:
        return [[n.code for n in chain] for chain in node(progress, scene, code).inherited_risk]

    assert chains("2.1") == [["1.1.2", "2.1"]]
    assert chains("OE2") == [["1.1.2", "2.1", "OE2"]]
    assert chains("2") == []  # OE2 is its child in the tree, not a contributor in the red causal
    assert chains("1.1.2") == []  # 1.1.1 contributes to it, but 1.1.1 is fine
    assert sorted(n.node.code for n in progress.nodes_at_inherited_risk) == ["2.1", "OE2"]
    assert [(n.node.code, r.institution_name) for n, r in progress.troubled_actions] == [("1.1.2", "MINGOB")]

    # Weights are configurable: with the default weight 1 everywhere, plain means.
    PolicyNode.objects.filter(policy=scene.policy).update(weight=D(1))
    equal = read(scene)
    assert node(equal, scene, "1.1").percent == D("38.75")  # (37.50 + 40) / 2
    assert equal.percent == D("59.38")  # (38.75 + 80) / 2 = 59.375


# --- Compliance, beneficiaries, narrowing, alignment ---------------------------------------------


def test_compliance_beneficiaries_and_one_institution(scene) -> None:
    """Reporting rates, beneficiaries by dimension, and every figure narrowed to one institution."""
    progress = read(scene)
    rates = {rate.period.code: rate for rate in progress.rates}
    first, second = rates["2026-C1"], rates["2026-C2"]
    # C1: MINEX and MINGOB sent after the closing day (yesterday) and approved; SEGEPLAN never sent.
    assert (first.expected, first.received, first.on_time, first.approved) == (3, 2, 0, 2)
    assert (first.received_percent, first.on_time_percent) == (D("66.67"), D("0.00"))
    # C2: all three sent before closing; SEGEPLAN's is still in review.
    assert (second.expected, second.received, second.on_time, second.approved) == (3, 3, 3, 2)
    assert (second.received_percent, second.on_time_percent) == (D("100.00"), D("100.00"))

    assert progress.beneficiaries_total == D(100)  # 30 + 50 + 20
    assert progress.beneficiaries == {
        "sexo": {"M": D(45), "H": D(55)},
        "edad": {"0-17": D(39), "18+": D(61)},
    }

    cast = scene.cast
    mingob = read(scene, institution_id=cast.other.pk)
    assert mingob.indicators == []
    line = node(mingob, scene, "1.1.1")
    assert [(r.institution_name, r.percent) for r in line.reports] == [("MINGOB", D(30))]
    assert (line.percent, line.budget_allocated, line.budget_executed) == (D("30.00"), D("800.40"), D("300.33"))
    assert node(mingob, scene, "1.1").percent == D("32.50")  # (30 · 3 + 40) / 4
    assert node(mingob, scene, "2.1.1").percent is None
    assert mingob.percent == D("32.50")
    assert mingob.beneficiaries_total == D(20)
    assert mingob.beneficiaries == {"sexo": {"M": D(5), "H": D(15)}, "edad": {"0-17": D(2), "18+": D(18)}}
    assert [(r.period.code, r.expected, r.received, r.on_time, r.approved) for r in mingob.rates] == [
        ("2026-C1", 1, 1, 0, 1),
        ("2026-C2", 1, 1, 1, 1),
    ]
    minex = read(scene, institution_id=cast.home.pk)
    assert sorted(by_code(minex)) == ["IND-1", "IND-P", "IND-S"]
    assert by_code(minex)["IND-S"].year_aggregate.value == D(900)
    assert node(minex, scene, "1.1.1").percent == D("45.00")
    assert node(minex, scene, "1.1.2").percent is None
    assert minex.percent == D("68.33")  # axis 1: 45 (weight 1), axis 2: 80 (weight 2): 205 / 3


def test_alignment_groups(scene) -> None:
    gcm = GcmObjective.objects.create(number=23, title_es="Cooperación internacional", title_en="Cooperation")
    for code in ("1.1.1", "2.1.1"):
        scene.nodes[code].gcm_objectives.add(gcm)
    sdg = SdgTarget.objects.create(code="10.7", summary="Migración ordenada, segura y regular")
    scene.nodes["1.1"].sdg_targets.add(sdg)
    progress = read(scene)

    [group] = alignment_groups(progress, "gcm")
    assert (group.code, group.title) == ("23", "Cooperación internacional")
    assert group.percent == D("58.75")  # (37.50 + 80) / 2
    assert sorted(n.code for n in group.nodes) == ["1.1.1", "2.1.1"]
    # IND-1 and IND-S under 1.1.1; IND-P and IND-X under 2.1.1.
    assert group.status_counts == {"no_data": 2, "on_track": 1, "at_risk": 1}

    [target] = alignment_groups(progress, "sdg")
    assert (target.code, target.title, target.percent) == ("10.7", "Migración ordenada, segura y regular", D("38.13"))
    assert target.status_counts == {"no_data": 1, "on_track": 1}  # the subtree of 1.1: IND-1, IND-S
    assert alignment_groups(progress, "katun") == []


# --- Queries ---------------------------------------------------------------------------------


def approved_policy(cast: Cast, code: str, size: int):
    """A policy with `size` lines of action and `size` indicators, all reported and approved in 2026,
    with causal links, parts and targets."""
    policy, levels = make_policy(code)
    nodes = make_tree(policy, levels, counts=[1, 1, 1, size], lead=cast.home, co=[cast.other])
    leaves = nodes[-size:]
    sexo = DisaggregationDimension.objects.get_or_create(code="sexo", defaults={"name": "Sexo"})[0]
    for category in ("M", "H"):
        DisaggregationCategory.objects.get_or_create(dimension=sexo, code=category, defaults={"name": category})
    indicators = []
    for n, leaf in enumerate(leaves):
        indicator = make_indicator(leaf, f"{code}-{n}", cast.home)
        indicator.dimensions.set([sexo])
        IndicatorTarget.objects.create(indicator=indicator, year=2026, value=D(100 + n))
        indicators.append(indicator)
    for source, target in itertools.pairwise(leaves):
        link(source, target)
    cast.other.planning_signoff_exempt = True
    cast.other.save()
    period = services.create_period(
        by=cast.admin,
        policy=policy,
        kind="year",
        year=2026,
        number=1,
        opens_on=dt.date(2026, 12, 1),
        closes_on=dt.date(2027, 1, 31),
    )
    services.open_period(by=cast.admin, period=period)
    minex = period.submissions.get(institution=cast.home)
    mingob = period.submissions.get(institution=cast.other)
    status = {True: action("delayed", "10", "10.00", "1.00"), False: action("in_progress", "60", "20.00", "2.00")}
    fill(
        minex,
        cast.technical,
        {leaf: status[n % 3 == 0] for n, leaf in enumerate(leaves)},
        {
            indicator: {"value": D(10 + n), "disaggregated": {"sexo": {"M": "10", "H": str(n)}}}
            for n, indicator in enumerate(indicators)
        },
    )
    fill(mingob, cast.outsider, dict.fromkeys(leaves, status[False]), {})
    approve_instrument(cast, minex, technical=cast.technical, planning=cast.planning)
    approve_instrument(cast, mingob, technical=cast.outsider)
    return policy


def test_the_number_of_queries_does_not_grow_with_the_framework(framework: Cast, django_assert_num_queries) -> None:
    small = approved_policy(framework, "PM-1X", 2)
    large = approved_policy(framework, "PM-10X", 20)

    def build(policy, **options):
        progress = framework_progress(policy, year=2026, with_points=True, with_parts=True, **options)
        alignment_groups(progress, "gcm")
        return progress

    for options in ({}, {"institution_id": framework.home.pk}):
        with CaptureQueriesContext(connection) as measured:
            build(small, **options)
        with django_assert_num_queries(len(measured)):
            progress = build(large, **options)
        # The large one really is ten times the small one, and was read in full.
        assert len(progress.indicators) == 20
        assert sum(1 for item in progress.indicators if item.year_aggregate is not None) == 20
        assert sum(1 for item in progress.nodes.values() if item.reports) == 20
    # Every indicator is rezagado (10 + n of 100 + n): each leaf after the first inherits a risk.
    assert len(build(large).nodes_at_inherited_risk) == 19


def test_across_years_cumulative_indicators_and_budgets_of_the_year(framework: Cast) -> None:
    """2025 and 2026 (annual): a cumulative indicator adds every year since the start; a line's %
    is each institution's latest report even from last year, but its budget only this year's."""
    cast = framework
    ind_c = make_indicator(cast.action_node, "IND-C", cast.home, aggregation="cumulative")
    for indicator, targets in ((cast.indicator, (100, 150)), (ind_c, (100, 250))):
        for year, value in zip((2025, 2026), targets, strict=True):
            IndicatorTarget.objects.create(indicator=indicator, year=year, value=D(value))
    cast.other.planning_signoff_exempt = True
    cast.other.save()
    n112 = PolicyNode.objects.get(policy=cast.policy, code="1.1.2")
    for year, sum_value, cumulative_value, minex_percent in ((2025, 40, 80, "25"), (2026, 60, 60, "40")):
        period = services.create_period(
            by=cast.admin,
            policy=cast.policy,
            kind="year",
            year=year,
            number=1,
            opens_on=dt.date(2026, 1, 1),
            closes_on=dt.date(2027, 1, 31),
        )
        services.open_period(by=cast.admin, period=period)
        minex = period.submissions.get(institution=cast.home)
        fill(
            minex,
            cast.technical,
            {cast.action_node: action("in_progress", minex_percent, "1000.00", "250.50")},
            {cast.indicator: {"value": D(sum_value)}, ind_c: {"value": D(cumulative_value)}},
        )
        approve_instrument(cast, minex, technical=cast.technical, planning=cast.planning)
        if year == 2025:  # MINGOB reports 2025 only
            mingob = period.submissions.get(institution=cast.other)
            fill(
                mingob,
                cast.outsider,
                {
                    cast.action_node: action("in_progress", "20", "300.00", "30.00"),
                    n112: action("not_started", "0", "0", "0"),
                },
                {},
            )
            approve_instrument(cast, mingob, technical=cast.outsider)

    progress = framework_progress(cast.policy, year=2026)
    items = by_code(progress)
    assert items["IND-1"].year_aggregate.value == D(60)  # sum: this year's periods
    assert items["IND-1"].horizon_aggregate.value == D(100)
    assert items["IND-1"].horizon_progress.target == D(250)  # Σ of the yearly targets
    assert items["IND-C"].year_aggregate.value == D(140)  # cumulative: 80 + 60 since the start
    assert (items["IND-C"].progress.percent, items["IND-C"].status) == (D("56.00"), S.BEHIND)  # 140 / 250
    assert items["IND-C"].horizon_progress.target == D(250)  # the last year's
    line = progress.node(cast.action_node.pk)
    assert [(r.institution_name, r.period.code, r.percent) for r in line.reports] == [
        ("MINEX", "2026", D(40)),
        ("MINGOB", "2025", D(20)),
    ]
    assert line.percent == D("30.00")
    assert (line.budget_allocated, line.budget_executed) == (D("1000.00"), D("250.50"))  # MINGOB's is 2025's

    last_year = framework_progress(cast.policy, year=2025)
    assert last_year.until == dt.date(2025, 12, 31)
    line = last_year.node(cast.action_node.pk)
    assert [(r.institution_name, r.percent) for r in line.reports] == [("MINEX", D(25)), ("MINGOB", D(20))]
    assert (line.budget_allocated, line.budget_executed) == (D("1300.00"), D("280.50"))
    assert by_code(last_year)["IND-C"].year_aggregate.value == D(80)
