"""The registry forms' pure readers: the ISEE typed at the desk, contacts, gathering errors."""
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.people.rules.errors import InvalidPersonData
from portal.people.views.common import check_contacts, collect
from portal.people.views.person import read_isee

TODAY = date(2026, 6, 1)


def isee(**changes):
    data = {"protocol": "INPS-ISEE-2026-01234567K-00", "year": "2026", "dsu_date": "10/02/2026",
            "value": "12.450,00", "kind": "ordinario"}
    return {**data, **changes}


def test_a_good_isee_is_read_with_its_validity():
    read = read_isee(isee(protocol=" inps-isee-2026-01234567k-00 "), TODAY)
    assert read["protocol"] == "INPS-ISEE-2026-01234567K-00"
    assert read["value"] == Decimal("12450.00")
    assert read["year"] == 2026
    assert read["valid_until"] == date(2026, 12, 31)


def test_an_odd_protocol_is_not_refused():
    assert read_isee(isee(protocol="DSU 42"), TODAY)["protocol"] == "DSU 42"


@pytest.mark.parametrize(("field", "value"), [
    ("protocol", ""), ("year", "2014"), ("year", "2028"), ("year", "duemila"),
    ("dsu_date", "2026-13-01"), ("dsu_date", "02/06/2026"),  # after today
    ("value", "-1"), ("value", "abc"), ("value", "1e99"), ("kind", "altro")])
def test_each_bad_isee_field_is_named(field, value):
    with pytest.raises(InvalidPersonData) as refused:
        read_isee(isee(**{field: value}), TODAY)
    assert set(refused.value.fields) == {field}


@given(st.decimals(min_value=0, max_value=9_999_999, places=2))
def test_an_isee_value_round_trips_through_the_italian_form(value):
    typed = f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    assert read_isee(isee(value=typed), TODAY)["value"] == value


@pytest.mark.parametrize(("phone", "email", "bad"), [
    ("080 123456", "a@b.it", set()), ("", "", set()), ("abc", "", {"phone"}),
    ("", "a@b", {"email"}), ("1" * 21, "x", {"phone", "email"})])
def test_contacts(phone, email, bad):
    try:
        check_contacts({"phone": phone, "email": email})
        found = set()
    except InvalidPersonData as exc:
        found = set(exc.fields)
    assert found == bad


def test_collect_names_every_failing_check():
    def fail(name):
        def check():
            raise InvalidPersonData(None, {name: "no"})
        return check
    with pytest.raises(InvalidPersonData) as refused:
        collect(fail("a"), lambda: 1, fail("b"))
    assert set(refused.value.fields) == {"a", "b"}
    assert collect(lambda: 1, lambda: 2) == [1, 2]
