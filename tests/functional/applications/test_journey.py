"""The citizen's path to a signed receipt, the provider's match, the officer's review and ranking."""
import subprocess
from datetime import date
from decimal import Decimal

from pyramid_zodbconn import get_connection  # noqa: F401 - documents the fixture's access path

from portal.db import DOCUMENTS_KEY
from portal.demo.applications import make_call
from tests.functional.applications.conftest import (
    CALL,
    client,
    fill_people,
    fill_priorities,
    fill_service,
    new_draft,
    next_protocol,
    post,
    run_in_app,
    submit,
)


def pdfsig_ok(pdf_bytes, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(pdf_bytes)
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True,
                         timeout=60, check=False).stdout
    assert out.count("Signature Validation: Signature is Valid.") == 1, out
    assert "Total document signed" in out, out
    return out


def stored_document(app, doc_id):
    def read(portal):
        return portal._p_jar.root()[DOCUMENTS_KEY][doc_id].read()
    return run_in_app(app, read)


def application_at(app, url, *names):
    def read(portal):
        obj = portal
        for part in url.strip("/").split("/"):
            obj = obj[part]
        return {n: getattr(obj, n) for n in names}
    return run_in_app(app, read)


def test_citizen_submits_and_gets_a_signed_receipt(applications_app, codes, inbox, tmp_path):
    citizen = client(applications_app, "cittadino")
    page = citizen.get(CALL)
    assert "Presenta una nuova domanda" in page.text
    url = new_draft(citizen)
    fill_people(citizen, url, codes["luca"])
    # drafts resume: the page offers the steps again, with the data kept
    assert codes["luca"] in citizen.get(url + "/@@compila?passo=persone").text
    fill_service(citizen, url)
    priorities = citizen.get(url + "/@@compila?passo=priorita")
    assert "ISEE minorenni € 12.450,00" in priorities.text
    fill_priorities(citizen, url)
    summary = citizen.get(url + "/@@riepilogo")
    # the co-payment is shown before submitting: 45 + 20% × (540 − 45) = 144
    assert "€ 144,00" in summary.text
    assert "€ 396,00" in summary.text
    assert "Invia la domanda" in summary.text
    # the next number of BA-01's register after the demo's applications and payment act
    expected = run_in_app(applications_app, lambda portal: next_protocol(portal, "ba-01"))
    page = submit(citizen, url).follow()
    assert f"Domanda inviata: protocollo {expected}" in page.text or "protocollo" in page.text
    values = application_at(applications_app, url, "protocol", "state", "receipt_uid",
                            "voucher_monthly", "family_share_monthly", "district_code")
    assert values["state"] == "submitted"
    assert values["protocol"] == expected
    assert values["voucher_monthly"] == Decimal("396.00")
    assert values["family_share_monthly"] == Decimal("144.00")
    assert values["district_code"] == "BA-01"
    assert "Ricevuta firmata" in page.text
    receipt = citizen.get(url + "/@@ricevuta.pdf")
    assert receipt.content_type == "application/pdf"
    stored = stored_document(applications_app, values["receipt_uid"])
    assert stored == receipt.body
    pdfsig_ok(stored, tmp_path, "ricevuta.pdf")
    # the receipt is for the family only: the officer sees the page, not the download
    officer = client(applications_app, "rup-ba01")
    officer.get(url + "/@@ricevuta.pdf", status=403)
    assert "Scarica la ricevuta" not in officer.get(url).text
    # the e-mail left after commit
    assert any(values["protocol"] in m.content.decode() for m in inbox.messages)


def test_delegate_acts_for_the_citizen_who_sees_who_acted(applications_app, codes):
    caf = client(applications_app, "caf")
    page = caf.get(CALL)
    assert "Nuova domanda per conto di cittadino" in page.text
    # without a delegation from that citizen, nothing
    post(caf, CALL + "/@@nuova-domanda", {"per_conto_di": "regione"}, status=403)
    post(caf, CALL + "/@@nuova-domanda", {}, status=403)
    url = new_draft(caf, per_conto_di="cittadino")
    fill_people(caf, url, codes["luca"])
    fill_service(caf, url)
    fill_priorities(caf, url)
    submit(caf, url)
    values = application_at(applications_app, url, "state", "applicant_login",
                            "delegate_login", "actions")
    assert values["state"] == "submitted"
    assert values["applicant_login"] == "cittadino"
    assert values["actions"][-1]["who"] == "caf"
    assert values["actions"][-1]["on_behalf_of"] == "cittadino"
    citizen = client(applications_app, "cittadino")
    page = " ".join(citizen.get("/@@fascicolo").text.split())
    assert "caf per conto di cittadino" in page
    assert citizen.get(url + "/@@ricevuta.pdf").content_type == "application/pdf"
    assert caf.get(url + "/@@ricevuta.pdf").content_type == "application/pdf"
    # the delegate sees only what it was delegated for
    caf.get(CALL + "/domanda-famiglia-rossi", status=403)
    # the citizen records and revokes delegations himself
    page = citizen.get(CALL + "/@@delega")
    assert "Delega attuale" in page.text
    post(citizen, CALL + "/@@delega", {"revoca": "1"})
    post(caf, CALL + "/@@nuova-domanda", {"per_conto_di": "cittadino"}, status=403)


def test_call_publication_opens_folders_in_every_ats(applications_app):
    def add(portal):


        call = make_call(date.today())
        call.code, call.title = "buoni-anziani-2027", "Buoni anziani 2027"
        portal["regione"]["avvisi"].add("buoni-anziani-2027", call)
    run_in_app(applications_app, add)  # a draft call, as the Region's add form makes it
    region = client(applications_app, "regione")
    url = "/regione/avvisi/buoni-anziani-2027"
    page = region.get(url + "/@@pubblica")
    assert "Pubblica e apri le domande" in page.text
    post(region, url + "/@@pubblica")
    for ats in ("ba-01", "ta-01", "le-03"):
        client(applications_app).get(f"/ambiti/{ats}/domande/buoni-anziani-2027", status=200)
    post(region, url + "/@@pubblica", status=400)  # already published
    client(applications_app, "rup-ba01").get(url + "/@@pubblica", status=403)
