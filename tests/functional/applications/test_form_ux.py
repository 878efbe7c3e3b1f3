"""Issue 13, the application form as a family meets it: from the catalogue, prefilled, readable.

From a catalogue entry to a draft of the right ATS with the entry chosen (and every bad
link refused with nothing stored), the account's data prefilled, only fitting services
offered, Bootstrap Italia's checkbox markup, one error summary, and Back into a sent
application explained.
"""
from datetime import timedelta
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from content_types.application import Application
from content_types.catalogue_entry import CatalogueEntry
from content_types.values import rome_today, utcnow
from portal.demo.applications import months_before
from portal.demo.ids import fiscal_code
from portal.demo.providers import _move_to
from tests.functional.applications.conftest import (
    CALL,
    client,
    complete_draft,
    fill_people,
    new_draft,
    post,
    run_in_app,
    submit,
)
from workflows.catalogue_entry import PUBLISHED, WITHDRAWN

NIDO = "/catalogo/girasole/nido-girasole/nido-tempo-pieno"
DOPOSCUOLA = "/catalogo/girasole/centro-diurno-girasole/doposcuola"  # BA-01, not for 0-36
ARCOBALENO = "/catalogo/arcobaleno/nido-arcobaleno/nido-arcobaleno"  # a nursery of TA-01
PRIMAVERA = "/catalogo/girasole/nido-girasole/primavera-test"  # 24-36 months, added below
TA_CALL = "/ambiti/ta-01/domande/buoni-minori-2026"


def soup(response):
    return BeautifulSoup(response.text, "html.parser")


def drafts(app, folder=CALL):
    """The names of the applications stored in a per-call folder."""
    def read(portal):
        node = portal
        for part in folder.strip("/").split("/"):
            node = node[part]
        return sorted(n for n, a in node.items() if isinstance(a, Application))
    return run_in_app(app, read)


def stored(app, path, *names):
    def read(portal):
        node = portal
        for part in path.strip("/").split("/"):
            node = node[part]
        return tuple(getattr(node, n) for n in names)
    return run_in_app(app, read)


def change_call(app, **values):
    def change(portal):
        call = portal["regione"]["avvisi"]["buoni-minori-2026"]
        for name, value in values.items():
            setattr(call, name, value)  # as a clock past (or before) the window would see it
    run_in_app(app, change)


def apply_button(page):
    """The «Richiedi il buono» forms of an entry page: (action, posted entry)."""
    found = []
    for form in soup(page).select("#richiedi-buono form"):
        if "Richiedi il buono per questo servizio" in form.get_text():
            found.append((form["action"], form.find("input", {"name": "voce"})["value"]))
    return found


# -- from the catalogue to the form -------------------------------------------------------

def test_entry_covered_by_an_open_call_opens_a_draft_of_its_ats_with_the_entry_chosen(
        applications_app):
    citizen = client(applications_app, "cittadino")
    page = citizen.get(NIDO)
    ((action, voce),) = apply_button(page)
    assert action == CALL + "/@@nuova-domanda"
    before = drafts(applications_app)
    response = post(citizen, action, {"voce": voce})
    url = response.headers["Location"].split("/@@")[0].replace("http://localhost", "")
    assert url.startswith(CALL + "/")
    (made,) = set(drafts(applications_app)) - set(before)
    assert url.rstrip("/").endswith(made)
    path, uid = stored(applications_app, url, "catalogue_entry_path", "catalogue_entry_uid")
    assert path == NIDO
    assert uid == stored(applications_app, NIDO, "uid")[0]
    # the service step shows it chosen
    step = soup(citizen.get(url + "/@@compila?passo=servizio"))
    assert step.find("option", selected=True)["value"] == NIDO


def test_an_entry_of_another_ats_applies_in_that_ats(applications_app):
    citizen = client(applications_app, "cittadino")
    ((action, voce),) = apply_button(citizen.get(ARCOBALENO))
    assert action == TA_CALL + "/@@nuova-domanda"
    before = drafts(applications_app, TA_CALL)
    post(citizen, action, {"voce": voce})
    assert len(drafts(applications_app, TA_CALL)) == len(before) + 1


def test_an_entry_the_call_does_not_pay_for_offers_no_application(applications_app):
    citizen = client(applications_app, "cittadino")
    assert apply_button(citizen.get(DOPOSCUOLA)) == []
    assert "Richiedi il buono" not in citizen.get(DOPOSCUOLA).text


def test_anonymous_visitor_is_asked_to_log_in_first(applications_app):
    page = soup(client(applications_app).get(NIDO))
    link = page.select_one("#richiedi-buono a.btn")
    assert "Accedi per richiedere il buono" in link.get_text()
    assert link["href"].startswith("/@@accedi?came_from=")


@pytest.mark.parametrize(("folder", "voce", "status", "message"), [
    (CALL, ARCOBALENO, 422, "appartiene a un altro Ambito"),
    (CALL, DOPOSCUOLA, 422, "non è tra quelli finanziati dall'avviso"),
    (CALL, "/catalogo/girasole/nido-girasole/inventata", 409,
     "Il servizio indicato non esiste nel catalogo"),
    (CALL, "/ambiti/ba-01", 409, "Il servizio indicato non esiste nel catalogo"),
    (CALL, "../../../utenti/admin", 409, "Il servizio indicato non esiste nel catalogo"),
])
def test_forged_or_unfit_entries_are_refused_and_nothing_is_stored(
        applications_app, folder, voce, status, message):
    citizen = client(applications_app, "cittadino")
    before = drafts(applications_app, folder)
    response = post(citizen, folder + "/@@nuova-domanda", {"voce": voce}, status=status)
    assert message in " ".join(soup(response).get_text().split())
    assert drafts(applications_app, folder) == before


@pytest.mark.parametrize(("window", "message"), [
    ({"closes_at": -1}, "è scaduto il"),
    ({"opens_at": 2}, "si possono inviare dal"),
])
def test_closed_or_not_yet_open_call_refuses_the_catalogue_link(applications_app, window,
                                                                message):
    citizen = client(applications_app, "cittadino")
    ((action, voce),) = apply_button(citizen.get(NIDO))  # the page read while it was open
    now = utcnow()
    change_call(applications_app, **{k: now + timedelta(days=d) for k, d in window.items()})
    assert apply_button(citizen.get(NIDO)) == []  # no longer offered
    before = drafts(applications_app)
    response = post(citizen, action, {"voce": voce}, status=409)
    assert message in " ".join(soup(response).get_text().split())
    assert drafts(applications_app) == before


def test_an_entry_no_longer_published_is_refused(applications_app):
    citizen = client(applications_app, "cittadino")
    ((action, voce),) = apply_button(citizen.get(NIDO))

    def withdraw(portal):
        entry = portal["catalogo"]["girasole"]["nido-girasole"]["nido-tempo-pieno"]
        entry.state = WITHDRAWN
    run_in_app(applications_app, withdraw)
    before = drafts(applications_app)
    response = post(citizen, action, {"voce": voce}, status=409)
    assert "non è più pubblicato nel catalogo" in soup(response).get_text()
    assert drafts(applications_app) == before


# -- prefill and household code -------------------------------------------------------------

def test_first_step_is_prefilled_from_the_account(applications_app):
    citizen = client(applications_app, "cittadino")
    url = new_draft(citizen)
    page = citizen.get(url + "/@@compila?passo=persone")
    form = page.forms["form-portale"]
    assert form["applicant_name"].value == "Marco Conte"
    assert form["applicant_fiscal_code"].value == "CNTMRC85P09E506E"
    assert form["email"].value == "cittadino@example.it"
    household = form["household_code"].value
    # Marco Conte heads a household of the social registry: its code, read-only (issue 16)
    assert household.startswith("NF-")
    assert len(household) == 12
    assert form["household_code"].attrs.get("readonly") == "readonly"
    # the same code is proposed in every application of the account
    other = new_draft(citizen)
    assert citizen.get(other + "/@@compila?passo=persone").forms["form-portale"][
        "household_code"].value == household
    help_text = soup(page).find(id=f"help-{soup(page).find(attrs={'name': 'household_code'})['id']}")
    assert "anagrafica sociale" in help_text.get_text()
    assert "proposti dal portale" in soup(page).find(id="dati-account").get_text()
    # a GET stores nothing: the draft is still empty
    assert stored(applications_app, url, "applicant_name", "household_code") == ("", "")


def test_a_delegate_gets_no_data_of_their_own_account(applications_app):
    caf = client(applications_app, "caf")
    url = new_draft(caf, per_conto_di="cittadino")
    form = caf.get(url + "/@@compila?passo=persone").forms["form-portale"]
    assert form["applicant_name"].value == ""
    assert form["email"].value == ""


def test_saved_values_win_over_the_account(applications_app, codes):
    citizen = client(applications_app, "cittadino")
    url = new_draft(citizen)
    fill_people(citizen, url, codes["luca"], email="altro@example.it",
                household_code="FAM-CONTE")
    form = citizen.get(url + "/@@compila?passo=persone").forms["form-portale"]
    assert form["email"].value == "altro@example.it"
    # the household code is not a typed value any more: the registry's wins (issue 16)
    assert form["household_code"].value.startswith("NF-")
    assert "dati-account" not in citizen.get(url + "/@@compila?passo=persone").text


def test_inputs_have_autocomplete_types_and_required_marks(applications_app):
    citizen = client(applications_app, "cittadino")
    url = new_draft(citizen)
    page = soup(citizen.get(url + "/@@compila?passo=persone"))
    form = page.find("form", id="form-portale")
    assert form.has_attr("novalidate")
    assert not form.find_all(attrs={"required": True})  # no native bubbles anywhere
    email = form.find("input", attrs={"name": "email"})
    assert (email["type"], email["autocomplete"]) == ("email", "email")
    phone = form.find("input", attrs={"name": "phone"})
    assert (phone["type"], phone["autocomplete"]) == ("tel", "tel")
    assert form.find("input", attrs={"name": "applicant_name"})["autocomplete"] == "name"
    name = form.find("input", attrs={"name": "applicant_name"})
    assert name["aria-required"] == "true"
    assert "*" in form.find("label", attrs={"for": name["id"]}).get_text()
    assert not phone.has_attr("aria-required")
    assert "*" not in form.find("label", attrs={"for": phone["id"]}).get_text()
    assert len(form.select(".portal-required-note")) == 1
    assert "asterisco" in form.select_one(".portal-required-note").get_text()


# -- only fitting services --------------------------------------------------------------------

def add_primavera(app):
    """A BA-01 sezione primavera for 24-36 months (a child of 18 months does not fit)."""
    def add(portal):
        unit = portal["catalogo"]["girasole"]["nido-girasole"]
        entry = CatalogueEntry(title="Sezione primavera Il Girasole", creator="admin")
        entry.set_data({"service_type": "sezione-primavera", "age_min_months": 24,
                        "age_max_months": 36, "tariff_full": Decimal("300.00"),
                        "tariff_part": None, "places_offered": 5,
                        "period_start": rome_today() - timedelta(days=30),
                        "period_end": rome_today() + timedelta(days=330)})
        unit.add("primavera-test", entry, registry=app.registry)
        _move_to(entry, PUBLISHED, app.registry)
    run_in_app(app, add)


def service_options(citizen, url):
    page = soup(citizen.get(url + "/@@compila?passo=servizio"))
    return [o["value"] for o in page.find("select", attrs={"name": "catalogue_entry_path"})
            .find_all("option") if o["value"]]


def test_service_step_offers_only_services_of_the_call_and_the_childs_age(
        applications_app, codes):
    add_primavera(applications_app)
    citizen = client(applications_app, "cittadino")
    toddler = new_draft(citizen)
    fill_people(citizen, toddler, codes["luca"])  # 18 months
    assert service_options(citizen, toddler) == [NIDO]
    older = new_draft(citizen)
    fill_people(citizen, older, fiscal_code("CNT", "GRG", months_before(rome_today(), 30)))
    assert sorted(service_options(citizen, older)) == sorted([NIDO, PRIMAVERA])
    # neither the other ATS's nursery nor the after-school centre (not paid by this call)
    assert ARCOBALENO not in service_options(citizen, older)
    assert DOPOSCUOLA not in service_options(citizen, older)


# -- markup: checkboxes, error summary -------------------------------------------------------

def test_checkboxes_have_bootstrap_italia_markup(applications_app, codes):
    citizen = client(applications_app, "cittadino")
    url = new_draft(citizen)
    for step, names in (("servizio", ["full_time"]),
                        ("priorita", ["disability_certified", "priority_continuity",
                                      "priority_siblings"])):
        page = soup(citizen.get(url + "/@@compila?passo=" + step))
        for name in names:
            box = page.find("input", attrs={"name": name, "type": "checkbox"})
            assert box["id"]
            assert "form-check-input" in box["class"]
            wrapper = box.parent
            assert "form-check" in wrapper["class"]
            label = box.find_next_sibling()
            assert label.name == "label"
            assert label["for"] == box["id"]
            assert label["id"]
            assert "form-check-label" in label["class"]
            assert label.get_text(strip=True)
            # the input is the first thing in its wrapper, no label before it
            assert wrapper.find(["input", "label"]) is box
            assert not page.find("label", attrs={"for": box["id"], "class": "form-label"})


def test_one_error_summary_links_to_each_faulty_field(applications_app):
    citizen = client(applications_app, "cittadino")
    url = new_draft(citizen)
    response = fill_people(citizen, url, "", status=400, applicant_name="",
                           email="non-una-email", household_code="x")
    page = soup(response)
    alerts = page.find_all(attrs={"role": "alert"})
    assert len(alerts) == 1, [a.get_text(" ", strip=True) for a in alerts]
    links = alerts[0].select("a[href^='#']")
    assert len(links) >= 4
    named = set()
    for link in links:
        target = page.find(id=link["href"][1:])
        assert target is not None, link
        assert target.name in ("input", "select", "textarea"), link
        assert target.get("aria-invalid") == "true"
        named.add(target["name"])
    assert {"applicant_name", "email", "household_code", "beneficiary_fiscal_code"} <= named
    assert "Indirizzo e-mail non valido" in alerts[0].get_text()
    assert "Controllare i campi evidenziati" not in page.get_text()
    # nothing stored
    assert stored(applications_app, url, "applicant_name", "email") == ("", "")


def test_a_domain_refusal_still_shows_its_one_message(applications_app, codes):
    citizen = client(applications_app, "cittadino")
    url = new_draft(citizen)
    fill_people(citizen, url, codes["luca"])
    page = citizen.get(url + "/@@compila?passo=servizio")
    form = page.forms["form-portale"]
    form["catalogue_entry_path"].force_value(ARCOBALENO)
    form["months"] = "10"
    response = form.submit("salva", status=422)
    alerts = soup(response).find_all(attrs={"role": "alert"})
    assert len(alerts) == 1
    assert "appartiene a un altro Ambito" in alerts[0].get_text()


# -- Back into a sent application -------------------------------------------------------------

def test_back_into_a_sent_application_explains_it_was_sent(applications_app, codes):
    citizen = client(applications_app, "cittadino")
    url = complete_draft(citizen, codes["luca"])
    summary = citizen.get(url + "/@@riepilogo")
    submit(citizen, url)
    protocol = stored(applications_app, url, "protocol")[0]
    for step in ("@@compila?passo=persone", "@@compila?passo=priorita", "@@allegati",
                 "@@riepilogo"):
        response = citizen.get(f"{url}/{step}", status=303)
        assert response.headers["Location"].endswith("/@@inviata")
        page = response.follow()
        text = " ".join(soup(page).get_text().split())
        assert "Questa domanda è già stata inviata" in text
        assert protocol in text
        assert soup(page).find(id="vai-alla-domanda")["href"].rstrip("/") == url
        assert soup(page).find(id="ricevuta-inviata")["href"].endswith("@@ricevuta.pdf")
    # «Invia» pressed again from a page kept open: explained, nothing changes
    again = post(citizen, url + "/@@invia", {"_version": "x"}, status=303)
    assert again.headers["Location"].endswith("/@@inviata")
    assert stored(applications_app, url, "protocol")[0] == protocol
    assert summary.status_int == 200


def test_an_officer_opening_a_step_of_a_draft_is_still_refused(applications_app):
    citizen = client(applications_app, "cittadino")
    url = new_draft(citizen)
    officer = client(applications_app, "rup-ba01")
    officer.get(url + "/@@compila?passo=persone", status=403)
