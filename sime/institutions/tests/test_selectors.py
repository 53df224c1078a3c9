import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from sime.institutions.models import FocalPointRole
from sime.institutions.selectors import focal_point_coverage, institution_list
from sime.institutions.tests.factories import FocalPointFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


def _many_institutions(count: int) -> None:
    for _ in range(count):
        institution = InstitutionFactory()
        FocalPointFactory(institution=institution, role=FocalPointRole.TECHNICAL)
        FocalPointFactory(
            institution=institution,
            role=FocalPointRole.TECHNICAL,
            designated_on=dt.date(2023, 1, 1),
            ended_on=dt.date(2024, 1, 1),
        )


def test_list_says_which_focal_points_are_current(cast) -> None:  # type: ignore[no-untyped-def]
    rows = {i.acronym: (i.has_technical, i.has_planning) for i in institution_list()}
    assert rows == {"MINEX": (True, True), "MINGOB": (True, False), "OIM": (False, False)}


def test_list_filters(cast) -> None:  # type: ignore[no-untyped-def]
    assert [i.acronym for i in institution_list(text="gober")] == ["MINGOB"]
    assert [i.acronym for i in institution_list(sector="international_cooperation")] == ["OIM"]
    assert [i.acronym for i in institution_list(linked=False)] == ["OIM"]


def test_coverage_counts_active_linked_institutions(cast) -> None:  # type: ignore[no-untyped-def]
    InstitutionFactory(is_active=False)
    assert focal_point_coverage() == {"linked": 2, "without_technical": 0, "without_planning": 1, "complete": 1}


@pytest.mark.parametrize("size", [3, 30])
def test_institution_list_page_queries_do_not_grow(cast, size, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    _many_institutions(size)
    client = Client()
    client.force_login(cast.analyst)
    # session, user, the navbar bell's unread count, count, one page of institutions (department and
    # focal point flags joined), then the sliding session's save (savepoint, update, release).
    with django_assert_num_queries(8):
        response = client.get(reverse("institutions:institution-list"))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 20])
def test_institution_detail_queries_do_not_grow_with_history(cast, size, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    for year in range(size):
        FocalPointFactory(
            institution=cast.home,
            role=FocalPointRole.PLANNING,
            designated_on=dt.date(2000 + year, 1, 1),
            ended_on=dt.date(2000 + year, 12, 31),
        )
    client = Client()
    client.force_login(cast.analyst)
    # session, user, the navbar bell's unread count, institution, its designations with people,
    # session save (3).
    with django_assert_num_queries(8):
        response = client.get(reverse("institutions:institution-detail", kwargs={"pk": cast.home.pk}))
    assert response.status_code == 200
    assert len(response.context["past_focal_points"]) == size


@pytest.mark.parametrize("size", [2, 20])
def test_home_page_queries_do_not_grow(cast, size, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    _many_institutions(size)
    client = Client()
    client.force_login(cast.admin)
    # session, user, the navbar bell's unread count, coverage, recent events, review queue and its
    # count, institution count, the monitored policy (none is loaded here, so the dashboard says so),
    # session save (3).
    with django_assert_num_queries(12):
        response = client.get(reverse("home"))
    assert response.status_code == 200


def test_search_ignores_accents_and_case(cast) -> None:  # type: ignore[no-untyped-def]
    assert [i.acronym for i in institution_list(text="GOBERNACION")] == ["MINGOB"]
    assert [i.acronym for i in institution_list(text="relaciones exteriores")] == ["MINEX"]
    assert [i.acronym for i in institution_list(text="oim")] == ["OIM"]
