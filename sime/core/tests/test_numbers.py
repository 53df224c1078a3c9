"""The one number parser: bounded before Decimal() sees anything, with the reason in Spanish."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sime.core.numbers import NumberError, parse_count, parse_decimal, parse_id

SCIENTIFIC = "Escriba el número sin notación científica (sin «e»), por ejemplo 1,234.50."
NOT_FINITE = "Escriba un número finito, por ejemplo 1,234.50."
NOT_A_NUMBER = "Escriba un número, por ejemplo 1,234.50."


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1,234.50", Decimal("1234.50")),
        ("1234.5", Decimal("1234.5")),
        ("Q 1,234.50", Decimal("1234.50")),
        ("Q1,234,567", Decimal("1234567")),
        (" -3 ", Decimal("-3")),
        (".5", Decimal("0.5")),
        ("12.", Decimal("12")),
        (42, Decimal(42)),
        (0.1, Decimal("0.1")),  # an Excel number, by its shortest exact text
        (Decimal("7.25"), Decimal("7.25")),
        ("999999999999999", Decimal("999999999999999")),
    ],
)
def test_numbers_as_people_in_guatemala_write_them(typed: object, number: Decimal) -> None:
    assert parse_decimal(typed) == number


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1e1000000", SCIENTIFIC),
        ("1E30", SCIENTIFIC),
        ("2.5e-3", SCIENTIFIC),
        ("NaN", NOT_FINITE),
        ("-Infinity", NOT_FINITE),
        ("inf", NOT_FINITE),
        (float("inf"), NOT_FINITE),
        (float("nan"), NOT_FINITE),
        (Decimal("sNaN"), NOT_FINITE),
        ("1" * 31, "El número tiene más de 30 caracteres."),
        ("1" * 16, "El número tiene más de 15 cifras antes del punto decimal."),
        (1e30, "El número tiene más de 15 cifras antes del punto decimal."),
        (10**15, "El número tiene más de 15 cifras antes del punto decimal."),
        (Decimal("1e-1000000"), "El número tiene más de 20 decimales."),
        ("12,5", "La coma separa miles y el punto los decimales: escriba por ejemplo 1,234.50 o 12.5."),
        ("1,2,3", NOT_A_NUMBER),
        ("mil", NOT_A_NUMBER),
        ("٣", NOT_A_NUMBER),  # an Arabic-Indic digit: Decimal() would take it
        ("", NOT_A_NUMBER),
        (True, NOT_A_NUMBER),
        (None, NOT_A_NUMBER),
    ],
)
def test_refusals_come_before_any_conversion_with_the_reason(typed: object, message: str) -> None:
    with pytest.raises(NumberError) as error:
        parse_decimal(typed)
    assert str(error.value) == message


def test_the_caller_names_its_column_limit() -> None:
    assert parse_decimal("999999999999", max_integer_digits=12) == Decimal("999999999999")
    with pytest.raises(NumberError, match="más de 12 cifras"):
        parse_decimal("1,000,000,000,000", max_integer_digits=12)


@given(st.one_of(st.text(max_size=200), st.floats(), st.integers(), st.decimals()))
def test_any_input_is_a_bounded_decimal_or_a_number_error(value: object) -> None:
    try:
        number = parse_decimal(value)
    except NumberError:
        return
    assert number.is_finite() and abs(number) < Decimal(10) ** 15


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("3", 3), (3.0, 3), ("2,147,483,647", 2_147_483_647), ("0", 0)],
)
def test_counts(typed: object, expected: int) -> None:
    assert parse_count(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-1", "Escriba un número entero mayor o igual a cero."),
        ("2.5", "Escriba un número entero mayor o igual a cero."),
        ("2147483648", "El número no puede pasar de 2,147,483,647."),
        ("1e30", SCIENTIFIC),
    ],
)
def test_count_refusals(typed: object, message: str) -> None:
    with pytest.raises(NumberError) as error:
        parse_count(typed)
    assert str(error.value) == message


def test_a_count_below_a_caller_maximum() -> None:
    with pytest.raises(NumberError, match="no puede pasar de 32,767"):
        parse_count("40000", maximum=32_767)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), ("9" * 18, int("9" * 18)), ("9" * 19, None), ("٣", None), ("-1", None), ("", None), (None, None)],
)
def test_ids_from_query_parameters(text: object, expected: int | None) -> None:
    assert parse_id(text) == expected
