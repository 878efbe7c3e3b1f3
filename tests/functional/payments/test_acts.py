"""Payment acts through the app: preview, confirm, one signed act; never twice; frozen; corrected."""
import re

from pyramid.traversal import find_resource

from portal.payments.ledger import PAY, REVERSAL, ledger_of
from tests.functional.applications.conftest import api, client, post, run_in_app
from tests.functional.applications.test_journey import pdfsig_ok, stored_document
from tests.functional.payments.acts_fixtures import (
    LIST,
    stored,
    with_validated_attestations,
)
from workflows import attestation as attestation_workflow

PROVIDER = "/catalogo/girasole"


def text(response):
    """The page's words, tags dropped."""
    return " ".join(re.sub(r"<[^>]+>", "", response.text).split())


def hidden_uids(page):
    return re.findall(r'name="uid" value="([0-9a-f]+)"', page.text)


def preview(officer, provider="", month=""):
    return post(officer, LIST, {"azione": "anteprima", "ente": provider, "mese": month},
                status=200)


def confirm(officer, uids, provider="", month="", status=303, conferma="si"):
    return officer.post(LIST, [("csrf_token", _token(officer)), ("azione", "emetti"),
                               ("ente", provider), ("mese", month), ("conferma", conferma)]
                        + [("uid", u) for u in uids], status=status)


def _token(officer):
    return officer.get("/api/sessione").json["csrf_token"]


def snapshot(app, uids):
    """(states, payments, acts, protocol counter, ledger length) as stored."""
    def read(district):
        by_uid = {}
        for application in district["domande"]["buoni-minori-2026"].values():
            folder = application.get("attestazioni") if hasattr(application, "get") else None
            for attestation in (folder.values() if folder is not None else ()):
                by_uid[attestation.uid] = attestation
        folder = district.get("liquidazioni")
        return ({u: by_uid[u].state for u in uids}, {u: by_uid[u].payment for u in uids},
                len(folder) if folder is not None else 0,
                district["domande"].protocol_counters.last(2026), len(ledger_of(district)))
    return stored(app, read)


def act_at(app, path, *names):
    return run_in_app(app, lambda portal: {n: getattr(find_resource(portal, path), n)
                                           for n in names})


def test_officer_previews_confirms_and_issues_one_signed_act(applications_app, codes, tmp_path):
    uids = with_validated_attestations(applications_app, codes)
    officer = client(applications_app, "rup-ba01")
    page = text(officer.get(LIST))
    assert "Nuovo atto di liquidazione" in page
    assert "2026-12" in page
    shown = preview(officer, PROVIDER, "2026-12")
    body = text(shown)
    month_uids = hidden_uids(shown)
    assert len(month_uids) == 3
    assert set(month_uids) <= set(uids)
    assert "Totali per ente gestore" in body
    assert "Totali per fonte di finanziamento" in body
    assert "L'emissione è irreversibile" in body
    before = snapshot(applications_app, uids)
    # without the confirmation nothing is issued
    again = confirm(officer, month_uids, PROVIDER, "2026-12",
                    status=200, conferma="")
    assert "Confermare l'emissione" in text(again)
    assert snapshot(applications_app, uids) == before
    issued = confirm(officer, month_uids, PROVIDER, "2026-12")
    url = issued.headers["Location"].replace("http://localhost", "")
    act = act_at(applications_app, url, "protocol", "lines", "totals_by_fund",
                 "totals_by_provider", "total", "document_id", "period", "uid")
    states, payments, count, counter, _ = snapshot(applications_app, uids)
    assert count == before[2] + 1  # the demo has an act already
    assert counter == before[3] + 1
    assert act["protocol"] == f"2026/{counter:07d}"
    assert act["period"] == "2026-12"
    assert {u for u, s in states.items() if s == attestation_workflow.PAID} == set(month_uids)
    assert all(payments[u]["act_number"] == act["protocol"] and payments[u]["act_uid"] == act["uid"]
               for u in month_uids)
    assert all(payments[u] is None for u in uids if u not in month_uids)

    def movements(district):
        return [(m.application, m.fund, m.amount) for m in ledger_of(district).movements()
                if m.kind == PAY and m.reference == f"Atto di liquidazione {act['protocol']}"]
    paid = stored(applications_app, movements)
    assert sorted(paid) == sorted((line["application_uid"], fund, value)
                                  for line in act["lines"] for fund, value in line["funds"])
    by_fund = {}
    for _app, fund, value in paid:
        by_fund[fund] = by_fund.get(fund, 0) + value
    assert dict(act["totals_by_fund"]) == by_fund
    assert len(by_fund) == 2  # the first fund ran out: the split shows
    assert act["total"] == sum(line["amount"] for line in act["lines"]) == sum(by_fund.values())
    assert act["totals_by_provider"][0][2] == act["total"]
    page = text(officer.get(url))
    assert act["protocol"] in page
    assert "Totali per fonte di finanziamento" in page
    assert "Scarica il PDF firmato" in page
    assert "Verifica l'autenticità" in page
    pdf = officer.get(url + "/@@pdf")
    assert pdf.content_type == "application/pdf"
    assert pdf.body == stored_document(applications_app, act["document_id"])
    pdfsig_ok(pdf.body, tmp_path, "atto.pdf")
    assert act["protocol"] in text(officer.get(LIST))


def test_paying_twice_is_refused_with_its_italian_message(applications_app, codes):
    uids = with_validated_attestations(applications_app, codes, months=1)
    officer = client(applications_app, "rup-ba01")
    shown = hidden_uids(preview(officer))
    confirm(officer, shown)
    before = snapshot(applications_app, uids)
    refused = confirm(officer, shown, status=409)
    assert "è già stata liquidata con l'atto" in refused.text
    assert "non si paga due volte" in refused.text
    assert snapshot(applications_app, uids) == before
    # nothing left: the form says so
    assert "Nessuna attestazione validata da liquidare" in text(officer.get(LIST))


def test_nothing_is_paid_when_one_attestation_stopped_being_payable(applications_app, codes):
    uids = with_validated_attestations(applications_app, codes, months=2)
    officer = client(applications_app, "rup-ba01")
    everything = hidden_uids(preview(officer))
    december = hidden_uids(preview(officer, PROVIDER, "2026-12"))
    confirm(officer, december[:1])  # another act pays one of them in between
    before = snapshot(applications_app, uids)
    refused = confirm(officer, everything, status=409)
    assert "già stata liquidata" in refused.text
    assert snapshot(applications_app, uids) == before  # no act, no number, no movement

    # a commitment released in between: the ledger refuses, the whole act is undone
    def release(district):
        att = next(a for a in _attestations(district) if a.uid == everything[-1])
        ledger_of(district).release(att.application_uid, who="test", when=None)
    stored(applications_app, release)
    rest = [u for u in everything if u not in december[:1]]
    before = snapshot(applications_app, uids)
    refused = confirm(officer, rest, status=409)
    assert "supera le somme impegnate" in refused.text
    assert snapshot(applications_app, uids) == before


def _attestations(district):
    for application in district["domande"]["buoni-minori-2026"].values():
        folder = application.get("attestazioni") if hasattr(application, "get") else None
        yield from (folder.values() if folder is not None else ())


def test_a_signed_act_never_changes(applications_app, codes):
    with_validated_attestations(applications_app, codes, months=1)
    officer = client(applications_app, "rup-ba01")
    url = confirm(officer, hidden_uids(preview(officer))).headers["Location"]
    url = url.replace("http://localhost", "")
    names = ("title", "lines", "total", "protocol", "modified", "document_id")
    before = act_at(applications_app, url, *names)
    admin = client(applications_app, "admin")
    for who in (officer, admin):
        # each attempt says why not and what to do instead (a correction act)
        for page in (who.get(url + "/@@modifica", status=409),
                     post(who, url + "/@@modifica", {"title": "Altro"}, status=409),
                     post(who, url + "/@@elimina", {}, status=409)):
            assert "è firmato e non si modifica" in text(page)
            assert "atto di rettifica" in text(page)
        for method in ("PATCH", "DELETE"):
            answer = api(who, method, "/api" + url, {"title": "Altro"}, status=409)
            assert answer.json["error"]["code"] == "act_signed"
        who.get(url + "/@@rettifica", status=200)  # a correction is a new act
    assert act_at(applications_app, url, *names) == before


def test_a_correction_is_a_new_signed_act_and_the_lines_can_be_paid_again(applications_app,
                                                                          codes, tmp_path):
    uids = with_validated_attestations(applications_app, codes, months=1)
    officer = client(applications_app, "rup-ba01")
    url = confirm(officer, hidden_uids(preview(officer))).headers["Location"]
    url = url.replace("http://localhost", "")
    old = act_at(applications_app, url, "lines", "protocol", "total", "modified", "uid")
    form = officer.get(url + "/@@rettifica")
    # a line of this test's attestations (the act also pays the demo's validated month)
    line = next(line for line in old["lines"] if line["attestation_uid"] in uids)
    assert line["protocol"] in text(form)
    token = _token(officer)
    refused = officer.post(url + "/@@rettifica", {"csrf_token": token, "riga": line["attestation_uid"],
                                                 "motivo": "", "conferma": "si"}, status=400)
    assert "Indicare la motivazione della rettifica" in refused.text
    done = officer.post(url + "/@@rettifica", {"csrf_token": token, "riga": line["attestation_uid"],
                                              "motivo": "Importo fatturato errato",
                                              "conferma": "si"}, status=303)
    new_url = done.headers["Location"].replace("http://localhost", "")
    new = act_at(applications_app, new_url, "corrects_uid", "corrects_protocol", "reason",
                 "lines", "total", "protocol", "document_id")
    assert new["corrects_uid"] == old["uid"]
    assert new["corrects_protocol"] == old["protocol"]
    assert new["reason"] == "Importo fatturato errato"
    assert new["total"] == -line["amount"]
    assert new["protocol"] != old["protocol"]
    assert act_at(applications_app, url, "lines", "protocol", "total", "modified", "uid") == old
    states, payments, *_ = snapshot(applications_app, uids)
    assert states[line["attestation_uid"]] == attestation_workflow.VALIDATED
    assert payments[line["attestation_uid"]] is None

    def reversals(district):
        return [(m.fund, m.amount) for m in ledger_of(district).movements()
                if m.kind == REVERSAL], ledger_of(district).consistent()
    found, consistent = stored(applications_app, reversals)
    assert sorted(found) == sorted((f, -v) for f, v in line["funds"])
    assert consistent
    assert f"Rettificato dall'atto {new['protocol']}" in text(officer.get(url))
    assert f"Rettifica dell'atto {old['protocol']}" in text(officer.get(new_url))
    pdfsig_ok(officer.get(new_url + "/@@pdf").body, tmp_path, "rettifica.pdf")
    # the same line cannot be cancelled twice; the correction is frozen too
    again = officer.post(url + "/@@rettifica", {"csrf_token": token, "riga": line["attestation_uid"],
                                               "motivo": "Ancora", "conferma": "si"}, status=409)
    assert "non è più annullabile" in again.text
    assert "è firmato e non si modifica" in text(officer.get(new_url + "/@@modifica",
                                                            status=409))
    # the cancelled line is payable again in a new act
    shown = hidden_uids(preview(officer))
    assert shown == [line["attestation_uid"]]
    confirm(officer, shown)
    assert snapshot(applications_app, uids)[0][line["attestation_uid"]] == attestation_workflow.PAID


def test_only_the_ats_officers_issue_acts(applications_app, codes):
    uids = with_validated_attestations(applications_app, codes, months=1)
    officer = client(applications_app, "rup-ba01")
    shown = hidden_uids(preview(officer))
    before = snapshot(applications_app, uids)
    for who in ("regione", "girasole", "cittadino", "caf"):
        other = client(applications_app, who)
        other.get(LIST, status=403)
        confirm(other, shown, status=403)
    assert snapshot(applications_app, uids) == before
