"""The SIUSS pages of an ATS over the demo: preview, generate and send, the history and its
downloads (XML valid against the XSD, signed receipt naming the XML's SHA-256, error CSV)."""
import hashlib
import io

import pytest
from lxml import etree
from pypdf import PdfReader

from content_types.benefit import CANCELLED, VOUCHER
from content_types.values import rome_today
from portal.demo.social import CITIZEN_CODE, ELDER_CODE
from portal.people import store as people
from portal.register.grant import benefits_of, grant
from portal.register.rules import siuss as flow_rules
from tests.conftest import login
from tests.functional.applications.conftest import run_in_app

PAGE = "/ambiti/ba-01/prestazioni/@@siuss"


def text_of(page, selector):
    found = page.html.select_one(selector)
    return " ".join(found.text.split()) if found is not None else None
NS = {"c": flow_rules.NS}


def year():
    return str(rome_today().year)


@pytest.fixture(autouse=True)
def without_demo_vouchers(wsgi_app):
    """The demo's funded applications have voucher benefits: set aside (cancelled before any
    transmission, so never sent) to count only the records each test makes."""
    def cancel(portal):
        for benefit in benefits_of(portal["ambiti"]["ba-01"]):
            if benefit.source == VOUCHER:
                benefit.status = CANCELLED
    run_in_app(wsgi_app, cancel)


def test_the_officer_previews_generates_and_downloads_the_flow(testapp, social):
    login(testapp, "ats_officer")
    page = testapp.get(PAGE, {"anteprima": "1", "anno": year()})
    assert text_of(page, "#conteggio-trasmesse") == "1"
    assert text_of(page, "#conteggio-errori") == "0"
    assert "Nessun flusso ancora trasmesso" in page.text
    form = page.forms["form-trasmetti"]
    refused = form.submit("trasmetti")  # not confirmed: nothing stored
    assert "Confermare la trasmissione" in text_of(refused, "#errore-siuss")
    assert "Nessun flusso ancora trasmesso" in refused.text
    form["conferma"] = "si"
    done = form.submit("trasmetti", status=303).follow()
    assert "BA01.PSA.INPS." in text_of(done, "#trasmissioni-siuss")

    xml = testapp.get(PAGE.replace("@@siuss", "@@siuss-flusso"), {"n": "1"})
    assert xml.headers["Content-Disposition"] == 'attachment; filename="siuss-ba-01-1.xml"'
    tree = etree.fromstring(xml.body)
    assert not flow_rules.schema_errors(tree)
    [benefit] = tree.findall(".//c:PrestazioniSociali", NS)
    assert (benefit.get("CodicePrestazione"), benefit.get("PresaCarico"),
            benefit.get("AreaUtenza"), benefit.get("OreServizioMensile")) == ("A1.04", "1", "2", "20")
    sina = benefit.find("c:SINA", NS)
    assert sina.get("Mobilita") == "2"
    needs = sina.iterfind("c:NecessitaInterventiSociali/c:CodicePrestazione", NS)
    assert [e.text for e in needs] == ["A1.04"]
    assert [e.text for e in sina.iterfind("c:InvaliditaCivile/c:InvCiv", NS)] == ["1"]
    ente = tree.find(".//c:Ente", NS)
    assert (ente.get("Codice"), ente.get("Indirizzo"), ente.get("CFOperatore")) == (
        "ATS-BA01", "A662", "SPSGPP46L21L049R")

    receipt = testapp.get(PAGE.replace("@@siuss", "@@siuss-ricevuta"), {"n": "1"})
    assert receipt.headers["Content-Disposition"] == 'inline; filename="siuss-ba-01-1-ricevuta.pdf"'
    reader = PdfReader(io.BytesIO(receipt.body))
    assert reader.get_fields() or "/ByteRange" in receipt.body.decode("latin-1")
    words = "".join(p.extract_text() for p in reader.pages).replace("\n", "")
    assert hashlib.sha256(xml.body).hexdigest() in words
    assert "Ricevuta di trasmissione SIUSS" in words

    detail = testapp.get(PAGE.replace("@@siuss", "@@siuss-trasmissione"), {"n": "1"})
    assert text_of(detail, "#trasmesse") == "1"
    assert text_of(detail, "#nessun-errore")

    again = testapp.get(PAGE, {"anteprima": "1", "anno": year()})
    assert text_of(again, "#conteggio-trasmesse") == "0"
    assert text_of(again, "#conteggio-gia-trasmesse") == "1"


def test_the_error_report_lists_what_is_left_out_and_the_rest_is_sent(testapp, social,
                                                                       wsgi_app):
    def setup(portal):
        people.find_person(portal, ELDER_CODE).birth_date = None
        citizen = people.find_person(portal, CITIZEN_CODE)
        grant(portal["ambiti"]["ba-01"], citizen, {
            "siuss_code": "A1.01", "start": rome_today().replace(day=1),
            "end": rome_today().replace(month=12, day=31), "monthly_amount": "50",
            "means_test": "4", "protocol": "SEG-0001"}, "comune-bari")
    run_in_app(wsgi_app, setup)
    login(testapp, "ats_officer")
    page = testapp.get(PAGE, {"anteprima": "1", "anno": year()})
    assert text_of(page, "#conteggio-errori") == "1"
    assert text_of(page, "#conteggio-trasmesse") == "1"
    assert "Manca l'anno di nascita" in text_of(page, "#errori-siuss")
    csv = testapp.get(page.html.select_one("#errori-anteprima-csv")["href"])
    assert csv.headers["Content-Disposition"] == (
        'attachment; filename="siuss-ba-01-anteprima-errori.csv"')
    assert ELDER_CODE in csv.text
    assert "Manca l'anno di nascita" in csv.text
    form = page.forms["form-trasmetti"]
    form["conferma"] = "si"
    form.submit("trasmetti", status=303)
    detail = testapp.get(PAGE.replace("@@siuss", "@@siuss-trasmissione"), {"n": "1"})
    assert (text_of(detail, "#trasmesse"), text_of(detail, "#non-trasmesse")) == ("1", "1")
    assert "Manca l'anno di nascita" in text_of(detail, "#errori-siuss")
    sent_csv = testapp.get(detail.html.select_one("#scarica-errori")["href"])
    assert sent_csv.headers["Content-Disposition"] == (
        'attachment; filename="siuss-ba-01-1-errori.csv"')
    assert "Manca l'anno di nascita" in sent_csv.text
    xml = testapp.get(detail.html.select_one("#scarica-xml")["href"])
    codes = [e.get("CodiceFiscale") for e in etree.fromstring(xml.body).iterfind(
        "c:Beneficiario", NS)]
    assert codes == [CITIZEN_CODE]


@pytest.mark.parametrize(("query", "message"), [
    ({"anno": "abcd"}, "Indicare l'anno del periodo"),
    ({"da": "31/12/2025", "a": "01/01/2025"}, "precedente"),
    ({"da": "32/13/2025", "a": "01/01/2026"}, "Indicare le date del periodo"),
])
def test_a_wrong_period_is_said_and_nothing_is_built(testapp, social, query, message):
    login(testapp, "ats_officer")
    page = testapp.get(PAGE, {"anteprima": "1", **query})
    assert message in text_of(page, "#errore-siuss")
    assert page.html.select_one("#anteprima-siuss-sezione") is None


@pytest.mark.parametrize("number", ["7", "x", ""])
def test_an_unknown_transmission_is_not_found(testapp, social, number):
    login(testapp, "ats_officer")
    for name in ("@@siuss-flusso", "@@siuss-ricevuta", "@@siuss-errori",
                 "@@siuss-trasmissione"):
        if name == "@@siuss-errori" and not number:
            continue
        testapp.get(PAGE.replace("@@siuss", name), {"n": number}, status=404)


@pytest.mark.parametrize(("who", "status"), [
    ("municipal_operator", 403), ("social_worker", 403), ("region_officer", 403),
    ("citizen", 403), ("anonymous", 303)])
def test_only_the_ats_officer_exports(testapp, social, who, status):
    login(testapp, who)
    testapp.get(PAGE, status=status)
    testapp.get(PAGE.replace("@@siuss", "@@siuss-flusso"), {"n": "1"}, status=status)
