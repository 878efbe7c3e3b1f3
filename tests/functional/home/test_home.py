"""The home page: open calls with deadline and «Presenta domanda», catalogue search, links."""
import re

import webtest

from content_types.values import format_datetime
from portal.demo.applications import CALL_CODE
from tests.conftest import login
from tests.functional.applications.conftest import run_in_app

RAW_CODES = ("children_0_36", "minors_3_17", "ats_officer", "region_officer", "view_personal_data")


def text_of(html):
    return re.sub(r"\s+", " ", html)


def demo_call(app):
    return run_in_app(app, lambda portal: portal["regione"]["avvisi"][CALL_CODE].closes_at)


def test_anonymous_home_shows_the_open_call_with_its_deadline(wsgi_app):
    browser = webtest.TestApp(wsgi_app)
    page = browser.get("/")
    text = text_of(page.text)
    assert "Buoni servizio minori 2026" in text
    assert "Bambini da 0 a 36 mesi" in text
    assert format_datetime(demo_call(wsgi_app)) in text
    assert "Presenta domanda" in text
    assert 'action="/catalogo/"' in page.text
    assert "Set-Cookie" not in page.headers  # still no session for a visitor
    for code in RAW_CODES:
        assert code not in page.text


def test_presenta_domanda_leads_by_links_to_the_application_start(wsgi_app):
    browser = webtest.TestApp(wsgi_app)
    home = browser.get("/")
    choice = home.click(href=r"@@presenta-domanda", index=0)
    assert "Comune di residenza" in choice.text
    folder = choice.click(description="Ambito territoriale di Bari")
    assert "Accedere con SPID o CIE per presentare una domanda." in folder.text
    # the same page through the municipality of residence (Modugno, BA-01)
    form = next(f for f in choice.forms.values() if "comune" in f.fields)
    form["comune"] = "072027"
    by_town = form.submit(status=303)
    assert by_town.headers["Location"].endswith(f"/ambiti/ba-01/domande/{CALL_CODE}/")
    login(browser, "cittadino")
    start = browser.get("/").click(href=r"@@presenta-domanda", index=0).click(
        description="Ambito territoriale di Bari")
    draft = start.forms[next(k for k, f in start.forms.items()
                         if f.action.endswith("@@nuova-domanda"))].submit(status=303)
    assert "@@compila" in draft.headers["Location"]


def test_unknown_municipality_is_explained_and_changes_nothing(wsgi_app):
    browser = webtest.TestApp(wsgi_app)
    page = browser.get(f"/regione/avvisi/{CALL_CODE}/@@presenta-domanda",
                       {"comune": "999999"}, status=400)
    assert "Il comune scelto non appartiene" in page.text


def test_calls_listing_in_plain_italian(wsgi_app):
    browser = webtest.TestApp(wsgi_app)
    page = browser.get("/").click(description="Bandi e avvisi", index=0)
    assert "Buoni servizio minori 2026" in page.text
    assert "Bambini da 0 a 36 mesi" in page.text
    assert "children_0_36" not in page.text
    assert 'aria-current="page"' in page.text


def test_catalogue_search_from_the_home(wsgi_app):
    browser = webtest.TestApp(wsgi_app)
    form = next(f for f in browser.get("/").forms.values() if f.action == "/catalogo/")
    form["q"] = "nido"
    results = form.submit()
    assert results.status_int == 200
    assert "Catalogo dell'offerta" in results.text
