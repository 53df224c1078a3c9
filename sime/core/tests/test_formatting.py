from decimal import Decimal

from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from sime.core.formatting import format_amount, format_money


def test_amounts_are_written_the_guatemalan_way() -> None:
    assert format_amount(Decimal("23421")) == "23,421.00"
    assert format_amount(Decimal("163947.5")) == "163,947.50"
    assert format_amount(Decimal("0.005")) == "0.01"  # half-up to the centavo
    assert format_amount(None) == ""
    assert format_money(Decimal("1234.5")) == "Q 1,234.50"
    assert format_money(Decimal("-15")) == "Q -15.00"


@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False))
def test_formatting_loses_no_centavo(value: Decimal) -> None:
    assert Decimal(format_amount(value).replace(",", "")) == value


def test_template_filters() -> None:
    rendered = Template("{% load sime_format %}{{ v|money }} | {{ v|amount }}").render(
        Context({"v": Decimal("163947")})
    )
    assert rendered == "Q 163,947.00 | 163,947.00"


def test_dates_and_numbers_in_es_gt(settings) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from django.utils import translation

    with translation.override("es"):
        rendered = Template('{{ d|date:"DATE_FORMAT" }} · {{ n }}').render(
            Context({"d": dt.date(2024, 3, 5), "n": Decimal("163947.00")})
        )
    assert rendered == "5 de marzo de 2024 · 163,947.00"


def test_measured_values_drop_needless_zeros() -> None:
    from sime.core.formatting import format_number

    assert format_number(Decimal("55181.0000")) == "55,181"
    assert format_number(Decimal("9.0900")) == "9.09"
    assert format_number(Decimal("2593790")) == "2,593,790"
    assert format_number(Decimal("1234567.5")) == "1,234,567.5"
    assert format_number(None) == ""
