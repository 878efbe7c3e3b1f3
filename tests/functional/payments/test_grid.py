"""The provider's monthly grid, the attestation page and «Invia all'Ambito» through the real app."""
import re
from datetime import date

import pytest

from content_types.values import euro, rome_today
from portal.payments import attestations
from portal.payments.rules.grid import working_days
from portal.payments.rules.monthly import Attendance, parse_month
from tests.conftest import form_token
from tests.functional.payments.grid_fixtures import (
    GRID,
    active_urls,
    application_at,
    attestations_state,
    audit_entries,
    client,
    fire,
    grid_rows,
    listed_rows,
    months_ago,
    only_rows,
    own_rows,
    provider_active_uids,
    run_in_app,
    this_month,
    uid_of,
)


def expected_amounts(app, url, month, open_days, full_time=True):
    def work(portal):
        context = attestations.context_of(application_at(portal, url))
        return attestations.amounts_for(context, parse_month(month),
                                           Attendance(open_days, open_days, 0, full_time))
    return run_in_app(app, work)


def grid_post(page, changes=None, drop=()):
    """The grid form's fields as a browser posts them, with ``changes`` and without ``drop``."""
    form = page.forms["griglia-attestazioni"]
    for name, value in (changes or {}).items():
        form[name] = value
    return [(k, v) for k, v in form.submit_fields() if k not in drop]


def save(test_client, fields, status=303, month=None):
    url = GRID + (f"?mese={month}" if month else "")
    return test_client.post(url, fields, status=status)


# -- the grid ---------------------------------------------------------------------------------
def test_grid_lists_active_beneficiaries_prefilled(active_app):
    provider = client(active_app, "girasole")
    page = provider.get(GRID)
    urls = active_urls(active_app)
    assert len(urls) >= 2
    # the call's active applications are its editable rows (the demo's other call has its own)
    assert sorted(own_rows(active_app, page)) == sorted(uid_of(active_app, u) for u in urls)
    # one row per active beneficiary of the provider, whatever the call
    assert sorted(listed_rows(page)) == sorted(provider_active_uids(active_app))
    month = this_month()
    days = working_days(parse_month(month))
    for url in urls:
        uid = uid_of(active_app, url)
        form = page.forms["griglia-attestazioni"]
        assert form[f"{uid}.giorni_apertura"].value == str(days)
        assert form[f"{uid}.presenze"].value == str(days)
        assert form[f"{uid}.assenze"].value == "0"
        amounts = expected_amounts(active_app, url, month, days)
        row = re.search(rf'<tr data-uid="{uid}".*?</tr>', page.text, re.DOTALL).group(0)
        assert euro(amounts.tariff) in row
        assert euro(amounts.family) in row
        assert euro(amounts.voucher) in row
    # the month selector offers this month and past ones only
    assert f'value="{month}"' in page.text
    assert "Giovanni Rossi" in page.text  # the provider serves them: names shown, read audited
    assert any(e["action"] == "lettura" for e in audit_entries(active_app, "/catalogo/girasole"))
    # someone else's operator, a family, an anonymous visitor: no grid
    client(active_app, "cittadino").get(GRID, status=403)


def test_grid_saves_every_row_in_one_post_then_corrects_the_drafts(active_app):
    provider = client(active_app, "girasole")
    page = provider.get(GRID)
    uids = own_rows(active_app, page)
    save(provider, grid_post(page))
    stored = attestations_state(active_app)
    month = this_month()
    assert sum(1 for months in stored.values() if month in months) == len(uids)
    days = working_days(parse_month(month))
    for months in stored.values():
        state, open_days, attended, absences, voucher, invoice, _n, _m = months[month]
        assert (state, open_days, attended, absences) == ("draft", days, days, 0)
        assert invoice == voucher  # the invoice amount is the computed voucher share
    # the drafts come back editable; one row corrected, the others unchanged
    page = provider.get(GRID)
    assert sorted(own_rows(active_app, page)) == sorted(uids)
    first = uids[0]
    save(provider, grid_post(page, {f"{first}.presenze": str(days - 2),
                                    f"{first}.assenze": "2",
                                    f"{first}.numero_fattura": "FT-1"}))
    after = attestations_state(active_app)
    changed = [p for p in after if after[p][month] != stored[p][month]]
    assert len(changed) == 1
    assert after[changed[0]][month][2:4] == (days - 2, 2)
    assert after[changed[0]][month][6] == "FT-1"


def test_prefill_uses_the_previous_month_open_days(active_app):
    luca = active_app.luca
    previous = months_ago(1)

    def started_last_month(portal):
        application = application_at(portal, luca)
        application.service_start = parse_month(previous)
        attestations.create(application, previous, Attendance(17, 15, 2, True),
                            who="girasole", registry=active_app.registry, today=rome_today())
    run_in_app(active_app, started_last_month)
    page = client(active_app, "girasole").get(GRID)
    uid = uid_of(active_app, luca)
    form = page.forms["griglia-attestazioni"]
    assert form[f"{uid}.giorni_apertura"].value == "17"
    assert form[f"{uid}.presenze"].value == "17"
    # the previous month's grid shows Luca's draft, editable, with its stored values
    page = client(active_app, "girasole").get(GRID + f"?mese={previous}")
    assert page.forms["griglia-attestazioni"][f"{uid}.presenze"].value == "15"


# -- bad input: specific Italian errors, nothing stored ------------------------------------------
BAD = {
    "attendance_above_open_days": (
        lambda uid: {f"{uid}.giorni_apertura": "10", f"{uid}.presenze": "12",
                     f"{uid}.assenze": "0"},
        "Le presenze (12) superano i giorni di apertura (10)."),
    "negative": (
        lambda uid: {f"{uid}.assenze": "-1"},
        "Il numero di giorni non può essere negativo."),
    "invoice_amount_not_the_voucher": (
        lambda uid: {f"{uid}.importo_fattura": "1,00"},
        "L'importo della fattura (€ 1,00) deve essere uguale alla quota del buono calcolata"),
    "not_a_number": (
        lambda uid: {f"{uid}.presenze": "dieci"},
        "«dieci» non è un numero intero di giorni."),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_row_refuses_the_whole_grid(active_app, case):
    provider = client(active_app, "girasole")
    page = provider.get(GRID)
    uid = own_rows(active_app, page)[0]
    changes, message = BAD[case]
    before = attestations_state(active_app)
    refused = save(provider, grid_post(page, changes(uid)), status=422)
    text = " ".join(refused.text.split())
    assert message in text.replace("&#39;", "'")
    assert "nessuna attestazione è stata salvata" in text
    row = re.search(rf'<tr data-uid="{uid}" class="table-danger".*?</tr>', refused.text, re.DOTALL)
    assert row is not None
    assert "invalid-feedback" in row.group(0)
    assert attestations_state(active_app) == before  # the good rows were not saved either


def test_future_month_and_month_outside_the_funded_period(active_app):
    provider = client(active_app, "girasole")
    page = provider.get(GRID)
    fields = grid_post(page)
    today = rome_today()
    future = f"{today.year + (today.month == 12):04d}-{today.month % 12 + 1:02d}"
    before = attestations_state(active_app)
    refused = provider.post(GRID + f"?mese={future}",
                            [(k, v) for k, v in fields if k != "mese"] + [("mese", future)],
                            status=422)
    assert f"Il mese {future} è nel futuro" in refused.text
    provider.get(GRID + f"?mese={future}", status=422)
    # the demo's call starts this month: last month is outside every funded period
    past = months_ago(1)
    listed = provider.get(GRID + f"?mese={past}")
    assert "Mese fuori dal periodo finanziato" in listed.text
    assert grid_rows(listed) == []
    refused = provider.post(GRID + f"?mese={past}",
                            [(k, v) for k, v in fields if k != "mese"] + [("mese", past)],
                            status=422)
    assert f"Il mese {past} è fuori dal periodo finanziato" in " ".join(refused.text.split())
    assert attestations_state(active_app) == before


def test_second_attestation_of_a_month_is_refused(active_app):
    provider = client(active_app, "girasole")
    page = provider.get(GRID)
    fields = grid_post(page)
    save(provider, fields)
    month = this_month()
    luca = active_app.luca
    fire(active_app, f"{luca}/attestazioni/{month}", "sign")
    before = attestations_state(active_app)
    refused = save(provider, fields, status=422)  # the old form, posted again
    assert (f"Esiste già un'attestazione per il mese {month} (non più in bozza)"
            in refused.text.replace("&#39;", "'"))
    assert attestations_state(active_app) == before
    # the signed row is read-only in the grid now
    uid = uid_of(active_app, luca)
    assert uid not in grid_rows(provider.get(GRID))


def test_forged_row_for_someone_not_in_the_grid_is_forbidden(active_app):
    provider = client(active_app, "girasole")
    page = provider.get(GRID)
    gallo = uid_of(active_app, "/ambiti/ba-01/domande/buoni-minori-2026/domanda-famiglia-gallo")
    forged = grid_post(page) + [("riga", gallo), (f"{gallo}.giorni_apertura", "20"),
                                (f"{gallo}.presenze", "20"), (f"{gallo}.assenze", "0")]
    before = attestations_state(active_app)
    refused = save(provider, forged, status=403)
    assert "non riguarda un beneficiario dei vostri servizi attivi" in refused.text
    assert attestations_state(active_app) == before


# -- the script's path: chunks checked first, then saved ---------------------------------------
def test_chunks_are_checked_then_saved(active_app):
    provider = client(active_app, "girasole")
    page = provider.get(GRID)
    uids = own_rows(active_app, page)
    # the call's rows only: the demo's other call has a draft of this month already
    fields = only_rows(grid_post(page), uids)
    chunk = "/catalogo/girasole/@@attestazioni-blocco"
    checked = provider.post(chunk, fields + [("verifica", "1")]).json
    assert checked == {"checked": len(uids), "saved": 0, "created": 0, "updated": 0}
    assert attestations_state(active_app) == {}
    uid = uids[0]
    bad = [(k, "-3" if k == f"{uid}.assenze" else v) for k, v in fields]
    refused = provider.post(chunk, bad + [("verifica", "1")], status=422).json
    assert refused["error"]["code"] == "attestation_grid_invalid"
    assert (refused["error"]["fields"][f"{uid}.assenze"]
            == "Il numero di giorni non può essere negativo.")
    saved = provider.post(chunk, fields).json
    assert saved["saved"] == saved["created"] == len(uids)
    assert len(attestations_state(active_app)) == len(uids)
    assert 'src="/static/js/attestation-grid.js' in page.text or "attestation-grid.js" in page.text


# -- «Invia all'Ambito» --------------------------------------------------------------------------
def test_send_signed_attestations_with_a_complete_invoice(active_app):
    provider = client(active_app, "girasole")
    page = provider.get(GRID)
    uids = own_rows(active_app, page)
    complete = uids[0]
    save(provider, grid_post(page, {f"{complete}.numero_fattura": "FT-7",
                                    f"{complete}.data_fattura": rome_today().isoformat()}))
    month = this_month()
    for url in active_urls(active_app):
        fire(active_app, f"{url}/attestazioni/{month}", "sign")
    page = provider.get(GRID)
    assert "Invia all'Ambito le attestazioni firmate" in page.text.replace("&#39;", "'")
    token = form_token(page.text)
    result = provider.post("/catalogo/girasole/@@invia-attestazioni",
                           {"csrf_token": token, "mese": month}, status=200)
    text = result.text.replace("&#39;", "'")
    assert "Attestazioni inviate all'Ambito: <strong>1</strong>" in text
    assert "manca il numero della fattura, la data della fattura" in text
    states = {p: m[month][0] for p, m in attestations_state(active_app).items()}
    assert sorted(states.values()) == ["sent"] + ["signed"] * (len(uids) - 1)
    # one incomplete attestation, on its own page: refused with what is missing
    other = next(u for u in active_urls(active_app) if uid_of(active_app, u) != complete)
    url = f"{other}/attestazioni/{month}"
    view = provider.get(url)
    assert "Per inviarla all'Ambito manca il numero della fattura" in view.text.replace(
        "&#39;", "'")
    refused = provider.post(url + "/@@invia", {"csrf_token": token}, status=422)
    assert "La fattura è incompleta: manca il numero della fattura" in refused.text
    assert attestations_state(active_app)[
        read_protocol(active_app, other)][month][0] == "signed"
    # the ATS returns the sent one: the provider reopens it from its page, the grid edits it again
    sent = next(u for u in active_urls(active_app) if uid_of(active_app, u) == complete)
    fire(active_app, f"{sent}/attestazioni/{month}", "reject", "Fattura illeggibile")
    page = provider.get(f"{sent}/attestazioni/{month}")
    assert "Riapri per correzione" in page.text
    assert "Fattura illeggibile" in page.text
    assert complete not in grid_rows(provider.get(GRID))
    provider.post(f"{sent}/attestazioni/{month}/@@transizione",
                  {"csrf_token": token, "transition": "revise"}, status=303)
    assert complete in grid_rows(provider.get(GRID))


def read_protocol(app, url):
    return run_in_app(app, lambda portal: application_at(portal, url).protocol)


# -- the attestation page and its edit form -------------------------------------------------------
def test_attestation_page_edit_form_and_application_page(active_app):
    provider = client(active_app, "girasole")
    page = provider.get(GRID)
    save(provider, grid_post(page))
    month = this_month()
    luca = active_app.luca
    url = f"{luca}/attestazioni/{month}"
    view = provider.get(url)
    assert "Luca Conte" in view.text  # personal data for the provider, and audited
    assert any(e["action"] == "lettura" for e in audit_entries(active_app, url))
    assert 'href="' + url + '/@@modifica"' in view.text
    assert "@@conferma" not in view.text  # the provider does not sign
    assert "Cronologia" in view.text
    assert "Quota del buono" in view.text
    family = client(active_app, "cittadino").get(url)
    assert url + "/@@conferma" in family.text
    assert "@@modifica" not in family.text
    # edit: a stale form is refused, a rule breach too, nothing stored; then a good edit
    form = provider.get(url + "/@@modifica")
    token, version = form_token(form.text), re.search(
        r'name="_version" value="([^"]*)"', form.text).group(1)
    fields = {"csrf_token": token, "_version": version, "giorni_apertura": "20",
              "presenze": "18", "assenze": "2", "tempo_pieno": "1", "numero_fattura": "",
              "data_fattura": "", "importo_fattura": ""}
    before = attestations_state(active_app)
    stale = provider.post(url + "/@@modifica", {**fields, "_version": "x"}, status=409)
    assert "modificato" in stale.text or "modificata" in stale.text
    bad = provider.post(url + "/@@modifica", {**fields, "presenze": "25"}, status=422)
    assert "Le presenze (25) superano i giorni di apertura (20)." in bad.text
    assert attestations_state(active_app) == before
    provider.post(url + "/@@modifica", fields, status=303)
    protocol = read_protocol(active_app, luca)
    assert attestations_state(active_app)[protocol][month][1:4] == (20, 18, 2)
    # the application page lists its attestations by month
    application = provider.get(luca)
    assert 'id="attestazioni"' in application.text
    assert month in application.text
    # the family signs: the page is no longer editable for the provider
    fire(active_app, url, "sign")
    provider.get(url + "/@@modifica", status=403)
    assert "@@modifica" not in provider.get(url).text


def area_count(page, label):
    """The count after ``label`` in the personal area (0 when the panel does not show it)."""
    words = " ".join(page.text.split()).replace("&#39;", "'")
    found = re.search(re.escape(label) + r' <strong class="portal-count">(\d+)</strong>', words)
    return int(found.group(1)) if found else 0


def test_personal_area_counts_the_providers_attestations(active_app):
    provider = client(active_app, "girasole")
    # the demo's other call has attestations of girasole's: the figures before the test acts
    before = provider.get("/@@area-personale")
    drafts_before = area_count(before, "Bozze in attesa della famiglia:")
    signed_before = area_count(before, "Firmate da inviare all'Ambito:")
    page = provider.get(GRID)
    uids = own_rows(active_app, page)
    save(provider, only_rows(grid_post(page), uids))
    fire(active_app, f"{active_app.luca}/attestazioni/{this_month()}", "sign")
    area = " ".join(provider.get("/@@area-personale").text.split())
    drafts = drafts_before + len(uids) - 1
    assert ('Bozze in attesa della famiglia: <strong class="portal-count">'
            f"{drafts}</strong>") in area
    assert ("Firmate da inviare all'Ambito: <strong class=\"portal-count\">"
            f"{signed_before + 1}</strong>") in area.replace("&#39;", "'")
    assert 'href="/catalogo/girasole/@@attestazioni"' in area


def test_working_days_are_monday_to_friday():
    assert working_days(date(2026, 2, 1)) == 20
    assert working_days(date(2025, 10, 1)) == 23
