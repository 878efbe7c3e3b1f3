"""Provider match, the officer's queue and decisions, the ranking published signed, scorrimento."""
import re

from reportlab.pdfgen import canvas

from tests.functional.applications.conftest import (
    CALL,
    client,
    complete_draft,
    post,
    run_in_app,
    submit,
    version_of,
)
from tests.functional.applications.test_journey import pdfsig_ok, stored_document

NIDO = "/catalogo/girasole/nido-girasole/nido-tempo-pieno"
QUEUE = "/ambiti/ba-01/@@istruttoria"
RANKING = "/ambiti/ba-01/@@graduatoria?avviso=buoni-minori-2026"


def read(app, url, *names):
    def work(portal):
        obj = portal
        for part in url.strip("/").split("/"):
            obj = obj[part]
        return {n: getattr(obj, n) for n in names}
    return run_in_app(app, work)


def uids(page):
    return re.findall(r'name="uid" value="([^"]+)"', page.text)


def luca_submitted(app, codes):
    citizen = client(app, "cittadino")
    url = complete_draft(citizen, codes["luca"])
    submit(citizen, url)
    return citizen, url


def test_provider_accepts_or_declines(applications_app, codes):
    citizen, url = luca_submitted(applications_app, codes)
    places = read(applications_app, NIDO, "free_places")["free_places"]
    provider = client(applications_app, "girasole")
    queue = provider.get("/catalogo/girasole/@@abbinamenti")
    assert read(applications_app, url, "protocol")["protocol"] in queue.text
    assert "Luca Conte" not in provider.get(url).text  # no personal data before the match
    page = provider.get(url + "/@@abbinamento")
    refused = post(provider, url + "/@@abbinamento",
                   {"decisione": "rifiuta", "motivo": "", "_version": version_of(page)},
                   status=400)
    assert "Indicare il motivo del rifiuto dell'abbinamento." in refused.text
    post(provider, url + "/@@abbinamento", {"decisione": "accetta", "_version": version_of(page)})
    assert read(applications_app, url, "state")["state"] == "matched"
    assert read(applications_app, NIDO, "free_places")["free_places"] == places - 1
    # another provider's operator, and the citizen, cannot decide
    client(applications_app, "cittadino").get(url + "/@@abbinamento", status=403)
    # a second application, declined with a reason: it lapses and takes no place
    other = complete_draft(citizen, codes["sofia"])
    submit(citizen, other)
    page = provider.get(other + "/@@abbinamento")
    post(provider, other + "/@@abbinamento",
         {"decisione": "rifiuta", "motivo": "Sezione al completo per l'età indicata",
          "_version": version_of(page)})
    assert read(applications_app, other, "state")["state"] == "lapsed"
    assert read(applications_app, NIDO, "free_places")["free_places"] == places - 1
    assert "Sezione al completo" in citizen.get("/@@fascicolo").text


def test_officer_review_decisions(applications_app):
    officer = client(applications_app, "rup-ba01")
    queue = officer.get(QUEUE)
    assert "Abbinata: 3" in " ".join(queue.text.split())
    url = CALL + "/domanda-famiglia-gallo"
    page = officer.get(url + "/@@esame")
    post(officer, url + "/@@esame", {"azione": "start_review", "_version": version_of(page)})
    page = officer.get(url + "/@@esame")
    post(officer, url + "/@@esame", {"azione": "checklist", "check-identita": "1",
                                     "note": "Documento ok", "_version": version_of(page)})
    assert read(applications_app, url, "review")["review"]["checklist"] == ["identita"]
    page = officer.get(url + "/@@esame")
    refused = post(officer, url + "/@@esame", {"azione": "declare_ineligible", "comment": "x",
                                               "_version": version_of(page)}, status=400)
    assert "Indicare almeno un motivo di non ammissibilità." in refused.text
    places = read(applications_app, NIDO, "free_places")["free_places"]
    post(officer, url + "/@@esame", {"azione": "declare_ineligible", "motivo": "documenti",
                                     "comment": "Manca il documento d'identità.",
                                     "_version": version_of(page)})
    values = read(applications_app, url, "state", "decision")
    assert values["state"] == "ineligible"
    assert values["decision"]["reason_codes"] == ("documenti",)
    assert read(applications_app, NIDO, "free_places")["free_places"] == places + 1
    # another ATS's officer and the Region do not reach the queue
    client(applications_app, "regione").get(QUEUE, status=403)
    client(applications_app, "girasole").get(QUEUE, status=403)


def test_ranking_published_signed_and_scorrimento(applications_app, codes, tmp_path):
    citizen, url = luca_submitted(applications_app, codes)
    provider = client(applications_app, "girasole")
    page = provider.get(url + "/@@abbinamento")
    post(provider, url + "/@@abbinamento", {"decisione": "accetta", "_version": version_of(page)})
    officer = client(applications_app, "rup-ba01")
    queue = officer.get(QUEUE + "?stato=matched")
    assert len(uids(queue)) == 4
    token = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', queue.text).group(1)}
    officer.post(QUEUE, [("azione", "start_review")] + [("uid", u) for u in uids(queue)]
                 + list(token.items()), status=303)
    queue = officer.get(QUEUE + "?stato=under_review")
    officer.post(QUEUE, [("azione", "declare_eligible")] + [("uid", u) for u in uids(queue)]
                 + list(token.items()), status=303)
    assert "Ammissibile: 4" in " ".join(officer.get(QUEUE).text.split())
    preview = officer.get(RANKING)
    assert "NON FINANZIATA" in preview.text
    version_url = post(officer, RANKING).headers["Location"].replace("http://localhost", "").rstrip("/")
    anonymous = client(applications_app)
    anonymous.get(version_url, status=303)  # a draft ranking is not public
    client(applications_app, "cittadino").get(version_url, status=403)
    post(officer, version_url + "/@@pubblica", {"atto": ""}, status=400)
    post(officer, version_url + "/@@pubblica", {"atto": "Determinazione n. 12/2026"})
    public = anonymous.get(version_url)
    flat = " ".join(public.text.split())
    for name in ("Giovanni Rossi", "Anna Esposito", "Paolo Gallo", "Luca Conte"):
        assert name not in flat  # protocol numbers only
    assert "Fondi disponibili" in flat
    assert "→ FINANZIATA" in flat
    states = {who: read(applications_app, CALL + "/domanda-famiglia-" + who, "state")["state"]
              for who in ("rossi", "esposito", "gallo")}
    assert states == {"rossi": "funded", "esposito": "funded",
                      "gallo": "admitted_unfunded"}
    assert read(applications_app, url, "state")["state"] == "funded"
    # the signed PDF in the document registry verifies with poppler
    doc_id = read(applications_app, version_url, "document_id")["document_id"]
    pdf = stored_document(applications_app, doc_id)
    pdfsig_ok(pdf, tmp_path, "graduatoria.pdf")
    assert anonymous.get(version_url + "/@@pdf").body == pdf
    # the citizen's file shows the outcome
    file_page = " ".join(citizen.get("/@@fascicolo").text.split())
    assert "FINANZIATA" in file_page
    assert "Ammessa e finanziata" in file_page
    # a published ranking is never edited again
    post(officer, version_url + "/@@pubblica", {"atto": "Altro"}, status=403)

    # scorrimento: a funded family withdraws; the next in line is funded by a new version
    esposito = CALL + "/domanda-famiglia-esposito"
    post(officer, esposito + "/@@transizione", {"transition": "revoke",
                                                "comment": "Rinuncia comunicata per PEC"})
    v2 = post(officer, RANKING, {"motivo": "Revoca della domanda Esposito"})
    v2_url = v2.headers["Location"].replace("http://localhost", "").rstrip("/")
    assert v2_url.endswith("/2")
    post(officer, v2_url + "/@@pubblica", {"atto": "Determinazione n. 15/2026"})
    page = " ".join(anonymous.get(v2_url).text.split())
    assert "finanziata per scorrimento" in page
    assert "non è più in graduatoria" in page
    gallo = read(applications_app, CALL + "/domanda-famiglia-gallo", "state", "ranking_outcome")
    assert gallo["state"] == "funded"
    assert gallo["ranking_outcome"]["version"] == 2
    pdfsig_ok(stored_document(applications_app,
                              read(applications_app, v2_url, "document_id")["document_id"]),
              tmp_path, "graduatoria-2.pdf")


def test_integration_requested_and_sent_by_the_family(applications_app, codes, tmp_path):
    citizen, url = luca_submitted(applications_app, codes)
    provider = client(applications_app, "girasole")
    page = provider.get(url + "/@@abbinamento")
    post(provider, url + "/@@abbinamento", {"decisione": "accetta", "_version": version_of(page)})
    officer = client(applications_app, "rup-ba01")
    for action, extra in (("start_review", {}),
                          ("request_integration", {"comment": "Allegare il documento."})):
        page = officer.get(url + "/@@esame")
        post(officer, url + "/@@esame", {"azione": action, "_version": version_of(page), **extra})
    assert read(applications_app, url, "state")["state"] == "awaiting_integration"
    # the generic transition cannot skip the documents
    post(citizen, url + "/@@transizione", {"transition": "integrate"}, status=400)
    page = citizen.get(url + "/@@integrazione")
    assert "Allegare il documento." in page.text

    pdf_path = tmp_path / "identita.pdf"
    pdf = canvas.Canvas(str(pdf_path))
    pdf.drawString(72, 720, "Documento")
    pdf.save()
    form = page.forms["form-integrazione"]
    form["file"] = ("identita.pdf", pdf_path.read_bytes(), "application/pdf")
    form.submit(status=303)
    page = citizen.get(url + "/@@integrazione")
    post(citizen, url + "/@@integrazione", {"invia": "1", "_version": version_of(page)})
    values = read(applications_app, url, "state", "attachments")
    assert values["state"] == "under_review"
    assert [a["filename"] for a in values["attachments"]] == ["identita.pdf"]
    officer.get(url + "/@@integrazione", status=403)
