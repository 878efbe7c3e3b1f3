"""The call page in plain Italian, the Region's authoring, new versions and their differences."""
import re
from decimal import Decimal

import pytest

from content_types.call import TARGETS
from portal.applications.rules.eligibility import TARGETS as RULE_TARGETS
from tests.functional.applications.conftest import client, run_in_app

CALL_PAGE = "/regione/avvisi/buoni-minori-2026"
ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
RULE_KINDS = ("isee_types", "isee_max", "age_min_months", "age_max_months", "restricted_isee_max",
              "residence_region", "disability_required", "reject_discrepancies", "age_reference",
              "service_types", "submitted_at", "children", "elderly")


def visible_text(html):
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", body)


def assert_no_raw_codes(html):
    text = visible_text(html)
    for code in list(TARGETS) + list(RULE_TARGETS) + list(RULE_KINDS):
        assert code not in text, code
    assert not ISO.search(text)


@pytest.mark.parametrize("who", [None, "citizen", "region_officer"])
def test_call_page_says_its_rules_in_italian(applications_app, who):
    page = client(applications_app, who).get(CALL_PAGE)
    assert_no_raw_codes(page.text)
    text = visible_text(page.text)
    assert "Bambini da 0 a 36 mesi" in text
    assert "Residenza del beneficiario in Puglia" in text
    assert "ISEE minorenni oppure ISEE ordinario" in text
    assert "€ 40.000,00" in text
    assert page.html.find("table", id="fasce").find("caption") is not None
    assert "€ 10.000,01" in page.html.find("table", id="fasce").text
    criteria = [li.text for li in page.html.find("ol", id="criteri").find_all("li")]
    assert "ISEE più basso" in criteria[1]
    assert criteria[1].startswith("A parità")
    assert "protocollo" in criteria[3]
    assert "€ 15.000,00" in page.html.find("table", id="budget").text
    assert "giorni per inviare i documenti" in text
    links = page.html.find(id="presenta-domanda").find_all("a")
    assert "/ambiti/ba-01/domande/buoni-minori-2026/" in [a["href"] for a in links]
    assert ("nuova-versione" in page.text) == (who == "region_officer")


def test_the_call_page_is_reached_by_clicking_from_the_region(applications_app):
    browser = client(applications_app, "citizen")
    region = browser.get("/regione")
    avvisi = region.click(href="/regione/avvisi/?$")
    assert "Buoni servizio minori 2026" in avvisi.text
    call = avvisi.click(description="Buoni servizio minori 2026")
    folder = call.click(href="/ambiti/ba-01/domande/buoni-minori-2026/?$")
    assert folder.html.find(id="nuova-domanda") is not None


def test_the_call_page_is_reached_by_clicking_from_the_ats(applications_app):
    browser = client(applications_app, "citizen")
    domande = browser.get("/ambiti/ba-01").click(href="/ambiti/ba-01/domande/?$")
    folder = domande.click(href="/ambiti/ba-01/domande/buoni-minori-2026/?$")
    call = folder.click(href=CALL_PAGE + "/?$", index=0)
    assert call.html.find("table", id="fasce") is not None


def test_a_closed_call_says_so_and_offers_no_button(applications_app):
    from datetime import timedelta  # noqa: PLC0415

    def close(portal):
        call = portal["regione"]["avvisi"]["buoni-minori-2026"]
        call.closes_at = call.opens_at + timedelta(days=1)
    run_in_app(applications_app, close)
    page = client(applications_app, "citizen").get(CALL_PAGE)
    assert "La presentazione delle domande è chiusa." in page.text
    assert page.html.find(id="presenta-domanda") is None


def fields_of(form):
    """The form's fields (peppercorn markers included) as (name, value) pairs, in order."""
    return [(name, value or "") for name, value in form.submit_fields()]


def new_version_fields(page, **changes):
    form = page.forms["form-portale"]
    items = [(name, value) for name, value in fields_of(form)]
    out = []
    for name, value in items:
        out.append((name, changes.get(name, value)))
    return form, out


def set_in(items, mapping, **values):
    """``items`` with the fields of the deform mapping ``mapping`` (a date, a date-time) set."""
    out, inside = [], False
    for name, value in items:
        if name == "__start__":
            inside = inside or value == f"{mapping}:mapping"
        elif name == "__end__" and value == f"{mapping}:mapping":
            inside = False
        out.append((name, values.get(name, value) if inside and name in values else value))
    return out


def get_in(items, mapping):
    found, inside = {}, False
    for name, value in items:
        if (name, value) == ("__start__", f"{mapping}:mapping"):
            inside = True
        elif (name, value) == ("__end__", f"{mapping}:mapping"):
            inside = False
        elif inside:
            found[name] = value
    return found


def band_items(bands):
    items = [("__start__", "bands:sequence")]
    for low, high, fixed, share in bands:
        items += [("__start__", "band:mapping"), ("from", low), ("to", high), ("fixed", fixed),
                  ("share", share), ("__end__", "band:mapping")]
    return items + [("__end__", "bands:sequence")]


def replace_bands(items, bands):
    start = items.index(("__start__", "bands:sequence"))
    end = items.index(("__end__", "bands:sequence"))
    return items[:start] + band_items(bands) + items[end + 1:]


GOOD_BANDS = [("0", "2000", "20", "0"), ("2001", "13000", "45", "20"),
              ("13001", "", "90", "50")]


def snapshot(app):
    def read(portal):
        avvisi = portal["regione"]["avvisi"]
        call = avvisi["buoni-minori-2026"]
        return (sorted(avvisi.keys()), call.uid, call.version, dict(call.eligibility),
                dict(call.copayment), call.closes_at, dict(call.budgets), call.superseded_by_uid)
    return run_in_app(app, read)


def post_version(browser, items, status):
    return browser.post(CALL_PAGE + "/@@nuova-versione", items + [("pubblica", "pubblica")],
                        status=status)


@pytest.mark.parametrize(("change", "message"), [
    ("overlap", "si sovrappone alla precedente"),
    ("gap", "resta un intervallo di ISEE senza fascia"),
    ("closes", "La chiusura delle domande deve seguire"),
    ("budget", "Il budget non può essere negativo"),
    ("reason", "Indicare il motivo"),
])
def test_a_bad_new_version_is_refused_and_nothing_changes(applications_app, change, message):
    browser = client(applications_app, "region_officer")
    before = snapshot(applications_app)
    page = browser.get(CALL_PAGE + "/@@nuova-versione")
    _form, items = new_version_fields(page, reason="Soglia ISEE aggiornata")
    bands = list(GOOD_BANDS)
    if change == "overlap":
        bands[1] = ("1500", "13000", "45", "20")
    elif change == "gap":
        bands[1] = ("5000", "13000", "45", "20")
    items = replace_bands(items, bands)
    if change == "closes":
        items = set_in(items, "closes_at", **get_in(items, "opens_at"))
    if change == "budget":
        items = [(n, "-1" if n == "BA-01" else v) for n, v in items]
    if change == "reason":
        items = [(n, "" if n == "reason" else v) for n, v in items]
    response = post_version(browser, items, 400)
    faulty = response.html.find_all(class_="invalid-feedback")
    assert any(message in p.text for p in faulty), [p.text for p in faulty]
    assert snapshot(applications_app) == before


def test_a_new_version_is_published_in_place_with_its_differences(applications_app):
    browser = client(applications_app, "region_officer")
    page = browser.get(CALL_PAGE + "/@@nuova-versione")
    _form, items = new_version_fields(page, reason="Soglia ISEE aggiornata", isee_max="30000.00")
    items = replace_bands(items, GOOD_BANDS)
    response = post_version(browser, items, 303)
    assert response.location.endswith(CALL_PAGE + "/")
    after = snapshot(applications_app)
    assert after[2] == 2
    assert after[3]["isee_max"] == "30000.00"
    assert "buoni-minori-2026-versione-1" in after[0]
    page = browser.get(CALL_PAGE)
    assert "Soglia ISEE aggiornata" in page.text
    diff = page.click(href="@@versioni")
    assert "Soglia ISEE: € 40.000,00 → € 30.000,00" in visible_text(diff.text)
    assert "Fasce prima" in diff.text
    assert "Fasce dopo" in diff.text
    assert_no_raw_codes(diff.text)
    old = browser.get(CALL_PAGE + "-versione-1")
    assert "Questa versione è stata sostituita" in old.text
    assert old.html.find(id="presenta-domanda") is None
    folder = browser.get("/ambiti/ba-01/domande/buoni-minori-2026")
    assert folder.status_int == 200


def test_the_region_writes_a_new_call(applications_app):
    browser = client(applications_app, "region_officer")
    page = browser.get("/regione/@@nuovo-avviso")
    form = page.forms["form-portale"]
    for box in form.fields["checkbox"]:
        if box._value == "ordinario":
            box.checked = True
    items = fields_of(form)
    values = {"title": "Buoni anziani 2027", "code": "buoni-anziani-2027", "target": "elderly",
              "isee_max": "40000", "scheme": "elderly", "franchigia": "50",
              "max_months": "12", "BA-01": "20000", "TA-01": "0", "LE-03": "0"}
    items = [(n, values.get(n, v)) for n, v in items]
    items = set_in(items, "period_start", date="2027-01-01")
    items = set_in(items, "period_end", date="2027-12-31")
    items = set_in(items, "opens_at", date="2026-12-01", time="09:00")
    items = set_in(items, "closes_at", date="2027-02-01", time="12:00")
    items = replace_bands(items, [("0", "10000", "", "0"), ("10000.01", "", "", "40")])
    response = browser.post("/regione/@@nuovo-avviso", items + [("salva", "salva")], status=303)
    call = browser.get(response.location)
    assert_no_raw_codes(call.text)
    assert "Anziani over 65" in call.text
    assert "€ 20.000,00" in call.text
    assert "franchigia mensile di € 50,00" in call.text
    assert "Domande dal 01/12/2026 09:00 al 01/02/2027 12:00 (ora italiana)" in call.text

    def stored(portal):
        c = portal["regione"]["avvisi"]["buoni-anziani-2027"]
        return c.copayment, c.published, c.integration_days
    copayment, published, integration_days = run_in_app(applications_app, stored)
    assert copayment["bands"][1]["coverage"] == "60"
    assert not published
    assert integration_days == 10
    assert Decimal(copayment["franchigia"]) == 50


def test_a_draft_call_has_its_rules_edited_and_a_published_one_refuses(applications_app):
    browser = client(applications_app, "region_officer")
    test_the_region_writes_a_new_call(applications_app)
    url = "/regione/avvisi/buoni-anziani-2027"
    page = browser.get(url)
    form_page = page.click(href="@@regole")
    items = [(n, "30000.00" if n == "isee_max" else v)
             for n, v in fields_of(form_page.forms["form-portale"])]
    browser.post(url + "/@@regole", items + [("salva", "salva")], status=303)
    assert "€ 30.000,00" in browser.get(url).text
    published = browser.get(CALL_PAGE + "/@@regole")
    items = fields_of(published.forms["form-portale"])
    items = replace_bands(items, GOOD_BANDS)
    before = snapshot(applications_app)
    response = browser.post(CALL_PAGE + "/@@regole", items + [("salva", "salva")], status=409)
    assert "nuova versione" in response.text
    assert snapshot(applications_app) == before


@pytest.mark.parametrize("where", ["/regione/avvisi", "/regione"])
def test_aggiungi_avviso_opens_the_full_authoring_form(applications_app, where):
    browser = client(applications_app, "region_officer")
    page = browser.get(where)
    links = [a for a in page.html.select("main details a") if a.get_text(strip=True) == "Avviso"]
    assert [a["href"] for a in links] == ["/regione/@@nuovo-avviso"]
    form = browser.get(links[0]["href"])
    assert "Nuovo avviso" in form.text
    # every rule, not only the schema's few fields: the co-payment bands and ranking keys
    assert "bands" in form.forms["form-portale"].text
    assert "ranking_keys" in form.forms["form-portale"].text


def test_the_calls_listing_shows_only_the_version_in_force(applications_app):
    title = run_in_app(applications_app,
                       lambda portal: portal["regione"]["avvisi"]["buoni-minori-2026"].title)
    listing = client(applications_app).get("/@@avvisi")
    before = [a["href"] for a in listing.html.select("main a[href^='/regione/avvisi/']")]
    titles_before = visible_text(listing.text).count(title)
    assert CALL_PAGE + "/" in before
    browser = client(applications_app, "region_officer")
    page = browser.get(CALL_PAGE + "/@@nuova-versione")
    _form, items = new_version_fields(page, reason="Soglia ISEE aggiornata", isee_max="30000.00")
    post_version(browser, replace_bands(items, GOOD_BANDS), 303)
    listing = client(applications_app).get("/@@avvisi")
    after = [a["href"] for a in listing.html.select("main a[href^='/regione/avvisi/']")]
    assert after == before
    assert not any("-versione-" in href for href in after)
    assert visible_text(listing.text).count(title) == titles_before  # one card, not two
    # the old version stays reachable from the call's «Versioni precedenti»
    versions = client(applications_app).get(CALL_PAGE + "/@@versioni")
    assert CALL_PAGE + "-versione-1" in versions.text


def test_the_region_s_folder_of_calls_tells_the_versions_apart(applications_app):
    browser = client(applications_app, "region_officer")
    page = browser.get(CALL_PAGE + "/@@nuova-versione")
    _form, items = new_version_fields(page, reason="Soglia ISEE aggiornata", isee_max="30000.00")
    post_version(browser, replace_bands(items, GOOD_BANDS), 303)
    rows = {row.a["href"]: row.find_all("td")[2].get_text(strip=True)
            for row in browser.get("/regione/avvisi").html.select("main tbody tr")}
    assert rows[CALL_PAGE + "/"] == "Versione 2, in vigore"
    assert rows[CALL_PAGE + "-versione-1/"] == "Versione 1, sostituita"
