import datetime as dt

import pytest

from sime.accounts.models import User
from sime.accounts.permissions import institution_scope
from sime.accounts.roles import Role
from sime.accounts.tests.factories import UserFactory
from sime.institutions.models import FocalPoint, Institution

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


# A focal role grants something only while a current designation backs it.
FOCAL_RULES_ON_HOME = [
    "institutions.change_institution_contact",
    "institutions.view_focal_point_contact",
    "institutions.view_focal_point_document",
    "reporting.fill_submission",
    "reporting.sign_technical",
    "evaluation.fill_response",
    "analytics.view_institution_performance",
]
FOCAL_RULES = [
    "institutions.view_own_institution",
    "policy.view_own_commitments",
    "reporting.view_submissions",
    "analytics.view_monitoring",
    "evaluation.view_own_recommendations",
]


def _fresh(user):  # type: ignore[no-untyped-def]
    """The user as the next request loads it (nothing cached on the object)."""
    return User.objects.get(pk=user.pk)


def _granted(user, home):  # type: ignore[no-untyped-def]
    return {rule for rule in FOCAL_RULES_ON_HOME if user.has_perm(rule, home)} | {
        rule for rule in FOCAL_RULES if user.has_perm(rule)
    }


def test_a_current_focal_point_holds_her_rules(cast) -> None:  # type: ignore[no-untyped-def]
    assert _granted(_fresh(cast.technical), cast.home) == {*FOCAL_RULES_ON_HOME, *FOCAL_RULES}


def test_a_role_whose_designation_ended_grants_nothing(cast) -> None:  # type: ignore[no-untyped-def]
    # As older data has it: the designation ended but the account kept its role and institution.
    FocalPoint.objects.filter(user=cast.technical).update(ended_on=dt.date(2025, 1, 15))
    stale = _fresh(cast.technical)
    assert stale.is_active and stale.role == Role.FOCAL_TECHNICAL and stale.institution_id == cast.home.pk
    assert _granted(stale, cast.home) == set()
    assert stale.has_perm("core.view_home")  # still signed in, as anyone: the directory, her profile
    assert institution_scope(stale, Institution.objects.all(), field="pk").count() == 0


def test_a_focal_role_without_any_designation_grants_nothing(cast) -> None:  # type: ignore[no-untyped-def]
    # An Administrador gave the role on the users page; DEPM has not designated her (yet).
    person = UserFactory(role=Role.FOCAL_PLANNING, institution=cast.home)
    assert _granted(person, cast.home) == set()
    assert institution_scope(person, Institution.objects.all(), field="pk").count() == 0


def test_the_designation_must_be_of_the_role_and_for_the_institution(cast) -> None:  # type: ignore[no-untyped-def]
    # The role says técnico, but her current designation is planificación: she signs as neither.
    User.objects.filter(pk=cast.planning.pk).update(role=Role.FOCAL_TECHNICAL)
    assert not _fresh(cast.planning).has_perm("reporting.sign_technical", cast.home)
    assert not _fresh(cast.planning).has_perm("reporting.sign_planning", cast.home)
    # The institution says MINGOB, but her designation is for MINEX: neither institution is hers.
    User.objects.filter(pk=cast.technical.pk).update(institution=cast.other)
    moved = _fresh(cast.technical)
    assert _granted(moved, cast.other) == set()
    assert _granted(moved, cast.home) == set()


def test_designations_are_read_once_per_user_object(cast, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    technical = _fresh(cast.technical)
    with django_assert_num_queries(1):
        _granted(technical, cast.home)
        _granted(technical, cast.other)
        institution_scope(technical, Institution.objects.all(), field="pk")
    analyst, cooperant = _fresh(cast.analyst), _fresh(cast.cooperant)
    with django_assert_num_queries(0):  # other roles never ask
        _granted(analyst, cast.home)
        _granted(cooperant, cast.agency)
