"""The plan's sections over the JSON API: read, save, bad input, stale tokens, frozen versions."""
from tests.conftest import csrf_token
from tests.functional.plans.plan_fixtures import client_as, fire


def api(app, who="ats_officer"):
    client = client_as(app, who)
    return client, {"X-CSRF-Token": csrf_token(client)}


def test_the_sections_come_back_with_tokens_figures_and_no_problem(plan_app):
    client, _headers = api(plan_app)
    body = client.get("/api" + plan_app.plan_path + "/versione-1/sezioni").json
    assert body["state"] == "draft"
    assert body["editable"] is True
    assert body["problems"] == []
    assert body["figures"]["ordinary"] == {"available": "9375000.00", "allocated": "5550000.00",
                                           "left": "3825000.00"}
    allocations = body["sections"]["allocazioni"]["rows"]
    assert {"intervention": "PSW", "source": "FNPS", "year": 2025,
            "amount": "200000.00"} in allocations
    assert body["sections"]["cofinanziamento"]["rows"][0] == {
        "istat": "072006", "amounts": {"2025": "1580000.00", "2026": "1580000.00",
                                       "2027": "1580000.00"}}


def test_a_section_saved_through_the_api_reads_numbers_and_italian_amounts(plan_app):
    client, headers = api(plan_app)
    url = "/api" + plan_app.plan_path + "/versione-1/allocazioni"
    current = client.get("/api" + plan_app.plan_path + "/versione-1/sezioni").json
    token = current["sections"]["allocazioni"]["token"]
    rows = [{"intervention": "PSW", "source": "FNPS", "year": 2025, "amount": 350000},
            {"intervention": "SAD", "source": "FNA", "year": "2026", "amount": "260.000,00"}]
    saved = client.put_json(url, {"token": token, "rows": rows}, headers=headers).json
    assert saved["sections"]["allocazioni"]["rows"] == [
        {"intervention": "PSW", "source": "FNPS", "year": 2025, "amount": "350000.00"},
        {"intervention": "SAD", "source": "FNA", "year": 2026, "amount": "260000.00"}]
    assert saved["sections"]["allocazioni"]["token"] != token
    # the same token again: someone (this client) saved meanwhile
    stale = client.put_json(url, {"token": token, "rows": []}, headers=headers, status=409).json
    assert stale["error"]["code"] == "section_conflict"
    assert len(client.get(url.replace("allocazioni", "sezioni")).json[
        "sections"]["allocazioni"]["rows"]) == 2


def test_bad_cells_are_named_in_english_codes_and_nothing_is_saved(plan_app):
    client, headers = api(plan_app)
    url = "/api" + plan_app.plan_path + "/versione-1/allocazioni"
    rows = [{"intervention": "PSW", "source": "FNPS", "year": 2025, "amount": "-1"},
            {"intervention": "NOPE", "source": "FNPS", "year": 1990, "amount": "abc"}]
    refused = client.put_json(url, {"rows": rows}, headers=headers, status=422).json["error"]
    assert refused["code"] == "invalid_plan_data"
    assert set(refused["fields"]) == {"allocazioni.0.importo", "allocazioni.1.intervento",
                                      "allocazioni.1.anno", "allocazioni.1.importo"}
    assert "negativo" in refused["fields"]["allocazioni.0.importo"]
    for body, field in (({"rows": "tutte"}, "rows"), ({"rows": [1, 2]}, "rows"),
                        ({"rows": [], "token": ["x"]}, "token")):
        error = client.put_json(url, body, headers=headers, status=400).json["error"]
        assert field in error["fields"]
    after = client.get(url.replace("allocazioni", "sezioni")).json
    assert len(after["sections"]["allocazioni"]["rows"]) == 21  # the fixture's, untouched


def test_an_approved_version_answers_409_and_strangers_403(plan_app):
    path = plan_app.plan_path + "/versione-1"
    client, headers = api(plan_app)
    region, region_headers = api(plan_app, "region_officer")
    region.put_json("/api" + path + "/fonti", {"rows": []}, headers=region_headers, status=403)
    citizen, _citizen_headers = api(plan_app, "citizen")
    citizen.get("/api" + path + "/sezioni", status=403)
    fire(plan_app, path, "submit")
    sent = client.put_json("/api" + path + "/fonti", {"rows": []}, headers=headers, status=409)
    assert sent.json["error"]["code"] == "plan_not_editable"
    fire(plan_app, path, "take_in_charge", "approve")
    frozen = client.put_json("/api" + path + "/interventi", {"rows": []}, headers=headers,
                             status=409)
    assert frozen.json["error"]["code"] == "plan_frozen"
    public = client_as(plan_app, "anonymous").get("/api" + path + "/sezioni").json
    assert public["state"] == "approved"
    assert public["editable"] is False
