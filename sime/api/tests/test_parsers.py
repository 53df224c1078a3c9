"""The API's parsers drop control characters from every string of a request body."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sime.conftest import Cast
from sime.reporting.models import ActionProgress


def _patch(cast: Cast, data: dict[str, object], format: str) -> None:
    client = APIClient()
    client.force_authenticate(cast.technical)
    url = reverse("api:submission-action", kwargs={"pk": cast.submission.pk, "item_pk": cast.action_item.pk})
    response = client.patch(url, data, format=format)
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("format", ["json", "multipart"])
def test_text_saved_through_the_api_is_stored_without_control_characters(reporting: Cast, format: str) -> None:
    _patch(reporting, {"version": 1, "achievements": "Protocolo\x0b aprobado\tya", "next_steps": "Paso\x00 1"}, format)
    item = ActionProgress.objects.get(pk=reporting.action_item.pk)
    assert (item.achievements, item.next_steps) == ("Protocolo aprobado\tya", "Paso 1")
