"""The Region's split of a regional total among the ATS, and the reading of a transfers CSV."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.plans.rules import transfers
from portal.plans.rules.errors import InvalidPlanData
from portal.plans.rules.settings import read_percentage, read_settings

CENT = Decimal("0.01")
totals = st.integers(min_value=0, max_value=10**13).map(lambda c: Decimal(c) * CENT)
weights = st.dictionaries(st.text("ABCDEFGH-0123456789", min_size=1, max_size=6),
                          st.integers(min_value=0, max_value=5_000_000), min_size=1, max_size=45)


@given(totals, weights)
def test_the_parts_add_up_to_the_total_none_negative_each_within_a_cent(total, shares):
    parts = transfers.split(total, shares)
    assert set(parts) == set(shares)
    assert sum(parts.values()) == total
    whole = sum(shares.values())
    for key, part in parts.items():
        assert part >= 0
        assert part == part.quantize(CENT)
        exact = total * shares[key] / whole if whole else total / len(shares)
        assert abs(part - exact) < CENT


@given(totals, weights)
def test_equal_weights_get_parts_at_most_a_cent_apart(total, shares):
    parts = transfers.split(total, dict.fromkeys(shares, 7))
    assert max(parts.values()) - min(parts.values()) <= CENT


def test_the_largest_remainders_get_the_cents_left_over():
    # 1.00 over 1:1:1 is 0.333…: one cent left, to the first of the equal remainders
    assert transfers.split(Decimal("1.00"), {"a": 1, "b": 1, "c": 1}) == {
        "a": Decimal("0.34"), "b": Decimal("0.33"), "c": Decimal("0.33")}
    # 0.10 over 1:2:7 is exact; 0.11 over 1:2:7 = 0.011, 0.022, 0.077: the cent goes to c (.7)
    assert transfers.split(Decimal("0.11"), {"a": 1, "b": 2, "c": 7}) == {
        "a": Decimal("0.01"), "b": Decimal("0.02"), "c": Decimal("0.08")}


def test_a_total_beyond_the_cent_or_negative_is_a_bug_not_a_split():
    with pytest.raises(ValueError, match="cent"):
        transfers.split(Decimal("1.001"), {"a": 1})
    with pytest.raises(ValueError, match="negative"):
        transfers.split(Decimal(-1), {"a": 1})


def test_spread_splits_every_cell():
    found = transfers.spread({("FNPS", 2025): Decimal("10.00"), ("FNA", 2026): Decimal("3.00")},
                             {"BA-01": 3, "TA-01": 1})
    assert found == {"BA-01": {("FNPS", 2025): Decimal("7.50"), ("FNA", 2026): Decimal("2.25")},
                     "TA-01": {("FNPS", 2025): Decimal("2.50"), ("FNA", 2026): Decimal("0.75")}}


DISTRICTS, SOURCES, YEARS = ("BA-01", "TA-01"), ("FNPS", "FNA"), (2025, 2026, 2027)


def test_a_good_csv_is_read_with_italian_amounts_and_a_header():
    text = "\ufeffambito;fonte;anno;importo\nba-01;fnps;2025;1.250.000,50\nTA-01;FNA;2027;900\n\n"
    assert transfers.read_csv(text, DISTRICTS, SOURCES, YEARS) == {
        "BA-01": {("FNPS", 2025): Decimal("1250000.50")},
        "TA-01": {("FNA", 2027): Decimal("900.00")}}


def test_every_bad_line_is_named_and_nothing_is_kept():
    text = ("BA-01;FNPS;2025;10\n"      # 1 good
            "ZZ-01;FNPS;2025;10\n"      # 2 unknown ATS
            "BA-01;PNRR;2025;10\n"      # 3 not a transfer
            "BA-01;FNA;2024;10\n"       # 4 outside the period
            "BA-01;FNA;2025;-1\n"       # 5 negative
            "BA-01;FNA;2025;dieci\n"    # 6 not a number
            "BA-01;FNPS;2025;11\n"      # 7 repeated
            "BA-01;FNA;2025\n"          # 8 three columns
            "BA-01;FNA;2026;\n")        # 9 no amount
    with pytest.raises(InvalidPlanData) as caught:
        transfers.read_csv(text, DISTRICTS, SOURCES, YEARS)
    assert set(caught.value.fields) == {f"riga.{n}" for n in range(2, 10)}
    assert caught.value.fields["riga.7"].mapping["first"] == 1  # the line it repeats


def test_an_empty_csv_is_refused():
    with pytest.raises(InvalidPlanData):
        transfers.read_csv("ambito;fonte;anno;importo\n", DISTRICTS, SOURCES, YEARS)


def test_totals_name_every_bad_cell_and_need_one_amount():
    with pytest.raises(InvalidPlanData) as caught:
        transfers.read_totals({("FNPS", 2025): "-1", ("FNA", 2026): "x", ("FNA", 2027): "5"},
                              SOURCES, YEARS)
    assert set(caught.value.fields) == {"totale.FNPS.2025", "totale.FNA.2026"}
    with pytest.raises(InvalidPlanData):
        transfers.read_totals({}, SOURCES, YEARS)
    assert transfers.read_totals({("FNA", 2027): "5,5"}, SOURCES, YEARS) == {
        ("FNA", 2027): Decimal("5.50")}


@pytest.mark.parametrize(("text", "value"), [("90", Decimal("90.0")), ("87,5", Decimal("87.5")),
                                              ("100 %", Decimal("100.0")), ("", None),
                                              ("0", Decimal("0.0"))])
def test_a_threshold_is_a_percentage(text, value):
    assert read_percentage(text) == value


@pytest.mark.parametrize("text", ["100,1", "-1", "abc", "87,55", "NaN", "Infinity"])
def test_a_bad_threshold_is_refused(text):
    with pytest.raises(InvalidPlanData) as caught:
        read_settings("", text)
    assert set(caught.value.fields) == {"soglia_fnps"}


def test_both_bad_settings_are_named():
    with pytest.raises(InvalidPlanData) as caught:
        read_settings("-5", "200")
    assert set(caught.value.fields) == {"cofinanziamento_minimo", "soglia_fnps"}
    assert read_settings("5,00", "90") == (Decimal("5.00"), Decimal("90.0"))
