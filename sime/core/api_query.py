"""Query strings of the API, checked by a serializer: an unknown or out-of-range value is a 400
with a Spanish message per parameter, never a number too large for the database (a 500)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request

from sime.core.numbers import MAX_ID


def id_param(help_text: str) -> serializers.IntegerField:
    """An optional id in the query string, bounded as ids in request bodies are (sime.core.numbers)."""
    return serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text=help_text)


def query_params(request: Request, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
    """The query string checked and bounded by `serializer_class` (400 with Spanish messages)."""
    # An empty parameter (`?year=`, as a form sends it) means "not given".
    query = serializer_class(data={key: value for key, value in request.query_params.items() if value != ""})
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)
