"""Public evaluations: only published ones, with their documents and the follow-up of their recommendations."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sime.conftest import Cast
from sime.evaluation import services
from sime.evaluation.models import Response
from sime.evaluation.tests.factories import conclude, make_evaluation, pdf, response_in
from sime.evaluation.workflow import EvaluationStatus, ResponseStatus


def _published(cast: Cast, **values: Any) -> Any:
    evaluation = conclude(cast, make_evaluation(cast, institutions=[cast.home, cast.other], **values))
    return services.change_evaluation_status(by=cast.analyst, evaluation=evaluation, to=EvaluationStatus.PUBLISHED)


def test_only_published_evaluations_are_public_with_documents_and_follow_up(framework: Cast) -> None:
    cast = framework
    draft = conclude(cast, make_evaluation(cast, title="Evaluación aún no publicada"))
    draft_document = services.add_document(by=cast.analyst, evaluation=draft, role="report", upload=pdf("borrador.pdf"))
    evaluation = _published(cast, title="Evaluación de resultados del eje 1")
    document = services.add_document(by=cast.analyst, evaluation=evaluation, role="report", upload=pdf("informe.pdf"))
    response = Response.objects.get(recommendation__evaluation=evaluation, institution=cast.home)
    response_in(cast, ResponseStatus.VALIDATED, response=response)

    client = Client()
    listing = client.get(reverse("portal:evaluation-list")).content.decode()
    assert "Evaluación de resultados del eje 1" in listing and "aún no publicada" not in listing
    assert client.get(reverse("portal:evaluation", kwargs={"pk": draft.pk})).status_code == 404

    page = client.get(reverse("portal:evaluation", kwargs={"pk": evaluation.pk})).content.decode()
    assert "informe.pdf" in page and "Acelerar el protocolo (1)." in page
    recommendation = page.split('data-testid="public-recommendation"', 1)[1]
    assert '<td class="small">Acepta</td>' in recommendation  # MINEX's validated decision
    assert "Respuesta en curso" in recommendation  # MINGOB has not answered: no decision shown

    download = client.get(reverse("portal:evaluation-document", kwargs={"pk": document.pk}))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("portal:evaluation-document", kwargs={"pk": draft_document.pk})).status_code == 404


def test_public_evaluation_pages_queries_do_not_grow(framework: Cast, django_assert_num_queries: Any) -> None:
    cast = framework
    evaluation = _published(cast)
    client = Client()
    urls = [reverse("portal:evaluation-list"), reverse("portal:evaluation", kwargs={"pk": evaluation.pk})]
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        counts[url] = len(context)
    more = conclude(cast, make_evaluation(cast, institutions=[cast.home, cast.other], recommendations=10))
    services.change_evaluation_status(by=cast.analyst, evaluation=more, to=EvaluationStatus.PUBLISHED)
    for number in range(1, 5):
        services.save_recommendation(
            by=cast.analyst,
            evaluation=evaluation,
            text=f"Otra recomendación {number}.",
            priority="low",
            scope="several",
            institution_ids=[cast.home.pk, cast.other.pk],
            node_ids=[cast.action_node.pk],
        )
    for url in urls:
        with django_assert_num_queries(counts[url], info=url):
            assert client.get(url).status_code == 200
