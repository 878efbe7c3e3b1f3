"""The register's pages: the duplicate check across ATS through the grant form, bad input on
the fields (422, nothing stored), status changes with a reason, the ATS's register."""
from datetime import date

import pytest
from pyramid.traversal import find_resource, resource_path

from portal.demo.ids import fiscal_code
from portal.people import store as people
from portal.register import grant, listing
from tests.conftest import form_token, login
from tests.functional.applications.conftest import run_in_app

TARANTO = {"kind": "residence", "street": "Via Dante 3", "istat": "073027", "region": "16"}
VISITOR = fiscal_code("BNC", "SRA", date(1975, 3, 8), female=True)


def add_visitor(portal):
    """A woman living in Taranto (TA-01) with a nursery benefit granted there."""
    person = people.register_person(portal, {
        "fiscal_code": VISITOR, "first_name": "Sara", "last_name": "Bianchi",
        "address": TARANTO}, "rup-ta01")
    first = grant.grant(portal["ambiti"]["ta-01"], person, {
        "siuss_code": "A1.07", "start": date(2025, 9, 1), "end": date(2026, 6, 30),
        "protocol": "TA/2025/7", "monthly_amount": "300", "granted_by": "Comune di Taranto"},
        "rup-ta01")
    return resource_path(person), resource_path(first)


def counted(portal):
    return len(people.index(portal).benefits_of(VISITOR))


FORM = {"ente": "BA-01", "codice": "A1.NN", "origine": "contribution", "inizio": "01/01/2026",
        "fine": "31/03/2026", "importo_mensile": "364,00", "quota_ente": "364",
        "quota_utente": "136", "prova_mezzi": "4", "protocollo": "2026/0012345"}


def post_grant(testapp, path, status, **changes):
    page = testapp.get(f"{path}/@@nuova-prestazione")
    data = {**FORM, **changes, "csrf_token": form_token(page.text)}
    return testapp.post(f"{path}/@@nuova-prestazione", data, status=status)


def test_the_duplicate_check_fires_across_ats_and_asks_for_a_reason(testapp, wsgi_app):
    person_path, first_path = run_in_app(wsgi_app, add_visitor)
    login(testapp, "ats_officer")
    refused = post_grant(testapp, person_path, 409)
    overlap = refused.html.select("#prestazioni-sovrapposte tr.sovrapposta")
    assert len(overlap) == 1
    text = overlap[0].get_text(" ")
    assert "Comune di Taranto" in text
    assert "TA-01" in text
    assert "01/09/2025" in text
    assert "In corso" in text
    assert VISITOR not in refused.html.select_one("#prestazioni-sovrapposte").get_text()
    assert refused.html.select_one("#motivo") is not None
    assert run_in_app(wsgi_app, counted) == 1  # nothing stored
    # a blank reason is no reason
    post_grant(testapp, person_path, 409, motivo="   ")
    done = post_grant(testapp, person_path, 303, motivo="Due nidi diversi, verificato con TA-01")
    benefit_path = done.headers["Location"].replace("http://localhost", "")

    def stored(portal):
        benefit = find_resource(portal, benefit_path)
        return (benefit.override_reason, [o["path"] for o in benefit.overlaps],
                benefit.granted_by, benefit.monthly_amount, benefit.user_share, counted(portal))
    reason, overlaps, body, monthly, share, count = run_in_app(wsgi_app, stored)
    assert reason == "Due nidi diversi, verificato con TA-01"
    assert overlaps == [first_path]
    assert body == "Ambito territoriale di Bari"
    assert (str(monthly), str(share), count) == ("364.00", "136.00", 2)
    page = testapp.get(benefit_path)
    assert "Due nidi diversi" in page.html.select_one("#sovrapposizioni").get_text()
    assert "€ 364,00" in page.html.select_one("#importo-mensile").get_text()


@pytest.mark.parametrize("changes", [
    {"codice": "A1.04"},  # another category (home care)
    {"inizio": "01/07/2026", "fine": "31/07/2026"},  # after the other ends
])
def test_no_check_for_another_category_or_a_disjoint_period(testapp, wsgi_app, changes):
    person_path, _ = run_in_app(wsgi_app, add_visitor)
    login(testapp, "ats_officer")
    post_grant(testapp, person_path, 303, **changes)
    assert run_in_app(wsgi_app, counted) == 2


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"fine": "31/12/2025"}, "fine", "precedente all'inizio"),
    ({"codice": "X1.23"}, "codice", "Codice non in tabella"),
    ({"importo_mensile": "-3"}, "importo_mensile", "negativo"),
    ({"quota_utente": "12,3,4"}, "quota_utente", "Importo non valido"),
    ({"quota_ente": "dieci"}, "quota_ente", "Importo non valido"),
    ({"protocollo": ""}, "protocollo", "protocollo della domanda è obbligatorio"),
    ({"inizio": "31/02/2026"}, "inizio", "Data non valida"),
    ({"ore_mensili": "tante"}, "ore_mensili", "numero intero"),
    ({"origine": "voucher"}, "origine", "domande finanziate"),
    ({"prova_mezzi": "1"}, "isee_protocollo", "DSU"),
])
def test_bad_input_is_named_on_its_field(testapp, wsgi_app, changes, field, message):
    person_path, _ = run_in_app(wsgi_app, add_visitor)
    login(testapp, "ats_officer")
    page = post_grant(testapp, person_path, 422, **changes)
    assert message in page.html.select_one(f"#errore-{field}").get_text()
    assert run_in_app(wsgi_app, counted) == 1


@pytest.mark.parametrize(("who", "status"), [
    ("ats_officer", 200), ("municipal_operator", 200), ("social_worker", 403),
    ("citizen", 403), ("provider", 403), ("region_officer", 403)])
def test_who_may_grant(testapp, social, who, status):
    login(testapp, who)
    testapp.get(f"{social.citizen}/@@nuova-prestazione", status=status)


def test_the_municipal_operator_grants_in_the_municipality_s_name(testapp, wsgi_app, social):
    login(testapp, "municipal_operator")
    page = testapp.get(f"{social.citizen}/@@nuova-prestazione")
    assert [o["value"] for o in page.html.select("#ente option")] == ["BA-01/bari"]
    done = post_grant(testapp, social.citizen, 303, ente="BA-01/bari", codice="A2.01",
                      importo="250", importo_mensile="")

    def stored(portal):
        refs = people.index(portal).benefits_of(find_resource(portal, social.citizen).fiscal_code)
        benefit = find_resource(portal, refs[-1]["path"])
        return (refs[-1]["path"], benefit.granted_by, benefit.municipality, benefit.periodic,
                str(benefit.amount))
    path, *values = run_in_app(wsgi_app, stored)
    assert values == ["Comune di Bari", "072006", False, "250.00"]
    # the municipality's own register: its operators read and manage what they granted
    assert path.startswith("/ambiti/ba-01/bari/prestazioni/")
    assert done.location.rstrip("/").endswith(path)
    testapp.get(path, status=200)
    testapp.get("/ambiti/ba-01/bari/prestazioni", status=200)
    testapp.get("/ambiti/ba-01/prestazioni", status=403)  # the ATS's own benefits are not theirs


def test_status_changes_need_a_reason_and_keep_the_history(testapp, wsgi_app, social):
    login(testapp, "ats_officer")
    path = social.benefit
    page = testapp.get(f"{path}/@@sospendi")
    token = form_token(page.text)
    refused = testapp.post(f"{path}/@@sospendi", {"csrf_token": token, "conferma": "1"},
                           status=422)
    assert "motivo" in refused.html.select_one("#errore-motivo").get_text()
    testapp.post(f"{path}/@@sospendi", {"csrf_token": token, "conferma": "1",
                                         "motivo": "Ricovero in ospedale"}, status=303)
    # a suspended benefit cannot be suspended again
    again = testapp.post(f"{path}/@@sospendi", {"csrf_token": token, "conferma": "1",
                                                 "motivo": "di nuovo"}, status=409)
    assert again.html.select_one("#errore-modulo") is not None
    testapp.post(f"{path}/@@riprendi", {"csrf_token": token, "conferma": "1",
                                         "motivo": "Dimesso"}, status=303)
    early = testapp.post(f"{path}/@@concludi", {"csrf_token": token, "conferma": "1",
                                                 "motivo": "x", "fine": "01/01/2000"},
                         status=422)
    assert "precedente" in early.html.select_one("#errore-fine").get_text()

    def state(portal):
        benefit = find_resource(portal, path)
        ref = people.index(portal).benefits_of(benefit.fiscal_code)[0]
        return benefit.status, ref["status"], [h["what"] for h in benefit.history]
    assert run_in_app(wsgi_app, state) == ("active", "active", ["grant", "suspend", "resume"])
    start = run_in_app(wsgi_app, lambda portal: find_resource(portal, path).start)
    testapp.post(f"{path}/@@concludi", {"csrf_token": token, "conferma": "1",
                                         "motivo": "Trasferito", "fine": start.isoformat()},
                 status=303)
    assert run_in_app(wsgi_app, state)[:2] == ("ended", "ended")
    assert run_in_app(wsgi_app, lambda portal: (find_resource(portal, path).end,
                                                find_resource(portal, path).months)) == (start, 1)
    testapp.post(f"{path}/@@annulla", {"csrf_token": token, "conferma": "1",
                                        "motivo": "Registrata per errore"}, status=303)
    assert run_in_app(wsgi_app, state)[:2] == ("cancelled", "cancelled")
    page = testapp.get(path)
    assert "Registrata per errore" in page.html.select_one("#cronologia").get_text()
    assert not page.html.select("#azioni-prestazione a")


@pytest.mark.parametrize(("who", "status"), [
    # the demo's home care is Bari's: its municipal operator manages it, the ATS's officers too
    ("ats_officer", 200), ("municipal_operator", 200), ("social_worker", 403),
    ("other_social_worker", 403), ("citizen", 403), ("anonymous", 303)])
def test_who_may_change_a_status(testapp, social, who, status):
    login(testapp, who)
    for name in ("sospendi", "riprendi", "concludi", "annulla"):
        testapp.get(f"{social.benefit}/@@{name}", status=status)


def test_the_register_filters_and_pages(testapp, wsgi_app):
    def many(portal):
        person = people.find_person(portal, people.index(portal).people.minKey())
        district = portal["ambiti"]["ba-01"]
        for month in range(1, 13):
            for day in (1, 10, 20, 28, 5):
                grant.grant(district, person, {
                    "siuss_code": "A2.01", "start": date(2024, month, day),
                    "protocol": f"P/{month}/{day}", "amount": "10"}, "rup-ba01")
        return len(listing.benefits_in(district["prestazioni"]))
    total = run_in_app(wsgi_app, many)
    login(testapp, "ats_officer")
    page = testapp.get("/ambiti/ba-01/prestazioni")
    assert len(page.html.select("#prestazioni tr.prestazione")) == listing.PAGE_SIZE
    assert str(total) in page.html.select_one("#prestazioni caption").get_text()
    second = testapp.get("/ambiti/ba-01/prestazioni", {"pagina": "2", "codice": "A2.01"})
    assert len(second.html.select("#prestazioni tr.prestazione")) == 60 - listing.PAGE_SIZE
    march = testapp.get("/ambiti/ba-01/prestazioni", {"dal": "01/03/2024", "al": "31/03/2024"})
    assert len(march.html.select("#prestazioni tr.prestazione")) == 5
    home = testapp.get("/ambiti/ba-01/prestazioni", {"codice": "A1.04", "stato": "active"})
    assert len(home.html.select("#prestazioni tr.prestazione")) == 1
    wrong = testapp.get("/ambiti/ba-01/prestazioni", {"dal": "ieri"})
    assert "Data non valida" in wrong.text
    login(testapp, "social_worker")
    testapp.get("/ambiti/ba-01/prestazioni", status=403)
