"""The SIUSS flow's pure rules: names and formats, the XSD's order, and the checks the schema
does not make (each with its message); whatever the checks let through, the XSD accepts."""
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from lxml import etree

from portal.demo.ids import vat
from portal.register.rules import siuss as rules
from portal.register.rules.siuss_checks import (
    beneficiary_problems,
    benefit_problems,
    fiscal_code_problems,
)

XS = "{http://www.w3.org/2001/XMLSchema}"
LUCA = rules.Beneficiary(
    fiscal_code="RSSLCU23S02A662V", last_name="Rossi", first_name="Luca", birth_year=2023,
    birth_place="A662", sex="M", citizenship="380",
    addresses=(rules.Address("16", "072006", "380"),))
NURSERY = rules.Benefit(
    key="b1", title="Buono servizio asilo nido", code="A1.NN", name="Buono servizio asilo nido",
    protocol="2025/0012345", means_test="1", dsu_protocol="INPS-ISEE-2025-01234567K-00",
    dsu_year="2025", dsu_date=date(2025, 2, 10), start=date(2025, 9, 1), end=date(2026, 6, 30),
    months=10, monthly_amount=Decimal(364), public_share=Decimal("364.00"),
    user_share=Decimal(136))
BODY = rules.Body("ATS-BA99", "Ambito Territoriale BA-99", "A662", "RSSMRA88C52A662W")


def text(messages):
    return [m.interpolate() if hasattr(m, "interpolate") else str(m) for m in messages]


def test_names_and_formats():
    assert rules.ente_code("BA-99") == "BA99"
    assert rules.body_code("BA-99") == "ATS-BA99"
    assert rules.flow_name("BA-99", datetime(2025, 11, 5, 10, 15, 7)) == (
        "BA99.PSA.INPS.20251105.101507")
    assert rules.money(Decimal(364)) == "364.00"
    assert rules.money(Decimal("1.005")) == "1.01"
    assert rules.money("0") == "0.00"


def test_the_example_from_plain_values_validates_with_the_fields_of_the_domain():
    tree = rules.flow(BODY, "BA99.PSA.INPS.20251105.101500", [rules.Record(LUCA, (NURSERY,))])
    assert not rules.schema_errors(tree)
    ns = {"c": rules.NS}
    person = tree.find(".//c:Anagrafica", ns)
    assert (person.get("Cognome"), person.get("Nome"), person.get("Genere")) == ("ROSSI", "LUCA", "1")
    benefit = tree.find(".//c:PrestazioniSociali", ns)
    assert benefit.get("ImportoMensile") == "364.00"
    assert benefit.get("ImportoQuotaUtente") == "136.00"
    assert benefit.get("AreaUtenza") is None  # not in care: not sent


def _xsd_attribute_order(type_name):
    xsd = etree.parse(str(rules.XSD))
    node = xsd.find(f"{XS}complexType[@name='{type_name}']")
    return [a.get("name") for a in node.iterfind(f"{XS}attribute")]


def test_the_attributes_are_written_in_the_order_of_the_xsd():
    full = rules.Benefit(
        key="k", title="t", code="A1.04", name="Assistenza domiciliare", protocol="P1",
        means_test="1", dsu_protocol="X", dsu_year="2025", dsu_date=date(2025, 1, 2),
        event_day=date(2025, 1, 3), start=date(2025, 1, 1), end=date(2025, 12, 31),
        day=date(2025, 1, 4), amount=Decimal(1), months=12, monthly_amount=Decimal(2),
        public_share=Decimal(3), user_share=Decimal(4), ssn_share=Decimal(5),
        requested_share=Decimal(6), isee_threshold=Decimal(7), hours=8, in_charge="1",
        area="2", operation="I")
    root = etree.Element("x")
    written = list(rules.benefit_element(root, full).attrib)
    assert written == _xsd_attribute_order("PrestazioniSocialiType")
    sina = dict.fromkeys(rules.SINA_ATTRIBUTES, "1")
    element = rules.sina_element(etree.Element("x"), {**sina, "needs": ("A1.04",),
                                                       "invalidity": ("1", "2")})
    assert list(element.attrib) == _xsd_attribute_order("SINAType")
    assert [c.tag.split("}")[1] for c in element] == ["NecessitaInterventiSociali",
                                                      "InvaliditaCivile"]


@pytest.mark.parametrize("code", ["RSSLCU23S02A662V", "RSSLCU23S02A66NK", vat(1234567)])
def test_personal_omocodic_and_body_codes_are_accepted(code):
    assert fiscal_code_problems(code) == []


@pytest.mark.parametrize(("code", "message"), [
    ("RSSLCU23S02A662X", "il carattere di controllo non corrisponde"),
    (vat(1234567)[:-1] + str((int(vat(1234567)[-1]) + 1) % 10), "cifra di controllo"),
    ("RSSLCU23S02A662", "non ha 16 caratteri"),
    ("", "manca"),
])
def test_a_wrong_codice_fiscale_is_said(code, message):
    [problem] = text(fiscal_code_problems(code))
    assert message in problem


@pytest.mark.parametrize(("change", "message"), [
    ({"last_name": ""}, "Manca il cognome"),
    ({"first_name": " "}, "Manca il nome"),
    ({"first_name": "A" * 37}, "supera i 36 caratteri"),
    ({"last_name": "ß" * 19}, "Il cognome supera i 36 caratteri"),  # written SS: 38
    ({"birth_year": None}, "Manca l'anno di nascita"),
    ({"birth_place": ""}, "Manca il luogo di nascita"),
    ({"birth_place": "A66"}, "non è un codice catastale"),
    ({"sex": ""}, "Manca il sesso"),
    ({"citizenship": ""}, "Manca la cittadinanza"),
    ({"citizenship": "IT"}, "non è un codice di 3 cifre"),
    ({"addresses": (rules.Address("16", "072006", ""),)}, "CodiceNazione è sempre obbligatorio"),
    ({"addresses": (rules.Address("1", "072006", "380"),)}, "regione"),
])
def test_each_problem_of_a_beneficiary_is_said(change, message):
    who = rules.Beneficiary(**{**LUCA.__dict__, **change})
    problems = text(beneficiary_problems(who))
    assert any(message in p for p in problems), problems


@pytest.mark.parametrize(("change", "message"), [
    ({"in_charge": "1"}, "manca l'area di utenza"),
    ({"dsu_protocol": ""}, "manca il numero di protocollo della DSU"),
    ({"dsu_year": ""}, "manca l'anno del protocollo della DSU"),
    ({"dsu_date": None}, "manca la data di presentazione della DSU"),
    ({"needs_taking_charge": True, "code": "A2.16"}, "si trasmette solo per persone prese in carico"),
    ({"protocol": ""}, "Manca il protocollo della domanda"),
    ({"protocol": "2025/\x1f1"}, "caratteri di controllo"),
    ({"protocol": "x" * 33}, "supera i 32 caratteri"),
    ({"means_test": ""}, "Manca la presenza della prova dei mezzi"),
    ({"start": None}, "Manca la data di inizio"),
    ({"end": date(2025, 1, 1)}, "precedente a quella di inizio"),
    ({"months": 13}, "tra 1 e 12 mesi"),
    ({"monthly_amount": None}, "Manca l'importo mensile"),
    ({"nature": "2"}, "Manca la data di erogazione"),
    ({"name": "Corto"}, "denominazione"),
    ({"user_share": Decimal(-1)}, "è negativo"),
    ({"sina": {"Mobilita": "1", "needs": ("A1.04",), "invalidity": ("1",)}}, "SINA incompleta"),
])
def test_each_problem_of_a_benefit_is_said(change, message):
    item = rules.Benefit(**{**NURSERY.__dict__, **change})
    problems = text(benefit_problems(item))
    assert any(message in p for p in problems), problems


def test_the_good_records_have_no_problem_and_dsu_is_needed_only_with_isee():
    assert beneficiary_problems(LUCA) == []
    assert benefit_problems(NURSERY) == []
    no_isee = rules.Benefit(**{**NURSERY.__dict__, "means_test": "4", "dsu_protocol": "",
                               "dsu_year": "", "dsu_date": None})
    assert benefit_problems(no_isee) == []
    in_care = rules.Benefit(**{**NURSERY.__dict__, "in_charge": "1", "area": "1",
                               "needs_taking_charge": True})
    assert benefit_problems(in_care) == []


letters = st.characters(codec="latin-1", categories=("L",))
names = st.text(letters, min_size=1, max_size=36).filter(
    lambda n: len(rules.written_name(n)) <= 36)
money = st.decimals(min_value=0, max_value=100_000, places=2)
protocols = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
                    max_size=32).filter(str.strip)
#: one way each to break a record: the checks must refuse it (who, benefit) -> changes
BREAKS = {
    "surname": ({"last_name": ""}, {}), "long name": ({"first_name": "X" * 37}, {}),
    "year": ({"birth_year": None}, {}), "place": ({"birth_place": "A66"}, {}),
    "sex": ({"sex": ""}, {}), "citizenship": ({"citizenship": "38"}, {}),
    "nation": ({"addresses": (rules.Address("16", "072006", ""),)}, {}),
    "check digit": ({"fiscal_code": "RSSLCU23S02A662X"}, {}),
    "area": ({}, {"in_charge": "1", "area": ""}),
    "dsu": ({}, {"means_test": "1", "dsu_protocol": ""}),
    "taking charge": ({}, {"in_charge": "2", "needs_taking_charge": True}),
    "protocol": ({}, {"protocol": " "}), "months": ({}, {"months": 13}),
    "monthly": ({}, {"monthly_amount": None}), "negative": ({}, {"user_share": Decimal(-1)}),
    "hours": ({}, {"hours": 1000}), "control": ({}, {"name": "Buono\x07 asilo nido"}),
}


@settings(max_examples=300, deadline=None)
@given(last=names, first=names, year=st.integers(1900, 2030),
       place=st.sampled_from(["A662", "Z404", "D862"]), sex=st.sampled_from(["M", "F"]),
       citizenship=st.sampled_from(["380", "100", "840"]),
       region=st.sampled_from(["16", ""]), nation=st.sampled_from(["380", "100"]),
       monthly=money, user=money | st.none(), months=st.integers(1, 12),
       hours=st.none() | st.integers(0, 999), in_charge=st.sampled_from(["1", "2"]),
       area=st.sampled_from(["1", "2", "3"]), protocol=protocols,
       means=st.sampled_from(["1", "2", "3", "4"]),
       breaks=st.sets(st.sampled_from(sorted(BREAKS)), max_size=2))
def test_whatever_the_checks_let_through_the_schema_accepts(
        last, first, year, place, sex, citizenship, region, nation, monthly, user, months,
        hours, in_charge, area, protocol, means, breaks):
    who = {**LUCA.__dict__, "last_name": last, "first_name": first, "birth_year": year,
           "birth_place": place, "sex": sex, "citizenship": citizenship,
           "addresses": (rules.Address(region, "072006", nation),)}
    item = {**NURSERY.__dict__, "monthly_amount": monthly, "user_share": user,
            "months": months, "hours": hours, "in_charge": in_charge, "area": area,
            "protocol": protocol, "means_test": means}
    for name in sorted(breaks):
        who.update(BREAKS[name][0])
        item.update(BREAKS[name][1])
    who, item = rules.Beneficiary(**who), rules.Benefit(**item)
    accepted = not beneficiary_problems(who) and not benefit_problems(item)
    event("checked: sent" if accepted else "checked: refused")
    assert accepted == (not breaks)
    if accepted:
        tree = rules.flow(BODY, "BA99.PSA.INPS.20251105.101500", [rules.Record(who, (item,))])
        assert not rules.schema_errors(tree), rules.schema_errors(tree)
        benefit = tree.find(f".//{{{rules.NS}}}PrestazioniSociali")
        assert benefit.get("ImportoMensile") == f"{monthly:.2f}"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["grant", "cancel", "send"]), st.integers(0, 4)),
                max_size=30))
def test_over_any_sequence_a_benefit_is_sent_once_and_cancelled_once_after(actions):
    """Benefits granted, cancelled and flows sent in any order: each benefit's transmissions
    are nothing, [I] or [I, C]; one cancelled before being sent is never sent."""
    granted, cancelled, sent, never_sent_cancelled = set(), set(), {}, set()
    for action, which in actions:
        if action == "grant":
            granted.add(which)
        elif action == "cancel" and which in granted:
            if not sent.get(which):
                never_sent_cancelled.add(which)
            cancelled.add(which)
        elif action == "send":
            for benefit in granted:
                due = rules.operation(benefit in cancelled, sent.get(benefit, []))
                if due:
                    sent.setdefault(benefit, []).append(due)
    for benefit, operations in sent.items():
        assert operations in (["I"], ["I", "C"])
        assert (operations == ["I", "C"]) <= (benefit in cancelled)
    assert not never_sent_cancelled & set(sent)
