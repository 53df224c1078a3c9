"""Dates are typed and shown day first (dd/mm/aaaa), whatever the browser's or the interface's language."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.utils import translation

from sime.core.widgets import DateInput


class _Form(forms.Form):
    day = forms.DateField(widget=DateInput())


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_date_is_shown_and_read_day_first_in_every_language(language: str) -> None:
    with translation.override(language):
        html = str(_Form(initial={"day": dt.date(2026, 12, 5)})["day"])
        assert 'type="text"' in html
        assert 'value="05/12/2026"' in html
        assert 'inputmode="numeric"' in html
        form = _Form(data={"day": "05/12/2026"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == dt.date(2026, 12, 5)


def test_an_iso_date_is_accepted_and_a_month_first_one_beyond_twelve_is_refused() -> None:
    with translation.override("es"):
        assert _Form(data={"day": "2026-12-05"}).is_valid()
        refused = _Form(data={"day": "12/25/2026"})
        assert not refused.is_valid()
        assert "Introduzca una fecha válida" in str(refused.errors["day"])


def test_the_placeholder_tells_the_format() -> None:
    with translation.override("es"):
        assert 'placeholder="dd/mm/aaaa"' in str(_Form()["day"])
