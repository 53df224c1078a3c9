import pytest
from django.core.management import CommandError, call_command

from sime.accounts.models import User
from sime.accounts.roles import Role
from sime.core.models import AuditEvent
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
    assert first[:4] == (22, 71, 7, 3)
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
