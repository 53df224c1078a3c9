"""Links in e-mails use SITE_URL when it is set, else the address being served."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.test import Client, override_settings
from django.urls import reverse

from sime.accounts.models import User
from sime.accounts.roles import Role
from sime.core.site import FALLBACK_SITE_URL, site_url

pytestmark = pytest.mark.django_db


@override_settings(SITE_URL="")
def test_outside_a_request_without_site_url_links_go_to_loopback() -> None:
    assert site_url() == FALLBACK_SITE_URL


@override_settings(SITE_URL="https://sime.igm.gob.gt/")
def test_a_configured_site_url_wins() -> None:
    assert site_url() == "https://sime.igm.gob.gt"


@override_settings(SITE_URL="", ALLOWED_HOSTS=["sime.local"])
def test_an_invitation_sent_while_serving_links_to_the_server_being_served(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    admin = User.objects.create_user(email="admin@prueba.gt", password="x", role=Role.ADMIN, full_name="Admin")
    client = Client(HTTP_HOST="sime.local:9000")
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:user-create"),
            {"email": "nueva@prueba.gt", "full_name": "Persona Nueva", "role": Role.ANALYST},
        )
    assert response.status_code in (200, 302)
    assert len(mail.outbox) == 1, response.content.decode()[:500]
    assert "http://sime.local:9000/" in mail.outbox[0].body
    assert "127.0.0.1:8000" not in mail.outbox[0].body


@override_settings(SITE_URL="")
def test_the_deployment_check_warns_when_site_url_is_missing() -> None:
    assert "sime.W001" in [m.id for m in run_checks(include_deployment_checks=True)]


@override_settings(SITE_URL="https://sime.igm.gob.gt")
def test_the_deployment_check_is_quiet_with_a_site_url() -> None:
    assert "sime.W001" not in [m.id for m in run_checks(include_deployment_checks=True)]
