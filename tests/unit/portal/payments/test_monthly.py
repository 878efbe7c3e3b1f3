"""Monthly amounts of domain.md §4's worked example, with a tariff that changes mid-year."""
from datetime import date
from decimal import Decimal

import pytest

from portal.applications.rules.copayment import ChildrenScheme
from portal.payments.rules.errors import AttestationRefused
from portal.payments.rules.monthly import (
    Attendance,
    MonthlyRules,
    amounts,
    check,
    failures,
    funded_months,
    parse_month,
)

LUCA_ISEE = Decimal("12450.00")
MONTH = Attendance(open_days=22, attended_days=19, absences=3)


def test_luca_rossi_month_of_october_2025():
    result = amounts(ChildrenScheme(), LUCA_ISEE, Decimal("500.00"), MONTH)
    assert (result.fee, result.family, result.voucher) == (Decimal("500.00"), Decimal("136.00"),
                                                           Decimal("364.00"))
    assert "45" in result.explanation
    assert "364,00" in result.explanation


def test_full_time_with_a_certified_disability_doubles_the_fee():
    result = amounts(ChildrenScheme(), LUCA_ISEE, Decimal("500.00"), MONTH, disabled=True)
    assert (result.fee, result.family, result.voucher) == (Decimal("1000.00"), Decimal("236.00"),
                                                           Decimal("764.00"))


def test_absences_reduce_the_voucher_only_when_the_call_says_so():
    scheme = ChildrenScheme()
    proportional = amounts(scheme, LUCA_ISEE, Decimal(500), MONTH,
                           MonthlyRules(absences="proportional"))
    assert proportional.voucher == Decimal("314.36")  # 364 × 19/22, half-up
    assert proportional.family == Decimal("136.00")
    minimum = MonthlyRules.from_data({"absences": "minimum", "minimum_attendance": "90"})
    assert amounts(scheme, LUCA_ISEE, Decimal(500), MONTH, minimum).voucher == Decimal("314.36")
    lenient = MonthlyRules.from_data({"absences": "minimum", "minimum_attendance": "80"})
    assert amounts(scheme, LUCA_ISEE, Decimal(500), MONTH, lenient).voucher == Decimal("364.00")


def test_a_partial_month_is_paid_in_full_unless_the_call_is_proportional():
    partial = Attendance(open_days=11, attended_days=11, absences=0, month_open_days=22)
    scheme = ChildrenScheme()
    assert amounts(scheme, LUCA_ISEE, Decimal(500), partial).voucher == Decimal("364.00")
    rules = MonthlyRules(partial_month="proportional")
    assert amounts(scheme, LUCA_ISEE, Decimal(500), partial, rules).voucher == Decimal("182.00")


def test_funded_months_start_at_the_service_and_stop_at_the_period_end():
    assert funded_months(date(2025, 9, 15), 10) == (
        "2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03",
        "2026-04", "2026-05", "2026-06")
    assert funded_months(date(2025, 11, 1), 12, date(2026, 1, 31)) == (
        "2025-11", "2025-12", "2026-01")


FUNDED = funded_months(date(2025, 9, 1), 10)
TODAY = date(2025, 11, 20)


@pytest.mark.parametrize(("attendance", "month", "field"), [
    (Attendance(22, 23, -1), "2025-10", "giorni"),
    (Attendance(22, 23, 0), "2025-10", "presenze"),
    (Attendance(22, 19, 2), "2025-10", "assenze"),
    (Attendance(32, 19, 13), "2025-10", "giorni_apertura"),
    (Attendance(22, 19, 3), "2025-12", "mese"),
    (Attendance(22, 19, 3), "2025-08", "mese"),
])
def test_each_broken_rule_is_named(attendance, month, field):
    found = failures(attendance, parse_month(month), funded=FUNDED, today=TODAY)
    assert any(key.startswith(field) or field == "giorni" for key in found), found


def test_a_second_month_and_a_wrong_invoice_are_refused():
    with pytest.raises(AttestationRefused) as caught:
        check(MONTH, parse_month("2025-10"), funded=FUNDED, today=TODAY, taken=("2025-10",))
    assert "mese" in caught.value.fields
    with pytest.raises(AttestationRefused) as caught:
        check(MONTH, parse_month("2025-10"), funded=FUNDED, today=TODAY,
              invoice_amount=Decimal(365), voucher=Decimal("364.00"))
    assert "importo_fattura" in caught.value.fields
    assert check(MONTH, parse_month("2025-10"), funded=FUNDED, today=TODAY,
                 invoice_amount=Decimal(364), voucher=Decimal("364.00")) is None


@pytest.mark.parametrize("text", ["", "2025-1", "ottobre", "2025-13", "25-10"])
def test_a_malformed_month_is_refused(text):
    with pytest.raises(AttestationRefused):
        parse_month(text)
