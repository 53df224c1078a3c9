from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from sime.conftest import Cast
from sime.notifications import services
from sime.notifications.models import Notification, NotificationKind
from sime.notifications.tests.factories import make_notifications

PATH = "/reportes/instrumentos/7/"


def test_notify_gives_each_person_one_unread_notification(cast: Cast) -> None:
    services.notify(
        recipients=[cast.technical, cast.planning], kind="returned", text="MINEX 2026: devuelto.", url=PATH, key="k1"
    )
    rows = Notification.objects.order_by("recipient_id").values_list("recipient_id", "kind", "text", "url", "read_at")
    assert list(rows) == [
        (cast.technical.pk, NotificationKind.RETURNED, "MINEX 2026: devuelto.", PATH, None),
        (cast.planning.pk, NotificationKind.RETURNED, "MINEX 2026: devuelto.", PATH, None),
    ]


def test_a_repeated_key_adds_nothing_so_a_retried_task_does_not_repeat(cast: Cast) -> None:
    for _ in range(2):
        services.notify(recipients=[cast.technical], kind="approved", text="Aprobado.", url=PATH, key="same")
    services.notify(recipients=[cast.technical, cast.planning], kind="approved", text="Aprobado.", url=PATH, key="same")
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted(
        [cast.technical.pk, cast.planning.pk]
    )


@pytest.mark.parametrize(
    "url", ["https://otro.example/x", "//otro.example/x", "/\\otro.example", "reportes/1/", "javascript:alert(1)"]
)
def test_notify_refuses_anything_but_a_path_of_this_site(cast: Cast, url: str) -> None:
    with pytest.raises(ValueError):
        services.notify(recipients=[cast.technical], kind="returned", text="x", url=url, key="k")
    assert Notification.objects.count() == 0


def test_notify_refuses_an_unknown_kind_and_cuts_long_text(cast: Cast) -> None:
    with pytest.raises(ValueError):
        services.notify(recipients=[cast.technical], kind="spam", text="x", url=PATH, key="k")
    services.notify(recipients=[cast.technical], kind="reminder", text="a" * 400, url=PATH, key="k")
    assert len(Notification.objects.get().text) == 300


def test_mark_read_once_and_keeps_the_first_time(cast: Cast) -> None:
    (notification,) = make_notifications(cast.technical)
    services.mark_read(by=cast.technical, notification=notification)
    first = Notification.objects.get().read_at
    assert first is not None
    services.mark_read(by=cast.technical, notification=Notification.objects.get())
    assert Notification.objects.get().read_at == first


def test_nobody_marks_another_persons_notification(cast: Cast) -> None:
    (notification,) = make_notifications(cast.technical)
    for someone in (cast.planning, cast.admin, cast.analyst):
        with pytest.raises(PermissionDenied):
            services.mark_read(by=someone, notification=notification)
    assert Notification.objects.get().read_at is None


def test_mark_all_read_touches_only_the_persons_unread(cast: Cast) -> None:
    mine = make_notifications(cast.technical, 3)
    services.mark_read(by=cast.technical, notification=mine[0])
    already = Notification.objects.get(pk=mine[0].pk).read_at
    make_notifications(cast.planning, 2)
    assert services.mark_all_read(by=cast.technical) == 2
    assert Notification.objects.get(pk=mine[0].pk).read_at == already
    assert Notification.objects.filter(recipient=cast.technical, read_at=None).count() == 0
    assert Notification.objects.filter(recipient=cast.planning, read_at=None).count() == 2
    assert services.mark_all_read(by=cast.technical) == 0


def test_retention_deletes_old_read_notifications_only(cast: Cast) -> None:
    long_ago = timezone.now() - dt.timedelta(days=200)
    old_read, old_unread = make_notifications(cast.technical, 2, prefix="old", created_at=long_ago)
    (recent_read,) = make_notifications(cast.technical, prefix="recent")
    services.mark_read(by=cast.technical, notification=old_read)
    services.mark_read(by=cast.technical, notification=recent_read)
    deleted = services.delete_read_notifications(created_before=timezone.now() - dt.timedelta(days=180))
    assert deleted == 1
    assert sorted(Notification.objects.values_list("pk", flat=True)) == sorted([old_unread.pk, recent_read.pk])
