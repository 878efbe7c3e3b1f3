"""The issue-13 pages in English: home, personal area, call, service page, /verifica, form errors.

Each test reads a few key strings that come from Python (role titles, call targets, age limits,
verdicts, schema titles) as well as templates: none of their Italian msgids may show through.
"""
import io
import re

import pytest
from reportlab.pdfgen import canvas

from tests.conftest import csrf_token, login

CALL = "/regione/avvisi/buoni-minori-2026/"
SERVICE_PAGE = "/regione/buoni-servizio-infanzia/"
ENTRY = "/catalogo/girasole/nido-girasole/nido-tempo-pieno"


def text_of(html):
    """The page's text with the tags dropped, one space between words."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def english(i18n_app):
    """The demo portal read in English (the negotiator's ``_LOCALE_`` cookie)."""
    i18n_app.set_cookie("_LOCALE_", "en")
    return i18n_app


def assert_english(page, present, absent):
    for words in present:
        assert words in page, words
    for words in absent:
        assert words not in page, words


def test_home_page_in_english(english):
    page = text_of(english.get("/").text)
    assert_english(page,
                   ["Social services for families", "Open calls", "Who it is for",
                    "Children aged 0 to 36 months", "(Italian time)", "Apply",
                    "Search the catalogue", "All calls for applications"],
                   ["Servizi sociali per le famiglie", "Avvisi aperti", "A chi è rivolto",
                    "Bambini da 0 a 36 mesi", "ora italiana", "Presenta domanda",
                    "Cerca nel catalogo", "Tutti i bandi e avvisi"])


@pytest.mark.parametrize(("who", "present", "absent"), [
    ("cittadino", ["Personal area", "— Citizen", "Your applications", "My file"],
     ["Area personale", "Cittadino", "Le tue domande", "Il mio fascicolo"]),
    ("regione", ["— Regional officer", "Published calls and budgets per district",
                 "Catalogue entries to accredit"],
     ["Funzionario regionale", "Avvisi pubblicati e budget", "Voci del catalogo da accreditare"]),
    ("girasole", ["Your organisation", "Matches to confirm", "Draft entries"],
     ["Il tuo ente", "Abbinamenti da confermare", "Voci in bozza"]),
])
def test_personal_area_in_english(english, who, present, absent):
    login(english, who)
    assert_english(text_of(english.get("/area-personale").text), present, absent)


def test_call_page_in_english(english):
    page = text_of(english.get(CALL).text)
    assert_english(page,
                   ["Who may apply", "Recipients: Children aged 0 to 36 months.",
                    "Age of the beneficiary: under 3 years on the date of the application.",
                    "How much the family pays", "How the ranking is drawn up",
                    "Funds per social district"],
                   ["Chi può presentare domanda", "Destinatari", "Bambini da 0 a 36 mesi",
                    "meno di 3 anni", "alla data della domanda", "Quanto paga la famiglia",
                    "Come si forma la graduatoria"])


def test_service_page_headings_in_english(english):
    page = text_of(english.get(SERVICE_PAGE).text)
    assert_english(page, ["Who it is for", "How to apply", "Contacts", "Access the service"],
                   ["A chi è rivolto", "Come fare", "Contatti", "Accedi al servizio"])


def _verify(app, data):
    return text_of(app.post("/verifica", {"csrf_token": csrf_token(app)},
                            upload_files=[("file", "doc.pdf", data, "application/pdf")]).text)


def test_verdicts_in_english(english):
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer)
    drawing.drawString(100, 700, "Un PDF qualsiasi")
    drawing.save()
    page = _verify(english, buffer.getvalue())
    assert_english(page, ["The document contains no digital signatures"],
                   ["non contiene firme digitali", "attestarne l'autenticità"])
    sheet = _verify(english, english.get(ENTRY + "/@@scheda.pdf").body)
    assert_english(sheet, ["This is an information sheet from the catalogue"],
                   ["È una scheda informativa del catalogo"])


def test_verdict_in_italian_by_default(i18n_app):
    sheet = i18n_app.get(ENTRY + "/@@scheda.pdf").body
    page = _verify(i18n_app, sheet)
    assert "È una scheda informativa del catalogo" in page
    assert "information sheet" not in page


def test_form_error_banner_in_english(english):
    form = english.get("/catalogo/@@registrazione-ente").forms["form-portale"]
    page = text_of(form.submit("registra", status=400).text)
    assert_english(page, ["There was a problem with the data you sent",
                          "The errors are highlighted below"],
                   ["Si è verificato un problema", "Gli errori sono evidenziati"])
