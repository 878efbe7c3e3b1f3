"""domain.md §4's worked example month by month, with the nursery's tariff raised in January.

Luca Rossi (RSSLCU23S02A662V), ISEE minorenni € 12,450.00, band 10,001–13,000 (fixed € 45 +
20 % of the rest). The nursery charges € 500.00 a month until December 2025 and € 550.00 from
January 2026: each month's attestation takes the tariff in force that month from the
catalogue entry's history, so December stays € 136.00 / € 364.00 and January becomes
45 + 20 % × 505 = € 146.00 for the family and € 404.00 of voucher.
"""
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from content_types.catalogue_entry import CatalogueEntry
from portal.applications.rules.copayment import ChildrenScheme
from portal.payments.attestations import MonthContext, amounts_for
from portal.payments.rules.monthly import Attendance, MonthlyRules, funded_months, parse_month

ISEE = Decimal("12450.00")
OCTOBER = Attendance(open_days=22, attended_days=19, absences=3)


def nursery():
    entry = CatalogueEntry(title="Asilo nido Il Girasole", creator="girasole")
    entry.record_tariff(date(2025, 9, 1), Decimal("500.00"), Decimal("350.00"))
    entry.record_tariff(date(2026, 1, 1), Decimal("550.00"), Decimal("380.00"))
    return entry


def luca(disabled=False):
    application = SimpleNamespace(disability_certified=disabled)
    return MonthContext(application, None, nursery(), ChildrenScheme(), MonthlyRules(), ISEE,
                        funded_months(date(2025, 9, 1), 10))


@pytest.mark.parametrize(("month", "tariff", "family", "voucher"), [
    ("2025-09", "500.00", "136.00", "364.00"),
    ("2025-10", "500.00", "136.00", "364.00"),
    ("2025-12", "500.00", "136.00", "364.00"),
    ("2026-01", "550.00", "146.00", "404.00"),
    ("2026-06", "550.00", "146.00", "404.00"),
])
def test_each_month_takes_the_tariff_in_force_that_month(month, tariff, family, voucher):
    result = amounts_for(luca(), parse_month(month), OCTOBER)
    assert (result.tariff, result.family, result.voucher) == (
        Decimal(tariff), Decimal(family), Decimal(voucher))
    assert result.family + result.voucher == result.fee


def test_full_time_with_a_certified_disability_before_and_after_the_change():
    before = amounts_for(luca(disabled=True), parse_month("2025-10"), OCTOBER)
    assert (before.fee, before.family, before.voucher) == (
        Decimal("1000.00"), Decimal("236.00"), Decimal("764.00"))
    after = amounts_for(luca(disabled=True), parse_month("2026-02"), OCTOBER)
    # 45 + 20 % × (1,100 − 45) = 45 + 211 = 256; voucher 1,100 − 256 = 844
    assert (after.fee, after.family, after.voucher) == (
        Decimal("1100.00"), Decimal("256.00"), Decimal("844.00"))


def test_part_time_reads_the_part_time_tariff_of_the_month():
    part = Attendance(open_days=22, attended_days=22, absences=0, full_time=False)
    december = amounts_for(luca(), parse_month("2025-12"), part)
    january = amounts_for(luca(), parse_month("2026-01"), part)
    # 45 + 20 % × 305 = 106 → 244; 45 + 20 % × 335 = 112 → 268
    assert (december.family, december.voucher) == (Decimal("106.00"), Decimal("244.00"))
    assert (january.family, january.voucher) == (Decimal("112.00"), Decimal("268.00"))


def test_ten_months_of_voucher_add_up_to_the_year():
    context = luca()
    total = sum(amounts_for(context, parse_month(m), OCTOBER).voucher for m in context.funded)
    assert total == 4 * Decimal("364.00") + 6 * Decimal("404.00")
