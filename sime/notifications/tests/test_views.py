from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sime.conftest import Cast
from sime.notifications.models import Notification
from sime.notifications.tests.factories import make_notifications

LIST = reverse("notifications:notification-list")
MARK_ALL = reverse("notifications:notification-mark-all-read")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _open(notification: Notification) -> str:
    return reverse("notifications:notification-open", kwargs={"pk": notification.pk})


def test_opening_marks_read_and_goes_to_the_target(cast: Cast) -> None:
    (notification,) = make_notifications(cast.technical, url="/reportes/instrumentos/9/")
    response = _client(cast.technical).get(_open(notification))
    assert response.status_code == 302
    assert response["Location"] == "/reportes/instrumentos/9/"
    assert Notification.objects.get().read_at is not None


def test_another_persons_notification_is_a_404_and_stays_unread(cast: Cast) -> None:
    (notification,) = make_notifications(cast.technical)
    for someone in (cast.planning, cast.admin, cast.outsider):
        assert _client(someone).get(_open(notification)).status_code == 404
    assert Notification.objects.get().read_at is None


@pytest.mark.parametrize("stored", ["//otro.example/x", "/\\otro.example"])
def test_a_target_off_the_site_goes_to_the_list_instead(cast: Cast, stored: str) -> None:
    # The service never writes such a path; a row changed by hand still cannot send anyone away.
    (notification,) = make_notifications(cast.technical)
    Notification.objects.filter(pk=notification.pk).update(url=stored)
    response = _client(cast.technical).get(_open(notification))
    assert response["Location"] == LIST
    assert Notification.objects.get().read_at is not None


def test_mark_all_read_goes_back_to_a_local_page_only(cast: Cast) -> None:
    make_notifications(cast.technical, 3)
    client = _client(cast.technical)
    response = client.post(MARK_ALL, {"next": "/reportes/?pagina=2"})
    assert response["Location"] == "/reportes/?pagina=2"
    assert Notification.objects.filter(read_at=None).count() == 0
    assert "Se marcaron 3 notificaciones como leídas." in client.get(LIST).content.decode()
    response = client.post(MARK_ALL, {"next": "https://otro.example/"})
    assert response["Location"] == LIST
    assert "No había notificaciones sin leer." in client.get(LIST).content.decode()


def test_the_list_is_paginated_newest_first_with_an_unread_filter(cast: Cast) -> None:
    made = make_notifications(cast.technical, 30)
    _client(cast.technical).get(_open(made[-1]))  # the newest, read
    client = _client(cast.technical)
    page = client.get(LIST)
    assert [n.pk for n in page.context["notifications"]] == [n.pk for n in reversed(made)][:25]
    assert page.context["page_obj"].paginator.num_pages == 2
    html = page.content.decode()
    assert "Aviso 30." in html and "Aviso 5." not in html
    assert "No leídas (29)" in html
    unread = client.get(LIST, {"estado": "no-leidas"})
    assert [n.text for n in unread.context["notifications"]][:2] == ["Aviso 29.", "Aviso 28."]
    assert unread.context["page_obj"].paginator.count == 29


def test_the_list_marks_unread_ones_in_words(cast: Cast) -> None:
    first, _second = make_notifications(cast.technical, 2)
    _client(cast.technical).get(_open(first))
    html = _client(cast.technical).get(LIST).content.decode()
    assert html.count(">Nueva<") == 1
    assert "ahora" in html  # naturaltime, in Spanish


def test_the_bell_names_the_unread_count_and_caps_the_badge(cast: Cast) -> None:
    client = _client(cast.technical)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert 'aria-label="Notificaciones"' in html
    assert 'data-testid="notification-badge"' not in html
    make_notifications(cast.technical, 3)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert 'aria-label="Notificaciones, 3 sin leer"' in html
    assert 'data-testid="notification-badge">3</span>' in html
    make_notifications(cast.technical, 100, prefix="more")
    html = client.get(reverse("accounts:profile")).content.decode()
    assert 'aria-label="Notificaciones, 103 sin leer"' in html
    assert 'data-testid="notification-badge">99+</span>' in html


def test_the_menu_lists_the_latest_with_links_that_open_them(cast: Cast) -> None:
    made = make_notifications(cast.technical, 10)
    response = _client(cast.technical).get(reverse("notifications:notification-menu"))
    html = response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    assert html.count('class="dropdown-item notification-item is-unread"') == 8
    assert _open(made[-1]) in html and _open(made[1]) not in html
    assert (
        "No tiene notificaciones."
        in _client(cast.planning).get(reverse("notifications:notification-menu")).content.decode()
    )


@pytest.mark.parametrize("count", [1, 20])
def test_a_page_with_the_bell_costs_the_same_queries_whatever_the_notifications(
    cast: Cast, count: int, django_assert_num_queries: Any
) -> None:
    make_notifications(cast.technical, count)
    client = _client(cast.technical)
    # session, user, her current designations (a focal role's rules read them once), the bell's one
    # COUNT, the user's institution (navbar), then the sliding session's save (savepoint, update, release).
    with django_assert_num_queries(8):
        assert client.get(reverse("accounts:profile")).status_code == 200
    # The menu (loaded when the bell opens): session, user, the latest eight, her current designations
    # (the navigation's rules), session save (3).
    with django_assert_num_queries(7):
        assert client.get(reverse("notifications:notification-menu")).status_code == 200
    # The list: session, user, her current designations, the page's count, the bell's count, the user's
    # institution, one page of rows, session save (3).
    with django_assert_num_queries(10):
        assert client.get(LIST).status_code == 200
