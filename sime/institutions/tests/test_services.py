import datetime as dt

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sime.accounts.models import User
from sime.accounts.roles import Role
from sime.accounts.tests.factories import UserFactory
from sime.core.models import AuditEvent
from sime.institutions import services
from sime.institutions.models import FocalPoint, FocalPointRole, Institution, Sector
from sime.institutions.tests.factories import FocalPointFactory

pytestmark = pytest.mark.django_db


def test_analyst_creates_an_institution_and_it_is_audited(cast) -> None:  # type: ignore[no-untyped-def]
    institution = services.create_institution(
        by=cast.analyst, name="  Registro Nacional de las Personas ", acronym="renap", sector=Sector.AUTONOMOUS
    )
    assert (institution.name, institution.acronym) == ("Registro Nacional de las Personas", "RENAP")
    event = AuditEvent.objects.get(action="institution.created", object_id=str(institution.pk))
    assert event.actor == cast.analyst
    assert event.changes["acronym"] == {"before": None, "after": "RENAP"}


@pytest.mark.parametrize("role", ["technical", "planning", "authority", "cooperant"])
def test_only_depm_creates_institutions(cast, role) -> None:  # type: ignore[no-untyped-def]
    count = Institution.objects.count()
    with pytest.raises(PermissionDenied):
        services.create_institution(by=cast.by_role()[role], name="X", acronym="X", sector=Sector.EXECUTIVE)
    assert Institution.objects.count() == count
    assert not AuditEvent.objects.filter(action="institution.created").exists()


def test_duplicate_acronym_is_refused_whatever_the_case(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        services.create_institution(by=cast.admin, name="Otro", acronym="minex", sector=Sector.EXECUTIVE)
    assert "Ya existe una institución con estas siglas." in str(error.value)


def test_update_records_before_and_after(cast) -> None:  # type: ignore[no-untyped-def]
    services.update_institution(by=cast.admin, institution=cast.home, phone="2410-0000", is_linked=False)
    event = AuditEvent.objects.get(action="institution.updated")
    assert event.changes == {
        "is_linked": {"before": True, "after": False},
        "phone": {"before": "", "after": "2410-0000"},
    }


def test_update_without_changes_writes_no_event(cast) -> None:  # type: ignore[no-untyped-def]
    services.update_institution(by=cast.admin, institution=cast.home, name=cast.home.name)
    assert not AuditEvent.objects.filter(action="institution.updated").exists()


def test_focal_point_updates_own_contact_data(cast) -> None:  # type: ignore[no-untyped-def]
    services.update_institution_contact(by=cast.technical, institution=cast.home, email="enlace@minex.gob.gt")
    cast.home.refresh_from_db()
    assert cast.home.email == "enlace@minex.gob.gt"
    assert AuditEvent.objects.get(action="institution.updated").actor == cast.technical


def test_focal_point_cannot_touch_another_institution(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.update_institution_contact(by=cast.outsider, institution=cast.home, phone="666")
    cast.home.refresh_from_db()
    assert cast.home.phone == ""
    assert not AuditEvent.objects.exists()


def test_contact_edit_cannot_change_other_fields(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TypeError):
        services.update_institution_contact(by=cast.technical, institution=cast.home, is_linked=False)


def test_replacing_a_focal_point_keeps_the_history(cast) -> None:  # type: ignore[no-untyped-def]
    newcomer = UserFactory(role=Role.FOCAL_TECHNICAL, institution=cast.home, full_name="Nueva Técnica")
    new = services.designate_focal_point(
        by=cast.analyst,
        institution=cast.home,
        role=FocalPointRole.TECHNICAL,
        user=newcomer,
        designated_on=dt.date(2025, 1, 15),
        designation_reference="Oficio 15-2025",
    )
    previous = FocalPoint.objects.get(user=cast.technical)
    assert previous.ended_on == dt.date(2025, 1, 15)
    assert list(FocalPoint.objects.current().filter(institution=cast.home, role="technical")) == [new]
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["focal_point.ended", "user.deactivated", "focal_point.designated"]
    assert AuditEvent.objects.get(action="focal_point.ended").data == {"reason": "replaced"}


def test_designating_a_new_person_creates_the_account(cast) -> None:  # type: ignore[no-untyped-def]
    focal_point = services.designate_focal_point(
        by=cast.admin,
        institution=cast.other,
        role=FocalPointRole.PLANNING,
        new_person=services.NewPerson(full_name="Pedro Planificador", email="Pedro@Mingob.gob.gt"),
        designated_on=dt.date(2025, 2, 1),
        designation_document=SimpleUploadedFile("oficio.pdf", b"%PDF-1.4 x", "application/pdf"),
    )
    user = focal_point.user
    assert (user.email, user.role, user.institution) == ("pedro@mingob.gob.gt", Role.FOCAL_PLANNING, cast.other)
    assert not user.has_usable_password()
    assert focal_point.designation_document.name.endswith(".pdf")


def test_a_bad_document_leaves_nothing_half_saved(cast) -> None:  # type: ignore[no-untyped-def]
    users = User.objects.count()
    with pytest.raises(ValidationError) as error:
        services.designate_focal_point(
            by=cast.admin,
            institution=cast.other,
            role=FocalPointRole.PLANNING,
            new_person=services.NewPerson(full_name="Pedro", email="pedro@mingob.gob.gt"),
            designated_on=dt.date(2025, 2, 1),
            designation_document=SimpleUploadedFile("oficio.pdf", b"MZ\x90\x00 exe", "application/pdf"),
        )
    assert error.value.message_dict == {
        "designation_document": ["Tipo de archivo no permitido: se aceptan PDF, PNG o JPG."]
    }
    assert User.objects.count() == users
    assert not FocalPoint.objects.filter(institution=cast.other, role="planning").exists()
    assert len(mail.outbox) == 0


def test_one_person_cannot_be_both_focal_points(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        services.designate_focal_point(
            by=cast.admin,
            institution=cast.home,
            role=FocalPointRole.PLANNING,
            user=cast.technical,
            designated_on=dt.date(2025, 2, 1),
        )
    assert error.value.message_dict["user"] == [
        "Esta persona ya es enlace vigente de la institución con otro tipo de enlace."
    ]
    assert FocalPoint.objects.current().get(institution=cast.home, role="planning").user == cast.planning


def test_a_person_of_another_institution_cannot_be_designated(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        services.designate_focal_point(
            by=cast.admin,
            institution=cast.home,
            role=FocalPointRole.TECHNICAL,
            user=cast.outsider,
            designated_on=dt.date(2025, 2, 1),
        )
    assert error.value.message_dict["user"] == ["Esta persona pertenece a otra institución."]


def test_a_designation_before_the_current_one_is_refused(cast) -> None:  # type: ignore[no-untyped-def]
    newcomer = UserFactory(role=Role.FOCAL_TECHNICAL, institution=cast.home)
    with pytest.raises(ValidationError) as error:
        services.designate_focal_point(
            by=cast.admin,
            institution=cast.home,
            role=FocalPointRole.TECHNICAL,
            user=newcomer,
            designated_on=dt.date(2020, 1, 1),
        )
    assert "designated_on" in error.value.message_dict
    assert FocalPoint.objects.get(user=cast.technical).ended_on is None


def test_only_depm_designates(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.designate_focal_point(
            by=cast.planning,
            institution=cast.home,
            role=FocalPointRole.TECHNICAL,
            user=cast.planning,
            designated_on=dt.date(2025, 1, 1),
        )
    assert FocalPoint.objects.current().get(institution=cast.home, role="technical").user == cast.technical


def test_ending_a_designation(cast) -> None:  # type: ignore[no-untyped-def]
    focal_point = FocalPoint.objects.get(user=cast.technical)
    services.end_focal_point(by=cast.analyst, focal_point=focal_point, ended_on=dt.date(2025, 6, 30))
    focal_point.refresh_from_db()
    assert focal_point.ended_on == dt.date(2025, 6, 30)
    with pytest.raises(ValidationError):
        services.end_focal_point(by=cast.analyst, focal_point=focal_point, ended_on=dt.date(2025, 7, 1))


def test_ending_before_the_designation_is_refused(cast) -> None:  # type: ignore[no-untyped-def]
    focal_point = FocalPoint.objects.get(user=cast.technical)
    with pytest.raises(ValidationError) as error:
        services.end_focal_point(by=cast.analyst, focal_point=focal_point, ended_on=dt.date(2020, 1, 1))
    assert error.value.message_dict["ended_on"] == ["La fecha de finalización no puede ser anterior a la designación."]
    focal_point.refresh_from_db()
    assert focal_point.ended_on is None


# --- The account follows the designations -------------------------------------------------


def _signs_in(email: str) -> bool:
    client = Client()
    client.post("/cuentas/ingresar/", {"username": email, "password": "clave-de-prueba-123"})
    return SESSION_KEY in client.session


def _replace_technical(cast, *, by=None, on=dt.date(2025, 1, 15)):  # type: ignore[no-untyped-def]
    newcomer = UserFactory(role=Role.FOCAL_TECHNICAL, institution=cast.home, full_name="Nueva Técnica")
    services.designate_focal_point(
        by=by or cast.analyst, institution=cast.home, role=FocalPointRole.TECHNICAL, user=newcomer, designated_on=on
    )
    return newcomer


def test_a_replaced_focal_point_loses_her_account_in_the_same_step(cast) -> None:  # type: ignore[no-untyped-def]
    previous = FocalPoint.objects.get(user=cast.technical)
    _replace_technical(cast)
    person = User.objects.get(pk=cast.technical.pk)
    # Deactivated, not deleted: role and institution stay as the record of what she was.
    assert (person.is_active, person.role, person.institution) == (False, Role.FOCAL_TECHNICAL, cast.home)
    assert not _signs_in(person.email)
    assert not person.has_perm("institutions.change_institution_contact", cast.home)
    event = AuditEvent.objects.get(action="user.deactivated")
    assert (event.actor, event.object_id, event.institution_id) == (cast.analyst, str(person.pk), cast.home.pk)
    assert event.changes == {"is_active": {"before": True, "after": False}}
    assert event.data == {"reason": "focal_point_replaced", "focal_point": previous.pk}


def test_ending_a_designation_deactivates_the_account(cast) -> None:  # type: ignore[no-untyped-def]
    focal_point = FocalPoint.objects.select_related("user").get(user=cast.planning)
    services.end_focal_point(by=cast.admin, focal_point=focal_point, ended_on=dt.date(2025, 6, 30))
    assert focal_point.user.is_active is False  # the caller's object says so (the page tells DEPM)
    assert User.objects.get(pk=cast.planning.pk).is_active is False
    event = AuditEvent.objects.get(action="user.deactivated")
    assert event.data == {"reason": "focal_point_ended", "focal_point": focal_point.pk}
    # Nobody else was touched.
    assert set(User.objects.filter(is_active=False).values_list("pk", flat=True)) == {cast.planning.pk}


def test_a_person_with_another_current_designation_follows_it(cast) -> None:  # type: ignore[no-untyped-def]
    # Not something the services let anyone set up today (one current designation a person), but
    # older data or the admin can hold it: the account then follows the designation that remains.
    elsewhere = FocalPointFactory(
        institution=cast.other, role=FocalPointRole.PLANNING, user=cast.technical, designated_on=dt.date(2024, 6, 1)
    )
    home = FocalPoint.objects.get(user=cast.technical, institution=cast.home)
    services.end_focal_point(by=cast.analyst, focal_point=home, ended_on=dt.date(2025, 6, 30))
    person = User.objects.get(pk=cast.technical.pk)
    assert (person.is_active, person.role, person.institution) == (True, Role.FOCAL_PLANNING, cast.other)
    assert not AuditEvent.objects.filter(action="user.deactivated").exists()
    event = AuditEvent.objects.get(action="user.updated")
    assert event.changes == {
        "institution": {"before": cast.home.pk, "after": cast.other.pk},
        "role": {"before": "focal_technical", "after": "focal_planning"},
    }
    assert event.data == {"reason": "focal_point_ended", "focal_point": home.pk, "follows": elsewhere.pk}
    assert person.has_perm("institutions.change_institution_contact", cast.other)
    assert not person.has_perm("institutions.change_institution_contact", cast.home)


def test_designating_a_former_focal_point_again_reactivates_her(cast) -> None:  # type: ignore[no-untyped-def]
    newcomer = _replace_technical(cast)
    former = User.objects.get(pk=cast.technical.pk)
    assert former.is_active is False
    focal_point = services.designate_focal_point(
        by=cast.admin,
        institution=cast.home,
        role=FocalPointRole.TECHNICAL,
        user=former,
        designated_on=dt.date(2025, 9, 1),
    )
    assert focal_point.user is former
    assert former.is_active is True
    assert User.objects.get(pk=former.pk).is_active is True
    assert _signs_in(former.email)
    # The object the caller holds answers from the new designation at once.
    assert former.has_perm("institutions.change_institution_contact", cast.home)
    event = AuditEvent.objects.get(action="user.reactivated")
    assert event.changes == {"is_active": {"before": False, "after": True}}
    assert event.data == {"reason": "focal_point_designated"}
    # The one she replaces is in turn deactivated.
    assert User.objects.get(pk=newcomer.pk).is_active is False
    assert FocalPoint.objects.filter(user=former).count() == 2


def test_an_account_closed_for_another_role_is_still_refused(cast) -> None:  # type: ignore[no-untyped-def]
    closed = UserFactory(role=Role.AUTHORITY, is_active=False)
    with pytest.raises(ValidationError) as error:
        services.designate_focal_point(
            by=cast.admin,
            institution=cast.home,
            role=FocalPointRole.TECHNICAL,
            user=closed,
            designated_on=dt.date(2025, 2, 1),
        )
    assert error.value.message_dict["user"] == ["La cuenta de esta persona está desactivada."]
    assert User.objects.get(pk=closed.pk).is_active is False


def test_ending_the_designation_of_an_already_closed_account_changes_nothing_more(cast) -> None:  # type: ignore[no-untyped-def]
    User.objects.filter(pk=cast.technical.pk).update(is_active=False)  # an Administrador closed it before
    focal_point = FocalPoint.objects.select_related("user").get(user=cast.technical)
    services.end_focal_point(by=cast.analyst, focal_point=focal_point, ended_on=dt.date(2025, 6, 30))
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["focal_point.ended"]


def test_a_refused_ending_leaves_the_account_open(cast) -> None:  # type: ignore[no-untyped-def]
    focal_point = FocalPoint.objects.select_related("user").get(user=cast.technical)
    with pytest.raises(ValidationError):
        services.end_focal_point(by=cast.analyst, focal_point=focal_point, ended_on=dt.date(2020, 1, 1))
    assert User.objects.get(pk=cast.technical.pk).is_active is True
    assert not AuditEvent.objects.exists()
