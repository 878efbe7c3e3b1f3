"""Issue 13 in headless Chromium: every role's way through the portal, by clicking only.

After the first ``page.goto`` (the home page) the test never types a URL: it clicks
links and buttons and fills form fields, as a first-time user would. The citizen goes
from a catalogue entry to a signed receipt, the provider confirms the match from its
personal area, the officer reviews from the queue and asks for an integration (which
the citizen finds in the inbox and in the mail), admits the application and publishes
the ranking, and the citizen reads the outcome.
"""
import email
import subprocess
import time
from email import policy
from urllib.parse import urlsplit

import pytest
from reportlab.pdfgen import canvas

from content_types.call import INTEGRATION_DAYS_DEFAULT
from content_types.values import utcnow
from portal import main
from portal.applications.rules.integration import deadline, last_day
from portal.demo import demo_password
from portal.demo.applications import people
from tests.browser.conftest import serve_in_thread

# imported fixtures (pytest finds them by name in this module; F811 marks their uses)
from tests.functional.applications.conftest import (  # noqa: F401
    applications_database,
    applications_dir,
    applications_settings,
    inbox,
    smtp_server,
)

pytestmark = pytest.mark.browser
NIDO = "/catalogo/girasole/nido-girasole/nido-tempo-pieno"
ASKED = "Allegare il certificato del pediatra."
MAIL_WAIT = 10  # seconds: the mail leaves after the commit, the SMTP server gets it a moment later


@pytest.fixture
def applications_server(applications_dir, smtp_server):  # noqa: F811
    """The portal with the applications demo, on a free loopback port."""
    app = main({}, **applications_settings(applications_dir, smtp_server[0].port))
    with serve_in_thread(app) as base:
        yield base


def text(page):
    return " ".join(page.inner_text("main").split())


def click(page, role, name, exact=False, within=None):
    """Click the one ``role`` named ``name`` (in ``within`` if given) and wait for the next page."""
    target = (within or page).get_by_role(role, name=name, exact=exact)
    with page.expect_navigation():
        target.click()
    page.wait_for_load_state()


def log_in(page, login):
    """From any page: the header's «Accedi», then the login form."""
    click(page, "link", "Accedi", exact=True, within=page.locator("header"))
    fill_login(page, login)


def fill_login(page, login):
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", demo_password(login))
    click(page, "button", "Accedi", exact=True, within=page.locator("main"))


def log_out(page):
    click(page, "button", "Esci")


def to_area(page):
    """The header's link to the personal area."""
    click(page, "link", "Area personale", within=page.locator("header"))
    assert "Area personale" in page.inner_text("h1")


def mails_to(inbox, address):  # noqa: F811
    """(subject, body) of the mails ``address`` received so far."""
    found = []
    for envelope in list(inbox.messages):
        if address in envelope.rcpt_tos:
            message = email.message_from_bytes(envelope.content, policy=policy.default)
            found.append((str(message["Subject"]), message.get_body().get_content()))
    return found


def wait_for_mail(inbox, address, subject):  # noqa: F811
    """Poll the test SMTP inbox until a mail to ``address`` with ``subject`` arrives."""
    deadline = time.monotonic() + MAIL_WAIT
    while time.monotonic() < deadline:
        for found in mails_to(inbox, address):
            if found[0] == subject:
                return found
        time.sleep(0.1)
    raise AssertionError(f"nessuna mail «{subject}» per {address}: {mails_to(inbox, address)}")


def no_typed_urls(*args, **kwargs):
    """Stands in for ``page.goto`` after the home page: the journey only clicks."""
    raise AssertionError(f"URL digitato in un percorso solo a clic: {args}")


def write_pdf(path):
    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 720, "Certificato del pediatra (prova)")
    pdf.save()


def test_every_role_finds_its_way_by_clicking(applications_server, page, inbox, tmp_path):  # noqa: F811
    base = applications_server
    luca = people()["luca"]

    # the only URL typed: the home page
    page.goto(base + "/")
    page.wait_for_load_state()
    page.goto = no_typed_urls

    # 1. the citizen: home → catalogue search → the nursery's entry → log in → the form
    page.fill("#home-cerca-q", "Girasole")
    click(page, "button", "Cerca nel catalogo")
    click(page, "link", "Nido Il Girasole — 3-36 mesi")
    assert page.url.rstrip("/").endswith(NIDO)
    click(page, "link", "Accedi per richiedere il buono per questo servizio")
    fill_login(page, "cittadino")
    assert page.url.rstrip("/").endswith(NIDO)
    click(page, "button", "Richiedi il buono per questo servizio")
    assert "Richiedente e beneficiario" in text(page)
    assert page.input_value("input[name=applicant_name]") == "Marco Conte"
    assert page.input_value("input[name=email]") == "cittadino@example.it"
    page.fill("input[name=beneficiary_name]", "Luca Conte")
    page.fill("input[name=beneficiary_fiscal_code]", luca)
    page.select_option("select[name=residence_municipality]", "072006")
    click(page, "button", "Salva e continua")
    assert "Servizio scelto" in text(page)
    assert page.input_value("select[name=catalogue_entry_path]") == NIDO
    page.fill("input[name=months]", "10")
    click(page, "button", "Salva e continua")
    assert "ISEE minorenni € 12.450,00" in text(page)
    click(page, "button", "Salva e continua")
    assert "Allegati" in text(page)
    click(page, "link", "Continua al riepilogo")
    assert "Buono mensile € 396,00" in text(page)
    click(page, "button", "Invia la domanda")
    assert "Domanda inviata: protocollo" in text(page)
    protocol = page.inner_text("#protocollo").strip()
    receipt = page.request.get(page.locator("#scarica-ricevuta").evaluate("a => a.href"))
    assert receipt.headers["content-type"] == "application/pdf"
    signed = tmp_path / "ricevuta.pdf"
    signed.write_bytes(receipt.body())
    out = subprocess.run(["pdfsig", str(signed)], capture_output=True, text=True,
                         check=False).stdout
    assert "Signature is Valid" in out, out
    log_out(page)

    # 2. the provider: personal area → matches to confirm → the row → accept
    log_in(page, "girasole")
    assert "Area personale" in page.inner_text("h1")
    click(page, "link", "Abbinamenti da confermare")
    assert protocol in text(page)
    click(page, "link", "Decidi", within=page.get_by_role("row", name=protocol))
    click(page, "button", "Accetta e assegna un posto")
    assert "Abbinamento confermato" in text(page)
    log_out(page)

    # 3. the officer: personal area → queue → search by tax code → review → integration
    log_in(page, "rup-ba01")
    assert "Area personale" in page.inner_text("h1")
    click(page, "link", "Apri la coda dell'istruttoria")
    page.fill("#cerca", luca)
    click(page, "button", "Filtra")
    rows = page.locator("table tbody tr")
    assert rows.count() == 1, text(page)
    click(page, "link", protocol, within=rows.first)
    click(page, "button", "Avvia l'istruttoria")
    assert "In istruttoria" in page.inner_text("#stato")
    page.fill("#int-comment", ASKED)
    click(page, "button", "Richiedi integrazione")
    assert "Sospesa per integrazione" in page.inner_text("#stato")
    # the window: the call's ten days, the request's day not counted (read around the click)
    day = last_day(deadline(utcnow(), INTEGRATION_DAYS_DEFAULT)).strftime("%d/%m/%Y")
    log_out(page)

    # the citizen: the unread badge, the inbox, the mail, the integration sent
    log_in(page, "cittadino")
    badge = page.locator("header .portal-unread-badge")
    assert badge.is_visible()
    assert badge.inner_text().split()[0] == "1"
    # the personal area says what to do, and by when
    row = page.get_by_role("row", name=protocol)
    assert "Sospesa per integrazione" in row.inner_text()
    assert f"Invia i documenti richiesti entro il {day}" in " ".join(row.inner_text().split())
    click(page, "link", "Messaggi", within=page.locator("#messaggi-non-letti"))
    asked = f"Richiesta di integrazione per la domanda {protocol}"
    inbox_text = text(page)
    assert asked in inbox_text
    assert f"Termine per l'invio: {day} alle 23:59 (ora italiana)" in inbox_text
    assert ASKED in inbox_text
    assert "Non letto" in inbox_text
    # the same request by mail, after the commit, linking to this message
    _, body = wait_for_mail(inbox, "cittadino@example.it", asked)
    assert day in body
    # (the mail's links start at the configured public address, not the test server's)
    message = urlsplit(page.get_by_role("link", name=asked).evaluate("a => a.href")).path
    assert message.startswith("/@@messaggi/")
    assert message in body
    click(page, "link", asked)
    assert page.url.endswith("/@@integrazione")
    assert f"L'Ambito chiede: «{ASKED}»" in text(page)
    assert f"Termine per l'invio: {day} alle 23:59" in text(page)
    certificate = tmp_path / "certificato.pdf"
    write_pdf(certificate)
    page.set_input_files("input[name=file]", str(certificate))
    click(page, "button", "Carica l'allegato")
    assert "certificato.pdf" in text(page)
    click(page, "button", "Invia l'integrazione")
    assert "Integrazione inviata all'Ambito." in text(page)
    log_out(page)

    # the officer: queue → the application → admitted → ranking frozen → published
    log_in(page, "rup-ba01")
    # the three demo applications and the citizen's, back under review
    assert "Domande da esaminare: 4" in text(page)
    assert "Integrazioni attese: 0" in text(page)
    click(page, "link", "Domande da esaminare")
    page.fill("#cerca", protocol)
    click(page, "button", "Filtra")
    click(page, "link", protocol, within=page.locator("table tbody"))
    click(page, "button", "Dichiara ammissibile")
    assert "Ammissibile" in page.inner_text("#stato")
    to_area(page)
    click(page, "link", "Graduatoria da congelare")
    click(page, "button", "Congela la graduatoria")
    # the three other demo applications are still matched, not decided: asked to confirm
    assert ("3 domande non sono ancora decise (in istruttoria o in attesa di "
            "abbinamento): congelare comunque la graduatoria?") in text(page)
    click(page, "button", "Sì, congela comunque")
    page.fill("#atto", "Determinazione n. 12/2026")
    click(page, "button", "Firma e pubblica")
    ranking = text(page)
    assert "Graduatoria pubblicata" in ranking
    assert protocol in ranking
    log_out(page)

    # 4. the citizen reads the outcome in the personal area and in the inbox
    log_in(page, "cittadino")
    row = page.get_by_role("row", name=protocol)
    assert "Ammessa e finanziata" in row.inner_text()
    assert "Concorda l'avvio del servizio con la struttura" in row.inner_text()
    click(page, "link", "Messaggi", within=page.locator("#messaggi-non-letti"))
    outcome = f"Graduatoria: domanda {protocol} finanziata"
    assert outcome in text(page)
    assert "è in posizione 1 ed è finanziata" in text(page)
    wait_for_mail(inbox, "cittadino@example.it", outcome)
    assert not page.console_errors, page.console_errors
