"""Random requests never get a 5xx: the JSON API, search, the catalogue, login, forms, uploads.

hypothesis drives the real WSGI app over a copy of the applications demo, with a
fixed profile (derandomized, bounded examples) so that CI is reproducible and
quick. The fuzzed requests never commit (a commit veto keyed on the environ),
so every example sees the same database and a failure shrinks reliably; an
exception escaping the app fails the test like a 500 does.
"""
import json
import shutil
import string
from urllib.parse import quote, urlencode

import pytest
import webob
import webtest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal import main
from tests.functional.applications.conftest import CALL, add_drafts, applications_settings, client, run_in_app

FUZZ_KEY = "tests.fuzz"
PROFILE = settings(max_examples=300, derandomize=True, deadline=None, database=None,
                   suppress_health_check=[HealthCheck.too_slow,
                                          HealthCheck.function_scoped_fixture])


def never_commit(request, response):
    """pyramid_tm's commit veto: fuzzed requests leave the database as it was."""
    return FUZZ_KEY in request.environ


@pytest.fixture(scope="module")
def fuzz(applications_database, smtp_server, tmp_path_factory):
    """The app, a draft of the citizen's, and logged-in clients (built once for the module)."""
    directory = tmp_path_factory.mktemp("fuzz") / "db"
    shutil.copytree(applications_database, directory,
                    ignore=shutil.ignore_patterns("*.lock", "*.tmp"))
    settings_ = applications_settings(directory, smtp_server[0].port)
    settings_["tm.commit_veto"] = f"{__name__}.never_commit"
    app = main({}, **settings_)
    ((draft, version),) = run_in_app(app, lambda portal: add_drafts(portal, app.registry, 1))
    clients = {who: client(app, who) for who in ("cittadino", "rup-ba01", "admin")}
    clients["anonimo"] = webtest.TestApp(app)
    tokens = {who: c.get("/api/sessione").json["csrf_token"] for who, c in clients.items()}
    yield {"app": app, "clients": clients, "tokens": tokens, "draft": draft,
           "version": version}
    app.registry._zodb_databases[""].close()


def send(fuzz, who, method, path, body=b"", content_type=None, csrf=True, query=""):
    """One request, never committed; fails on any 5xx (or an exception from the app).

    Built as a raw WSGI environ (WebTest itself cannot hold an undecodable path),
    with the client's session cookie.
    """
    request = webob.Request.blank("/", method=method)
    request.environ.update({"PATH_INFO": path, "QUERY_STRING": query, FUZZ_KEY: True})
    if body or method in ("POST", "PUT", "PATCH"):
        request.body = body
    if content_type is not None:
        request.environ["CONTENT_TYPE"] = content_type
    if csrf:
        request.headers["X-CSRF-Token"] = fuzz["tokens"][who]
    cookies = "; ".join(f"{c.name}={c.value}" for c in fuzz["clients"][who].cookiejar)
    if cookies:
        request.headers["Cookie"] = cookies
    response = request.get_response(fuzz["app"])
    assert response.status_int < 500, (method, path, query, body[:300], response.text[:500])
    return response


# -- building blocks ----------------------------------------------------------------------

WHO = st.sampled_from(["anonimo", "cittadino", "rup-ba01", "admin"])
ODD_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
NUMBERISH = st.sampled_from(["0", "-1", "1", "99999999999999999999", "1e309", "NaN", "Infinity",
                             "²", "٣", "1.5", "", " ", "0x10", "1" * 5000])
VALUE = st.one_of(ODD_TEXT, NUMBERISH)
ODD_BYTES = st.binary(max_size=12).map(lambda b: "".join(f"%{c:02X}" for c in b))
QUERY_VALUE = st.one_of(VALUE.map(lambda v: quote(v, safe="")), ODD_BYTES)


def query_of(keys):
    """A query string over ``keys`` (and a few random ones) with odd values and raw escapes."""
    key = st.one_of(st.sampled_from(keys), ODD_BYTES, st.text(string.ascii_letters, max_size=8))
    return st.lists(st.tuples(key, QUERY_VALUE), max_size=6).map(
        lambda pairs: "&".join(f"{k}={v}" for k, v in pairs))


JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                        st.text(max_size=20), NUMBERISH)
FIELDS = ["type", "name", "title", "description", "state", "data", "months", "full_time",
          "beneficiary_fiscal_code", "catalogue_entry_path", "isee", "amount", "budget",
          "transition", "comment", "places", "tariffs", "age_min_months", "age_max_months"]
JSON_VALUE = st.recursive(
    JSON_SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)),
                                            inner, max_size=5)),
    max_leaves=20)
CONTENT_TYPES = st.sampled_from([
    "Application/JSON", "application/json", "application/json; charset=latin-1", "text/plain",
    "application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=",
    "multipart/form-data; boundary=xx", "application/pdf", "", "a/b; charset=\u00ff"])


def json_body(value):
    return json.dumps(value).encode()


RAW_BODY = st.one_of(
    JSON_VALUE.map(json_body),
    st.binary(max_size=200),
    st.integers(1, 100_000).map(lambda n: b"[" * n + b"]" * n),
    st.sampled_from([b"{", b'{"a": NaN}', b'{"title": Infinity}', b"\xff\xfe", b"null", b"[]",
                     b'{"type": "Document", "name": "%ff"}']),
)

API_PATHS = ["/api", "/api/", "/api/catalogo", "/api/catalogo/girasole", "/api/ambiti",
             "/api/ambiti/ba-01", "/api/ambiti/ba-01/domande", "/api/regione", "/api/utenti",
             "/api/documenti", "/api/sessione", "/api/openapi.json", "/api/search",
             "/api/verify", "/api/catalogo/girasole/nido-girasole/nido-tempo-pieno"]
API_SUFFIXES = ["", "", "", "/@@contenuti", "/@@contenuti", "/@@transizione", "/nessuno", "/%ff"]
MOSTLY = [True] * 9 + [False]


@st.composite
def api_path(draw, fuzz_draft):
    base = draw(st.sampled_from(API_PATHS + ["/api" + fuzz_draft]))
    return base + draw(st.sampled_from(API_SUFFIXES))


# -- the fuzz tests -----------------------------------------------------------------------

@PROFILE
@given(data=st.data())
def test_api_with_random_json(fuzz, data):
    who = data.draw(st.sampled_from(["admin", "admin", "rup-ba01", "cittadino", "anonimo"]))
    method = data.draw(st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE"]))
    path = data.draw(api_path(fuzz["draft"]))
    body = data.draw(RAW_BODY) if method != "GET" else b""
    content_type = data.draw(st.one_of(st.just("application/json"), CONTENT_TYPES))
    send(fuzz, who, method, path.replace("%ff", "\xff"), body, content_type,
         csrf=data.draw(st.sampled_from(MOSTLY)))


@PROFILE
@given(who=WHO, query=query_of(["q", "type_name", "state", "district", "municipality", "year",
                                 "folder", "created_from", "created_to", "sort", "order",
                                 "page", "size"]),
       path=st.sampled_from(["/cerca", "/api/search"]))
def test_search_params(fuzz, who, query, path):
    send(fuzz, who, "GET", path, query=query)


@PROFILE
@given(who=WHO, query=query_of(["q", "comune", "ambito", "servizio", "eta", "posti", "pagina"]),
       path=st.sampled_from(["/catalogo", "/catalogo/", "/catalogo/@@opendata.json",
                             "/catalogo/@@opendata.csv", "/catalogo/@@mappa.svg"]))
def test_catalogue_filters(fuzz, who, query, path):
    send(fuzz, who, "GET", path, query=query)


FORM_FIELDS = st.dictionaries(
    st.one_of(st.sampled_from(["login", "password", "came_from", "csrf_token", "accedi",
                               "_version", "salva", "kind", "rimuovi", "invia", "comment",
                               "applicant_name", "applicant_fiscal_code", "email",
                               "beneficiary_fiscal_code", "residence_municipality", "months",
                               "full_time", "catalogue_entry_path", "codice_fiscale",
                               "protocollo_dsu", "tipo_isee", "valore_isee", "data_dsu",
                               "delegato", "revoca"]), st.text(max_size=8)),
    VALUE, max_size=8)


def form_body(fields, fuzz, who, valid_version):
    fields = dict(fields)
    fields.setdefault("csrf_token", fuzz["tokens"][who])
    if valid_version:
        fields["_version"] = fuzz["version"]
    return urlencode(fields).encode()


@PROFILE
@given(who=WHO, fields=FORM_FIELDS, valid_version=st.booleans(), step=st.sampled_from(
    ["@@accedi", "@@esci", "{draft}/@@compila?passo=persone", "{draft}/@@compila?passo=servizio",
     "{draft}/@@compila?passo=priorita", "{draft}/@@compila?passo=%ff", "{draft}/@@allegati",
     "{draft}/@@integrazione", "{draft}/@@invia", "{draft}/@@riepilogo",
     "{call}/@@nuova-domanda", "{call}/@@delega", "/ambiti/ba-01/domande/@@isee-manuale",
     "/ambiti/ba-01/domande/@@isee-registro", "/catalogo/@@registrazione-ente", "@@password",
     "/verifica"]))
def test_forms_with_random_fields(fuzz, who, fields, valid_version, step):
    target = step.format(draft=fuzz["draft"], call=CALL)
    path, _, query = target.partition("?")
    if not path.startswith("/"):
        path = "/" + path
    send(fuzz, who, "POST", path, form_body(fields, fuzz, who, valid_version),
         "application/x-www-form-urlencoded", query=query.replace("%ff", "%FF"))


@st.composite
def multipart(draw, fuzz, who):
    """A multipart body: sometimes well formed, sometimes broken at a random place."""
    boundary = draw(st.sampled_from(["b0undary", "x", "-" * 70, "a b"]))
    parts = []
    fields = {"csrf_token": fuzz["tokens"][who], "_version": fuzz["version"],
              "kind": draw(st.sampled_from(["altro", "documento_identita", "??"]))}
    fields.update(draw(FORM_FIELDS))
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode("utf-8", "surrogatepass"))
    filename = draw(st.sampled_from(["a.pdf", "", "\u00e8.pdf", "../../x", 'a"b.pdf']))
    content = draw(st.one_of(st.binary(max_size=300),
                             st.sampled_from([b"%PDF-1.7\n%%EOF", b"%PDF-1.4\n1 0 obj<<>>\n%%EOF"])))
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
                 + content + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    cut = draw(st.one_of(st.none(), st.integers(0, len(body))))
    if cut is not None:
        body = body[:cut] + draw(st.binary(max_size=20))
    declared = draw(st.sampled_from([boundary, boundary + "x", "", None]))
    content_type = ("multipart/form-data" if declared is None
                    else f"multipart/form-data; boundary={declared}")
    return body, content_type


@PROFILE
@given(data=st.data())
def test_uploads_with_random_multipart(fuzz, data):
    who = data.draw(st.sampled_from(["cittadino", "rup-ba01", "anonimo"]))
    body, content_type = data.draw(multipart(fuzz, who))
    path = data.draw(st.sampled_from([fuzz["draft"] + "/@@allegati",
                                      fuzz["draft"] + "/@@integrazione",
                                      "/ambiti/ba-01/domande/@@isee-manuale",
                                      "/ambiti/ba-01/domande/@@isee-registro",
                                      "/verifica", "/api/verify"]))
    send(fuzz, who, "POST", path, body, content_type)


SEGMENTS = ["catalogo", "ambiti", "ba-01", "domande", "regione", "utenti", "documenti",
            "api", "verifica", "cerca", "@@accedi", "@@modifica", "@@gestione", "@@contenuti",
            "@@aggiungi", "@@elimina", "@@gestione-ruoli", "@@transizione", "..", ".", "",
            "static", "@@fascicolo", "ricevuta.pdf", "@@isee-allegato"]


@PROFILE
@given(who=WHO, method=st.sampled_from(["GET", "POST", "HEAD", "OPTIONS", "PUT"]),
       segments=st.lists(st.one_of(st.sampled_from(SEGMENTS),
                                   st.binary(max_size=6).map(lambda b: b.decode("latin-1")),
                                   ODD_TEXT.map(lambda t: t.encode("utf-8").decode("latin-1"))),
                         min_size=1, max_size=5),
       query=st.one_of(st.just(""), ODD_BYTES, query_of(["tipo", "inizio", "per_pagina",
                                                          "ordina", "inverso", "nome", "uid",
                                                          "came_from", "_LOCALE_"])))
def test_random_paths_with_odd_bytes(fuzz, who, method, segments, query):
    path = "/" + "/".join(segments)
    send(fuzz, who, method, path, b"" if method in ("GET", "HEAD", "OPTIONS") else b"x=1",
         "application/x-www-form-urlencoded", query=query)
