"""Role × view matrix: every view of the portal, walked by every role.

The expected answers are written out here, not derived from the ACLs, so a
wrong permission anywhere makes this test fail.
"""
import pytest

from tests.conftest import ROLE_USERS, csrf_token, login

ANON, CIT, DEL, PRO, ATS, REG, ADM = (
    "anonymous", "citizen", "delegate", "provider", "ats_officer", "region_officer", "admin",
)
ALL = {ANON, CIT, DEL, PRO, ATS, REG, ADM}
LOGGED = ALL - {ANON}

# (method, path, body, allowed roles, status when allowed); deny = 303 to login
# for an anonymous HTML GET, 401 for anonymous API calls, 403 otherwise.
# Destructive cases come last: each role walks the list on its own database copy.
MATRIX = [
    ("GET", "/", None, ALL, 200),
    ("GET", "/regione", None, ALL, 200),
    ("GET", "/ambiti", None, ALL, 200),
    ("GET", "/ambiti/ba-01", None, ALL, 200),
    ("GET", "/ambiti/ba-01/bari", None, ALL, 200),
    ("GET", "/catalogo/girasole", None, ALL, 200),
    ("GET", "/documenti/guida-buoni-servizio", None, ALL, 200),
    ("GET", "/utenti", None, {ADM}, 200),
    ("GET", "/utenti/cittadino", None, {ADM}, 200),
    ("GET", "/@@accedi", None, ALL, 200),
    ("GET", "/@@privacy", None, ALL, 200),
    ("GET", "/@@accessibilita", None, ALL, 200),
    ("GET", "/@@note-legali", None, ALL, 200),
    ("GET", "/robots.txt", None, ALL, 200),
    ("GET", "/@@password", None, LOGGED, 200),
    ("GET", "/regione/@@modifica", None, {REG, ADM}, 200),
    ("GET", "/ambiti/ba-01/@@modifica", None, {ATS, REG, ADM}, 200),
    ("GET", "/ambiti/ta-01/@@modifica", None, {REG, ADM}, 200),
    ("GET", "/ambiti/ba-01/bari/@@modifica", None, {ATS, REG, ADM}, 200),
    ("GET", "/catalogo/girasole/@@modifica", None, {PRO, REG, ADM}, 200),
    ("GET", "/catalogo/arcobaleno/@@modifica", None, {REG, ADM}, 200),
    ("GET", "/documenti/guida-buoni-servizio/@@modifica", None, {ADM}, 200),
    ("GET", "/utenti/cittadino/@@modifica", None, {ADM}, 200),
    ("GET", "/ambiti/@@aggiungi?tipo=District", None, {REG, ADM}, 200),
    ("GET", "/ambiti/ba-01/@@aggiungi?tipo=Municipality", None, {ATS, REG, ADM}, 200),
    ("GET", "/ambiti/ta-01/@@aggiungi?tipo=Municipality", None, {REG, ADM}, 200),
    ("GET", "/catalogo/girasole/@@aggiungi?tipo=Folder", None, {PRO, REG, ADM}, 200),
    ("GET", "/documenti/@@aggiungi?tipo=Page", None, {ADM}, 200),
    ("GET", "/utenti/@@aggiungi?tipo=User", None, {ADM}, 200),
    ("GET", "/ambiti/ba-01/bari/@@elimina", None, {ATS, REG, ADM}, 200),
    ("GET", "/ambiti/ba-01/@@elimina", None, {REG, ADM}, 200),
    ("GET", "/catalogo/arcobaleno/@@elimina", None, {REG, ADM}, 200),
    ("GET", "/@@gestione", None, {ADM}, 200),
    ("GET", "/ambiti/ba-01/@@gestione", None, {ATS, ADM}, 200),
    ("GET", "/regione/@@gestione", None, {REG, ADM}, 200),
    ("GET", "/ambiti/ba-01/@@gestione-ruoli", None, {ADM}, 200),
    ("GET", "/ambiti/ba-01/@@gestione-storico", None, {ATS, ADM}, 200),
    ("GET", "/regione/@@gestione-storico", None, {REG, ADM}, 200),
    ("GET", "/@@gestione-storico", None, {ADM}, 200),
    ("GET", "/@@gestione-workflow", None, {ADM}, 200),
    ("GET", "/@@diagramma-workflow?nome=application", None, {ADM}, 200),
    ("GET", "/cerca?q=bari", None, ALL, 200),
    ("GET", "/api/search?q=bari", None, ALL, 200),
    ("GET", "/verifica", None, ALL, 200),
    ("GET", "/verifica/0000", None, ALL, 404),
    ("POST", "/verifica", {}, ALL, 200),
    ("POST", "/api/verify", {}, ALL, 400),
    ("GET", "/static/css/portal.css", None, ALL, 200),
    ("GET", "/api/openapi.json", None, ALL, 200),
    ("GET", "/api/sessione", None, ALL, 200),
    ("GET", "/api/ambiti/ba-01", None, ALL, 200),
    ("GET", "/api/ambiti/@@contenuti", None, ALL, 200),
    ("GET", "/api/utenti/cittadino", None, {ADM}, 200),
    ("GET", "/api/utenti/@@contenuti", None, {ADM}, 200),
    ("PATCH", "/api/ambiti/ba-01", {"description": "Aggiornata"}, {ATS, REG, ADM}, 200),
    ("PUT", "/api/regione", {"title": "Regione Puglia", "istat_code": "16"}, {REG, ADM}, 200),
    ("PATCH", "/api/catalogo/arcobaleno", {"address": "Via Roma 1"}, {REG, ADM}, 200),
    ("PATCH", "/api/catalogo/girasole", {"address": "Via Roma 2"}, {PRO, REG, ADM}, 200),
    ("POST", "/api/ambiti/ba-01/@@contenuti",
     {"type": "Municipality", "title": "Nuovo comune", "istat_code": "072999",
      "cadastral_code": "Z999", "province": "BA"}, {ATS, REG, ADM}, 201),
    ("POST", "/ambiti/ba-01/bari/@@modifica",
     {"title": "Bari", "istat_code": "072006", "cadastral_code": "A662", "province": "BA"},
     {ATS, REG, ADM}, "form"),
    ("POST", "/ambiti/ba-01/@@gestione-ruoli", {"principal": "user:caf", "roles": "delegate"},
     {ADM}, 303),
    # objects without a workflow answer 404 to a transition, to whoever may view them
    ("POST", "/ambiti/ba-01/@@transizione", {"transition": "submit"}, ALL, 404),
    ("POST", "/api/ambiti/ba-01/@@transizione", {"transition": "submit"}, ALL, 404),
    ("DELETE", "/api/ambiti/ba-01/modugno", None, {ATS, REG, ADM}, 204),
    ("POST", "/ambiti/ba-01/bari/@@elimina", {}, {ATS, REG, ADM}, 303),
    ("DELETE", "/api/ambiti/ba-01", None, {REG, ADM}, 204),
    ("POST", "/@@esci", {}, ALL, 303),
]


def _request(app, method, path, body, token):
    headers = {"X-CSRF-Token": token}
    if path.startswith("/api/"):
        if method == "GET":
            return app.get(path, expect_errors=True)
        return app.request(
            path, method=method, headers={**headers, "Content-Type": "application/json"},
            body=__import__("json").dumps(body).encode(), expect_errors=True,
        )
    if method == "GET":
        return app.get(path, expect_errors=True)
    return app.post(path, params={**(body or {}), "csrf_token": token}, expect_errors=True)


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_every_view_answers_every_role_as_expected(testapp, role):
    login(testapp, role)
    token = csrf_token(testapp)
    failures = []
    for method, path, body, allowed, ok_status in MATRIX:
        if ok_status == "form":
            # a form POST: success redirects (303); the point here is who may
            body = {**body, "_version": _version(testapp, path)}
            ok_status = 303
        response = _request(testapp, method, path, body, token)
        if role in allowed:
            expected = ok_status
        elif role == ANON and path.startswith("/api/"):
            expected = 401
        elif role == ANON and method == "GET":
            expected = 303  # sent to the login page, and back afterwards
        else:
            expected = 403
        if response.status_int != expected:
            failures.append(f"{method} {path}: {response.status_int} invece di {expected}")
        if expected == 303 and role == ANON and role not in allowed:
            assert "@@accedi?came_from=" in response.headers.get("Location", "")
    assert not failures, f"{role}:\n" + "\n".join(failures)


def _version(app, path):
    """The version token of an edit form (stale-form protection), if reachable."""
    import re  # noqa: PLC0415

    page = app.get(path, expect_errors=True)
    match = re.search(r'name="_version"[^>]*value="([^"]*)"', page.text)
    return match.group(1) if match else ""


def test_the_matrix_covers_every_route(wsgi_app):
    """Every URL route (search, verification, API) is matched by some matrix row."""
    from pyramid.interfaces import IRoutesMapper  # noqa: PLC0415

    mapper = wsgi_app.registry.getUtility(IRoutesMapper)
    paths = [path.split("?")[0] for _, path, _, _, _ in MATRIX]
    missing = [route.pattern for route in mapper.get_routes()
               if not any(route.match(p) is not None for p in paths)]
    assert not missing, "routes not in the matrix: " + ", ".join(missing)


def test_the_matrix_covers_every_view(wsgi_app):
    """Every view the portal registers appears in the matrix (by its name)."""
    introspector = wsgi_app.registry.introspector
    covered_names = set()
    for _, path, _, _, _ in MATRIX:
        tail = path.split("?")[0].rstrip("/").split("/")[-1]
        covered_names.add(tail[2:] if tail.startswith("@@") else "")
        covered_names.add(tail)
    missing = []
    for item in introspector.get_category("views"):
        view = item["introspectable"]
        callable_ = view["callable"]
        module = getattr(callable_, "__module__", "")
        if not module.startswith("portal") or view["context"] is not None and issubclass(
            view["context"], Exception
        ):
            continue
        name = view["name"]
        if view["route_name"] in ("api_openapi", "api_session"):
            name = {"api_openapi": "openapi.json", "api_session": "sessione"}[view["route_name"]]
        if name not in covered_names:
            missing.append(f"{module}.{getattr(callable_, '__name__', callable_)} «{name}»")
    assert not missing, "views not in the matrix: " + ", ".join(missing)
