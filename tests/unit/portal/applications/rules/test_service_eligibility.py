"""The chosen service must be one the call pays for, and take in the beneficiary's age (point 11)."""
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st
from stdnum.it import codicefiscale

from content_types.call import TARGET_SERVICES, Call
from portal.applications.rules.eligibility import (
    Facts,
    Rules,
    Service,
    age_in_months,
    beneficiary_age,
    check,
    describe_span,
    service_failures,
    service_fits,
)
from portal.applications.rules.isee import make_attestation

LUCA = "RSSLCU23S02A662V"  # born 2 Nov 2023
MOTHER = "RSSMRA88C52A662W"
ON = date(2024, 11, 2)  # Luca is 12 months old
CHILDREN = Rules.from_data({"target": "children_0_36", "isee_types": ["minorenni"],
                            "isee_max": "40000", "residence_region": "16",
                            "service_types": list(TARGET_SERVICES["children_0_36"])})
ELDERLY_CENTRE = Service("centro-diurno-anziani", "Centro diurno per anziani", 780, 1440)
NIDO = Service("asilo-nido", "Asilo nido", 3, 36)
TOO_OLD = ("Il servizio scelto (Centro diurno per anziani) accoglie utenti da 65 a 120 anni: il "
           "beneficiario avrà 12 mesi alla data di riferimento del bando (02/11/2024).")
MONTHS = "ABCDEHLMPRST"


def facts(service):
    isee = make_attestation(LUCA, "INPS-ISEE-2024-01234567K-00", "minorenni", "12450",
                            date(2024, 2, 10))
    return Facts(beneficiary_fiscal_code=LUCA, applicant_fiscal_code=MOTHER, isee=isee,
                 residence_region="16", service=service)


def test_a_child_cannot_choose_the_elderly_day_centre():
    result = check(CHILDREN, facts(ELDERLY_CENTRE), ON)
    assert not result.eligible
    codes = {f.code: f for f in result.failures}
    assert set(codes) == {"service_not_covered", "service_age_out_of_range"}
    assert codes["service_age_out_of_range"].message == TOO_OLD
    assert codes["service_not_covered"].message.startswith(
        "Il servizio scelto (Centro diurno per anziani) non è tra i servizi finanziati")
    assert all(f.field == "catalogue_entry_path" for f in result.failures)
    assert check(CHILDREN, facts(NIDO), ON).eligible


def test_the_age_is_taken_at_the_calls_reference_date():
    later = Rules.from_data({**CHILDREN.to_data(), "age_reference": "2026-09-01"})
    assert beneficiary_age(later, LUCA, ON) == 33
    assert service_fits(later, NIDO, 33, date(2026, 9, 1))
    primavera = Service("sezione-primavera", "Sezione primavera", 24, 36)
    assert not service_fits(CHILDREN, primavera, 12, ON)
    assert service_fits(later, primavera, 33, ON)
    assert beneficiary_age(CHILDREN, "not a code", ON) is None


def test_services_of_a_call_come_from_its_rules_or_its_target():
    call = Call(title="Buoni", code="b", target="children_0_36",
                eligibility={"target": "children_0_36"})
    assert call.service_types == ("asilo-nido", "micro-nido", "sezione-primavera")
    call.eligibility = {"target": "children_0_36", "service_types": ["asilo-nido"]}
    assert call.service_types == ("asilo-nido",)
    assert Rules.from_data(CHILDREN.to_data()) == CHILDREN
    unchecked = Rules.from_data({**CHILDREN.to_data(), "service_types": None})
    assert service_fits(unchecked, replace(ELDERLY_CENTRE, age_min_months=0), 12, ON)
    assert not service_fits(CHILDREN, replace(ELDERLY_CENTRE, age_min_months=0), 12, ON)


def test_age_ranges_read_as_the_catalogue_writes_them():
    assert describe_span(3, 36) == "da 3 a 36 mesi"
    assert describe_span(780, 1440) == "da 65 a 120 anni"
    assert describe_span(72, 179) == "da 6 anni a 14 anni e 11 mesi"


ranges = st.tuples(st.integers(0, 1440), st.integers(0, 1440)).map(sorted)


@given(age=st.integers(-24, 1500), span=ranges, covered=st.booleans(), listed=st.booleans())
def test_a_service_fits_exactly_when_covered_and_the_age_is_in_range(age, span, covered, listed):
    low, high = span
    service = Service("asilo-nido" if covered else "ludoteca", "Servizio", low, high)
    rules = Rules.from_data({**CHILDREN.to_data(),
                             "service_types": ["asilo-nido"] if listed else None})
    failures = service_failures(rules, service, age, ON)
    codes = [f.code for f in failures]
    assert ("service_not_covered" in codes) == (listed and not covered)
    assert ("service_age_out_of_range" in codes) == (age >= 0 and not low <= age <= high)
    assert service_fits(rules, service, age, ON) == (not failures)
    for failure in failures:
        assert failure.message.startswith("Il servizio scelto (Servizio)")
        if failure.code == "service_age_out_of_range":
            assert describe_span(low, high) in failure.message


def fiscal_code(born):
    body = f"RSSLCU{born.year % 100:02d}{MONTHS[born.month - 1]}{born.day:02d}A662"
    return body + codicefiscale.calc_check_digit(body)


@given(reference=st.dates(date(2000, 1, 1), date(2090, 12, 31)),
       days=st.integers(0, 98 * 365))
def test_the_age_comes_from_the_fiscal_code_at_the_reference_date(reference, days):
    born = reference - timedelta(days=days)
    rules = Rules.from_data({**CHILDREN.to_data(), "age_reference": reference.isoformat()})
    assert beneficiary_age(rules, fiscal_code(born), ON) == age_in_months(born, reference)
