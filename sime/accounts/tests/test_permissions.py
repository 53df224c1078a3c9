import pytest

from sime.accounts.permissions import institution_scope
from sime.institutions.models import Institution

pytestmark = pytest.mark.django_db

ROLES = ["admin", "analyst", "technical", "planning", "authority", "cooperant", "outsider"]


@pytest.mark.parametrize(
    ("rule", "on", "allowed"),
    [
        ("institutions.change_institution_contact", "home", {"admin", "analyst", "technical", "planning"}),
        ("institutions.change_institution", "home", {"admin", "analyst"}),
        ("institutions.manage_focal_points", "home", {"admin", "analyst"}),
        ("institutions.view_focal_point_contact", "home", {"admin", "analyst", "technical", "planning"}),
        ("institutions.view_focal_point_contact", "agency", {"admin", "analyst", "cooperant"}),
        ("institutions.view_coverage", None, {"admin", "analyst", "authority"}),
        ("institutions.view_own_institution", None, {"technical", "planning", "cooperant", "outsider"}),
        ("core.view_auditevent", None, {"admin"}),
        ("accounts.add_user", None, {"admin"}),
    ],
)
def test_rules(cast, rule, on, allowed) -> None:  # type: ignore[no-untyped-def]
    obj = getattr(cast, on) if on else None
    granted = {role for role, user in cast.by_role().items() if user.has_perm(rule, obj)}
    assert granted == allowed


def test_a_deactivated_account_holds_no_rule(cast) -> None:  # type: ignore[no-untyped-def]
    cast.admin.is_active = False
    assert not cast.admin.has_perm("core.view_home")
    assert not cast.admin.has_perm("core.view_auditevent")


def test_institution_scope(cast) -> None:  # type: ignore[no-untyped-def]
    everything = Institution.objects.order_by("acronym")
    assert [i.acronym for i in institution_scope(cast.technical, everything, field="pk")] == ["MINEX"]
    assert [i.acronym for i in institution_scope(cast.cooperant, everything, field="pk")] == ["OIM"]
    assert institution_scope(cast.authority, everything, field="pk").count() == 3
    assert institution_scope(cast.analyst, everything, field="pk").count() == 3


def test_anonymous_scope_is_empty(cast) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    assert institution_scope(AnonymousUser(), Institution.objects.all(), field="pk").count() == 0
