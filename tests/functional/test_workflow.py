"""Workflows through the HTTP views and the API: a transition changes who sees and does what."""
import json

import pytest
import webtest

from portal import main
from tests.conftest import csrf_token, login, make_settings


@pytest.fixture
def wf_app(app_dir):
    settings = make_settings(app_dir)
    settings["portal.includes"] = "tests.functional.wftypes"
    app = main({}, **settings)
    yield app
    app.registry._zodb_databases[""].close()


def client(app, who):
    return login(webtest.TestApp(app), who)


def api(app, method, path, body=None, status=None):
    token = csrf_token(app)
    return app.request(path, method=method, body=json.dumps(body or {}).encode(),
                       headers={"Content-Type": "application/json", "X-CSRF-Token": token},
                       status=status)  # webtest checks status only without expect_errors


def test_catalogue_entry_lifecycle_through_forms(wf_app):
    provider = client(wf_app, "girasole")
    form = provider.get("/catalogo/girasole/@@aggiungi?tipo=TestEntry").forms["form-portale"]
    form["title"] = "Asilo nido Il Girasole — tempo pieno"
    page = form.submit("aggiungi", status=303).follow()
    assert "Bozza" in page.text
    assert "Invia per l'accreditamento" in page.text
    url = "/catalogo/girasole/asilo-nido-il-girasole-tempo-pieno"

    anonymous = webtest.TestApp(wf_app)
    anonymous.get(url, status=303)  # a draft is not public
    region = client(wf_app, "regione")
    region.get(url, status=403)  # the Region sees it only once submitted

    provider.get(url).forms[0]  # the page renders the transition forms
    token = csrf_token(provider)
    provider.post(url + "/@@transizione", {"transition": "submit", "csrf_token": token},
                  status=303)
    provider.get(url + "/@@modifica", status=403)  # no edits while under review
    assert "In attesa di accreditamento" in region.get(url).text

    # sending back needs a reason: refused without one, nothing changes
    token = csrf_token(region)
    refused = region.post(url + "/@@transizione",
                          {"transition": "send_back", "csrf_token": token}, status=422)
    assert "obbligatorio indicare una motivazione" in refused.text
    assert "In attesa di accreditamento" in region.get(url).text

    region.post(url + "/@@transizione", {"transition": "publish", "csrf_token": token},
                status=303)
    public = anonymous.get(url)
    assert "Pubblicata (accreditata)" in public.text
    history = region.get(url).text
    assert "Accredita e pubblica" in history
    assert "regione" in history


def test_transitions_through_the_api_with_errors(wf_app):
    provider = client(wf_app, "girasole")
    created = api(provider, "POST", "/api/catalogo/girasole/@@contenuti",
                  {"type": "TestEntry", "title": "Centro diurno"})
    entry = created.json
    assert entry["workflow"]["state"] == "draft"
    assert entry["workflow"]["transitions"] == ["submit"]
    url = "/api/catalogo/girasole/centro-diurno"

    region = client(wf_app, "regione")
    region.get(url, status=403)
    wrong = api(provider, "POST", url + "/@@transizione", {"transition": "publish"}, status=409)
    assert wrong.json["error"]["code"] == "wrong_state"
    unknown = api(provider, "POST", url + "/@@transizione", {"transition": "vola"}, status=404)
    assert unknown.json["error"]["code"] == "unknown_transition"
    bad = api(provider, "POST", url + "/@@transizione", {"transition": 5}, status=400)
    assert "transition" in bad.json["error"]["fields"]

    submitted = api(provider, "POST", url + "/@@transizione", {"transition": "submit"})
    assert submitted.json["workflow"]["state"] == "submitted"
    assert submitted.json["workflow"]["transitions"] == []
    forbidden = api(provider, "POST", url + "/@@transizione", {"transition": "publish"},
                    status=403)
    assert forbidden.json["error"]["code"] == "transition_forbidden"
    assert region.get(url).json["workflow"]["transitions"] == ["publish", "send_back"]
    api(region, "POST", url + "/@@transizione", {"transition": "publish"})
    assert webtest.TestApp(wf_app).get(url).json["workflow"]["state"] == "published"
    again = api(region, "POST", url + "/@@transizione", {"transition": "publish"}, status=409)
    assert "già stata modificata" in again.json["error"]["message"]


def test_other_providers_never_see_a_draft(wf_app):
    provider = client(wf_app, "girasole")
    before = webtest.TestApp(wf_app).get("/api/catalogo/girasole/@@contenuti").json["total"]
    api(provider, "POST", "/api/catalogo/girasole/@@contenuti",
        {"type": "TestEntry", "title": "Bozza riservata"})
    listing = webtest.TestApp(wf_app).get("/api/catalogo/girasole/@@contenuti").json
    assert "bozza-riservata" not in [i["name"] for i in listing["items"]]
    assert listing["total"] == before  # not even counted
    citizen = client(wf_app, "cittadino")
    citizen.get("/api/catalogo/girasole/bozza-riservata", status=403)
    assert "Bozza riservata" not in citizen.get("/catalogo/girasole").text


def test_manage_area_lists_and_draws_every_workflow(wf_app):
    admin = client(wf_app, "admin")
    page = admin.get("/@@gestione-workflow").text
    for title in ("Voce del catalogo", "Domanda", "Attestazione", "Piano"):
        assert title in page
    svg = admin.get("/@@diagramma-workflow?nome=application")
    assert svg.content_type == "image/svg+xml"
    assert "<svg" in svg.text
    assert "Bozza" in svg.text
    admin.get("/@@diagramma-workflow?nome=nessuno", status=404)
    webtest.TestApp(wf_app).get("/@@gestione-workflow", status=303)


def test_a_draft_application_is_private_until_submitted(wf_app):
    citizen = client(wf_app, "cittadino")
    officer = client(wf_app, "rup-ba01")
    visible = officer.get("/api/ambiti/ba-01/@@contenuti").json["total"]
    api(citizen, "POST", "/api/ambiti/ba-01/@@contenuti",
        {"type": "TestApplication", "title": "Domanda buono nido"})
    url = "/api/ambiti/ba-01/domanda-buono-nido"
    stranger = client(wf_app, "caf")  # no delegation from this citizen
    other_officer = client(wf_app, "regione")
    for outsider in (officer, stranger, other_officer):
        outsider.get(url, status=403)
    assert officer.get("/api/ambiti/ba-01/@@contenuti").json["total"] == visible  # not counted

    api(citizen, "POST", url + "/@@transizione", {"transition": "submit"})
    assert officer.get(url).json["workflow"]["state"] == "submitted"
    stranger.get(url, status=403)
    citizen.get("/ambiti/ba-01/domanda-buono-nido/@@modifica", status=403)
    api(citizen, "PATCH", url, {"title": "Cambiata"}, status=403)
    # withdrawal (rinuncia) by the owner; the officer then sees the final state
    api(citizen, "POST", url + "/@@transizione", {"transition": "withdraw"})
    assert officer.get(url).json["workflow"]["state"] == "withdrawn"
