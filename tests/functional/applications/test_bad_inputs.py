"""Every bad input of the issue: a specific Italian message, and nothing stored changes."""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.functional.applications.conftest import (
    api,
    client,
    complete_draft,
    fill_people,
    fill_service,
    new_draft,
    post,
    run_in_app,
    submit,
    version_of,
)

ROME = ZoneInfo("Europe/Rome")
NIDO = "/catalogo/girasole/nido-girasole/nido-tempo-pieno"


def obj_at(portal, url):
    obj = portal
    for part in url.strip("/").split("/"):
        obj = obj[part]
    return obj


def stored(app, url):
    """The application's stored state and the ATS's protocol counter."""
    def read(portal):
        application = obj_at(portal, url)
        counters = application.__parent__.__parent__.protocol_counters
        data = {k: v for k, v in application.__dict__.items() if not k.startswith("_p_")}
        data.pop("__parent__", None)
        return data, counters.last(max(counters.years()))
    return run_in_app(app, read)


def text(response):
    return " ".join(response.text.split())


def refused_at_submission(app, citizen, url, message, status):
    before = stored(app, url)
    page = citizen.get(url + "/@@riepilogo")
    assert message in text(page), "the summary explains the problem before submitting"
    assert 'id="invia"' not in page.text
    # a crafted POST anyway (with a fresh version token, from the attachments page)
    token = version_of(citizen.get(url + "/@@allegati"))
    response = post(citizen, url + "/@@invia", {"_version": token}, status=status)
    assert message in text(response)
    assert stored(app, url) == before, "a refused submission must not change anything"
    return response


def test_invalid_fiscal_code_is_explained(applications_app):
    citizen = client(applications_app, "cittadino")
    url = new_draft(citizen)
    before = stored(applications_app, url)
    page = fill_people(citizen, url, "CNTLCU24A01A662X", status=400)
    assert "il carattere di controllo non corrisponde" in text(page)
    page = fill_people(citizen, url, "CNTLCU24A01", status=400)
    assert "deve avere 16 caratteri (ne ha 11)" in text(page)
    assert stored(applications_app, url) == before


def test_beneficiary_outside_the_age_range(applications_app, codes):
    citizen = client(applications_app, "cittadino")
    url = new_draft(citizen)
    fill_people(citizen, url, codes["adult"])
    # no nursery takes in an adult: the service step already says so, and stores nothing
    before = stored(applications_app, url)
    page = fill_service(citizen, url, status=422)
    assert "Il servizio scelto (Asilo nido) accoglie utenti da 3 a 36 mesi" in text(page)
    assert stored(applications_app, url) == before

    def choose_nido(portal):  # a draft saved before the service step checked the age
        obj_at(portal, url).set_data({"catalogue_entry_path": NIDO, "full_time": True,
                                      "months": 10})
    run_in_app(applications_app, choose_nido)
    # well-formed data that fails the call's rules: 422
    refused_at_submission(applications_app, citizen, url,
                          "l'avviso è riservato a chi ha meno di 3 anni", status=422)


@pytest.mark.parametrize(("who", "message"), [
    ("over_threshold", ("L'ISEE di € 45.000,00 supera la soglia di € 40.000,00 prevista "
                       "dall'avviso.")),
    ("wrong_type", ("È stato indicato un ISEE università; l'avviso richiede ISEE minorenni "
                   "oppure ISEE ordinario.")),
    ("expired", "è scaduta il 31/12/"),
])
def test_isee_problems(applications_app, codes, who, message):
    citizen = client(applications_app, "cittadino")
    url = complete_draft(citizen, codes[who])
    refused_at_submission(applications_app, citizen, url, message, status=422)


def test_entry_without_free_places(applications_app, codes):
    citizen = client(applications_app, "cittadino")
    url = complete_draft(citizen, codes["luca"])

    def fill_up(portal):
        entry = obj_at(portal, NIDO)
        entry.places.set_capacity(entry.places_taken)
    run_in_app(applications_app, fill_up)
    before = stored(applications_app, url)
    # the entry's state (no place left) forbids it: a conflict, 409
    page = fill_service(citizen, url, status=409)
    assert "non ha più posti liberi: sceglierne un altro" in text(page)
    assert stored(applications_app, url) == before
    refused_at_submission(applications_app, citizen, url, "non ha più posti liberi", status=409)


def test_entry_of_another_ats(applications_app, codes):
    citizen = client(applications_app, "cittadino")
    url = new_draft(citizen)
    fill_people(citizen, url, codes["luca"])
    before = stored(applications_app, url)
    page = fill_service(citizen, url, entry="/catalogo/arcobaleno/nido-arcobaleno/nido-arcobaleno",
                        status=422)
    assert "appartiene a un altro Ambito (TA-01): scegliere un servizio dell'Ambito BA-01" \
        in text(page)
    assert stored(applications_app, url) == before


def test_duplicate_application(applications_app, codes):
    citizen = client(applications_app, "cittadino")
    url = complete_draft(citizen, codes["rossi"])  # already submitted by the Rossi family
    refused_at_submission(applications_app, citizen, url,
                          f"Per il beneficiario {codes['rossi']} è già stata inviata una domanda "
                          "su questo avviso (protocollo 2026/0000001)".replace(
                              "2026", str(datetime.now(UTC).astimezone(ROME).year)),
                          status=409)


def test_after_the_deadline_the_exact_closing_time_is_shown(applications_app, codes):
    citizen = client(applications_app, "cittadino")
    url = complete_draft(citizen, codes["luca"])
    closed = (datetime.now(UTC) - timedelta(hours=1)).replace(second=0, microsecond=0)

    def close(portal):
        call = obj_at(portal, "/regione/avvisi/buoni-minori-2026")
        call.closes_at = closed  # as a clock past the deadline would see it
    run_in_app(applications_app, close)
    shown = closed.astimezone(ROME)
    refused_at_submission(
        applications_app, citizen, url,
        f"è scaduto il {shown:%d/%m/%Y} alle {shown:%H:%M} (ora italiana): la domanda non può "
        "più essere inviata.", status=409)


def test_attachments_must_be_pdfs(applications_app, codes):
    citizen = client(applications_app, "cittadino")
    url = complete_draft(citizen, codes["luca"])
    before = stored(applications_app, url)
    page = citizen.get(url + "/@@allegati")
    form = page.forms["form-allegati"]
    form["file"] = ("documento.pdf", b"Non sono un PDF, solo testo.", "application/pdf")
    response = form.submit(status=400)
    assert "L'allegato «documento.pdf» non è stato accettato" in text(response)
    assert stored(applications_app, url) == before


def test_tampering_through_forms_and_api(applications_app, codes):
    citizen = client(applications_app, "cittadino")
    url = complete_draft(citizen, codes["luca"])
    before = stored(applications_app, url)
    api_url = "/api" + url
    # system fields through the API: refused, nothing changes
    for body in ({"protocol": "2026/9999999"}, {"state": "submitted"},
                 {"district_code": "TA-01"}, {"voucher_monthly": "999"}):
        response = api(citizen, "PATCH", api_url, body, status=400)
        assert response.json["error"]["message"]
    # the workflow's submit cannot skip the protocol and the checks
    response = api(citizen, "POST", api_url + "/@@transizione", {"transition": "submit"},
                   status=400)
    assert "si invia dal riepilogo della domanda" in response.json["error"]["message"]
    post(citizen, url + "/@@transizione", {"transition": "submit"}, status=400)
    # extra fields in a step form are ignored
    page = citizen.get(url + "/@@compila?passo=servizio")
    form = page.forms["form-portale"]
    fields = [(k, v) for k, v in form.submit_fields()] + [
        ("protocol", "2026/9999999"), ("state", "submitted"), ("district_code", "TA-01")]
    citizen.post(url + "/@@compila?passo=servizio", fields, status=303)
    after = stored(applications_app, url)
    for key in ("protocol", "state", "district_code", "voucher_monthly"):
        assert after[0].get(key) == before[0].get(key)
    assert after[1] == before[1]
    # after submission the family cannot edit any more; the provider cannot tamper either
    submit(citizen, url)
    api(citizen, "PATCH", api_url, {"beneficiary_name": "Altro"}, status=403)
    provider = client(applications_app, "girasole")
    api(provider, "PATCH", api_url, {"months": 1}, status=403)
    post(provider, url + "/@@transizione", {"transition": "match"}, status=400)


def test_stale_forms_are_refused(applications_app, codes):
    citizen = client(applications_app, "cittadino")
    url = new_draft(citizen)
    old_page = citizen.get(url + "/@@compila?passo=persone")
    fill_people(citizen, url, codes["luca"])  # another tab saves first
    before = stored(applications_app, url)
    form = old_page.forms["form-portale"]
    form["applicant_name"] = "Nome da una scheda vecchia"
    form["applicant_fiscal_code"] = "CNTMRC85P09E506E"
    form["email"] = "x@example.it"
    form["household_code"] = "FAM-X"
    form["beneficiary_name"] = "X"
    form["beneficiary_fiscal_code"] = codes["sofia"]
    form["residence_municipality"] = "072006"
    response = form.submit("salva", status=409)
    assert "modificato da un'altra persona dopo l'apertura di questo modulo" in text(response)
    assert stored(applications_app, url) == before
    # the summary's submit button carries the version too
    summary = citizen.get(url + "/@@riepilogo")
    fill_people(citizen, url, codes["luca"], applicant_name="Marco Conte Jr")
    response = post(citizen, url + "/@@invia", {"_version": version_of(summary)}, status=409)
    assert "è stata modificata dopo l'apertura di questo modulo" in text(response)

