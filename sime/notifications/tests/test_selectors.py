from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from sime.conftest import Cast
from sime.notifications import selectors, services
from sime.notifications.tests.factories import make_notifications


def test_each_person_reads_only_their_own(cast: Cast) -> None:
    mine = make_notifications(cast.technical, 3)
    make_notifications(cast.planning, 2)
    services.mark_read(by=cast.technical, notification=mine[0])
    assert selectors.unread_count(cast.technical) == 2
    assert selectors.unread_count(cast.planning) == 2
    assert selectors.unread_count(cast.admin) == 0
    assert selectors.unread_count(AnonymousUser()) == 0
    assert [n.pk for n in selectors.notification_list(cast.technical)] == [n.pk for n in reversed(mine)]
    assert [n.pk for n in selectors.notification_list(cast.technical, unread_only=True)] == [mine[2].pk, mine[1].pk]
    assert list(selectors.notification_list(cast.admin)) == []


def test_the_menu_shows_the_latest_eight_newest_first(cast: Cast) -> None:
    made = make_notifications(cast.technical, 10)
    latest = selectors.latest_notifications(cast.technical)
    assert [n.text for n in latest] == [f"Aviso {number}." for number in range(10, 2, -1)]
    assert [n.pk for n in latest] == [n.pk for n in reversed(made)][:8]
