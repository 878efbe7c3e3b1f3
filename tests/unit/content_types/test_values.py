"""Money and time shown the Italian way: Babel reproduces what pages, PDFs and mails always showed."""
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from content_types.values import (
    ROME,
    amount,
    aware,
    cents,
    euro,
    format_date,
    format_datetime,
    format_when,
    parse_day,
    percent,
    rome_today,
    to_decimal,
    to_local,
    utcnow,
)

amounts = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=3,
                      allow_nan=False, allow_infinity=False)
instants = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1),
                        timezones=st.just(UTC))
days = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))


def hand_euro(value):
    """The formatter the portal had before Babel: the shape users know."""
    value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, frac = f"{abs(value):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}€ {'.'.join(groups)},{frac}"


@given(amounts)
def test_euro_keeps_the_old_shape_and_rounds_half_up(value):
    assert euro(value) == hand_euro(value)


@given(amounts)
def test_euro_reads_back_as_the_amount_in_cents(value):
    assert to_decimal(euro(value)) == cents(value)
    assert to_decimal(amount(value)) == cents(value)


@given(amounts)
def test_amount_is_euro_without_the_sign(value):
    assert "€" not in amount(value)
    assert euro(value).replace("€ ", "") == amount(value)


def test_examples_of_money():
    assert euro(Decimal("1234567.005")) == "€ 1.234.567,01"
    assert euro("12.450,00") == "€ 12.450,00"
    assert euro(Decimal("-0.004")) == "€ 0,00"
    assert amount(Decimal(136)) == "136,00"
    assert percent(Decimal(20)) == "20%"
    assert percent("7.5") == "7,5%"
    with pytest.raises(TypeError):
        euro(1.5)


@given(instants)
def test_instants_show_in_rome(value):
    local = value.astimezone(ROME)
    assert format_datetime(value) == local.strftime("%d/%m/%Y %H:%M")
    assert format_date(value) == local.strftime("%d/%m/%Y")
    assert format_when(value) == f"{local:%d/%m/%Y} alle {local:%H:%M}"
    assert to_local(value) == value
    assert to_local(value).tzinfo is ROME
    assert rome_today(value) == local.date()


@given(instants)
def test_a_naive_datetime_is_read_as_utc_as_stored(value):
    naive = value.replace(tzinfo=None)
    assert aware(naive) == value
    assert format_datetime(naive) == format_datetime(value)


def test_new_year_in_rome_comes_an_hour_before_utc():
    late = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
    assert format_date(late) == "01/01/2026"
    assert format_datetime(late) == "01/01/2026 00:30"
    assert rome_today(late) == date(2026, 1, 1)
    summer = datetime(2025, 7, 1, 10, 0, tzinfo=UTC)
    assert format_when(summer) == "01/07/2025 alle 12:00"


def test_empty_values():
    assert format_date(None) == ""
    assert format_datetime(None) == ""
    assert format_datetime(date(2025, 3, 1)) == "01/03/2025"


def test_utcnow_is_aware_and_now():
    before = datetime.now(UTC)
    now = utcnow()
    assert now.tzinfo is not None
    assert now.utcoffset() == timedelta(0)
    assert before <= now <= datetime.now(UTC)


@given(days)
def test_a_shown_day_parses_back(day):
    assert parse_day(format_date(day)) == day
    assert parse_day(f" {day.isoformat()} ") == day


@pytest.mark.parametrize("text", ["", None, "31/02/2025", "2025-13-01", "ieri", "1/1"])
def test_a_day_that_is_not_one_is_refused(text):
    with pytest.raises(ValueError):  # noqa: PT011 (the error carries only the text given)
        parse_day(text)
