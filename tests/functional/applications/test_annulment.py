"""Registered records are never deleted (DPR 445/2000): a protocolled application is annulled."""
from portal.db import AUDIT_KEY, DOCUMENTS_KEY
from tests.functional.applications.conftest import CALL, api, client, post, run_in_app

ROSSI = CALL + "/domanda-famiglia-rossi"  # submitted, protocolled and matched by the demo
ENTRY = "/catalogo/girasole/nido-girasole/nido-tempo-pieno"


def record(app, url=ROSSI):
    """What the register holds for the application: state, protocol, receipt, audit, place."""
    def read(portal):
        obj = portal
        for part in url.strip("/").split("/"):
            obj = obj.get(part) if obj is not None else None
        if obj is None:
            return None
        root = portal._p_jar.root()
        entry = portal["catalogo"]["girasole"]["nido-girasole"]["nido-tempo-pieno"]
        receipt = root[DOCUMENTS_KEY].get(obj.receipt_uid) if obj.receipt_uid else None
        return {"state": obj.state, "protocol": obj.protocol, "history": obj.workflow_history,
                "receipt": receipt is not None, "free_places": entry.free_places,
                "audit": root[AUDIT_KEY].for_object(obj.uid)}
    return run_in_app(app, read)


def test_an_administrator_cannot_delete_a_protocolled_application_through_the_api(
        applications_app):
    admin = client(applications_app, "admin")
    before = record(applications_app)
    assert before["protocol"]
    assert before["state"] == "matched"
    refused = api(admin, "DELETE", "/api" + ROSSI, status=409)
    error = refused.json["error"]
    assert error["code"] == "registered_record"
    assert before["protocol"] in error["message"]
    assert "Annulla la registrazione" in error["message"]
    assert error["fields"] == {"protocol": before["protocol"]}
    # nor the folders that hold it
    for folder in (CALL, "/ambiti/ba-01/domande", "/ambiti/ba-01"):
        held = api(admin, "DELETE", "/api" + folder, status=409)
        assert held.json["error"]["code"] == "registered_record", folder
    after = record(applications_app)
    assert after["state"] == before["state"]
    assert after["protocol"] == before["protocol"]
    assert admin.get("/api" + ROSSI).json["data"]["beneficiary_name"] == "Giovanni Rossi"


def test_the_html_delete_view_refuses(applications_app):
    admin = client(applications_app, "admin")
    page = admin.get(ROSSI + "/@@elimina", status=409)
    assert "protocollato" in page.text
    assert "Sì, elimina" not in page.text
    post(admin, ROSSI + "/@@elimina", status=409)
    folder = admin.get(CALL + "/@@elimina", status=409)
    assert "contiene documenti protocollati" in folder.text
    post(admin, CALL + "/@@elimina", status=409)
    assert record(applications_app)["protocol"]


def test_annulment_needs_a_reason_and_keeps_the_record(applications_app):
    rup = client(applications_app, "rup-ba01")
    before = record(applications_app)
    refused = api(rup, "POST", "/api" + ROSSI + "/@@transizione", {"transition": "annul"},
                  status=422)
    assert refused.json["error"]["code"] == "comment_required"
    blank = api(rup, "POST", "/api" + ROSSI + "/@@transizione",
                {"transition": "annul", "comment": "   "}, status=422)
    assert blank.json["error"]["code"] == "comment_required"
    assert record(applications_app)["state"] == "matched"
    # the provider sees the application but may not annul it; another citizen sees nothing
    for who, code in (("girasole", "transition_forbidden"), ("cittadino", "forbidden")):
        denied = api(client(applications_app, who), "POST", "/api" + ROSSI + "/@@transizione",
                     {"transition": "annul", "comment": "Errore"}, status=403)
        assert denied.json["error"]["code"] == code
    reason = "Domanda registrata due volte per errore (vedi protocollo precedente)"
    done = api(rup, "POST", "/api" + ROSSI + "/@@transizione",
               {"transition": "annul", "comment": reason})
    assert done.json["state"] == "annulled"
    after = record(applications_app)
    assert after["state"] == "annulled"
    assert after["protocol"] == before["protocol"]  # still in the register
    assert after["receipt"] == before["receipt"]
    last = after["history"][-1]
    assert (last["transition"], last["who"], last["comment"]) == ("annul", "rup-ba01", reason)
    annulled = [e for e in after["audit"] if e["action"] == "annullamento registrazione"]
    assert len(annulled) == 1
    assert annulled[0]["user"] == "rup-ba01"
    assert annulled[0]["details"]["protocol"] == before["protocol"]
    assert annulled[0]["details"]["reason"] == reason
    # the matched place goes back to the catalogue, as on a withdrawal
    assert after["free_places"] == before["free_places"] + 1
    # and the annulled record still cannot be deleted
    api(client(applications_app, "admin"), "DELETE", "/api" + ROSSI, status=409)


def test_annulment_through_the_html_form(applications_app):
    rup = client(applications_app, "rup-ba01")
    page = rup.get(ROSSI)
    assert "Annulla la registrazione" in page.text
    refused = post(rup, ROSSI + "/@@transizione", {"transition": "annul"}, status=422)
    assert "motivazione" in refused.text
    post(rup, ROSSI + "/@@transizione", {"transition": "annul", "comment": "Errore materiale"})
    after = record(applications_app)
    assert after["state"] == "annulled"
    assert after["history"][-1]["comment"] == "Errore materiale"
    assert "Annullata" in rup.get(ROSSI).text
