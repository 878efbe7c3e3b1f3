"""The JSON API: CRUD, errors, and the OpenAPI document matching what the API does."""
import json

import jsonschema
import pytest
from openapi_spec_validator import validate

from tests.conftest import csrf_token, login


def call(app, method, path, body=None, raw=None, status=None):
    headers = {"Content-Type": "application/json", "X-CSRF-Token": csrf_token(app)}
    payload = raw if raw is not None else json.dumps(body if body is not None else {}).encode()
    return app.request(path, method=method, body=payload, headers=headers,
                       status=status)  # webtest checks status only without expect_errors


def test_create_read_update_delete(testapp):
    login(testapp, "rup-ba01")
    count = testapp.get("/api/ambiti/ba-01/@@contenuti").json["total"]
    created = call(testapp, "POST", "/api/ambiti/ba-01/@@contenuti", {
        "type": "Municipality", "title": "Bitonto", "istat_code": "072011",
        "cadastral_code": "a883", "province": "ba", "inhabitants": 53000,
    }, status=201)
    assert created.headers["Location"].endswith("/api/ambiti/ba-01/bitonto")
    assert created.json["data"]["cadastral_code"] == "A883"
    patched = call(testapp, "PATCH", "/api/ambiti/ba-01/bitonto", {"inhabitants": 54000})
    assert patched.json["data"]["inhabitants"] == 54000
    assert patched.json["data"]["istat_code"] == "072011"  # untouched by PATCH
    listing = testapp.get(f"/api/ambiti/ba-01/@@contenuti?limit=2&start={count}").json
    assert listing["total"] == count + 1
    assert [i["name"] for i in listing["items"]] == ["bitonto"]
    assert "Municipality" in listing["addable_types"]
    call(testapp, "DELETE", "/api/ambiti/ba-01/bitonto", status=204)
    testapp.get("/api/ambiti/ba-01/bitonto", status=404)


@pytest.mark.parametrize(("raw", "code"), [
    (b"{not json", "invalid_json"),
    (b"[1, 2]", "json_object_required"),
    (b'"testo"', "json_object_required"),
    (b"\xff\xfe", "invalid_json"),
    (b'{"title": "caff\xe8"}', "invalid_json"),  # Latin-1, not UTF-8
    (b"[" * 100_000 + b"]" * 100_000, "invalid_json"),  # RecursionError in json
    (b'{"title": ' + b"[" * 40 + b"]" * 40 + b"}", "invalid_json"),  # deeper than MAX_DEPTH
    (b'{"title": "x", "inhabitants": NaN}', "invalid_json"),
    (b'{"inhabitants": Infinity}', "invalid_json"),
    (b'{"inhabitants": -Infinity}', "invalid_json"),
    (b'{"inhabitants": 1e400}', "invalid_json"),  # float overflow: inf
    (b'{"inhabitants": ' + b"9" * 5000 + b"}", "invalid_json"),  # past Python's digit limit
    (b'{"inhabitants": ' + b"9" * 40 + b"}", "invalid_json"),
    (b'{"title": "a", "title": "b"}', "invalid_json"),
    (b'{"title": "\\ud800"}', "invalid_json"),  # a lone surrogate cannot be stored as UTF-8
])
def test_malformed_json_is_a_400(testapp, raw, code):
    login(testapp, "admin")
    response = call(testapp, "PATCH", "/api/ambiti/ba-01/bari", raw=raw, status=400)
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"].startswith(("Il ", "JSON ", "Valore ", "Numero ",
                                                          "Lo "))
    data = testapp.get("/api/ambiti/ba-01/bari").json
    assert data["title"] == "Bari"
    assert data["data"]["inhabitants"] == 316000


@pytest.mark.parametrize(("content_type", "status", "code"), [
    ("text/plain", 415, "unsupported_media_type"),
    ("application/x-www-form-urlencoded", 415, "unsupported_media_type"),
    ("application/json; charset=latin-1", 415, "unsupported_media_type"),
    ("", 415, "unsupported_media_type"),
])
def test_json_bodies_need_the_json_media_type(testapp, content_type, status, code):
    login(testapp, "admin")
    headers = {"X-CSRF-Token": csrf_token(testapp)}
    if content_type:
        headers["Content-Type"] = content_type
    response = testapp.request("/api/ambiti/ba-01/bari", method="PATCH", headers=headers,
                               body=b'{"title": "Altro"}', status=status)
    assert response.json["error"]["code"] == code
    assert testapp.get("/api/ambiti/ba-01/bari").json["title"] == "Bari"


def test_a_huge_json_body_is_refused_before_parsing(testapp):
    login(testapp, "admin")
    raw = b'{"title": "' + b"x" * (1024 * 1024) + b'"}'
    response = call(testapp, "PATCH", "/api/ambiti/ba-01/bari", raw=raw, status=413)
    assert response.json["error"]["code"] == "payload_too_large"
    assert testapp.get("/api/ambiti/ba-01/bari").json["title"] == "Bari"


def test_wrong_types_and_unknown_fields_give_field_errors(testapp):
    login(testapp, "admin")
    response = call(testapp, "PATCH", "/api/ambiti/ba-01/bari", {
        "inhabitants": "tanti", "title": 12, "colore": "blu", "istat_code": "12",
    }, status=400)
    fields = response.json["error"]["fields"]
    assert fields["inhabitants"] == "Tipo non valido: atteso numero intero."
    assert fields["title"] == "Tipo non valido: atteso testo."
    assert fields["colore"] == "Campo sconosciuto."
    response = call(testapp, "PATCH", "/api/ambiti/ba-01/bari", {"istat_code": "12"}, status=400)
    assert response.json["error"]["fields"] == {"istat_code": "Il codice ISTAT del comune è di 6 cifre."}
    required = call(testapp, "PUT", "/api/ambiti/ba-01/bari", {"title": "Bari"}, status=400)
    assert required.json["error"]["fields"]["istat_code"] == "Richiesto"
    assert testapp.get("/api/ambiti/ba-01/bari").json["data"]["istat_code"] == "072006"


def test_creation_errors(testapp):
    login(testapp, "admin")
    base = {"type": "Municipality", "title": "Bari", "istat_code": "072006",
            "cadastral_code": "A662", "province": "BA"}
    dup = call(testapp, "POST", "/api/ambiti/ba-01/@@contenuti", {**base, "name": "bari"},
               status=409)
    assert dup.json["error"]["code"] == "name_in_use"
    wrong_place = call(testapp, "POST", "/api/catalogo/@@contenuti", base, status=422)
    assert wrong_place.json["error"]["code"] == "not_addable"
    no_type = call(testapp, "POST", "/api/ambiti/ba-01/@@contenuti", {"title": "x"}, status=400)
    assert "type" in no_type.json["error"]["fields"]
    bad_name = call(testapp, "POST", "/api/ambiti/ba-01/@@contenuti",
                    {**base, "name": "@@evil"}, status=422)
    assert bad_name.json["error"]["code"] == "invalid_name"
    call(testapp, "GET", "/api/ambiti/ba-01/@@contenuti?limit=500", status=400)


def test_anonymous_writes_are_401_and_unknown_paths_404(testapp):
    response = call(testapp, "PATCH", "/api/ambiti/ba-01", {"title": "x"}, status=401)
    assert response.json["error"]["code"] == "authentication_required"
    missing = testapp.get("/api/non/esiste", status=404)
    assert missing.json["error"]["code"] == "not_found"


def test_openapi_document_is_valid_and_describes_every_api_route(testapp, wsgi_app):
    doc = testapp.get("/api/openapi.json").json
    validate(doc)
    paths = set(doc["paths"])
    assert {"/api/openapi.json", "/api/sessione", "/api/{path}", "/api/{path}/@@contenuti",
            "/api/{path}/@@transizione"} <= paths
    # every route under /api has its path in the document
    for route in wsgi_app.registry.introspector.get_category("routes"):
        pattern = route["introspectable"]["pattern"]
        if pattern.startswith("/api/") and "*" not in pattern:
            assert pattern in paths, pattern
    # every API view registered in the app has its operation in the document
    documented = set()
    for path, item in doc["paths"].items():
        view = path.rsplit("@@", 1)[1] if "@@" in path else ""
        for method in item:
            if method != "parameters":
                documented.add((view, method.upper()))
    for entry in wsgi_app.registry.introspector.get_category("views"):
        view = entry["introspectable"]
        if view["route_name"] != "api":
            continue
        methods = view["request_methods"] or ("GET",)
        for method in (methods if isinstance(methods, tuple) else (methods,)):
            if method == "HEAD":
                continue
            assert (view["name"], method) in documented, (view["name"], method)


def _resolve(doc, schema):
    return {**schema, "components": doc["components"]}


def test_responses_match_the_documented_schemas(testapp):
    doc = testapp.get("/api/openapi.json").json
    login(testapp, "admin")

    def check(path_key, method, response):
        op = doc["paths"][path_key][method]
        spec = op["responses"].get(str(response.status_int))
        assert spec is not None, f"{method} {path_key}: {response.status_int} not documented"
        if response.status_int == 204:
            return
        schema = spec["content"]["application/json"]["schema"]
        jsonschema.validate(response.json, _resolve(doc, schema))

    check("/api/sessione", "get", testapp.get("/api/sessione"))
    check("/api/{path}", "get", testapp.get("/api/ambiti/ba-01"))
    check("/api/{path}/@@contenuti", "get", testapp.get("/api/ambiti/@@contenuti"))
    body = {"type": "Page", "title": "Avviso", "body": "Testo"}
    jsonschema.validate(body, _resolve(doc, doc["paths"]["/api/{path}/@@contenuti"]["post"]
                                       ["requestBody"]["content"]["application/json"]["schema"]))
    check("/api/{path}/@@contenuti", "post",
          call(testapp, "POST", "/api/documenti/@@contenuti", body, status=201))
    check("/api/{path}", "patch", call(testapp, "PATCH", "/api/documenti/avviso", {"body": "Nuovo"}))
    check("/api/{path}", "put", call(testapp, "PUT", "/api/documenti/avviso",
                                     {"title": "Avviso", "body": "Altro"}))
    check("/api/{path}", "patch", call(testapp, "PATCH", "/api/documenti/avviso", {"x": 1},
                                       status=400))
    check("/api/{path}/@@transizione", "post",
          call(testapp, "POST", "/api/documenti/avviso/@@transizione", {"transition": "submit"},
               status=200))  # pages have the editorial workflow (issue 13)
    check("/api/{path}", "delete", call(testapp, "DELETE", "/api/documenti/avviso", status=204))
    check("/api/{path}", "get", testapp.get("/api/documenti/avviso", status=404))
