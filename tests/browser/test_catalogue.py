"""The catalogue journey in headless Chromium: register, activate, offer, accredit, find."""

import pytest

from portal import main
from portal.demo import demo_password
from tests.browser.conftest import serve_in_thread
from tests.functional.providers.conftest import add_demo, catalogue_settings

pytestmark = pytest.mark.browser
PASSWORD = "onde-del-mare-2026"


@pytest.fixture
def catalogue_server(app_dir):
    """The portal with the catalogue included, served on a free loopback port."""
    app = main({}, **catalogue_settings(app_dir))
    add_demo(app)
    with serve_in_thread(app) as base:
        yield base


def log_in(page, base, login, password):
    page.goto(base + "/@@accedi")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_load_state()
    assert "Benvenuto" in page.content()


def test_provider_registers_offers_and_family_finds_it(catalogue_server, browser, page):
    base = catalogue_server
    # 1. the provider registers itself (anonymous)
    page.goto(base + "/catalogo")
    page.get_by_role("link", name="Registra il tuo ente").click()
    page.fill("input[name=title]", "Cooperativa Onde del Mare")
    page.fill("input[name=tax_code]", "56789010727")
    page.fill("input[name=pec]", "ondedelmare@pec.example.it")
    page.fill("input[name=address]", "Lungomare Nazario Sauro 30, 70121 Bari")
    page.fill("input[name=legal_representative]", "Paola Greco")
    page.fill("input[name=ats_code]", "BA-01")
    page.fill("input[name=login]", "onde")
    page.fill("input[name=operator_title]", "Paola Greco")
    page.fill("input[name=email]", "paola.greco@example.it")
    page.fill("input[name=operator_fiscal_code]", "RSSMRA88C52A662W")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password-confirm]", PASSWORD)
    page.get_by_role("button", name="Invia la richiesta").click()
    page.wait_for_url(base + "/catalogo/")
    assert "Richiesta di registrazione inviata" in page.content()

    # 2. a Region officer activates it
    region = browser.new_context(locale="it-IT").new_page()
    log_in(region, base, "regione", demo_password("regione"))
    region.goto(base + "/catalogo/@@richieste-registrazione")
    region.get_by_role("button", name="Attiva l'ente Cooperativa Onde del Mare").click()
    region.wait_for_load_state()
    assert "attivato" in region.content()

    # 3. the operator creates a unit and an entry, and submits it
    operator = browser.new_context(locale="it-IT").new_page()
    log_in(operator, base, "onde", PASSWORD)
    provider = base + "/catalogo/cooperativa-onde-del-mare"
    operator.goto(provider + "/@@aggiungi?tipo=ServiceUnit")
    operator.fill("input[name=title]", "Ludoteca Onde del Mare")
    operator.fill("input[name=address]", "Lungomare Nazario Sauro 30")
    operator.fill("input[name=municipality_code]", "072006")
    operator.fill("input[name=latitude]", "41.1236")
    operator.fill("input[name=longitude]", "16.8789")
    operator.select_option("select[name=regulatory_article]", "art. 101")
    operator.fill("input[name=authorisation_number]", "BA/2023/0456")
    operator.fill("input[name=date]", "2023-03-15")
    operator.fill("input[name=capacity]", "25")
    operator.get_by_role("button", name="Aggiungi").click()
    operator.wait_for_url(provider + "/ludoteca-onde-del-mare/")
    operator.goto(provider + "/ludoteca-onde-del-mare/@@aggiungi?tipo=CatalogueEntry")
    operator.fill("input[name=title]", "Ludoteca sul mare — 3-10 anni")
    operator.select_option("select[name=service_type]", "ludoteca")
    operator.fill("input[name=age_min_months]", "36")
    operator.fill("input[name=age_max_months]", "131")
    operator.fill("input[name=tariff_full]", "180,00")
    operator.fill("input[name=places_offered]", "10")
    operator.get_by_role("button", name="Aggiungi").click()
    entry = provider + "/ludoteca-onde-del-mare/ludoteca-sul-mare-3-10-anni"
    operator.wait_for_url(entry + "/")
    operator.get_by_role("button", name="Invia per l'accreditamento").click()
    operator.wait_for_load_state()
    assert "In attesa di accreditamento" in operator.content()

    # 4. the Region accredits and publishes it
    region.goto(entry)
    region.get_by_role("button", name="Accredita e pubblica").click()
    region.wait_for_load_state()
    assert "Pubblicata (accreditata)" in region.content()

    # 5. a family, not logged in, finds it in the public catalogue and opens it
    page.goto(base + "/catalogo")
    page.fill("input[name=q]", "ludoteca mare")
    page.select_option("select[name=comune]", "072006")
    page.fill("input[name=eta]", "5")
    page.locator("#cerca-catalogo button[type=submit]").click()
    page.wait_for_load_state()
    assert "1 servizio trovato" in page.content()
    page.get_by_role("link", name="Ludoteca sul mare — 3-10 anni").click()
    page.wait_for_load_state()
    assert "€ 180,00" in page.content()
    assert "Ludoteca Onde del Mare" in page.content()
    assert page.console_errors == []
