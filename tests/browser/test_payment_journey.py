"""Issue 14 in headless Chromium: from an active voucher to a signed payment act, by clicking.

Set-up (server side, before the browser starts, as the functional tests do): Luca's
application is submitted, matched, admitted and funded by the published ranking
(``first_version_published``), and girasole starts every funded service. From there the
browser only clicks from the personal area: the provider fills the month's grid (posted in
chunks with a progress bar), the family confirms, the provider sends to the ATS, the
officer validates, issues the payment act and downloads its signed PDF (checked with
``pdfsig``), and the fund dashboards of the ATS and of the Region show the paid amount.
"""
import re
import shutil
import subprocess
from decimal import Decimal

import pytest

from content_types.values import rome_today
from portal import main
from portal.demo.applications import people
from portal.payments.rules.monthly import month_key
from tests.browser.conftest import assert_accessible, axe_context, serve_in_thread
from tests.browser.test_journeys import click, log_in, log_out, no_typed_urls, text, to_area

# imported fixtures (pytest finds them by name in this module; F811 marks their uses)
from tests.functional.applications.conftest import (  # noqa: F401
    CALL,
    applications_database,
    applications_settings,
    client,
    post,
    run_in_app,
    smtp_server,
)
from tests.functional.applications.test_money_after_funding import first_version_published

pytestmark = pytest.mark.browser
SERIES = "buoni-minori-2026"

#: records every text of the grid's progress bar, kept across the reload that follows
RECORD_PROGRESS = """() => {
    const text = document.getElementById('testo-avanzamento');
    const bar = document.getElementById('barra-avanzamento');
    const seen = [];
    new MutationObserver(() => {
        seen.push([text.textContent, bar.value, bar.max]);
        sessionStorage.setItem('avanzamento', JSON.stringify(seen));
    }).observe(text, {childList: true, characterData: true, subtree: true});
}"""


def funded_urls(portal):
    folder = portal["ambiti"]["ba-01"]["domande"][SERIES]
    return [f"{CALL}/{name}" for name, a in folder.items() if a.state == "funded"]


@pytest.fixture(scope="module")
def active_server(applications_database, smtp_server, tmp_path_factory):  # noqa: F811
    """The applications demo with Luca's voucher funded and every funded service started.

    Module scope, asked for before ``browser``: pyHanko signs with ``asyncio.run`` in the
    main thread, which fails once Playwright's loop runs there.
    """
    directory = tmp_path_factory.mktemp("journey-db")
    shutil.copytree(applications_database, directory, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.lock", "*.tmp"))
    app = main({}, **applications_settings(directory, smtp_server[0].port))
    luca = first_version_published(app, people())
    provider = client(app, "girasole")
    for url in run_in_app(app, funded_urls):
        post(provider, url + "/@@transizione", {"transition": "activate"})
    protocol = run_in_app(app, lambda portal: resolve(portal, luca).protocol)
    with serve_in_thread(app) as base:
        yield base, protocol


def resolve(portal, url):
    obj = portal
    for part in url.strip("/").split("/"):
        obj = obj[part]
    return obj


def column_values(page, table, label):
    """``{row label: Decimal}`` of the column headed ``label`` in ``table`` (its data-value).

    A row's label joins its cells before the figures («avviso — fondo»); a colspan counts.
    """
    return {k: Decimal(v) for k, v in page.evaluate("""([id, label]) => {
        const table = document.getElementById(id);
        const heads = Array.from(table.querySelectorAll('thead th')).map(th => th.innerText.trim());
        const at = heads.indexOf(label);
        return Object.fromEntries(Array.from(table.querySelectorAll('tbody tr, tfoot tr')).map(
            tr => {
                let column = 0, value = null;
                const names = [];
                for (const cell of tr.cells) {
                    if (column === at) { value = cell.dataset.value; }
                    if (cell.dataset.value === undefined) { names.push(cell.innerText.trim()); }
                    column += cell.colSpan;
                }
                return [names.join(' — '), value];
            }));
    }""", [table, label]).items()}


def decimal_of(shown):
    """«€ 1.234,50» or «1234.50» as a Decimal."""
    shown = shown.replace("€", "").strip()
    if "," in shown:
        shown = shown.replace(".", "").replace(",", ".")
    return Decimal(shown)


def euro_text(value):
    return "€ " + f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


def checked(page, label):
    """Every journey page: no WCAG 2.1 A/AA violation, no console error so far."""
    assert_accessible(page, label)
    assert not page.console_errors, (label, page.console_errors)


def test_provider_family_officer_to_a_signed_payment_act(active_server, browser, tmp_path):
    base, protocol = active_server
    month = month_key(rome_today())
    context = axe_context(browser)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    try:
        page.goto(base + "/")
        page.wait_for_load_state()
        page.goto = no_typed_urls

        # 1. the provider: personal area → «Attestazioni del mese» → the month's grid
        log_in(page, "girasole")
        click(page, "link", "Attestazioni del mese")
        assert page.input_value("#mese") == month
        checked(page, "griglia")
        rows = page.locator("#righe tbody tr:has(input[name=riga])")
        total = rows.count()
        assert total >= 1
        luca = page.locator("#righe tbody tr", has=page.get_by_role("link", name=protocol))
        uid = luca.get_attribute("data-uid")
        # prefilled: every open day attended, the invoice amount the voucher share
        open_days = int(page.input_value(f"input[name='{uid}.giorni_apertura']"))
        assert open_days > 0
        assert page.input_value(f"input[name='{uid}.presenze']") == str(open_days)
        prefilled_amount = page.input_value(f"input[name='{uid}.importo_fattura']")
        assert prefilled_amount
        editable = [rows.nth(index).get_attribute("data-uid") for index in range(total)]
        for index, row_uid in enumerate(editable):
            page.fill(f"input[name='{row_uid}.numero_fattura']", f"FT-{index + 1}/{month}")
            page.fill(f"input[name='{row_uid}.data_fattura']", rome_today().isoformat())
        page.evaluate(RECORD_PROGRESS)
        page.get_by_role("button", name=f"Salva le bozze del mese ({total} righe)").click()
        page.wait_for_url(lambda url: "mese=" in url)
        page.wait_for_load_state()
        progress = page.evaluate("() => JSON.parse(sessionStorage.getItem('avanzamento'))")
        assert progress[-1] == [f"{total} di {total} righe salvate", total, total], progress
        assert [f"Verificate {total} di {total} righe…", 0, total] in progress, progress
        states = [" ".join(page.inner_text(f"#righe tr[data-uid='{u}'] td:nth-child(2)").split())
                  for u in editable]
        assert states == ["Bozza"] * total, states
        log_out(page)

        # 2. the family: personal area → «Attestazioni da confermare» → confirm
        log_in(page, "cittadino")
        click(page, "link", "Attestazioni da confermare")
        checked(page, "attestazioni da confermare")
        click(page, "link", "Controlla e conferma", within=page.get_by_role("row", name=protocol))
        checked(page, "conferma")
        click(page, "button", "Conferma l'attestazione")
        log_out(page)

        # 3. the provider sends the signed attestation to the ATS
        log_in(page, "girasole")
        click(page, "link", "Attestazioni del mese")
        # Luca's, confirmed by the family, is signed (the demo families have not confirmed)
        send = page.locator("#invia-ambito button")
        signed_count = int(re.search(r"\((\d+)\)", send.inner_text()).group(1))
        assert signed_count >= 1
        click(page, "button", "Invia all'Ambito le attestazioni firmate")
        assert f"Attestazioni inviate all'Ambito: {signed_count}." in text(page), text(page)
        log_out(page)

        # 4. the officer: «Attestazioni da validare» → the attestation → «Valida»
        log_in(page, "rup-ba01")
        click(page, "link", "Attestazioni da validare")
        checked(page, "coda attestazioni")
        click(page, "link", protocol, within=page.locator("#coda-attestazioni tbody"))
        checked(page, "validazione")
        assert page.locator("#verifiche-ok").is_visible(), text(page)
        voucher = page.locator("#attestazione dt:text-is('Quota del buono') + dd").inner_text()
        voucher = voucher.strip()
        assert decimal_of(voucher) == decimal_of(prefilled_amount), (voucher, prefilled_amount)
        click(page, "button", "Valida", exact=True)

        # the ATS dashboard before the act (the demo may already hold payments)
        to_area(page)
        click(page, "link", "Monitoraggio della spesa per fondo",
              within=page.locator("#sezione-ambito"))
        paid_before = column_values(page, "tabella-avvisi-fondi", "Pagato")["Totale"]

        # 5. payment acts: select → preview → confirm → issue
        to_area(page)
        click(page, "link", "Atti di liquidazione")
        checked(page, "atti di liquidazione")
        page.select_option("#mese", month)
        click(page, "button", "Anteprima dell'atto")
        checked(page, "anteprima")
        line = page.get_by_role("row", name=protocol, exact=False)
        assert voucher in line.inner_text()
        lines = page.locator("#righe-anteprima tbody tr").count()
        # (Bootstrap Italia draws the box under its label: the user clicks the label)
        page.locator("label[for=conferma]").click()
        assert page.is_checked("#conferma")
        click(page, "button", "Emetti e firma l'atto")
        assert f"emesso e firmato: {lines} attestazioni liquidate" in text(page), text(page)
        checked(page, "atto")
        number = page.inner_text("#protocollo-atto").strip()
        assert number
        act_total = decimal_of(page.inner_text("#totale-atto").split(":", 1)[1])
        amounts = [decimal_of(t) for t in
                   page.locator("#righe-atto tbody tr td.text-end").all_inner_texts()]
        assert len(amounts) == lines
        assert act_total == sum(amounts) > 0
        assert decimal_of(voucher) in amounts

        # the signed PDF, from the act's link, verified by poppler
        pdf = page.request.get(page.locator("#scarica-pdf").evaluate("a => a.href"))
        assert pdf.status == 200
        assert pdf.headers["content-type"] == "application/pdf"
        signed = tmp_path / "atto.pdf"
        signed.write_bytes(pdf.body())
        out = subprocess.run(["pdfsig", str(signed)], capture_output=True, text=True,
                             check=False).stdout
        assert "Signature is Valid" in out, out

        # 6. the ATS's fund dashboard shows the act's total as paid
        to_area(page)
        click(page, "link", "Monitoraggio della spesa per fondo",
              within=page.locator("#sezione-ambito"))
        checked(page, "fondi Ambito")
        paid = column_values(page, "tabella-avvisi-fondi", "Pagato")["Totale"]
        assert paid - paid_before == act_total
        log_out(page)

        # 7. the Region's dashboard: BA-01's paid is the same figure
        log_in(page, "regione")
        click(page, "link", "Monitoraggio della spesa per fondo",
              within=page.locator("#sezione-regione"))
        checked(page, "fondi Regione")
        by_district = column_values(page, "grafico-ambiti-tabella", "Pagato")
        row = next(k for k in by_district if k.startswith("BA-01 "))
        assert by_district[row] == paid, by_district
        assert euro_text(paid) in page.get_by_role("row", name=row).inner_text()
        assert not page.console_errors, page.console_errors
    finally:
        context.close()
