"""The monitoring pages: what they show right after an approval and a reopening, that unapproved
data never reaches them, who may open them, and that their query counts do not grow with the data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sime.conftest import Cast, approve_instrument, fill_instrument, sign_and_send
from sime.policy.models import Action, IndicatorTarget
from sime.policy.tests.factories import make_indicator, make_node
from sime.reporting import services

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_dashboard_shows_an_approved_value_on_the_next_load_and_drops_it_after_reopening(reporting: Cast) -> None:
    cast = reporting
    IndicatorTarget.objects.create(indicator=cast.indicator, year=2026, value=Decimal(100))
    services.save_item(
        by=cast.technical, item=cast.indicator_item, values={"value": Decimal(37)}, version=cast.indicator_item.version
    )
    services.save_item(
        by=cast.technical,
        item=cast.action_item,
        values={"status": "in_progress", "progress_percent": Decimal(45)},
        version=cast.action_item.version,
    )
    client = _client(cast.authority)
    url = reverse("analytics:dashboard") + "?year=2026"

    before = client.get(url)
    assert before.context["progress"].indicators[0].progress.actual is None  # sent, not yet approved
    approve_instrument(cast, cast.submission, technical=cast.technical, planning=cast.planning)

    after = client.get(url)
    item = after.context["progress"].indicators[0]
    assert (item.progress.actual, item.progress.percent, item.status) == (Decimal(37), Decimal("37.00"), "behind")
    assert after.context["progress"].node(cast.action_node.pk).percent == Decimal("45.00")
    assert "IND-1" in after.content.decode()

    services.reopen_submission(by=cast.admin, submission=cast.submission, reason="Corregir el valor")
    reopened = client.get(url)
    assert reopened.context["progress"].indicators[0].progress.actual is None
    assert reopened.context["progress"].node(cast.action_node.pk).percent is None


def test_unapproved_data_reaches_no_monitoring_page(monitoring: Cast) -> None:
    """MINGOB's draft says «Atrasada, 5 %, Sin fondos» on action 1.1.1: no page may show it."""
    cast = monitoring
    client = _client(cast.analyst)
    urls = [
        reverse("analytics:dashboard"),
        reverse("analytics:node-progress", kwargs={"pk": cast.action_node.pk}),
        reverse("analytics:indicator-progress", kwargs={"pk": cast.indicator.pk}),
        reverse("analytics:institution-performance", kwargs={"pk": cast.other.pk}),
        reverse("analytics:iptt"),
        reverse("analytics:alignment"),
        reverse("analytics:department-map"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Sin fondos" not in response.content.decode(), url
    node = client.get(urls[1]).context["item"]
    assert [(r.institution_name, r.status, r.percent) for r in node.reports] == [
        ("MINEX", "in_progress", Decimal("40.00"))
    ]
    assert client.get(urls[3]).context["actions"] == []


def test_exact_figures_on_the_pages(monitoring: Cast) -> None:
    cast = monitoring
    client = _client(cast.authority)
    dashboard = client.get(reverse("analytics:dashboard")).context
    progress = dashboard["progress"]
    assert progress.year == 2026
    assert progress.until == dt.date(2026, 12, 31)
    assert progress.percent == Decimal("40.00")
    assert (progress.budget_allocated, progress.budget_executed) == (Decimal("1000.00"), Decimal("250.50"))
    assert progress.beneficiaries_total == Decimal(30)
    assert [i.indicator.code for i in dashboard["attention"]] == ["IND-1"]
    rate = dashboard["latest_rate"]
    assert (rate.expected, rate.received, rate.on_time, rate.approved) == (2, 1, 1, 1)

    page = client.get(reverse("analytics:indicator-progress", kwargs={"pk": cast.indicator.pk}))
    item = page.context["item"]
    assert (item.progress.actual, item.progress.target, item.progress.percent) == (
        Decimal(60),
        Decimal(100),
        Decimal("60.00"),
    )
    assert item.status == "behind"
    assert [(r["institution"].acronym, r["value"], r["approved_by"]) for r in page.context["values"]] == [
        ("MINEX", Decimal(60), cast.analyst)
    ]
    html = page.content.decode()
    assert "Rezagado" in html and "60 %" in html


def test_a_focal_point_lands_on_its_institution_and_cannot_open_another(monitoring: Cast) -> None:
    cast = monitoring
    home = _client(cast.technical).get(reverse("home"))
    assert home.templates[0].name == "analytics/institution_performance.html"
    assert [item.node.code for item in home.context["actions"]] == ["1.1.1"]
    other = reverse("analytics:institution-performance", kwargs={"pk": cast.other.pk})
    assert _client(cast.technical).get(other).status_code == 404
    assert _client(cast.cooperant).get(reverse("analytics:dashboard")).status_code == 403
    authority_home = _client(cast.authority).get(reverse("home"))
    assert authority_home.templates[0].name == "analytics/dashboard.html"


def test_a_focal_role_whose_designation_ended_lands_on_the_generic_home(monitoring: Cast) -> None:
    from sime.institutions.models import FocalPoint

    cast = monitoring
    # Older data: the designation ended but the account kept its role (the services now close it).
    FocalPoint.objects.filter(user=cast.technical).update(ended_on=dt.date(2026, 1, 15))
    home = _client(cast.technical).get(reverse("home"))
    assert home.templates[0].name == "analytics/home.html"
    assert "actions" not in home.context
    mine = reverse("analytics:institution-performance", kwargs={"pk": cast.home.pk})
    assert _client(cast.technical).get(mine).status_code == 403
    assert _client(cast.technical).get(reverse("analytics:dashboard")).status_code == 403


def test_bad_filters_fall_back_to_defaults_without_an_error(monitoring: Cast) -> None:
    client = _client(monitoring.analyst)
    for query in ["?year=abc", "?year=99999999999999999999999", "?period=-1", "?axis=1e9", "?institution=%00"]:
        response = client.get(reverse("analytics:dashboard") + query)
        assert response.status_code == 200, query
        assert response.context["progress"].year == 2026, query
    assert client.get(reverse("analytics:department-map") + "?indicador=abc").status_code == 404


def _scale(cast: Cast, size: int) -> None:
    """`size` more lines of action led by MINEX, each with an indicator, all approved in a period."""
    strategic = cast.action_node.parent
    level = cast.action_node.level
    for n in range(size):
        node = make_node(cast.policy, level, f"1.1.{n + 10}", strategic, order=10 + n)
        Action.objects.create(node=node, lead_institution=cast.home)
        indicator = make_indicator(node, f"IND-X{n}", cast.home)
        IndicatorTarget.objects.create(indicator=indicator, year=2026, value=Decimal(50))
    period = services.create_period(
        by=cast.admin,
        policy=cast.policy,
        kind="year",
        year=2026,
        number=1,
        opens_on=dt.date(2026, 12, 1),
        closes_on=dt.date(2027, 1, 31),
    )
    services.open_period(by=cast.admin, period=period)
    submission = period.submissions.get(institution=cast.home)
    for item in submission.actionprogress_items.all():
        services.save_item(
            by=cast.technical,
            item=item,
            values={"status": "in_progress", "progress_percent": Decimal(30), "beneficiaries_total": 10},
            version=item.version,
        )
    for value in submission.indicatorvalue_items.select_related("indicator"):
        services.save_item(by=cast.technical, item=value, values={"value": Decimal(20)}, version=value.version)
    approve_instrument(cast, submission, technical=cast.technical, planning=cast.planning)


PAGES = [
    ("home", None),
    ("analytics:dashboard", None),
    ("analytics:node-progress", lambda c: {"pk": c.action_node.parent_id}),
    ("analytics:indicator-progress", lambda c: {"pk": c.indicator.pk}),
    ("analytics:institution-performance", lambda c: {"pk": c.home.pk}),
    ("analytics:iptt", None),
    ("analytics:department-map", None),
    ("analytics:alignment", None),
]


@pytest.mark.parametrize("size", [2, 20])
def test_page_queries_do_not_grow_with_the_data(framework: Cast, size: int, django_assert_num_queries: Any) -> None:
    """Every monitoring page costs the same queries at 1× and 10× the lines, indicators and values."""
    _scale(framework, size)
    client = _client(framework.analyst)
    expected = EXPECTED_QUERIES
    for name, kwargs in PAGES:
        url = reverse(name, kwargs=kwargs(framework) if kwargs else None)
        with django_assert_num_queries(expected[name]):
            assert client.get(url).status_code == 200, name


# The same counts at both sizes: measured at size 2, held at size 20. Each includes the navbar
# bell's one unread COUNT (sime.notifications), as every page with the navbar does.
EXPECTED_QUERIES = {
    "home": 30,
    "analytics:dashboard": 26,
    "analytics:node-progress": 21,
    "analytics:indicator-progress": 21,
    "analytics:institution-performance": 22,
    "analytics:iptt": 23,
    "analytics:department-map": 16,
    "analytics:alignment": 24,
}


def test_reading_one_year_gives_the_same_figures_as_reading_them_all(framework: Cast) -> None:
    """The one-year pages read only the year's facts (and the cumulative history): same figures."""
    from sime.analytics.progress import framework_progress
    from sime.policy.tests.factories import make_indicator

    cast = framework
    make_indicator(cast.action_node, "IND-ACU", cast.home, aggregation="cumulative", frequency="annual")
    for year, value in ((2025, Decimal(30)), (2026, Decimal(45))):
        IndicatorTarget.objects.create(indicator=cast.indicator, year=year, value=Decimal(100))
        period = services.create_period(
            by=cast.admin,
            policy=cast.policy,
            kind="year",
            year=year,
            number=1,
            opens_on=dt.date(2026, 12, 1),
            closes_on=dt.date(2027, 1, 31),
        )
        services.open_period(by=cast.admin, period=period)
        submission = period.submissions.get(institution=cast.home)
        for item in submission.indicatorvalue_items.all():
            services.save_item(by=cast.technical, item=item, values={"value": value}, version=item.version)
        for item in submission.actionprogress_items.all():
            services.save_item(
                by=cast.technical,
                item=item,
                values={"status": "in_progress", "progress_percent": value},
                version=item.version,
            )
        approve_instrument(cast, submission, technical=cast.technical, planning=cast.planning)

    every = framework_progress(cast.policy, year=2026, with_points=True)
    one = framework_progress(cast.policy, year=2026, with_points=True, all_years=False)
    assert [(i.indicator.code, i.year_aggregate, i.progress) for i in one.indicators] == [
        (i.indicator.code, i.year_aggregate, i.progress) for i in every.indicators
    ]
    cumulative = next(i for i in one.indicators if i.indicator.code == "IND-ACU")
    assert cumulative.year_aggregate is not None and cumulative.year_aggregate.value == Decimal(75)
    assert [p.period.code for p in one.indicators[0].points] == ["2026"]
    assert one.indicators[0].points == [p for p in every.indicators[0].points if p.period.year == 2026]
    assert one.node(cast.action_node.pk).percent == every.node(cast.action_node.pk).percent == Decimal("45.00")
    assert one.indicators[0].horizon_aggregate is None and every.indicators[0].horizon_aggregate is not None


def test_the_analysts_home_lists_what_waits_for_review_the_longest_waiting_first(reporting: Cast) -> None:
    import datetime as dt

    from django.utils import timezone

    from sime.reporting.models import Submission

    cast = reporting
    fill_instrument(cast)
    sign_and_send(cast)
    Submission.objects.filter(pk=cast.submission.pk).update(sent_at=timezone.now() - dt.timedelta(days=3))

    page = _client(cast.analyst).get(reverse("home"))
    assert [s.pk for s in page.context["review_queue"]] == [cast.submission.pk]
    assert page.context["review_queue_count"] == 1
    assert page.context["review_queue"][0].days_waiting == 3
    html = page.content.decode()
    assert "Un instrumento espera revisión" in html
    assert reverse("reporting:submission-detail", args=[cast.submission.pk]) in html

    focal = _client(cast.technical).get(reverse("home"))
    assert "review_queue" not in focal.context
    assert 'data-testid="review-queue"' not in focal.content.decode()
