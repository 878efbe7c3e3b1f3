"""Issue 15 in headless Chromium: a zone plan from a blank page to an approved, revised plan.

After the home page the test never types a URL. BA-01's officer creates the plan 2028–2030
from the personal area (the demo's 2025–2027 plans stay as they are), fills the four
sections (the allocation grid's «left» figures change while typing, before any save) and
sends it; the Region finds it in its queue, takes it in charge and returns it with a note on
the allocations; the officer reads the note there, lowers an allocation and sends it again;
the Region approves it (after the confirmation step); the officer opens version 2, raises an
allocation, and the comparison page shows the changed amount and its difference.
"""
import re

import pytest

from tests.browser.test_journeys import click, log_in, log_out, no_typed_urls, text, to_area

pytestmark = pytest.mark.browser
PERIOD = "2028-2030"
YEARS = ("2028", "2029", "2030")
#: what the officer types: available per source and year (COM comes from the municipalities)
AVAILABLE = {"FNPS": "300.000,00", "FGSA": "100.000,00"}
#: Bari (316,000 inhabitants) and Modugno (37,000) at the Region's €5 a head a year
COFINANCING = {"072006": "1.580.000,00", "072027": "185.000,00"}
INTERVENTIONS = (
    {"codice": "PSW", "titolo": "Segretariato sociale", "servizio": "PSW", "area": "MULBEN",
     "obiettivo": "1A", "destinatari": "Tutta la popolazione"},
    {"codice": "SAD", "titolo": "Assistenza domiciliare", "servizio": "HOMECARE", "area": "ELD",
     "obiettivo": "2D", "destinatari": "Anziani non autosufficienti"},
)
#: (intervention, source) → the same amount each year
ALLOCATIONS = {("PSW", "FNPS"): "200.000,00", ("PSW", "COM"): "1.000.000,00",
               ("SAD", "FNPS"): "100.000,00", ("SAD", "FGSA"): "100.000,00",
               ("SAD", "COM"): "700.000,00"}
NOTE = "Ridurre la quota FNPS dell'assistenza domiciliare nel 2028: serve un margine."


def state_of(page):
    """The version page's state, as shown and as data."""
    shown = page.locator("#stato-versione")
    return shown.get_attribute("data-stato"), shown.inner_text().strip()


def section(page, title):
    """From a version page or a section page: the tab or pill of the section ``title``."""
    click(page, "link", re.compile("^" + re.escape(title)), within=page.locator("#sezioni-piano"))
    assert page.inner_text("h1").strip() == title


def to_version(page):
    """From a section page: the version's page (the link above the title)."""
    click(page, "link", page.locator("main p.mb-1 a").inner_text().strip(), exact=True)
    assert page.locator("#stato-versione").count() == 1


def save(page, button, title):
    click(page, "button", button)
    assert f"Sezione salvata: {title}." in page.inner_text("body"), text(page)
    assert page.locator("#errore-sezione").count() == 0


def my_plans(page):
    """The officer's personal area → «Piani sociali di zona» of BA-01."""
    to_area(page)
    click(page, "link", "Piani sociali di zona", exact=True)
    assert "Piani sociali di zona — " in page.inner_text("h1")


def queue_row(page):
    """BA-01's plan 2028–2030 in the Region's list of every ATS's plans."""
    return page.locator("#piani-ambiti tr[data-district='BA-01']").filter(
        has=page.locator("td", has_text=PERIOD))


def region_review(page):
    """The Region's personal area → the queue → «Esamina» on BA-01's plan 2028–2030."""
    log_in(page, "regione")
    to_area(page)
    click(page, "link", "Piani di zona da esaminare")
    row = queue_row(page)
    assert row.get_attribute("data-state") == "submitted"
    assert "Inviato alla Regione" in row.inner_text()
    click(page, "link", "Esamina", within=row)
    assert page.locator("#stato-piano").get_attribute("data-state") == "submitted"
    click(page, "button", "Prendi in esame")
    assert page.locator("#stato-piano").get_attribute("data-state") == "under_review"
    assert "Piano preso in esame" in page.inner_text("body")


def test_build_send_return_fix_approve_and_compare(live_server, page):
    base = live_server
    page.goto(base + "/")
    page.wait_for_load_state()
    page.goto = no_typed_urls

    # 1. the officer creates the plan for the next period
    log_in(page, "rup-ba01")
    my_plans(page)
    page.fill("#periodo", PERIOD)
    click(page, "button", "Crea il piano")
    assert f"Piano di zona {PERIOD} creato" in page.inner_text("body")
    assert state_of(page) == ("draft", "Bozza")

    # 2. sources: FNPS and FGSA typed for each year (no Region transfers for this period)
    section(page, "Fonti di finanziamento e disponibilità")
    for code, value in AVAILABLE.items():
        key = page.locator(f"#righe-fonti input[name$='.codice'][value='{code}']") \
            .get_attribute("name").split(".")[0]
        for year in YEARS:
            page.fill(f"input[name='{key}.{year}']", value)
    save(page, "Salva le fonti", "Fonti di finanziamento e disponibilità")
    assert page.input_value(f"input[name='{key}.2029']") == AVAILABLE["FGSA"]

    # 3. co-financing: at least the Region's minimum, shown next to each municipality
    section(page, "Cofinanziamento dei comuni")
    assert "€ 5,00" in page.inner_text("#minimo-regionale")
    assert page.inner_text("tr[data-istat='072006'] .portal-minimum").strip() == "€ 1.580.000,00"
    for istat, value in COFINANCING.items():
        for year in YEARS:
            page.fill(f"input[name='{istat}.{year}']", value)
    save(page, "Salva il cofinanziamento", "Cofinanziamento dei comuni")

    # 4. two interventions with their classification, in the two blank cards
    section(page, "Interventi")
    for key, intervention in enumerate(INTERVENTIONS):
        for name in ("codice", "titolo", "destinatari"):
            page.fill(f"#i-{key}-{name}", intervention[name])
        for name in ("servizio", "area", "obiettivo"):
            page.select_option(f"#i-{key}-{name}", intervention[name])
    save(page, "Salva gli interventi", "Interventi")
    assert [page.input_value(f"#i-{k}-codice") for k in range(2)] == ["PSW", "SAD"]

    # 5. allocations: what is left changes while typing, before the save
    section(page, "Allocazione delle risorse agli interventi")
    left = page.locator(".portal-left[data-fonte='FNPS'][data-anno='2028']")
    assert "300.000,00" in left.inner_text()
    url = page.url
    page.fill("input[name='PSW.FNPS.2028']", "200.000,00")
    page.wait_for_function("el => el.textContent.includes('100.000,00')",
                           arg=left.element_handle())
    page.fill("input[name='SAD.FNPS.2028']", "150.000,00")
    page.wait_for_function(
        "el => el.textContent.includes('-€ 50.000,00') && el.classList.contains('text-danger')",
        arg=left.element_handle())
    assert page.url == url  # no reload
    for (intervention, source), value in ALLOCATIONS.items():
        for year in YEARS:
            page.fill(f"input[name='{intervention}.{source}.{year}']", value)
    page.wait_for_function("el => !el.classList.contains('text-danger')", arg=left.element_handle())
    assert left.inner_text().strip() == "€ 0,00"  # written as the server writes it
    save(page, "Salva le allocazioni", "Allocazione delle risorse agli interventi")
    assert page.input_value("input[name='SAD.COM.2030']") == "700.000,00"

    # 6. every check passes: «Invia alla Regione»
    to_version(page)
    assert page.locator("#nessun-problema").is_visible(), text(page)
    assert "PSW — Segretariato sociale" in page.inner_text("#tabella-interventi")
    click(page, "button", "Invia alla Regione")
    assert "Piano inviato alla Regione per l'esame." in page.inner_text("body")
    assert state_of(page) == ("submitted", "Inviato alla Regione")
    assert page.locator("#invia-regione").count() == 0
    log_out(page)

    # 7. the Region takes it in charge and returns it with a note on the allocations
    region_review(page)
    assert "Assistenza domiciliare" in page.inner_text("#tabella-interventi")
    page.get_by_label("Allocazione delle risorse agli interventi").fill(NOTE)
    click(page, "button", "Restituisci per modifiche")
    assert "Piano restituito all'Ambito per modifiche" in page.inner_text("body")
    row = queue_row(page)
    assert row.get_attribute("data-state") == "returned"
    log_out(page)

    # 8. the officer reads the note on that section, lowers the allocation, sends again
    log_in(page, "rup-ba01")
    my_plans(page)
    row = page.locator(f"#piani-ambito tr[data-periodo='{PERIOD}']")
    assert "Restituito per modifiche" in row.inner_text()
    click(page, "link", "versione 1", within=row)
    assert state_of(page) == ("returned", "Restituito per modifiche")
    assert NOTE in page.inner_text("#note-regione")
    pill = page.locator("#sezioni-piano a", has_text="Allocazione delle risorse agli interventi")
    assert "nota della Regione" in pill.inner_text()
    click(page, "link", "Allocazione delle risorse agli interventi",
          within=page.locator("#note-regione"))
    assert NOTE in page.inner_text("#nota-regione")
    page.fill("input[name='SAD.FNPS.2028']", "80.000,00")
    page.wait_for_function("el => el.textContent.includes('20.000,00')",
                           arg=left.element_handle())
    save(page, "Salva le allocazioni", "Allocazione delle risorse agli interventi")
    to_version(page)
    assert page.locator("#nessun-problema").is_visible(), text(page)
    click(page, "button", "Invia alla Regione")
    assert state_of(page) == ("submitted", "Inviato alla Regione")
    log_out(page)

    # 9. the Region approves, after confirming
    region_review(page)
    assert NOTE in page.inner_text("#restituzioni")
    click(page, "button", "Approva", exact=True)
    confirm = page.locator("#conferma-approvazione")
    assert "Confermare l'approvazione" in confirm.inner_text()
    assert page.locator("#stato-piano").get_attribute("data-state") == "under_review"
    # Bootstrap Italia draws the box on the label, over the input: a person clicks the label
    page.get_by_text("Confermo l'approvazione del piano (irreversibile)").click()
    assert page.get_by_label("Confermo l'approvazione del piano (irreversibile)").is_checked()
    click(page, "button", "Approva il piano")
    assert "Piano approvato: la versione 1 è ora pubblica" in page.inner_text("body")
    row = queue_row(page)
    assert row.get_attribute("data-state") == "approved"
    log_out(page)

    # 10. the officer opens version 2 from the plan page and raises an allocation
    log_in(page, "rup-ba01")
    my_plans(page)
    row = page.locator(f"#piani-ambito tr[data-periodo='{PERIOD}']")
    assert "Approvato" in row.inner_text()
    click(page, "link", PERIOD, exact=True, within=row)
    assert page.locator("#versioni-piano tr[data-versione='1']").get_attribute(
        "data-stato") == "approved"
    click(page, "button", "Crea una nuova versione")
    assert "Creata la versione 2 del piano" in page.inner_text("body")
    assert state_of(page) == ("draft", "Bozza")
    section(page, "Allocazione delle risorse agli interventi")
    assert page.input_value("input[name='PSW.FNPS.2028']") == "200.000,00"
    page.fill("input[name='PSW.FNPS.2028']", "210.000,00")
    page.wait_for_function("el => el.textContent.includes('10.000,00')",
                           arg=left.element_handle())
    save(page, "Salva le allocazioni", "Allocazione delle risorse agli interventi")

    # 11. the plan page compares version 1 with version 2
    to_version(page)
    click(page, "link", "Il piano e le sue versioni")
    assert page.input_value("#da") == "1"
    assert page.input_value("#a") == "2"
    click(page, "button", "Confronta")
    assert "Differenze dalla versione 1 alla versione 2." in text(page)
    cell = page.locator("#diff-celle tr[data-cell='PSW/FNPS/2028']")
    assert " ".join(cell.inner_text().split()) == (
        "Segretariato sociale Fondo nazionale per le politiche sociali 2028 "
        "€ 200.000,00 € 210.000,00 +€ 10.000,00")
    assert page.locator("#diff-celle tbody tr").count() == 1
    assert "+€ 10.000,00" in page.inner_text("#diff-interventi tr[data-intervention='PSW']")
    assert "—" in page.inner_text("#diff-interventi tr[data-intervention='SAD']")
    assert "+€ 10.000,00" in page.inner_text("#diff-assegnato tr[data-source='FNPS']")
    assert page.console_errors == []
