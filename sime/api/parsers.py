"""Request parsers of the API: DRF's own, with text cleaned at the door.

Control characters (U+000B and the like) in any string of a request body are dropped here, once
for every endpoint and serializer, as CleanTextMixin does for the HTML forms: one of them saved in
a text would break every Excel and Word export containing it."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from rest_framework import parsers

from sime.core.text import strip_control_characters


def clean_strings(data: Any) -> Any:
    """`data` (parsed JSON or form data) with control characters dropped from every string in it."""
    if isinstance(data, str):
        return strip_control_characters(data)
    if isinstance(data, QueryDict):
        cleaned = QueryDict(mutable=True, encoding=data.encoding)
        for key, values in data.lists():
            cleaned.setlist(strip_control_characters(key), [clean_strings(value) for value in values])
        cleaned._mutable = False
        return cleaned
    if isinstance(data, dict):
        return {clean_strings(key): clean_strings(value) for key, value in data.items()}
    if isinstance(data, list):
        return [clean_strings(item) for item in data]
    return data


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        return clean_strings(super().parse(stream, media_type, parser_context))


class FormParser(parsers.FormParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        return clean_strings(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        parsed = super().parse(stream, media_type, parser_context)
        return parsers.DataAndFiles(clean_strings(parsed.data), parsed.files)
