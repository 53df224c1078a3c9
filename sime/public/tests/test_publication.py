"""Publication: the public home shows exactly the published approved figures, nothing else."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from sime.analytics.tests.helpers import grow
from sime.conftest import Cast, approve_instrument
from sime.core.models import AuditEvent
from sime.public import selectors, services
from sime.public.models import Publication
from sime.reporting import services as reporting


def _public_home() -> str:
    response = Client().get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def _percent(page: str) -> str:
    marker = 'data-testid="public-policy-percent">'
    return page.split(marker, 1)[1].split("<", 1)[0].strip()


def test_visitors_see_the_policy_and_no_figure_before_anything_is_published(monitoring: Cast) -> None:
    page = _public_home()
    assert monitoring.policy.name in page
    assert 'data-testid="nothing-published"' in page
    # MINEX's 2026 instrument is approved (40 %, Q 1,000.00) but unpublished: not a trace of it.
    assert "public-policy-percent" not in page
    assert "40" not in page.split('id="contenido"', 1)[1]
    assert 'data-testid="staff-login"' in page


def test_a_published_period_shows_its_approved_figures_and_the_date(monitoring: Cast) -> None:
    publication = services.publish(by=monitoring.analyst, target=monitoring.period)
    page = _public_home()
    assert _percent(page) == "40 %"
    assert monitoring.period.name in page
    assert publication.published_by == monitoring.analyst
    # MINGOB's draft (5 %, "Sin fondos") never reaches the public page.
    assert "Sin fondos" not in page
    assert AuditEvent.objects.filter(action="publication.published", object_id=str(publication.pk)).exists()


def test_an_instrument_approved_again_after_publication_waits_for_a_new_publication(monitoring: Cast) -> None:
    cast = monitoring
    services.publish(by=cast.analyst, target=cast.period)
    reporting.reopen_submission(by=cast.admin, submission=cast.submission, reason="Corregir el avance")
    assert "public-policy-percent" in _public_home() and _percent(_public_home()) == "—"  # reopened: out
    line = type(cast.action_item).objects.get(pk=cast.action_item.pk)
    values = {"status": "in_progress", "progress_percent": Decimal(90)}
    reporting.save_item(by=cast.technical, item=line, values=values, version=line.version)
    approve_instrument(cast, cast.submission, technical=cast.technical, planning=cast.planning)
    assert _percent(_public_home()) == "—"  # approved again, not published again: still out
    (row,) = [r for r in selectors.periods_for_publication(cast.policy.pk) if r["period"].pk == cast.period.pk]
    assert row["approved_since"] == 1
    services.publish(by=cast.analyst, target=cast.period)
    assert _percent(_public_home()) == "90 %"
    # The first publication is kept, ended, with why.
    first, second = Publication.objects.order_by("pk")
    assert first.unpublished_at is not None and "Sustituida" in first.unpublish_reason
    assert second.is_current


def test_unpublishing_needs_a_reason_and_takes_the_figures_off(monitoring: Cast) -> None:
    publication = services.publish(by=monitoring.analyst, target=monitoring.period)
    with pytest.raises(ValidationError) as error:
        services.unpublish(by=monitoring.analyst, publication=publication, reason="  ")
    assert "motivo" in str(error.value)
    publication.refresh_from_db()
    assert publication.is_current
    services.unpublish(by=monitoring.admin, publication=publication, reason="Cifras en revisión")
    assert 'data-testid="nothing-published"' in _public_home()
    publication.refresh_from_db()
    assert (publication.unpublished_by, publication.unpublish_reason) == (monitoring.admin, "Cifras en revisión")
    with pytest.raises(ValidationError):
        services.unpublish(by=monitoring.admin, publication=publication, reason="otra vez")


def test_only_depm_publishes_and_nothing_without_approved_instruments(monitoring: Cast) -> None:
    for person in (monitoring.technical, monitoring.planning, monitoring.authority, monitoring.cooperant):
        with pytest.raises(PermissionDenied):
            services.publish(by=person, target=monitoring.period)
    assert not Publication.objects.exists()
    services.publish(by=monitoring.analyst, target=monitoring.period)
    with pytest.raises(ValidationError) as error:
        services.publish(by=monitoring.analyst, target=monitoring.period)
    assert "ya está publicado" in str(error.value)


def test_a_period_without_approved_instruments_cannot_be_published(reporting: Cast) -> None:
    with pytest.raises(ValidationError) as error:
        services.publish(by=reporting.analyst, target=reporting.period)
    assert "no tiene instrumentos aprobados" in str(error.value)
    assert not Publication.objects.exists()


def test_publication_page_publishes_and_lists(monitoring: Cast) -> None:
    client = Client()
    client.force_login(monitoring.analyst)
    page = client.get(reverse("public:publication-list"))
    assert page.status_code == 200 and "No publicado" in page.content.decode()
    response = client.post(reverse("public:publish", kwargs={"kind": "period", "pk": monitoring.period.pk}))
    assert response.status_code == 302
    publication = Publication.objects.get()
    listed = client.get(reverse("public:publication-list")).content.decode()
    assert "Vigente" in listed and monitoring.analyst.full_name in listed
    unpublish = reverse("public:unpublish", kwargs={"pk": publication.pk})
    refused = client.post(unpublish, {"reason": ""})
    assert refused.status_code == 200 and "requerido" in refused.content.decode()
    assert client.post(unpublish, {"reason": "Error de digitación"}).status_code == 302
    publication.refresh_from_db()
    assert publication.unpublish_reason == "Error de digitación"
    assert client.post(reverse("public:publish", kwargs={"kind": "nada", "pk": 1})).status_code == 404


def test_signed_in_people_still_land_on_their_own_home(monitoring: Cast) -> None:
    client = Client()
    client.force_login(monitoring.analyst)
    page = client.get(reverse("home")).content.decode()
    assert "Tablero nacional" in page
    assert "staff-login" not in page


def test_public_pages_queries_do_not_grow_with_the_data(monitoring: Cast, django_assert_num_queries: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.publish(by=monitoring.analyst, target=monitoring.period)
    client = Client()
    urls = [
        reverse("home"),
        reverse("portal:policy"),
        reverse("portal:indicator", kwargs={"pk": monitoring.indicator.pk}),
        reverse("portal:institution-list"),
        reverse("portal:institution", kwargs={"pk": monitoring.home.pk}),
    ]
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        counts[url] = len(context)
    grow(monitoring, indicators=10)
    for period in type(monitoring.period).objects.filter(policy=monitoring.policy).exclude(pk=monitoring.period.pk):
        services.publish(by=monitoring.analyst, target=period)
    for url in urls:
        with django_assert_num_queries(counts[url], info=url):
            assert client.get(url).status_code == 200


def test_the_policy_and_indicator_pages_show_published_figures_only(monitoring: Cast) -> None:
    client = Client()
    policy_url, indicator_url = (
        reverse("portal:policy"),
        reverse("portal:indicator", kwargs={"pk": monitoring.indicator.pk}),
    )
    before = client.get(policy_url).content.decode()
    assert monitoring.action_node.title in before and 'data-testid="nothing-published"' in before
    sheet = client.get(indicator_url).content.decode()
    assert monitoring.indicator.unit in sheet and "nothing-published" in sheet
    assert "public-indicator-actual" not in sheet  # IND-1 = 60 approved, not published
    services.publish(by=monitoring.analyst, target=monitoring.period)
    after = client.get(policy_url).content.decode()
    row = after.split(f'data-node="{monitoring.action_node.code}"', 1)[1].split("</tr>", 1)[0]
    assert "40 %" in row and "MINEX" in row
    page = client.get(indicator_url).content.decode()
    assert page.split('data-testid="public-indicator-actual">', 1)[1].startswith("60")
    assert client.get(reverse("portal:indicator", kwargs={"pk": 999999})).status_code == 404


def test_public_pages_have_a_description_a_canonical_url_and_a_sitemap(monitoring: Cast, settings: Any) -> None:
    settings.SITE_URL = "https://sime.igm.gob.gt"
    client = Client()
    indicator_url = reverse("portal:indicator", kwargs={"pk": monitoring.indicator.pk})
    page = client.get(indicator_url + "?x=1").content.decode()
    assert f'<link rel="canonical" href="https://sime.igm.gob.gt{indicator_url}">' in page
    assert '<meta name="description" content="Ficha técnica, metas y valores publicados del indicador IND-1' in page
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200 and sitemap["Content-Type"].startswith("application/xml")
    body = sitemap.content.decode()
    assert indicator_url in body and reverse("portal:policy") in body
    assert "/reportes/" not in body and "/monitoreo/" not in body
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /reportes/" in robots and "Sitemap: http://testserver/sitemap.xml" in robots


def test_institution_pages_show_their_commitments_and_published_progress(monitoring: Cast) -> None:
    client = Client()
    mine = reverse("portal:institution", kwargs={"pk": monitoring.home.pk})
    page = client.get(mine).content.decode()
    row = page.split(f'data-node="{monitoring.action_node.code}"', 1)[1].split("</tr>", 1)[0]
    assert "Responsable" in row and "Sin avance publicado" in row  # approved, not published
    services.publish(by=monitoring.analyst, target=monitoring.period)
    row = client.get(mine).content.decode().split(f'data-node="{monitoring.action_node.code}"', 1)[1]
    assert "40 %" in row.split("</tr>", 1)[0]
    # MINGOB is co-responsible for 1.1.1: its draft (5 %, "Sin fondos") is never shown.
    other = client.get(reverse("portal:institution", kwargs={"pk": monitoring.other.pk})).content.decode()
    assert "Corresponsable" in other and "Sin fondos" not in other and "5 %" not in other
    listing = client.get(reverse("portal:institution-list")).content.decode()
    assert monitoring.home.name in listing and monitoring.other.name in listing
    assert client.get(reverse("portal:institution", kwargs={"pk": monitoring.agency.pk})).status_code == 404


def test_search_finds_public_content_without_regard_to_accents(monitoring: Cast) -> None:
    client = Client()
    url = reverse("portal:search")
    page = client.get(url, {"q": "RECEPCION nna"}).content.decode()
    assert monitoring.action_node.title in page.split('data-testid="search-nodes"', 1)[1]
    page = client.get(url, {"q": "relaciones exteriores"}).content.decode()
    assert monitoring.home.name in page.split('data-testid="search-institutions"', 1)[1]
    assert "Nada encontrado" in client.get(url, {"q": "zzzz"}).content.decode()
    too_long = client.get(url, {"q": "x" * 101})
    assert too_long.status_code == 200 and "id_q_error" in too_long.content.decode()


def test_projects_and_events_are_public_only_once_published(framework: Cast) -> None:
    cast = framework
    client = Client()
    url = reverse("portal:cooperation")
    assert cast.project.title not in client.get(url).content.decode()
    depm = Client()
    depm.force_login(cast.analyst)
    listed = depm.get(reverse("public:publication-list")).content.decode()
    assert cast.project.title in listed and cast.activity.title in listed
    depm.post(reverse("public:publish", kwargs={"kind": "project", "pk": cast.project.pk}))
    page = client.get(url).content.decode()
    assert cast.project.title in page and cast.activity.title not in page  # the event is published apart
    assert cast.project.responsible_name not in page  # a person: never public
    depm.post(reverse("public:publish", kwargs={"kind": "event", "pk": cast.activity.pk}))
    assert cast.activity.title in client.get(url).content.decode()
    publication = Publication.objects.get(kind="project")
    services.unpublish(by=cast.analyst, publication=publication, reason="Proyecto en revisión")
    assert cast.project.title not in client.get(url).content.decode()


def test_cooperation_and_publication_pages_queries_do_not_grow(framework: Cast, django_assert_num_queries: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sime.activities.tests.factories import make_activity, make_project

    cast = framework
    services.publish(by=cast.analyst, target=cast.project)
    services.publish(by=cast.analyst, target=cast.activity)
    visitor, depm = Client(), Client()
    depm.force_login(cast.analyst)
    pages = [(visitor, reverse("portal:cooperation")), (depm, reverse("public:publication-list"))]
    counts = {}
    for client, url in pages:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        counts[url] = len(context)
    for _ in range(9):
        project = make_project(cast.agency)
        services.publish(by=cast.analyst, target=project)
        for _ in range(3):
            services.publish(by=cast.analyst, target=make_activity(project))
    for client, url in pages:
        with django_assert_num_queries(counts[url], info=url):
            assert client.get(url).status_code == 200
