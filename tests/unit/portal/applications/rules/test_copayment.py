"""domain.md §4 worked examples, exactly."""
from decimal import Decimal

import pytest

from portal.applications.rules.copayment import (
    AVVISO_2017_CHILDREN_BANDS,
    ChildrenScheme,
    ElderlyScheme,
    scheme_from_data,
)
from portal.applications.rules.errors import InvalidRules

D = Decimal


def test_luca_rossi_nursery_fee_500():
    share = ChildrenScheme().share(D("12450.00"), D("500.00"))
    assert share.family == D("136.00")
    assert share.voucher == D("364.00")
    assert share.fee == D("500.00")
    assert share.explanation == (
        "Fascia ISEE € 10.000,01 – € 13.000,00: quota fissa € 45,00 + 20% × "
        "(€ 500,00 − € 45,00) = € 45,00 + € 91,00 = € 136,00 a carico della famiglia; "
        "buono € 500,00 − € 136,00 = € 364,00.")


def test_full_time_disabled_child_fee_is_doubled():
    scheme = ChildrenScheme()
    fee = scheme.monthly_fee(D("500"), full_time=True, disabled=True)
    assert fee == D("1000.00")
    share = scheme.share(D("12450"), fee)
    assert (share.family, share.voucher) == (D("236.00"), D("764.00"))
    # part time, or not disabled: the fee is not doubled
    assert scheme.monthly_fee(D("500"), full_time=False, disabled=True) == D("500.00")
    assert scheme.monthly_fee(D("500"), full_time=True, disabled=False) == D("500.00")


@pytest.mark.parametrize(("isee", "family", "voucher"), [
    ("1800", "20.00", "480.00"),
    ("2000", "20.00", "480.00"),      # upper bound inclusive
    ("2000.01", "53.50", "446.50"),   # 30 + 5% × 470
    ("6200", "53.50", "446.50"),
    ("18000", "245.00", "255.00"),    # 75 + 40% × 425
    ("25000", "295.00", "205.00"),    # 90 + 50% × 410
])
def test_children_bands(isee, family, voucher):
    share = ChildrenScheme().share(D(isee), D("500"))
    assert (share.family, share.voucher) == (D(family), D(voucher))


def test_half_up_rounding_to_cents():
    # 30 + 5% × (333.33 − 30) = 30 + 15.1665 → 15.17
    share = ChildrenScheme().share(D("5000"), D("333.33"))
    assert share.family == D("45.17")
    assert share.voucher == D("288.16")


def test_family_share_never_exceeds_fee_and_free_threshold():
    share = ChildrenScheme().share(D("14000"), D("40"))
    assert share.family == D("40.00")
    assert share.voucher == D("0.00")
    free = ChildrenScheme(free_up_to="3000.99").share(D("3000.99"), D("500"))
    assert (free.family, free.voucher) == (D("0.00"), D("500.00"))


def test_elderly_scheme_franchigia():
    scheme = ElderlyScheme([{"up_to": "10000", "coverage": "100"},
                            {"up_to": "20000", "coverage": "80"},
                            {"up_to": None, "coverage": "20"}], franchigia="50")
    share = scheme.share(D("15000"), D("900"))
    assert (share.voucher, share.family) == (D("680.00"), D("220.00"))
    assert "80% × (€ 900,00 − franchigia € 50,00) = € 680,00" in share.explanation


def test_bands_are_data_and_round_trip():
    scheme = ChildrenScheme()
    again = scheme_from_data(scheme.to_data())
    assert again.share(D("12450"), D("500")) == scheme.share(D("12450"), D("500"))
    assert len(again.bands) == len(AVVISO_2017_CHILDREN_BANDS)
    elderly = ElderlyScheme([{"up_to": None, "coverage": "80"}])
    assert scheme_from_data(elderly.to_data()).share(D("1"), D("900")).voucher == D("680.00")


def test_no_band_for_isee_beyond_the_table():
    scheme = ChildrenScheme()
    assert not scheme.covers(D("30000"))
    with pytest.raises(InvalidRules) as excinfo:
        scheme.share(D("30000"), D("500"))
    assert "Nessuna fascia" in str(excinfo.value.message)


@pytest.mark.parametrize("data", [
    {"scheme": "other"},
    {"scheme": "children", "bands": []},
    {"scheme": "children", "bands": [{"up_to": "5000"}, {"up_to": "2000"}]},
    {"scheme": "children", "bands": [{"up_to": None}, {"up_to": "2000"}]},
    {"scheme": "children", "bands": [{"up_to": "2000", "percent": "120"}]},
    {"scheme": "elderly", "bands": [{"up_to": None, "coverage": "101"}]},
    {"scheme": "children", "nope": 1},
])
def test_inconsistent_bands_are_refused(data):
    with pytest.raises(InvalidRules):
        scheme_from_data(data)
