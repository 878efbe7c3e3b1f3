"""Eligibility checks and their Italian explanations; codice fiscale helpers."""
from datetime import date
from decimal import Decimal

import pytest
from stdnum.it import codicefiscale

from portal.applications.rules import fiscal
from portal.applications.rules.eligibility import Facts, Rules, check
from portal.applications.rules.errors import InvalidFiscalCode, InvalidRules, NotEligible
from portal.applications.rules.isee import make_attestation

LUCA = "RSSLCU23S02A662V"  # born 2 Nov 2023
MOTHER = "RSSMRA88C52A662W"
ELDER = "SPSGPP46L21L049R"
ON = date(2025, 7, 1)
CHILDREN = Rules.from_data({"target": "children_0_36", "isee_types": ["minorenni", "ordinario"],
                            "isee_max": "40000", "residence_region": "16"})


def omocode(code):
    """Replace the last digit (position 15) with its omocodia letter and fix the check."""
    body = code[:14] + "LMNPQRSTUV"[int(code[14])]
    return body + codicefiscale.calc_check_digit(body)


def isee(value="12450", kind="minorenni", dsu=date(2025, 2, 10), code=LUCA, **kw):
    return make_attestation(code, "INPS-ISEE-2025-01234567K-00", kind, value, dsu, **kw)


def facts(**kw):
    base = {"beneficiary_fiscal_code": LUCA, "isee": isee(), "residence_region": "16",
            "applicant_fiscal_code": MOTHER}
    base.update(kw)
    return Facts(**base)


def test_luca_is_eligible():
    result = check(CHILDREN, facts(), ON)
    assert result.eligible
    assert result.failures == ()
    assert result.age_months == 19
    assert result.raise_if_failed() is result


def test_omocodia_is_accepted():
    code = omocode(LUCA)
    assert code != LUCA
    assert fiscal.validate(code) == code
    assert fiscal.birth_date(code, on=ON) == date(2023, 11, 2)
    assert check(CHILDREN, facts(beneficiary_fiscal_code=code, isee=isee(code=code)), ON).eligible


def test_century_from_the_reference_date():
    assert fiscal.birth_date(LUCA, on=ON) == date(2023, 11, 2)
    assert fiscal.birth_date(ELDER, on=ON) == date(1946, 7, 21)
    assert fiscal.sex(MOTHER) == "F"
    assert fiscal.check_birth_date(ELDER, date(1946, 7, 21)) == date(1946, 7, 21)


@pytest.mark.parametrize(("code", "reason"), [
    ("RSSLCU23S02A662X", "il carattere di controllo non corrisponde"),
    ("RSSLCU23S02A66", "deve avere 16 caratteri (ne ha 14)"),
    ("1234567890123456", "il formato non è quello"),
])
def test_invalid_fiscal_code(code, reason):
    with pytest.raises(InvalidFiscalCode) as excinfo:
        fiscal.validate(code)
    assert reason in str(excinfo.value.message)
    result = check(CHILDREN, facts(beneficiary_fiscal_code=code), ON)
    assert [f.code for f in result.failures] == ["invalid_fiscal_code"]
    assert reason in result.failures[0].message


def test_beneficiary_outside_age_range():
    result = check(CHILDREN, facts(), date(2026, 12, 1))  # 37 months
    codes = [f.code for f in result.failures]
    assert "age_out_of_range" in codes
    failure = next(f for f in result.failures if f.code == "age_out_of_range")
    assert failure.message == (
        "Il beneficiario (nato il 02/11/2023) ha 3 anni al 01/12/2026; l'avviso è "
        "riservato a chi ha meno di 3 anni.")
    elderly = Rules.from_data({"target": "elderly", "isee_types": ["ordinario"],
                               "isee_max": "40000"})
    young = check(elderly, facts(beneficiary_fiscal_code=MOTHER,
                                 isee=isee(kind="ordinario", code=MOTHER)), ON)
    assert [f.code for f in young.failures] == ["age_out_of_range"]
    assert "ha 37 anni e 3 mesi" in young.failures[0].message
    assert "almeno 65 anni" in young.failures[0].message


def test_declared_birth_date_must_match_the_code():
    result = check(CHILDREN, facts(beneficiary_birth_date=date(2023, 11, 3)), ON)
    assert [f.code for f in result.failures] == ["birth_date_mismatch"]
    assert "non corrisponde al codice fiscale" in result.failures[0].message


def test_isee_above_threshold():
    result = check(CHILDREN, facts(isee=isee("40000.01")), ON)
    assert [f.message for f in result.failures] == [
        "L'ISEE di € 40.000,01 supera la soglia di € 40.000,00 prevista dall'avviso."]


def test_isee_of_the_wrong_type():
    result = check(CHILDREN, facts(isee=isee(kind="universita")), ON)
    assert [f.message for f in result.failures] == [
        ("È stato indicato un ISEE università; l'avviso richiede ISEE minorenni oppure "
        "ISEE ordinario.")]


def test_expired_isee_dsu_valid_to_31_december():
    old = isee(dsu=date(2024, 2, 10))
    assert old.valid_until == date(2024, 12, 31)
    assert check(CHILDREN, facts(isee=old), date(2024, 12, 31)).eligible  # last valid day
    assert [f.code for f in check(CHILDREN, facts(isee=old), date(2025, 1, 1)).failures] == [
        "isee_expired"]
    result = check(CHILDREN, facts(isee=old), ON)
    assert [f.message for f in result.failures] == [
        ("L'attestazione ISEE (DSU presentata il 10/02/2024) è scaduta il 31/12/2024: "
        "occorre una DSU presentata nel 2025.")]


def test_residence_outside_region_and_district():
    result = check(CHILDREN, facts(residence_region="12"), ON)
    assert [f.code for f in result.failures] == ["residence_outside_region"]
    result = check(CHILDREN, facts(residence_municipality="072006",
                                   district_municipalities=frozenset({"072004"})), ON)
    assert [f.code for f in result.failures] == ["residence_outside_district"]


def test_every_failure_is_reported_at_once():
    result = check(CHILDREN, facts(isee=isee("50000", kind="corrente", dsu=date(2024, 1, 5)),
                                   residence_region="12"), ON)
    assert [f.code for f in result.failures] == [
        "isee_wrong_type", "isee_over_threshold", "isee_expired", "residence_outside_region"]
    with pytest.raises(NotEligible) as excinfo:
        result.raise_if_failed()
    assert str(excinfo.value.message).startswith("La domanda non rispetta 4 requisiti dell'avviso:")
    assert excinfo.value.fields == {"isee": result.failures[2].message,
                                    "residence_municipality": result.failures[3].message}


def test_warnings_do_not_refuse():
    odd = make_attestation(LUCA, "ISEE 123", "minorenni", "12450", date(2025, 2, 10),
                           discrepancies=True)
    result = check(CHILDREN, facts(isee=odd), ON)
    assert result.eligible
    assert {w.code for w in result.warnings} == {"isee_discrepancies", "isee_protocol_format"}
    strict = Rules.from_data({**CHILDREN.to_data(), "reject_discrepancies": True})
    assert [f.code for f in check(strict, facts(isee=odd), ON).failures] == ["isee_discrepancies"]


def test_missing_or_foreign_isee_and_disability():
    assert [f.code for f in check(CHILDREN, facts(isee=None), ON).failures] == ["isee_missing"]
    other = isee(code="BNCNNA90A45D862T")
    assert [f.code for f in check(CHILDREN, facts(isee=other), ON).failures] == [
        "isee_other_person"]
    disability = Rules.from_data({"target": "disability", "isee_types": ["socio_sanitario"],
                                  "isee_max": "40000", "restricted_isee_max": "10000"})
    restricted = isee("12000", kind="socio_sanitario")
    codes = [f.code for f in check(disability, facts(isee=restricted), ON).failures]
    assert codes == ["isee_over_threshold", "disability_not_certified"]


def test_rules_round_trip_and_refuse_nonsense():
    assert Rules.from_data(CHILDREN.to_data()) == CHILDREN
    for bad in ({"target": "pets", "isee_types": ["ordinario"], "isee_max": "1"},
                {"target": "elderly", "isee_types": [], "isee_max": "1"},
                {"target": "elderly", "isee_types": ["cash"], "isee_max": "1"},
                {"target": "elderly", "isee_types": ["ordinario"]}):
        with pytest.raises(InvalidRules):
            Rules.from_data(bad)
    assert Decimal(40000) == CHILDREN.isee_max
