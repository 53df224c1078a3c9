import datetime as dt
from decimal import Decimal

from django.core import mail
from django.core.management import call_command

from sime.conftest import Cast
from sime.reporting import services
from sime.reporting.models import ReminderLog
from sime.reporting.reminders import reminder_kind

CLOSES = dt.date(2027, 1, 31)  # the `reporting` fixture's closing day


def test_which_reminder_is_due_on_which_day(settings) -> None:  # type: ignore[no-untyped-def]
    settings.REPORTING_REMINDER_DAYS_BEFORE = [7, 2]
    assert reminder_kind(CLOSES, CLOSES - dt.timedelta(days=7)) == "before"
    assert reminder_kind(CLOSES, CLOSES - dt.timedelta(days=2)) == "before"
    assert reminder_kind(CLOSES, CLOSES - dt.timedelta(days=3)) is None
    assert reminder_kind(CLOSES, CLOSES) == "closing_day"
    assert reminder_kind(CLOSES, CLOSES + dt.timedelta(days=1)) == "overdue"
    assert reminder_kind(CLOSES, CLOSES + dt.timedelta(days=2)) is None
    assert reminder_kind(CLOSES, CLOSES + dt.timedelta(days=8)) == "overdue"


def test_running_twice_the_same_day_sends_nothing_twice(reporting: Cast) -> None:
    mail.outbox.clear()
    call_command("send_reminders", "--fecha", str(CLOSES))
    first = len(mail.outbox)
    # MINEX has two focal points, MINGOB one: one e-mail per instrument to its people.
    assert first == 2
    assert sorted(mail.outbox[0].to + mail.outbox[1].to) == sorted(
        [reporting.technical.email, reporting.planning.email, reporting.outsider.email]
    )
    assert "hoy cierra" in mail.outbox[0].subject
    call_command("send_reminders", "--fecha", str(CLOSES))
    assert len(mail.outbox) == first
    assert ReminderLog.objects.count() == 3


def test_sent_instruments_get_no_reminder(reporting: Cast) -> None:
    cast = reporting
    for item, values in (
        (cast.action_item, {"status": "completed", "progress_percent": Decimal("100")}),
        (cast.indicator_item, {"value": Decimal("3")}),
    ):
        item.refresh_from_db()
        services.save_item(by=cast.technical, item=item, values=values, version=item.version)
    services.sign_technical(by=cast.technical, submission=cast.submission)
    services.sign_planning(by=cast.planning, submission=cast.submission)
    services.send_submission(by=cast.technical, submission=cast.submission)
    mail.outbox.clear()
    call_command("send_reminders", "--fecha", str(CLOSES + dt.timedelta(days=1)))
    assert [m.to for m in mail.outbox] == [[cast.outsider.email]]
    assert "vencido" in mail.outbox[0].subject


def test_no_reminder_on_an_ordinary_day(reporting: Cast) -> None:
    mail.outbox.clear()
    call_command("send_reminders", "--fecha", str(CLOSES - dt.timedelta(days=10)))
    assert mail.outbox == []
