"""The SIUSS flow of domain.md §8, produced from portal data, and one test per rule the XSD
does not enforce: the record breaking it is reported and left out, the good one goes."""
from datetime import date, datetime
from decimal import Decimal

import pytest
from lxml import etree

from content_types.district import District, Municipality
from content_types.security import ATS_OFFICER, set_local_roles
from content_types.users import User
from content_types.values import ROME
from portal.cases import store as cases
from portal.db import DOCUMENTS_KEY
from portal.documents.service import get_service
from portal.people import store as people
from portal.register import grant as register
from portal.register import siuss
from portal.register.rules import siuss as flow_rules
from tests.functional.applications.conftest import run_in_app

#: domain.md §8 (two long lines wrapped between attributes: the same XML)
EXAMPLE = b"""<Flusso xmlns="http://inps.it/Casellario">
 <IdentificazioneFlusso Nome="BA99.PSA.INPS.20251105.101500">
  <Ente Codice="ATS-BA99" Denominazione="Ambito Territoriale BA-99" Indirizzo="A662"
   CFOperatore="RSSMRA88C52A662W"/>
 </IdentificazioneFlusso>
 <Beneficiario CodiceFiscale="RSSLCU23S02A662V">
  <Anagrafica Cognome="ROSSI" Nome="LUCA" AnnoNascita="2023" LuogoNascita="A662" Genere="1"
   CodiceCittadinanza="380"/>
  <Indirizzo CodiceRegione="16" CodiceComune="072006" CodiceNazione="380"/>
  <PrestazioniSociali TipoOperazione="I" PresenzaProvaMezzi="1" CaratterePrestazione="1"
   NumeroProtocolloDSU="INPS-ISEE-2025-01234567K-00" AnnoProtocolloDSU="2025" DataDSU="2025-02-10"
   CodicePrestazione="A1.NN" DenominazionePrestazione="Buono servizio asilo nido"
   ProtocolloDomanda="2025/0012345" DataInizioPrestazione="2025-09-01" DataFinePrestazione="2026-06-30"
   PeriodoErogazione="10" ImportoMensile="364.00" ImportoQuotaEnte="364.00" ImportoQuotaUtente="136.00"
   PresaCarico="2"/>
 </Beneficiario>
</Flusso>
"""
EXPORTED_AT = datetime(2025, 11, 5, 10, 15, 0, tzinfo=ROME)
YEAR_2025 = siuss.period_of(year=2025)
OPERATOR = "RSSMRA88C52A662W"
LUCA = "RSSLCU23S02A662V"
BARI = {"kind": "residence", "street": "Via Roma 1", "istat": "072006", "region": "16"}
NURSERY = {
    "siuss_code": "A1.NN", "source": "voucher", "start": date(2025, 9, 1),
    "end": date(2026, 6, 30), "monthly_amount": "364.00", "public_share": "364.00",
    "user_share": "136.00", "means_test": "1", "protocol": "2025/0012345",
    "isee": {"protocol": "INPS-ISEE-2025-01234567K-00", "year": 2025,
             "dsu_date": date(2025, 2, 10), "value": Decimal("9800.00")},
}


def add_ba99(portal, registry):
    """The ATS of the example, its seat in A662, and its officer with the example's CF."""
    portal["ambiti"].add("ba-99", District(
        title="Ambito Territoriale BA-99", code="BA-99", lead_municipality="Bari",
        creator="admin"), registry=registry)
    district = portal["ambiti"]["ba-99"]
    district.add("bari-sede", Municipality(
        title="Bari", istat_code="072906", cadastral_code="A662", province="BA",
        creator="admin"), registry=registry)
    user = User(title="Maria Rossi (Ambito BA-99)", email="rup-ba99@example.it",
                fiscal_code=OPERATOR, creator="admin")
    user.set_password("rup-ba99-demo-2026")
    portal["utenti"].add("rup-ba99", user, registry=registry)
    set_local_roles(district, "user:rup-ba99", {ATS_OFFICER})
    return district


def add_luca(portal, registry):
    return people.register_person(portal, {
        "fiscal_code": LUCA, "first_name": "Luca", "last_name": "Rossi",
        "birth_date": date(2023, 11, 2), "address": BARI}, "rup-ba99", registry)


def transmit(portal, registry, district, now=EXPORTED_AT, value=YEAR_2025):
    return siuss.transmit(district, value, "rup-ba99", OPERATOR, registry,
                          get_service(registry), portal._p_jar.root()[DOCUMENTS_KEY], now=now)


def test_the_example_of_the_domain_is_produced_from_portal_data(wsgi_app):
    registry = wsgi_app.registry

    def work(portal):
        district = add_ba99(portal, registry)
        benefit = register.grant(district, add_luca(portal, registry), NURSERY, "rup-ba99",
                                 registry)
        sent = transmit(portal, registry, district)
        assert benefit.transmissions[-1]["operation"] == "I"
        assert benefit.transmissions[-1]["uid"] == sent.uid
        return sent.read_xml(), sent.name, sent.sent, sent.not_sent, sent.receipt_uid
    xml, name, count, not_sent, receipt = run_in_app(wsgi_app, work)
    assert name == "BA99.PSA.INPS.20251105.101500"
    assert (count, not_sent) == (1, 0)
    assert flow_rules.canonical(xml) == flow_rules.canonical(EXAMPLE)
    schema = etree.XMLSchema(etree.parse(str(flow_rules.XSD)))
    assert schema.validate(etree.fromstring(xml)), schema.error_log
    assert schema.validate(etree.fromstring(EXAMPLE))
    assert receipt


def test_a_benefit_sent_is_not_sent_again_and_goes_as_a_cancellation_once_cancelled(wsgi_app):
    registry = wsgi_app.registry

    def work(portal):
        district = add_ba99(portal, registry)
        benefit = register.grant(district, add_luca(portal, registry), NURSERY, "rup-ba99",
                                 registry)
        transmit(portal, registry, district)
        with pytest.raises(siuss.NothingToSend):
            transmit(portal, registry, district, now=EXPORTED_AT.replace(minute=16))
        register.change_status(benefit, "cancel", "rup-ba99", "errore di inserimento",
                               registry=registry)
        second = transmit(portal, registry, district, now=EXPORTED_AT.replace(minute=17))
        assert [t["operation"] for t in benefit.transmissions] == ["I", "C"]
        with pytest.raises(siuss.NothingToSend):
            transmit(portal, registry, district, now=EXPORTED_AT.replace(minute=18))
        return second.read_xml(), second.cancellations
    xml, cancellations = run_in_app(wsgi_app, work)
    tree = etree.fromstring(xml)
    ns = {"c": flow_rules.NS}
    assert cancellations == 1
    assert [e.get("TipoOperazione") for e in tree.iterfind(".//c:PrestazioniSociali", ns)] == ["C"]
    assert not flow_rules.schema_errors(tree)


GOOD = "BNCNNA90A45D862T"  # a good record in the same flow


def _good_person(portal, registry, district):
    person = people.register_person(portal, {
        "fiscal_code": GOOD, "first_name": "Anna", "last_name": "Bianco",
        "address": BARI}, "rup-ba99", registry)
    register.grant(district, person, {**NURSERY, "protocol": "2025/0099999"}, "rup-ba99",
                   registry)


def _in_care(person, registry):
    case = cases.open_case(person, "rup-ba99", registry)
    cases.take_charge(case, "rup-ba99", "rup-ba99", registry=registry)


def break_area(portal, registry, district, luca):
    """In care with a code the current table no longer has: no AreaUtenza to send."""
    _in_care(luca, registry)
    benefit = register.grant(district, luca, NURSERY, "rup-ba99", registry)
    benefit.siuss_code = "A9.98"


def break_dsu(portal, registry, district, luca):
    """Means test ISEE but no DSU recorded."""
    register.grant(district, luca, {**NURSERY, "isee": None}, "rup-ba99", registry)


def break_check_digit(portal, registry, district, luca):
    """A benefit recorded (imported) with a codice fiscale whose check letter is wrong."""
    benefit = register.grant(district, luca, NURSERY, "rup-ba99", registry)
    benefit.fiscal_code = "RSSLCU23S02A662X"


def break_taking_charge(portal, registry, district, luca):
    """A2.16 is sent only for people in care: Luca is not."""
    register.grant(district, luca, {**NURSERY, "siuss_code": "A2.16", "means_test": "4",
                                    "isee": None}, "rup-ba99", registry)


def break_nation(portal, registry, district, luca):
    """An address without CodiceNazione (imported data)."""
    register.grant(district, luca, NURSERY, "rup-ba99", registry)
    luca.addresses = ({**luca.addresses[0], "nation": ""},)


def break_birth_year(portal, registry, district, luca):
    register.grant(district, luca, NURSERY, "rup-ba99", registry)
    luca.birth_date = None


def break_surname(portal, registry, district, luca):
    register.grant(district, luca, NURSERY, "rup-ba99", registry)
    luca.last_name = ""


def break_protocol(portal, registry, district, luca):
    benefit = register.grant(district, luca, NURSERY, "rup-ba99", registry)
    benefit.protocol = ""


@pytest.mark.parametrize(("breaker", "fiscal_code", "message"), [
    (break_area, LUCA, "manca l'area di utenza"),
    (break_dsu, LUCA, "manca il numero di protocollo della DSU"),
    (break_dsu, LUCA, "manca la data di presentazione della DSU"),
    (break_check_digit, "RSSLCU23S02A662X", "il carattere di controllo non corrisponde"),
    (break_taking_charge, LUCA, "si trasmette solo per persone prese in carico"),
    (break_nation, LUCA, "CodiceNazione è sempre obbligatorio"),
    (break_birth_year, LUCA, "Manca l'anno di nascita"),
    (break_surname, LUCA, "Manca il cognome"),
    (break_protocol, LUCA, "Manca il protocollo della domanda"),
])
def test_a_record_breaking_a_rule_is_reported_and_the_rest_is_sent(wsgi_app, breaker,
                                                                    fiscal_code, message):
    registry = wsgi_app.registry

    def work(portal):
        district = add_ba99(portal, registry)
        _good_person(portal, registry, district)
        breaker(portal, registry, district, add_luca(portal, registry))
        sent = transmit(portal, registry, district)
        return sent.read_xml(), sent.errors, sent.sent, sent.not_sent
    xml, errors, count, not_sent = run_in_app(wsgi_app, work)
    assert (count, not_sent) == (1, 1)
    [error] = errors
    assert error["fiscal_code"] == fiscal_code
    assert any(message in problem for problem in error["problems"]), error["problems"]
    tree = etree.fromstring(xml)
    codes = [e.get("CodiceFiscale") for e in tree.iterfind(f"{{{flow_rules.NS}}}Beneficiario")]
    assert codes == [GOOD]
    assert not flow_rules.schema_errors(tree)
