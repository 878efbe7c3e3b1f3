"""The journey every user starts with: log in, create something, see it."""
import pytest

from portal.demo import demo_password

pytestmark = pytest.mark.browser


def test_login_and_create_a_page_through_the_forms(live_server, page):
    page.goto(live_server + "/documenti")
    page.get_by_role("link", name="Accedi").first.click()
    page.fill("input[name=login]", "admin")
    page.fill("input[name=password]", demo_password("admin"))
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url(live_server + "/documenti")
    assert "Benvenuto" in page.content()

    page.goto(live_server + "/documenti/@@aggiungi?tipo=Page")
    page.fill("input[name=title]", "Avviso buoni servizio 2026")
    page.fill("textarea[name=body]", "Domande dal 1° dicembre.")
    page.get_by_role("button", name="Aggiungi").click()
    page.wait_for_url(live_server + "/documenti/avviso-buoni-servizio-2026/")
    assert page.locator("h1").inner_text() == "Avviso buoni servizio 2026"
    assert "Domande dal 1° dicembre." in page.content()

    page.goto(live_server + "/documenti")
    assert page.get_by_role("link", name="Avviso buoni servizio 2026").is_visible()
    assert page.console_errors == []


def test_an_invalid_form_shows_errors_next_to_fields(live_server, page):
    page.goto(live_server + "/@@accedi")
    page.fill("input[name=login]", "rup-ba01")
    page.fill("input[name=password]", demo_password("rup-ba01"))
    page.get_by_role("button", name="Accedi").click()
    page.goto(live_server + "/ambiti/ba-01/@@aggiungi?tipo=Municipality")
    page.fill("input[name=title]", "Comune senza codici")
    page.fill("input[name=istat_code]", "12")
    page.fill("input[name=cadastral_code]", "A662")
    page.fill("input[name=province]", "BA")
    page.get_by_role("button", name="Aggiungi").click()
    # next to the field (exactly) and, as a link to it, in the error summary at the top
    assert page.get_by_text("Il codice ISTAT del comune è di 6 cifre.", exact=True).is_visible()
    field_id = page.get_attribute("input[name=istat_code]", "id")
    assert page.locator(f".deform-form-errors a[href='#{field_id}']").is_visible()
    assert page.input_value("input[name=title]") == "Comune senza codici"
    # the page itself answers 400 (invalid data); no script or CSP error beyond that
    assert [e for e in page.console_errors if "status of 400" not in e] == []


def test_delete_asks_for_confirmation(live_server, page):
    page.goto(live_server + "/@@accedi")
    page.fill("input[name=login]", "admin")
    page.fill("input[name=password]", demo_password("admin"))
    page.get_by_role("button", name="Accedi").click()
    page.goto(live_server + "/documenti/guida-buoni-servizio")
    page.get_by_role("link", name="Elimina").click()
    assert "non si può annullare" in page.content()
    page.get_by_role("button", name="Sì, elimina").click()
    page.wait_for_url(live_server + "/documenti/")
    assert "eliminato" in page.content()
