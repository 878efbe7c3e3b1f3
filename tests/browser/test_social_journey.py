"""Issue 16 in headless Chromium: from the front desk to the duplicate check, by clicking only.

After the home page the test never types a URL. The social worker of Bari registers a new
baby (Sofia Conte, the demo citizen's daughter) at the front desk, records the contact,
opens her case file, takes charge (case manager herself, area FAM) and writes the PAI; the
citizen applies for a nursery voucher for her (the household code comes from the registry,
read-only); the case manager finds the notice in the inbox, linking to the case; the
municipal operator grants a benefit to Sofia and then a second one of the same category over
an overlapping period: the page lists the first and asks for a reason, and the benefit
granted with it shows the reason. A social worker outside the team who types a case's
address gets the forbidden page.
"""
import re
from datetime import timedelta

import pytest

from content_types.values import format_date, rome_today
from portal.demo.applications import people
from tests.browser.test_journeys import (  # noqa: F401 (applications_server: a fixture)
    applications_server,
    click,
    fill_login,
    log_in,
    log_out,
    no_typed_urls,
    text,
    to_area,
)

# imported fixtures (pytest finds them by name in this module; F811 marks their uses)
from tests.functional.applications.conftest import (  # noqa: F401
    applications_database,
    applications_dir,
    smtp_server,
)

pytestmark = pytest.mark.browser
PLACE = "Anagrafica sociale — Bari"
CONTACT = {"who_came": "Il padre, Marco Conte",
           "request": "Un aiuto per la retta del nido della figlia appena nata.",
           "answer": "Spiegato il buono servizio per la prima infanzia; fissato un colloquio.",
           "outcome": "invio al servizio sociale professionale"}
GOALS = "Sostenere i genitori nel primo anno di vita di Sofia."
INTERVENTION = ("Inserimento al nido con buono servizio", "Ambito BA-01")
SAME_CATEGORY = "A1.03"  # «Sostegno socio-educativo domiciliare per minori» (OTHERHOME)
REASON = "Il secondo intervento sostituisce il primo, che termina in anticipo."


def social_registry(page):
    """The personal area → «Servizi sociali» → the registry of Bari."""
    to_area(page)
    section = page.locator("#sezione-sociale")
    click(page, "link", PLACE, within=section)
    assert page.inner_text("h1").strip() == PLACE


def find_person(page, code, name):
    """In the registry: search by codice fiscale, then the one row's link."""
    page.fill("#q", code)
    click(page, "button", "Cerca", exact=True, within=page.locator("#cerca-persone"))
    rows = page.locator("#persone tbody tr")
    assert rows.count() == 1, text(page)
    click(page, "link", name, within=rows.first)
    assert page.inner_text("h1").strip() == name


def grant_benefit(page, protocol, start, end, reason=None):
    """From the person's page: «Registra una prestazione», filled and sent once."""
    click(page, "link", "Registra una prestazione", within=page.locator("#azioni-persona"))
    assert page.locator("#form-prestazione").count() == 1
    page.select_option("#codice", SAME_CATEGORY)
    page.select_option("#origine", "other")
    page.fill("#inizio", format_date(start))
    page.fill("#fine", format_date(end))
    page.fill("#protocollo", protocol)
    page.fill("#importo_mensile", "250,00")
    page.fill("#quota_ente", "250,00")
    page.fill("#quota_utente", "0,00")
    page.select_option("#prova_mezzi", "4")
    if reason is not None:
        page.fill("#motivo", reason)
    click(page, "button", "Registra la prestazione")


def problems(page):
    """What a refused form says: the message and every field's."""
    return [e.inner_text() for e in page.locator("#errore-modulo, .invalid-feedback").all()]


def unread(page):
    """The header's unread badge (0 when there is none)."""
    badge = page.locator("header .portal-unread-badge")
    return int(badge.inner_text().split()[0]) if badge.count() else 0


def test_front_desk_case_pai_application_notice_and_duplicate_check(
        applications_server, page):  # noqa: F811
    base = applications_server
    sofia = people()["sofia"]  # a baby with an ISEE on file, not in the social registry yet
    today = rome_today()
    review = today + timedelta(days=90)

    page.goto(base + "/")
    page.wait_for_load_state()
    page.goto = no_typed_urls

    # 1. the social worker registers Sofia at the front desk of Bari
    log_in(page, "as-bari")
    social_registry(page)
    page.fill("#q", sofia)
    click(page, "button", "Cerca", exact=True, within=page.locator("#cerca-persone"))
    assert page.locator("#nessuna-persona").is_visible()
    click(page, "link", "Nuova persona")
    assert page.input_value("#istat") == "072006"  # the only municipality she serves
    page.fill("#fiscal_code", sofia)
    page.fill("#first_name", "Sofia")
    page.fill("#last_name", "Conte")
    page.fill("#street", "Via Melo 12")
    click(page, "button", "Registra la persona")
    assert "Sofia Conte registrato/a nell'anagrafica sociale." in text(page)
    assert page.inner_text("h1").strip() == "Sofia Conte"
    assert sofia in page.inner_text("#dati-persona")
    assert "Nessuna cartella sociale." in page.inner_text("#cartella")

    # 2. what was asked and answered at the desk
    click(page, "link", "Registra un contatto", within=page.locator("#azioni-persona"))
    for name, value in CONTACT.items():
        page.fill(f"#{name}", value)
    click(page, "button", "Salva", exact=True)
    contacts = page.inner_text("#contatti")
    assert CONTACT["request"] in contacts
    assert CONTACT["outcome"] in contacts

    # 3. the case file, opened by her (office ss-bari), then taken in charge
    click(page, "link", "Apri la cartella sociale", within=page.locator("#azioni-persona"))
    assert page.input_value("#office") == "ss-bari"
    click(page, "button", "Apri la cartella")
    assert "Cartella sociale aperta." in text(page)
    assert page.inner_text("#stato-cartella").strip() == "Aperta"
    assert CONTACT["request"] in page.inner_text("main #contatti")
    case_title = page.inner_text("h1").strip()
    click(page, "link", "Presa in carico", exact=True)
    page.select_option("#manager", "as-bari")
    page.select_option("#area", "FAM")
    click(page, "button", "Registra la presa in carico")
    assert "Presa in carico registrata." in text(page)
    assert page.inner_text("#stato-cartella").strip() == "In carico"
    assert "Francesca Gallo" in page.inner_text("#case-manager")
    assert "Area di utenza\nFamiglia e minori" in page.inner_text("#dati-cartella")

    # 4. the PAI: goals, one intervention, who is responsible, a review date
    click(page, "link", "PAI", exact=True)
    page.fill("#goals", GOALS)
    page.fill("input[name='what.0']", INTERVENTION[0])
    page.fill("input[name='who.0']", INTERVENTION[1])
    page.fill("#responsible", "as-bari")
    page.locator("input[name=review]").first.fill(review.isoformat())
    click(page, "button", "Salva il PAI")
    assert "PAI salvato." in text(page)
    plan = " ".join(page.inner_text("section#pai").split())
    assert GOALS in plan
    assert f"{INTERVENTION[0]} — {INTERVENTION[1]}" in plan
    assert format_date(review) in page.inner_text("#verifiche")
    assert "PAI aggiornato" in page.inner_text("#storia")
    before = unread(page)
    log_out(page)

    # 5. the citizen applies for a nursery voucher for Sofia (catalogue → entry → form)
    page.fill("#home-cerca-q", "Girasole")
    click(page, "button", "Cerca nel catalogo")
    click(page, "link", "Nido Il Girasole — 3-36 mesi")
    click(page, "link", "Accedi per richiedere il buono per questo servizio")
    fill_login(page, "cittadino")
    click(page, "button", "Richiedi il buono per questo servizio")
    assert "Richiedente e beneficiario" in text(page)
    assert page.input_value("input[name=applicant_name]") == "Marco Conte"
    household = page.locator("input[name=household_code]")
    assert household.get_attribute("readonly") is not None  # the registry's, not typed
    code = household.input_value()
    assert re.fullmatch(r"NF-[0-9A-Z]{9}", code), code
    page.fill("input[name=beneficiary_name]", "Sofia Conte")
    page.fill("input[name=beneficiary_fiscal_code]", sofia)
    page.select_option("select[name=residence_municipality]", "072006")
    click(page, "button", "Salva e continua")
    assert "Servizio scelto" in text(page)
    page.fill("input[name=months]", "10")
    click(page, "button", "Salva e continua")
    assert "ISEE minorenni € 12.450,00" in text(page)
    click(page, "button", "Salva e continua")
    click(page, "link", "Continua al riepilogo")
    click(page, "button", "Invia la domanda")
    assert "Domanda inviata: protocollo" in text(page)
    protocol = page.inner_text("#protocollo").strip()
    log_out(page)

    # 6. the case manager: the unread count in the header, the notice, the link to the case
    log_in(page, "as-bari")
    now_unread = unread(page)
    assert now_unread > before
    to_area(page)
    click(page, "link", "Messaggi", within=page.locator("#messaggi-non-letti"))
    assert page.inner_text("#messaggi-non-letti strong").strip() == str(now_unread)
    notice = page.locator("#elenco-messaggi li.non-letto", has_text=protocol)
    assert notice.count() == 1, text(page)
    assert "Sofia Conte" in notice.inner_text()
    assert "beneficiario/a" in notice.inner_text()
    click(page, "link", "Cartella sociale: nuova domanda", within=notice)
    assert page.inner_text("h1").strip() == case_title
    assert page.inner_text("#stato-cartella").strip() == "In carico"
    # the application put Sofia in her father's household: the code the form showed
    click(page, "link", "Torna alla scheda della persona")
    assert code in page.inner_text("#nucleo")
    assert "Marco Conte" in page.inner_text("#nucleo")
    log_out(page)

    # 7. the municipal operator grants a benefit to Sofia, then one overlapping it
    log_in(page, "comune-bari")
    social_registry(page)
    find_person(page, sofia, "Sofia Conte")
    first_start = today.replace(day=1)
    first_end = first_start + timedelta(days=180)
    grant_benefit(page, f"{today.year}/SED-0001", first_start, first_end)
    assert "Prestazione registrata" in text(page), problems(page)
    assert page.inner_text("#stato-prestazione").strip() == "In corso"
    assert page.locator("#sovrapposizioni").count() == 0
    first_title = page.inner_text("h1").strip()
    click(page, "link", "Sofia Conte", within=page.locator("#dati-prestazione"))

    second_start, second_end = first_start + timedelta(days=60), first_end + timedelta(days=120)
    grant_benefit(page, f"{today.year}/SED-0002", second_start, second_end)
    overlaps = page.locator("#prestazioni-sovrapposte")
    assert overlaps.is_visible(), text(page)
    rows = overlaps.locator("tr.sovrapposta")
    assert rows.count() == 1
    row = " ".join(rows.first.inner_text().split())
    assert first_title in row
    assert f"{format_date(first_start)} – {format_date(first_end)}" in row
    assert page.locator("#errore-modulo").is_visible()
    assert page.locator("#motivo").is_visible()  # asked for a reason
    assert page.input_value("#inizio") == format_date(second_start)  # what was typed stays
    page.fill("#motivo", REASON)
    click(page, "button", "Registra la prestazione")
    assert "Prestazione registrata" in text(page), problems(page)
    shown = " ".join(page.inner_text("#sovrapposizioni").split())
    assert f"«{REASON}»" in shown
    assert first_title in shown
    assert page.inner_text("#periodo").startswith(format_date(second_start))
    log_out(page)
    # the only failed load is the duplicate check's 409 (the form re-shown with the overlap)
    others = [e for e in page.console_errors if "status of 409" not in e]
    assert len(page.console_errors) - len(others) == 1, page.console_errors
    assert not others, page.console_errors


def test_a_social_worker_outside_the_team_gets_the_forbidden_page(
        applications_server, page):  # noqa: F811
    base = applications_server
    page.goto(base + "/")
    page.wait_for_load_state()
    typed = page.goto
    page.goto = no_typed_urls

    # the case manager's way to Giovanni Greco's case: «Le mie cartelle»
    log_in(page, "as-bari")
    to_area(page)
    click(page, "link", "Le mie cartelle", within=page.locator("#sezione-sociale"))
    click(page, "link", re.compile("Giovanni Greco"), within=page.locator("#mie-cartelle"))
    address = page.url
    assert page.inner_text("#stato-cartella").strip() == "In carico"
    log_out(page)

    # a social worker of Modugno types the address: refused, nothing of the case shown
    log_in(page, "as-modugno")
    response = typed(address)
    page.wait_for_load_state()
    assert response.status == 403
    assert page.inner_text("h1").strip() == "Accesso non consentito"
    assert "Non hai i permessi per questa pagina." in " ".join(page.inner_text("main").split())
    assert page.locator("#dati-cartella").count() == 0
    assert "Greco" not in page.inner_text("main")
