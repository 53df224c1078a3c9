import pytest
from django.core.management import CommandError, call_command

from sime.accounts.models import User
from sime.accounts.roles import Role
from sime.core.models import AuditEvent
from sime.institutions.demo import DEMO_USERS
from sime.institutions.models import Department, FocalPoint, Institution

pytestmark = pytest.mark.django_db


def _state() -> tuple[int, int, int, int, int]:
    return (
        Department.objects.count(),
        Institution.objects.count(),
        User.objects.count(),
        FocalPoint.objects.count(),
        AuditEvent.objects.count(),
    )


def test_load_demo_is_idempotent() -> None:
    call_command("load_demo", "--allow-demo-users", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _state()
    call_command("load_demo", "--allow-demo-users", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _state() == first
    assert first[:2] == (22, 71)
    # Seven demo logins; every other account is a demo enlace without a usable password, designated
    # so that each institution's instruments of the approved demo periods went through the workflow.
    assert User.objects.exclude(password__startswith="!").count() == 7
    assert {u.email for u in User.objects.exclude(password__startswith="!")} == {d.email for d in DEMO_USERS}
    reporting = Institution.objects.filter(submissions__isnull=False).distinct()
    for institution in reporting:
        roles = set(FocalPoint.objects.current().filter(institution=institution).values_list("role", flat=True))
        assert roles == {"technical", "planning"}, institution.acronym
    assert first[2] == 7 + FocalPoint.objects.exclude(user__email__in=[d.email for d in DEMO_USERS]).count()
    assert Department.objects.get(code="GT-22").name == "Jutiapa"
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    minex = Institution.objects.get(acronym="MINEX")
    assert minex.is_linked and minex.is_role_confirmed
    assert not Institution.objects.get(acronym="OIM").is_linked


def test_demo_users_need_debug_or_an_explicit_flag(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")
    call_command("load_demo", "--no-users", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert User.objects.count() == 0
    assert Institution.objects.count() == 71


def test_demo_sources_are_written_in_spanish() -> None:
    import csv
    import re
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "demo_data" / "institutions.csv"
    english = re.compile(r"\b(member|the|of|found|from|reception|name|listed|with|and)\b", re.IGNORECASE)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            prose = re.sub(r"https?://[^\s;)]+", "", row["source"])
            assert not english.findall(prose), (row["acronym"], prose)
