"""The grid's pure rules: working days, prefilled open days, the month selector, typed numbers."""
import calendar
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from portal.payments.rules import grid
from portal.payments.rules.monthly import parse_month

months = st.builds(date, st.integers(2000, 2100), st.integers(1, 12), st.just(1))


@given(months)
def test_working_days_count_monday_to_friday(month):
    weeks = calendar.monthcalendar(month.year, month.month)
    assert grid.working_days(month) == sum(1 for week in weeks for day in week[:5] if day)


@given(months, st.one_of(st.none(), st.integers(0, 40)))
def test_prefilled_open_days_fit_the_month(month, previous):
    found = grid.prefilled_open_days(month, previous)
    assert 0 <= found <= calendar.monthrange(month.year, month.month)[1]
    if previous is None:
        assert found == grid.working_days(month)
    else:
        assert found == min(previous, calendar.monthrange(month.year, month.month)[1])


@given(st.dates(date(2000, 1, 1), date(2100, 12, 31)))
def test_the_selector_offers_no_future_month(today):
    offered = grid.selectable_months(today)
    assert offered[0] == f"{today.year:04d}-{today.month:02d}"
    assert list(offered) == sorted(offered, reverse=True)
    assert len(set(offered)) == len(offered) == grid.SELECTABLE_MONTHS
    assert all(parse_month(m) <= today for m in offered)


@given(st.integers(-1000, 1000))
def test_typed_whole_numbers_are_read_back(number):
    assert grid.parse_count(f" {number} ", "presenze") == (number, None)


@given(st.text(max_size=8))
def test_anything_else_is_refused_with_a_message(text):
    value, message = grid.parse_count(text, "presenze")
    try:
        expected = int(text.strip())
    except ValueError:
        expected = None
    if expected is None or abs(expected) > 1000:
        assert value is None
        assert message
    else:
        assert (value, message) == (expected, None)
