import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from sime.accounts.models import User
from sime.accounts.roles import Role
from sime.accounts.tests.factories import UserFactory
from sime.core.models import AuditEvent

pytestmark = pytest.mark.django_db
LOGIN = "/cuentas/ingresar/"


def _login(client: Client, email: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": email, "password": password})


def test_login_with_email_in_any_case() -> None:
    user = UserFactory(email="ana@igm.gob.gt")
    client = Client()
    response = _login(client, "ANA@igm.gob.gt", "clave-de-prueba-123")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(user.pk)


def test_wrong_password_gets_a_spanish_message_and_keeps_the_email() -> None:
    UserFactory(email="ana@igm.gob.gt")
    response = _login(Client(), "ana@igm.gob.gt", "equivocada")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Correo electrónico o contraseña incorrectos." in html
    assert 'value="ana@igm.gob.gt"' in html


def test_inactive_account_cannot_log_in() -> None:
    UserFactory(email="baja@igm.gob.gt", is_active=False)
    response = _login(Client(), "baja@igm.gob.gt", "clave-de-prueba-123")
    assert response.status_code == 200
    assert SESSION_KEY not in response.wsgi_request.session


def test_repeated_failures_lock_the_account_out(settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(email="ana@igm.gob.gt")
    client = Client()
    for _ in range(2):
        assert _login(client, "ana@igm.gob.gt", "mala").status_code == 200
    locked = _login(client, "ana@igm.gob.gt", "mala")
    assert locked.status_code == 429
    assert "Acceso bloqueado temporalmente" in locked.content.decode()
    # Even the right password is refused while locked.
    assert _login(client, "ana@igm.gob.gt", "clave-de-prueba-123").status_code == 429


def test_case_variants_of_the_e_mail_share_one_lockout(settings) -> None:  # type: ignore[no-untyped-def]
    """Six case variants once gave 30 guesses from one address, then a variant logged in."""
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(email="ana@igm.gob.gt")
    client = Client()
    assert _login(client, "ana@igm.gob.gt", "mala").status_code == 200
    assert _login(client, "ANA@igm.gob.gt", "mala").status_code == 200
    assert _login(client, " Ana@IGM.gob.gt ", "mala").status_code == 429
    assert _login(client, "aNa@igm.GOB.gt", "clave-de-prueba-123").status_code == 429


def test_password_reset_sends_a_spanish_link_that_works() -> None:
    user = UserFactory(email="ana@igm.gob.gt")
    client = Client()
    response = client.post(reverse("accounts:password-reset"), {"email": "ana@igm.gob.gt"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "SIME-PM: recuperar su contraseña"
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    form_page = client.get(link, follow=True)
    assert "Elegir contraseña" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Migracion-2026-segura", "new_password2": "Migracion-2026-segura"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Migracion-2026-segura")
    assert AuditEvent.objects.get(action="user.password_changed").data == {"via": "reset"}


def test_unknown_email_reset_reveals_nothing() -> None:
    response = Client().post(reverse("accounts:password-reset"), {"email": "nadie@igm.gob.gt"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change_is_audited_without_the_password(cast) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.technical)
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": "clave-de-prueba-123",
            "new_password1": "Otra-clave-2026!",
            "new_password2": "Otra-clave-2026!",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="user.password_changed")
    assert event.actor == cast.technical
    assert "password" not in event.changes


def test_password_change_errors_are_in_spanish(cast) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.technical)
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": "mala", "new_password1": "abc", "new_password2": "abd"},
    )
    html = response.content.decode()
    assert "Su contraseña antigua es incorrecta." in html
    assert "Los dos campos de contraseña no coinciden." in html


def test_session_expires(settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_admin_creates_a_user_who_gets_an_invitation(cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:user-create"),
            {
                "email": "Nuevo@MINEX.gob.gt",
                "full_name": "Nuevo Enlace",
                "role": Role.FOCAL_TECHNICAL,
                "institution": cast.home.pk,
                "is_active": "on",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="nuevo@minex.gob.gt")
    assert not user.has_usable_password()
    assert AuditEvent.objects.get(action="user.created").actor == cast.admin
    assert [m.to for m in mail.outbox] == [["nuevo@minex.gob.gt"]]
    assert mail.outbox[0].subject == "SIME-PM: su cuenta está lista"
    assert "Enlace técnico" in mail.outbox[0].body


def test_focal_role_without_institution_is_refused_at_the_field(cast) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.admin)
    response = client.post(
        reverse("accounts:user-create"),
        {"email": "x@y.gt", "full_name": "Sin Institución", "role": Role.FOCAL_PLANNING, "is_active": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "institution": ["Los enlaces y cooperantes deben pertenecer a una institución."]
    }
    assert not User.objects.filter(email="x@y.gt").exists()
    assert 'value="Sin Institución"' in response.content.decode()


def test_admin_edits_a_user_and_the_change_is_audited(cast) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.admin)
    url = reverse("accounts:user-update", kwargs={"pk": cast.analyst.pk})
    response = client.post(url, {"full_name": "Analista Renombrado", "role": Role.ANALYST, "is_active": ""})
    assert response.status_code == 302
    cast.analyst.refresh_from_db()
    assert (cast.analyst.full_name, cast.analyst.is_active) == ("Analista Renombrado", False)
    changes = AuditEvent.objects.get(action="user.updated").changes
    assert changes["full_name"] == {"before": "Analista DEPM", "after": "Analista Renombrado"}
    assert changes["is_active"] == {"before": True, "after": False}


def test_user_list_filters_by_institution(cast) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.admin)
    response = client.get(reverse("accounts:user-list"), {"institution": cast.home.pk})
    assert [u.full_name for u in response.context["users"]] == ["Planifica Minex", "Técnica Minex"]
    response = client.get(reverse("accounts:user-list"), {"text": "cooperante"})
    assert [u.full_name for u in response.context["users"]] == ["Cooperante OIM"]


def test_editing_a_user_keeps_the_signed_in_person_in_the_header(cast) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.admin)
    response = client.get(reverse("accounts:user-update", kwargs={"pk": cast.analyst.pk}))
    assert response.context["user"] == cast.admin
    assert response.context["account"] == cast.analyst


def test_an_administrador_cannot_lock_themselves_out(cast) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.admin)
    url = reverse("accounts:user-update", kwargs={"pk": cast.admin.pk})
    response = client.post(url, {"full_name": "Admin DEPM", "role": Role.ADMIN, "is_active": ""})
    assert response.context["form"].errors == {"is_active": ["No puede desactivar su propia cuenta."]}
    response = client.post(url, {"full_name": "Admin DEPM", "role": Role.ANALYST, "is_active": "on"})
    assert response.context["form"].errors == {"role": ["No puede cambiar su propio rol."]}
    cast.admin.refresh_from_db()
    assert (cast.admin.role, cast.admin.is_active) == (Role.ADMIN, True)
    assert not AuditEvent.objects.filter(action="user.updated").exists()
