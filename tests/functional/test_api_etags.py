"""Optimistic concurrency in the JSON API: ETags, If-Match (412) and If-None-Match (304)."""
import json

import pytest
import webtest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from portal import main
from tests.conftest import csrf_token, login, make_settings

BARI = "/api/ambiti/ba-01/bari"


def call(app, method, path, body=None, status=None, **headers):
    headers = {"Content-Type": "application/json", "X-CSRF-Token": csrf_token(app), **headers}
    payload = json.dumps(body).encode() if body is not None else b""
    return app.request(path, method=method, body=payload, headers=headers,
                       status=status)  # webtest checks status only without expect_errors


def stored(app, path):
    """The object's data as stored now (read with a fresh GET)."""
    return app.get(path).json["data"]


def test_every_representation_has_a_strong_etag_that_changes_with_the_object(testapp):
    login(testapp, "admin")
    first = testapp.get(BARI)
    etag = first.headers["ETag"]
    assert etag.startswith('"')
    assert not etag.startswith("W/")
    assert testapp.get(BARI).headers["ETag"] == etag  # stable while nothing changes
    listing = testapp.get("/api/ambiti/ba-01/@@contenuti")
    assert listing.headers["ETag"].startswith('"')
    patched = call(testapp, "PATCH", BARI, {"inhabitants": 316001}, If_Match=etag)
    assert patched.headers["ETag"] != etag
    assert testapp.get(BARI).headers["ETag"] == patched.headers["ETag"]  # the write's is current
    # the listing shows the child's modification time, so its ETag changes too
    assert testapp.get("/api/ambiti/ba-01/@@contenuti").headers["ETag"] != listing.headers["ETag"]


def test_a_stale_if_match_is_412_and_nothing_is_written(testapp):
    login(testapp, "admin")
    old = testapp.get(BARI).headers["ETag"]
    call(testapp, "PATCH", BARI, {"inhabitants": 320000}, If_Match=old)
    before = testapp.get(BARI)
    for method, body in (("PATCH", {"inhabitants": 1}), ("PUT", {
            "title": "Bari vecchia", "istat_code": "072006", "cadastral_code": "A662",
            "province": "BA", "inhabitants": 2}), ("DELETE", None)):
        refused = call(testapp, method, BARI, body, status=412, If_Match=old)
        error = refused.json["error"]
        assert error["code"] == "precondition_failed"
        assert "nessuna modifica è stata salvata" in error["message"]
        after = testapp.get(BARI)
        assert after.json == before.json
        assert after.headers["ETag"] == before.headers["ETag"]
    # a list with the current tag passes, weak tags never match If-Match (strong comparison)
    current = before.headers["ETag"]
    call(testapp, "PATCH", BARI, {"inhabitants": 3}, status=412, If_Match="W/" + current)
    call(testapp, "PATCH", BARI, {"inhabitants": 4}, If_Match=f"{old}, {current}")
    assert stored(testapp, BARI)["inhabitants"] == 4


def test_if_match_star_and_no_if_match_write_as_before(testapp):
    login(testapp, "admin")
    call(testapp, "PATCH", BARI, {"inhabitants": 5}, If_Match="*")
    call(testapp, "PATCH", BARI, {"inhabitants": 6})
    assert stored(testapp, BARI)["inhabitants"] == 6


def test_if_none_match_gives_304_until_the_object_changes(testapp):
    login(testapp, "admin")
    etag = testapp.get(BARI).headers["ETag"]
    not_modified = testapp.get(BARI, headers={"If-None-Match": etag}, status=304)
    assert not_modified.headers["ETag"] == etag
    assert not_modified.body == b""
    testapp.get(BARI, headers={"If-None-Match": "W/" + etag}, status=304)  # weak comparison
    testapp.get(BARI, headers={"If-None-Match": '"altro"'}, status=200)
    listing = testapp.get("/api/ambiti/ba-01/@@contenuti").headers["ETag"]
    testapp.get("/api/ambiti/ba-01/@@contenuti", headers={"If-None-Match": listing}, status=304)
    call(testapp, "PATCH", BARI, {"inhabitants": 7})
    fresh = testapp.get(BARI, headers={"If-None-Match": etag}, status=200)
    assert fresh.json["data"]["inhabitants"] == 7
    assert fresh.headers["ETag"] != etag


@pytest.fixture
def wf_app(app_dir):
    """The portal with test types that follow the shipped workflows."""
    settings = make_settings(app_dir)
    settings["portal.includes"] = "tests.functional.wftypes"
    app = main({}, **settings)
    yield app
    app.registry._zodb_databases[""].close()


def test_a_transition_checks_if_match_and_changes_the_etag(wf_app):
    provider = login(webtest.TestApp(wf_app), "girasole")
    created = call(provider, "POST", "/api/catalogo/girasole/@@contenuti",
                   {"type": "TestEntry", "title": "Nido"}, status=201)
    url = created.headers["Location"].replace("http://localhost", "")
    stale = created.headers["ETag"]
    assert provider.get(url).headers["ETag"] == stale
    call(provider, "PATCH", url, {"title": "Nido d'infanzia"})
    refused = call(provider, "POST", url + "/@@transizione", {"transition": "submit"},
                   status=412, If_Match=stale)
    assert refused.json["error"]["code"] == "precondition_failed"
    assert provider.get(url).json["state"] == "draft"
    before = provider.get(url)
    moved = call(provider, "POST", url + "/@@transizione", {"transition": "submit"},
                 If_Match=before.headers["ETag"])
    assert moved.json["state"] == "submitted"
    assert moved.headers["ETag"] != before.headers["ETag"]
    assert provider.get(url).headers["ETag"] == moved.headers["ETag"]


def test_openapi_documents_etags_and_preconditions(testapp):
    doc = testapp.get("/api/openapi.json").json

    def names(operation):
        refs = [p["$ref"].rsplit("/", 1)[1] for p in operation.get("parameters", ())
                if "$ref" in p]
        return {doc["components"]["parameters"][r]["name"] for r in refs}

    item = doc["paths"]["/api/{path}"]
    assert item["get"]["responses"]["200"]["headers"]["ETag"]["$ref"] == "#/components/headers/ETag"
    assert "ETag" in doc["components"]["headers"]
    assert "304" in item["get"]["responses"]
    assert "If-None-Match" in names(item["get"])
    for method in ("put", "patch", "delete"):
        assert "412" in item[method]["responses"]
        assert "If-Match" in names(item[method])
    transition = doc["paths"]["/api/{path}/@@transizione"]["post"]
    assert "412" in transition["responses"]
    assert "If-Match" in names(transition)


# -------------------------------------------------------------- property: no lost update
WRITES = st.sampled_from(("PUT", "PATCH", "PUT", "PATCH", "GET", "DELETE"))
#: (client, operation, value, re-read first?): mostly without re-reading, so tags go stale
STEPS = st.lists(st.tuples(st.integers(0, 1), WRITES, st.integers(1, 10**6),
                           st.sampled_from((False, False, False, True))),
                 min_size=3, max_size=12)


def _page_body(number):
    return {"title": "Avviso", "body": f"Versione {number}"}


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=STEPS)
def test_a_write_with_a_stale_etag_never_changes_the_object(wsgi_app, steps):
    """Two clients edit one object; each writes with its last-seen ETag (maybe stale)."""
    clients = [login(webtest.TestApp(wsgi_app), "admin") for _ in range(2)]
    created = call(clients[0], "POST", "/api/documenti/@@contenuti",
                   {"type": "Page", "title": "Avviso", "body": "Versione 0"}, status=201)
    url = created.headers["Location"].replace("http://localhost", "")
    seen = [created.headers["ETag"], created.headers["ETag"]]
    current, deleted = created.headers["ETag"], False
    for who, op, number, fresh in steps:
        app = clients[who]
        if fresh and not deleted:  # re-read first: the client's tag is then current
            seen[who] = app.get(url).headers["ETag"]
        if op == "GET":
            if not deleted:
                seen[who] = app.get(url).headers["ETag"]
            continue
        before = None if deleted else app.get(url)
        body = None if op == "DELETE" else (
            {"body": f"Versione {number}"} if op == "PATCH" else _page_body(number))
        response = call(app, op, url, body, status="*", If_Match=seen[who])
        if deleted:
            assert response.status_int == 404
            continue
        if seen[who] != current:  # stale: refused, and the object is exactly as it was
            event(f"stale {op}")
            assert response.status_int == 412, (op, response.status)
            after = app.get(url)
            assert after.json == before.json
            assert after.headers["ETag"] == current
        elif op == "DELETE":
            assert response.status_int == 204
            deleted = True
            app.get(url, status=404)
        else:
            assert response.status_int == 200
            assert response.json["data"]["body"] == f"Versione {number}"
            current = seen[who] = response.headers["ETag"]
    call(clients[0], "DELETE", url, status="*")
