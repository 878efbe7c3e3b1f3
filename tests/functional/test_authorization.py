"""Role × view matrix: every view of the portal, walked by every role.

The expected answers are written out here, not derived from the ACLs, so a
wrong permission anywhere makes this test fail.
"""
import re

import pytest
import webtest
from pyramid.interfaces import IRoutesMapper

from tests.conftest import ROLE_USERS, csrf_token, login
from tests.functional.plans.archive_fixtures import ARCHIVE_MATRIX

ANON, CIT, DEL, PRO, ATS, REG, ADM = (
    "anonymous", "citizen", "delegate", "provider", "ats_officer", "region_officer", "admin",
)
#: the social side's staff: a municipal operator and a social worker of Bari, one of Modugno
MUN, SW, OSW = "municipal_operator", "social_worker", "other_social_worker"
ALL = {ANON, CIT, DEL, PRO, ATS, REG, ADM, MUN, SW, OSW}
LOGGED = ALL - {ANON}
ENTRY = "/catalogo/girasole/nido-girasole/nido-tempo-pieno"
DRAFT = "/catalogo/casa-serena/diurno-anziani-modugno/diurno-anziani-estate"


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
    ("GET", "/ambiti/ba-01/@@fondi", None, {ATS, REG, ADM}, 200),
    ("GET", "/ambiti/ta-01/@@fondi", None, {REG, ADM}, 200),
    ("GET", "/ambiti/ba-01/@@piani", None, {ATS, REG, ADM}, 200),
    ("GET", "/ambiti/ta-01/@@piani", None, {REG, ADM}, 200),
    ("GET", "/ambiti/ba-01/@@fondi-pagamenti.csv", None, {ATS, REG, ADM}, 200),
    ("GET", "/ambiti/ta-01/@@fondi-spesa.xlsx", None, {REG, ADM}, 200),
    ("GET", "/regione/@@fondi", None, {REG, ADM}, 200),
    ("GET", "/regione/@@piani", None, {REG, ADM}, 200),
    # the demo's plans: BA-01 2025-2027 approved (public), TA-01 2025-2027 sent to the Region
    ("GET", "/ambiti/ba-01/piani/2025-2027", None, ALL, 200),
    ("GET", "/ambiti/ba-01/piani/2025-2027/versione-1", None, ALL, 200),
    ("GET", "/ambiti/ta-01/piani/2025-2027/versione-1", None, {REG, ADM}, 200),
    ("GET", "/ambiti/ta-01/piani/2025-2027/versione-1/@@esame", None, {REG, ADM}, 200),
    ("POST", "/ambiti/ta-01/piani/2025-2027/versione-1/@@esame", {"azione": "nessuna"},
     {REG, ADM}, 400),
    # an approved plan answers the review page only to the admin (who holds every permission)
    ("GET", "/ambiti/ba-01/piani/2025-2027/versione-1/@@esame", None, {ADM}, 200),
    ("GET", "/ambiti/ba-01/piani/2025-2027/@@confronta", None, ALL, 200),
    ("GET", "/ambiti/ta-01/piani/2025-2027/@@confronta", None, ALL, 200),
    # a version one may not see answers like one that does not exist
    ("GET", "/ambiti/ta-01/piani/2025-2027/@@confronta?da=1&a=2", None, ALL, 404),
    ("GET", "/ambiti/ba-01/piani/2025-2027/@@confronta?da=1&a=1", None, ALL, 400),
    ("GET", "/ambiti/ba-01/piani/2025-2027/archivio", None, {ATS, REG}, 200),
    ("GET", "/ambiti/ta-01/piani/2025-2027/archivio", None, {REG}, 200),
    ("GET", "/regione/@@fondi-spesa.csv", None, {REG, ADM}, 200),
    ("GET", "/regione/@@fondi-pagamenti.xlsx", None, {REG, ADM}, 200),
    ("GET", "/regione/@@piani-impostazioni", None, {REG, ADM}, 200),
    ("GET", "/regione/@@piani-trasferimenti", None, {REG, ADM}, 200),
    ("GET", "/regione/@@piani-cruscotto", None, {REG, ADM}, 200),
    ("GET", "/regione/@@piani-cruscotto?periodo=2025", None, {REG, ADM}, 422),
    # refused bodies: the point is who gets past the permission
    ("POST", "/regione/@@piani-impostazioni", {"cofinanziamento_minimo": "-1"}, {REG, ADM}, 422),
    ("POST", "/regione/@@piani-trasferimenti", {"periodo": "2025"}, {REG, ADM}, 422),
    ("POST", "/regione/@@piani-cruscotto", {}, ALL, 404),  # a page to read, nothing to post
    ("GET", "/regione/@@monitoraggio?dal=2026-01-01&al=2026-12-31", None, {REG, ADM}, 200),
    ("GET", "/api/regione/monitoraggio?dal=2026-01-01&al=2026-12-31", None, {REG, ADM}, 200),
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
    # Bari's register holds a benefit with its protocol (issue 16): annul, do not delete (409)
    ("GET", "/ambiti/ba-01/bari/@@elimina", None, {ATS, REG, ADM}, 409),
    # ba-01 holds protocolled applications: whoever may delete it is told to annul (409)
    ("GET", "/ambiti/ba-01/@@elimina", None, {REG, ADM}, 409),
    ("GET", "/catalogo/arcobaleno/@@elimina", None, {REG, ADM}, 200),
    ("GET", "/@@gestione", None, {ADM}, 200),
    ("GET", "/ambiti/ba-01/@@gestione", None, {ATS, ADM}, 200),
    ("GET", "/regione/@@gestione", None, {REG, ADM}, 200),
    ("GET", "/ambiti/ba-01/@@gestione-ruoli", None, {ADM}, 200),
    ("GET", "/ambiti/ba-01/@@gestione-storico", None, {ATS, ADM}, 200),
    ("GET", "/ambiti/ba-01/@@liquidazioni", None, {ATS, ADM}, 200),
    ("GET", "/ambiti/ba-01/@@rettifica", None, ALL, 404),  # PaymentAct view: test_acts.py
    ("GET", "/regione/@@piani-fnps", None, {REG, ADM}, 200),
    ("GET", "/ambiti/ba-01/piani", None, ALL, {**dict.fromkeys(ALL, 200), ATS: 303, REG: 303,
                                               ADM: 303}),
    # the demo's BA-01 plan 2025-2027 is approved and in execution
    ("GET", "/ambiti/ba-01/piani/2025-2027/@@monitoraggio", None, {ATS, REG, ADM}, 200),
    ("GET", "/ambiti/ba-01/piani/2025-2027/@@monitoraggio.csv", None, {ATS, REG, ADM}, 200),
    ("GET", "/ambiti/ta-01/piani/2025-2027/@@monitoraggio", None, {REG, ADM}, 200),
    ("GET", "/ambiti/ba-01/piani/2025-2027/versione-1/@@riepilogo.pdf", None, ALL, 200),
    ("GET", "/ambiti/ba-01/piani/2025-2027/versione-1/@@piano.csv", None, ALL, 200),
    ("GET", "/ambiti/ta-01/piani/2025-2027/versione-1/@@piano.xlsx", None, {REG, ADM}, 200),
    ("GET", "/ambiti/ta-01/piani/2025-2027/versione-1/@@riepilogo.pdf", None, {REG, ADM}, 200),
    ("GET", "/ambiti/ta-01/piani/2025-2027/versione-1/@@piano.csv", None, {REG, ADM}, 200),
    ("GET", "/ambiti/ba-01/piani/2025-2027/versione-1/@@piano.xlsx", None, ALL, 200),
    ("GET", "/ambiti/ta-01/piani/2025-2027/@@monitoraggio.csv", None, {REG, ADM}, 200),
    # recording is the ATS's: the Region reads; a refused body (no token) says who gets past
    ("POST", "/ambiti/ba-01/piani/2025-2027/@@monitoraggio", {}, {ATS, ADM}, 409),
    ("POST", "/ambiti/ta-01/piani/2025-2027/@@monitoraggio", {}, {ADM}, 422),  # none approved
    ("GET", "/regione/@@gestione-storico", None, {REG, ADM}, 200),
    ("GET", "/@@gestione-storico", None, {ADM}, 200),
    ("GET", "/@@gestione-workflow", None, {ADM}, 200),
    ("GET", "/utenti/cittadino/@@gestione-sessioni", None, {ADM}, 200),
    ("GET", "/@@gestione-lavori", None, {ADM}, 200),
    ("GET", "/@@diagramma-workflow?nome=application", None, {ADM}, 200),
    ("GET", "/cerca?q=bari", None, ALL, 200),
    ("GET", "/api/search?q=bari", None, ALL, 200),
    ("GET", "/verifica", None, ALL, 200),
    ("GET", "/verifica/0000", None, ALL, 404),
    ("POST", "/verifica", {}, ALL, 400),  # no file: the refusal keeps its status
    ("POST", "/api/verify", {}, ALL, 400),
    ("GET", "/static/css/portal.css", None, ALL, 200),
    ("GET", "/api/openapi.json", None, ALL, 200),
    # the provider catalogue
    ("GET", "/catalogo", None, ALL, 200),
    ("GET", "/catalogo?servizio=asilo-nido&eta=1&posti=1", None, ALL, 200),
    ("GET", "/catalogo/@@opendata.csv", None, ALL, 200),
    ("GET", "/catalogo/@@opendata.json", None, ALL, 200),
    ("GET", "/catalogo/@@mappa.svg", None, ALL, 200),
    ("GET", "/catalogo/@@registrazione-ente", None, ALL, 200),
    ("GET", "/catalogo/@@richieste-registrazione", None, {REG, ADM}, 200),
    ("GET", "/catalogo/@@da-accreditare", None, {REG, ADM}, 200),
    ("POST", "/catalogo/@@decidi-registrazione", {"id": "x", "decisione": "attiva"},
     {REG, ADM}, 404),
    ("GET", "/catalogo/girasole/nido-girasole", None, ALL, 200),
    ("GET", ENTRY, None, ALL, 200),
    ("GET", ENTRY + "/@@scheda.pdf", None, ALL, 200),
    ("GET", ENTRY + "/@@modifica", None, {ADM}, 200),
    ("GET", ENTRY + "/@@proponi-modifica", None, {PRO, REG, ADM}, 200),
    ("POST", ENTRY + "/@@decidi-modifica", {"decisione": "approva"}, {REG, ADM}, 400),
    ("GET", DRAFT, None, {ADM}, 200),
    ("GET", "/catalogo/girasole/@@invita", None, {PRO, REG, ADM}, 200),
    ("GET", "/catalogo/girasole/@@invito?token=nessuno", None, ALL, 404),
    ("GET", "/catalogo/girasole/nido-girasole/@@aggiungi?tipo=CatalogueEntry", None,
     {PRO, REG, ADM}, 200),
    ("GET", "/catalogo/arcobaleno/@@aggiungi?tipo=ServiceUnit", None, {REG, ADM}, 200),

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
    ("POST", "/utenti/caf/@@gestione-sessioni", {"sessione": "tutte"}, {ADM}, 303),
    ("POST", "/@@gestione-lavori", {"lavoro": "nessuno"}, {ADM}, 303),
    # objects without a workflow answer 404 to a transition, to whoever may view them
    ("POST", "/ambiti/ba-01/@@transizione", {"transition": "submit"}, ALL, 404),
    ("POST", "/api/ambiti/ba-01/@@transizione", {"transition": "submit"}, ALL, 404),
    # a revision of the approved plan is the ATS's act (the Region reviews, it does not draft)
    ("POST", "/ambiti/ba-01/piani/2025-2027/@@nuova-versione", {}, {ATS, ADM}, 303),
    ("POST", "/ambiti/ta-01/piani/2025-2027/@@nuova-versione", {}, {ADM}, 409),  # still open
    ("DELETE", "/api/ambiti/ba-01/modugno", None, {ATS, REG, ADM}, 204),
    ("POST", "/ambiti/ba-01/bari/@@elimina", {}, {ATS, REG, ADM}, 409),
    ("DELETE", "/api/ambiti/ba-01", None, {REG, ADM}, 409),
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


def expected_status(role, method, path, allowed, ok_status):
    """What ``role`` should get: the row's status when allowed (one per role when a dict),
    else 401 for an anonymous API call, the login page for an anonymous GET, 403 otherwise."""
    if role in allowed:
        return ok_status[role] if isinstance(ok_status, dict) else ok_status
    if role == ANON and path.startswith("/api/"):
        return 401
    if role == ANON and method == "GET":
        return 303  # sent to the login page, and back afterwards
    return 403


def walk(testapp, role, rows, paths=None):
    """Every row of ``rows`` as ``role`` (already logged in): the answers that differ."""
    token = csrf_token(testapp)
    failures = []
    for method, template, body, allowed, ok_status in rows:
        path = template.format(**paths) if paths else template
        response = _request(testapp, method, path, body, token)
        expected = expected_status(role, method, path, allowed, ok_status)
        if response.status_int != expected:
            failures.append(f"{method} {template}: {response.status_int} invece di {expected}")
    return failures


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_every_view_answers_every_role_as_expected(testapp, role):
    login(testapp, role)
    token = csrf_token(testapp)
    failures = []
    for method, path, row_body, allowed, row_status in MATRIX:
        body, ok_status = row_body, row_status
        if row_status == "form":
            # a form POST: success redirects (303); the point here is who may
            body = {**row_body, "_version": _version(testapp, path)}
            ok_status = 303
        response = _request(testapp, method, path, body, token)
        expected = expected_status(role, method, path, allowed, ok_status)
        if response.status_int != expected:
            failures.append(f"{method} {path}: {response.status_int} invece di {expected}")
        if expected == 303 and role == ANON and role not in allowed:
            assert "@@accedi?came_from=" in response.headers.get("Location", "")
    assert not failures, f"{role}:\n" + "\n".join(failures)


def _version(app, path):
    """The version token of an edit form (stale-form protection), if reachable."""
    page = app.get(path, expect_errors=True)
    match = re.search(r'name="_version"[^>]*value="([^"]*)"', page.text)
    return match.group(1) if match else ""


def test_the_matrix_covers_every_route(wsgi_app):
    """Every URL route (search, verification, API) is matched by some matrix row."""
    mapper = wsgi_app.registry.getUtility(IRoutesMapper)
    paths = [path.split("?")[0] for _, path, _, _, _ in MATRIX]
    missing = [route.pattern for route in mapper.get_routes()
               if not any(route.match(p) is not None for p in paths)]
    assert not missing, "routes not in the matrix: " + ", ".join(missing)


def test_the_matrix_covers_every_view(wsgi_app):
    """Every view the portal registers appears in the matrix (by its name)."""
    introspector = wsgi_app.registry.introspector
    covered_names = set()
    # APPLICATION_MATRIX and PAYMENT_MATRIX (below) hold the rows of portal.applications and
    # portal.payments, each walked on its own app
    # ARCHIVE_MATRIX: the plan archive's rows, walked by tests/functional/plans/test_archive_authorization.py
    # SOCIAL_MATRIX: the social side's rows (issue 16), walked on the demo below
    rows = [row[1] for row in MATRIX + APPLICATION_MATRIX + PAYMENT_MATRIX + PLAN_MATRIX
            + SUBMITTED_PLAN_MATRIX + APPROVED_PLAN_MATRIX + ARCHIVE_MATRIX + SOCIAL_MATRIX]
    for path in rows:
        tail = path.split("?")[0].rstrip("/").split("/")[-1]
        covered_names.add(tail[2:] if tail.startswith("@@") else "")
        covered_names.add(tail)
    missing = []
    for item in introspector.get_category("views"):
        view = item["introspectable"]
        callable_ = view["callable"]
        module = getattr(callable_, "__module__", "")
        if not module.startswith("portal") or (view["context"] is not None and issubclass(
            view["context"], Exception
        )):
            continue
        name = view["name"]
        if view["route_name"] in ("api_openapi", "api_session"):
            name = {"api_openapi": "openapi.json", "api_session": "sessione"}[view["route_name"]]
        if name not in covered_names:
            missing.append(f"{module}.{getattr(callable_, '__name__', callable_)} «{name}»")
    assert not missing, "views not in the matrix: " + ", ".join(missing)


# ---------------------------------------------------------------- applications (issue 7)
# Rows for portal.applications, walked on the app that includes it with its demo data
# (portal.demo.applications): the call folder of BA-01 holds three applications of other
# families, matched with Il Girasole (state «abbinata»); «caf» holds a delegation from
# «cittadino». A TA-01 ranking is published (version 1) and a draft version 2 frozen by
# the admin before each walk (see ``_ranking_setup``).
# imported fixtures (pytest finds them by name in this module; F811 marks their uses)
from tests.functional.applications.conftest import (  # noqa: E402, F401
    applications_app,
    applications_database,
    applications_dir,
    codes,
    smtp_server,
)

CALL = "/ambiti/ba-01/domande/buoni-minori-2026"
APP = CALL + "/domanda-famiglia-rossi"
TA_RANKING = "/ambiti/ta-01/graduatorie/buoni-minori-2026"
VIEWERS = {PRO, ATS, REG, ADM}  # who may see a matched application (personal data aside)

APPLICATION_MATRIX = [
    ("GET", CALL, None, ALL, 200),
    ("GET", CALL + "/@@delega", None, {CIT, ATS, ADM}, 200),
    ("GET", "/regione/avvisi/buoni-minori-2026/@@pubblica", None, {REG, ADM}, 200),
    # the call's authoring, new versions and their differences (portal.applications.views.calls)
    ("GET", "/regione/avvisi/buoni-minori-2026/@@versioni", None, ALL, 200),
    ("GET", "/regione/avvisi/buoni-minori-2026/@@nuova-versione", None, {REG, ADM}, 200),
    ("POST", "/regione/avvisi/buoni-minori-2026/@@nuova-versione", {}, {REG, ADM}, 400),
    ("GET", "/regione/@@nuovo-avviso", None, {REG, ADM}, 200),
    ("GET", "/regione/avvisi/buoni-minori-2026/@@regole", None, {REG, ADM}, 200),
    ("POST", "/regione/avvisi/buoni-minori-2026/@@regole", {}, {REG, ADM}, 400),
    ("POST", "/regione/@@nuovo-avviso", {}, {REG, ADM}, 400),
    ("GET", APP, None, VIEWERS, 200),
    ("GET", "/api" + APP, None, VIEWERS, 200),
    ("GET", "/api" + CALL + "/@@contenuti", None, ALL, 200),
    ("GET", APP + "/@@esame", None, {PRO, ATS, ADM}, 200),
    ("GET", APP + "/@@abbinamento", None, {ADM}, 200),
    ("GET", APP + "/@@integrazione", None, {ADM}, 200),
    # the form's pages of a sent application lead whoever may see it to the explanation
    ("GET", APP + "/@@compila?passo=persone", None, VIEWERS, 303),
    ("GET", APP + "/@@allegati", None, VIEWERS, 303),
    ("GET", APP + "/@@riepilogo", None, VIEWERS, 303),
    ("GET", APP + "/@@inviata", None, VIEWERS, 200),
    ("GET", APP + "/@@ricevuta.pdf", None, set(), 200),
    ("GET", "/ambiti/ba-01/@@istruttoria", None, {ATS, ADM}, 200),
    ("GET", "/ambiti/ta-01/@@istruttoria", None, {ADM}, 200),
    ("GET", "/ambiti/ba-01/@@graduatoria?avviso=buoni-minori-2026", None, {ATS, ADM}, 200),
    ("GET", "/catalogo/girasole/@@abbinamenti", None, {PRO, REG, ADM}, 200),
    ("GET", "/catalogo/arcobaleno/@@abbinamenti", None, {REG, ADM}, 200),
    # issue 14: the provider's monthly grid of attestations (portal.payments.views.grid)
    ("GET", "/catalogo/girasole/@@attestazioni", None, {PRO, REG, ADM}, 200),
    ("GET", "/catalogo/arcobaleno/@@attestazioni", None, {REG, ADM}, 200),
    ("POST", "/catalogo/girasole/@@attestazioni", {}, {PRO, REG, ADM}, 303),
    ("POST", "/catalogo/girasole/@@attestazioni-blocco", {"verifica": "1"}, {PRO, REG, ADM},
     200),
    ("POST", "/catalogo/girasole/@@invia-attestazioni", {}, {PRO, REG, ADM}, 303),
    ("GET", "/@@fascicolo", None, LOGGED, 200),
    ("GET", TA_RANKING + "/1", None, ALL, 200),
    ("GET", TA_RANKING + "/1/@@pdf", None, ALL, 200),
    ("GET", TA_RANKING + "/2", None, {REG, ADM}, 200),
    ("GET", "/api" + TA_RANKING + "/2", None, {REG, ADM}, 200),
    # the dedicated moves cannot be fired through the generic transition (400 to viewers)
    ("POST", APP + "/@@transizione", {"transition": "match"}, VIEWERS, 400),
    ("POST", "/api" + APP + "/@@transizione", {"transition": "submit"}, VIEWERS, 400),
    ("POST", APP + "/@@invia", {}, VIEWERS, 303),
    ("PATCH", "/api" + APP, {"protocol": "2026/9999999"}, {ADM}, 400),
    ("POST", APP + "/@@esame", {"azione": "start_review"}, {ATS, ADM}, 409),
    ("POST", APP + "/@@abbinamento", {"decisione": "accetta"}, {ADM}, 409),
    ("POST", "/ambiti/ba-01/@@istruttoria", {"azione": "nessuna"}, {ATS, ADM}, 400),
    ("POST", TA_RANKING + "/2/@@pubblica", {"atto": ""}, {ADM}, 400),
    ("POST", "/ambiti/ta-01/@@graduatoria?avviso=buoni-minori-2026", {}, {ADM}, 400),
    ("POST", CALL + "/@@delega", {"delegato": "nessuno"}, {CIT, ATS, ADM}, 400),
    ("POST", CALL + "/@@nuova-domanda", {}, {CIT, ATS, ADM}, 303),
    ("POST", CALL + "/@@nuova-domanda", {"per_conto_di": "cittadino"}, {CIT, DEL}, 303),
    ("POST", "/regione/avvisi/buoni-minori-2026/@@pubblica", {}, {REG, ADM}, 400),
    # ISEE registry of the ATS (portal.applications.views.isee) and budgets (budget_views)
    ("GET", "/ambiti/ba-01/domande/@@isee-registro", None, {ATS, ADM}, 200),
    ("POST", "/ambiti/ba-01/domande/@@isee-registro", {}, {ATS, ADM}, 400),
    ("GET", "/ambiti/ba-01/domande/@@isee-manuale", None, {ATS, ADM}, 200),
    ("POST", "/ambiti/ba-01/domande/@@isee-manuale", {}, {ATS, ADM}, 400),
    ("POST", "/ambiti/ba-01/domande/@@isee-verifica", {"protocollo_dsu": "X"}, {ATS, ADM}, 400),
    ("GET", "/ambiti/ba-01/domande/@@isee-allegato?uid=nessuno", None, {ATS, ADM}, 404),
    ("GET", "/regione/avvisi/buoni-minori-2026/@@budget", None, {REG, ADM}, 200),
    ("POST", "/regione/avvisi/buoni-minori-2026/@@budget",
     {"ambito": "BA-01", "importo": "1", "motivo": ""}, {REG, ADM}, 400),
    # issue 13: the calls listing, the choice of the ATS, the personal area, the inbox, language
    ("GET", "/@@avvisi", None, ALL, 200),
    ("GET", "/regione/avvisi/buoni-minori-2026/@@presenta-domanda", None, ALL, 200),
    ("GET", "/@@area-personale", None, LOGGED, 200),
    ("GET", "/@@messaggi", None, LOGGED, 200),
    ("POST", "/@@messaggi", {}, LOGGED, 303),  # nothing chosen: back to the inbox
    ("GET", "/@@lingua?lang=en", None, ALL, 303),
]


def _ranking_setup(app):
    """Admin publishes an (empty) TA-01 ranking and freezes a draft second version."""
    admin = login(webtest.TestApp(app), ADM)
    token = csrf_token(admin)
    url = "/ambiti/ta-01/@@graduatoria?avviso=buoni-minori-2026"
    admin.post(url, {"csrf_token": token}, status=303)
    admin.post(TA_RANKING + "/1/@@pubblica", {"csrf_token": token, "atto": "Det. 1/2026"},
               status=303)
    admin.post(url, {"csrf_token": token, "motivo": "Verifica"}, status=303)


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_application_views_answer_every_role_as_expected(applications_app, role):  # noqa: F811
    _ranking_setup(applications_app)
    testapp = login(webtest.TestApp(applications_app), role)
    failures = walk(testapp, role, APPLICATION_MATRIX)
    assert not failures, f"{role}:\n" + "\n".join(failures)


def test_application_matrix_covers_every_application_view(applications_app):  # noqa: F811
    """Every view of portal.applications appears in the rows above (by its name)."""
    covered = set()
    for _, path, _, _, _ in APPLICATION_MATRIX:
        tail = path.split("?")[0].rstrip("/").split("/")[-1]
        covered.add(tail[2:] if tail.startswith("@@") else "")
    missing = sorted(
        item["introspectable"]["name"]
        for item in applications_app.registry.introspector.get_category("views")
        if getattr(item["introspectable"]["callable"], "__module__", "").startswith(
            "portal.applications")
        and item["introspectable"]["name"] not in covered)
    assert not missing, "views not in the matrix: " + ", ".join(missing)


def test_search_and_listings_keep_applications_in_scope(applications_app):  # noqa: F811
    """Search and the folder listing show applications only to who may see them."""
    seen = {}
    for role in ROLE_USERS:
        testapp = login(webtest.TestApp(applications_app), role)
        found = testapp.get("/api/search?q=domanda&per_pagina=100").json
        paths = {item.get("path", "") for item in found.get("items", found.get("results", []))}
        listing = testapp.get("/api" + CALL + "/@@contenuti").json
        seen[role] = ({p for p in paths if "/domande/" in p}, listing["total"])
    assert seen[ANON] == (set(), 0)
    assert seen[CIT] == (set(), 0)
    assert seen[DEL] == (set(), 0)
    for role in (PRO, ATS, REG, ADM):
        # the three of this call and the three of the demo's closed call (portal.demo.cycle)
        assert len(seen[role][0]) == 6, (role, seen[role])
        assert seen[role][1] == 3, (role, seen[role])


# ---------------------------------------------------------------- payments (issue 14)
from tests.functional.payments.authz_fixtures import OTHER_LOGINS, payment_setup  # noqa: E402

# Rows for portal.payments, walked on the applications app after ``payment_setup``: the
# ranking funds Luca (the citizen's application) and the demo families; every funded
# application is active with two validated attestations; Luca has one more attestation in
# each of draft, signed and sent; an act pays Luca's first month. Three more roles check
# scope: another citizen, an operator of another provider, an officer of another ATS.
OCIT, OPRO, OATS = "other_citizen", "other_provider", "other_ats_officer"
OTHER_USERS = dict(zip((OCIT, OPRO, OATS), OTHER_LOGINS, strict=True))
PAYMENT_ROLES = {**ROLE_USERS, **OTHER_USERS}
PAY_ALL = ALL | set(OTHER_USERS)
FAMILY = {CIT, PRO, ATS, ADM}  # who reads a sent/validated/paid attestation of Luca

# {L} Luca's application, {D} draft, {G} signed, {S} sent, {V} validated, {P} paid, {A} act
PAYMENT_MATRIX = [
    ("GET", "/ambiti/ba-01/@@attestazioni", None, {ATS, ADM}, 200),
    ("GET", "/ambiti/ta-01/@@attestazioni", None, {OATS, ADM}, 200),
    ("GET", "{S}/@@valida", None, FAMILY, 200),
    ("GET", "{V}/@@valida", None, FAMILY, 200),
    ("GET", "/@@attestazioni-da-confermare", None, PAY_ALL - {ANON}, 200),
    ("GET", "{D}", None, {CIT, PRO, ADM}, 200),
    ("GET", "{D}/@@conferma", None, {CIT, ADM}, 200),
    ("GET", "{D}/@@pdf", None, {CIT, PRO, ADM}, 200),
    ("GET", "{D}/@@carica-firmata", None, {CIT, ADM}, 200),
    ("GET", "{D}/@@modifica", None, {PRO, ADM}, 200),
    ("GET", "{S}", None, FAMILY, 200),
    ("GET", "{P}", None, FAMILY, 200),
    ("GET", "{P}/@@pdf", None, FAMILY, 200),
    ("GET", "{L}/@@chiusura-anticipata", None, {ATS, ADM}, 200),
    ("GET", "/ambiti/ba-01/@@liquidazioni", None, {ATS, ADM}, 200),
    ("GET", "/ambiti/ta-01/@@liquidazioni", None, {OATS, ADM}, 200),
    ("GET", "{A}", None, {ATS, REG, ADM}, 200),
    ("GET", "{A}/@@pdf", None, {ATS, ADM}, 200),
    ("GET", "{A}/@@rettifica", None, {ATS, ADM}, 200),
    ("GET", "/catalogo/girasole/@@attestazioni", None, {PRO, REG, ADM}, 200),
    ("GET", "/catalogo/arcobaleno/@@attestazioni", None, {OPRO, REG, ADM}, 200),
    ("GET", "/ambiti/ba-01/@@fondi", None, {ATS, REG, ADM}, 200),
    ("GET", "/ambiti/ta-01/@@fondi", None, {OATS, REG, ADM}, 200),
    # refused bodies: the point is who gets past the permission
    ("POST", "{D}/@@modifica", {}, {PRO, ADM}, 409),  # no version: stale form
    ("POST", "{D}/@@carica-firmata", {}, {CIT, ADM}, 422),  # no file
    ("POST", "{S}/@@valida", {"decisione": "nessuna"}, {ATS, ADM}, 409),
    ("POST", "/ambiti/ba-01/@@attestazioni", {}, {ATS, ADM}, 400),
    ("POST", "{L}/@@chiusura-anticipata", {}, {ATS, ADM}, 422),
    ("POST", "/ambiti/ba-01/@@liquidazioni", {"azione": "anteprima"}, {ATS, ADM}, 200),
    ("POST", "{A}/@@rettifica", {}, {ATS, ADM}, 200),
    # destructive last
    ("POST", "{G}/@@invia", {}, {PRO, ADM}, 303),
    # the admin holds every permission, yet only the family confirms its month (a guard)
    ("POST", "{D}/@@conferma", {}, {CIT, ADM}, {CIT: 303, ADM: 422}),
]


@pytest.mark.parametrize("role", list(PAYMENT_ROLES))
def test_payment_views_answer_every_role_as_expected(applications_app, codes, role):  # noqa: F811
    paths = payment_setup(applications_app, codes)
    testapp = webtest.TestApp(applications_app)
    login(testapp, PAYMENT_ROLES[role] or role)
    failures = walk(testapp, role, PAYMENT_MATRIX, paths)
    assert not failures, f"{role}:\n" + "\n".join(failures)


def test_payment_matrix_covers_every_payment_view(applications_app):  # noqa: F811
    """Every view of portal.payments appears in the payment rows (by name and context)."""
    covered = set()
    for _, path, _, _, _ in PAYMENT_MATRIX + APPLICATION_MATRIX + MATRIX:
        tail = path.split("?")[0].rstrip("/").split("/")[-1]
        covered.add(tail[2:] if tail.startswith("@@") else "")
    missing = sorted(
        item["introspectable"]["name"]
        for item in applications_app.registry.introspector.get_category("views")
        if getattr(item["introspectable"]["callable"], "__module__", "").startswith(
            "portal.payments")
        and item["introspectable"]["name"] not in covered)
    assert not missing, "views not in the matrix: " + ", ".join(missing)


# ---------------------------------------------------------------- zone plans (issue 15)
# Rows for portal.plans, walked on the demo with BA-01's complete plan 2025-2027 ({P}: the
# plan, {V}: its first version, {N}: the second) in three states (``_plan_setup``): a draft;
# sent to the Region; approved with a draft second version (FNPS availability changed). Each
# role walks on its own database copy; one more role checks scope: an officer of TA-01.
from portal.plans import store  # noqa: E402
from tests.functional.applications.conftest import run_in_app  # noqa: E402
from tests.functional.plans.monitoring_fixtures import (  # noqa: E402
    OTHER_ATS_OFFICER,
    add_other_ats_officer,
)
from tests.functional.plans.plan_fixtures import (  # noqa: E402, F401
    AVAILABLE,
    fire,
    plan_app,
    source_rows,
)

PLAN_ROLES = {**ROLE_USERS, OATS: OTHER_ATS_OFFICER}
PLAN_ALL = ALL | {OATS}
REGION = {REG, ADM}
# what an outsider gets for a version it may not see: the same as for one that is not there
HIDDEN = {ANON: 404, CIT: 404, DEL: 404, PRO: 404, REG: 404, OATS: 404, MUN: 404, SW: 404, OSW: 404,
          ATS: 200, ADM: 200}

PLAN_MATRIX = [
    ("GET", "/ambiti/ba-01/@@piani", None, {ATS, REG, ADM}, 200),
    ("GET", "/ambiti/ta-01/@@piani", None, {OATS, REG, ADM}, 200),
    # the officers go to @@piani; everyone else reads the approved plans (none yet)
    ("GET", "/ambiti/ba-01/piani", None, PLAN_ALL,
     {**dict.fromkeys(PLAN_ALL, 200), ATS: 303, REG: 303, ADM: 303}),
    ("GET", "{P}", None, PLAN_ALL, 200),
    ("GET", "{V}", None, {ATS, ADM}, 200),
    ("GET", "{V}/@@fonti", None, {ATS, ADM}, 200),
    ("GET", "{V}/@@cofinanziamento", None, {ATS, ADM}, 200),
    ("GET", "{V}/@@interventi", None, {ATS, ADM}, 200),
    ("GET", "{V}/@@allocazioni", None, {ATS, ADM}, 200),
    # a draft's outputs are its ATS's: neither the Region nor another ATS takes them
    ("GET", "{V}/@@riepilogo.pdf", None, {ATS, ADM}, 200),
    ("GET", "{V}/@@piano.csv", None, {ATS, ADM}, 200),
    ("GET", "{V}/@@piano.xlsx", None, {ATS, ADM}, 200),
    ("GET", "{V}/@@esame", None, {ADM}, 200),  # the Region reviews once it is sent
    ("GET", "{P}/@@confronta", None, PLAN_ALL, 200),  # one version: nothing to compare
    ("GET", "{P}/@@confronta?da=1&a=2", None, PLAN_ALL, 404),
    # nothing approved yet: the monitoring pages say so, to whoever may read them
    ("GET", "{P}/@@monitoraggio", None, {ATS, REG, ADM}, 200),
    ("GET", "{P}/@@monitoraggio.csv", None, {ATS, REG, ADM}, 200),
    ("GET", "/api{V}/sezioni", None, {ATS, ADM}, 200),
    ("PUT", "/api{V}/fonti", {"rows": "tutte"}, {ATS, ADM}, 400),  # rows must be a list
    ("GET", "/regione/@@piani", None, REGION, 200),
    ("GET", "/regione/@@piani-fnps", None, REGION, 200),
    ("GET", "/regione/@@piani-cruscotto", None, REGION, 200),
    ("GET", "/regione/@@piani-impostazioni", None, REGION, 200),
    ("GET", "/regione/@@piani-trasferimenti", None, REGION, 200),
    # refused bodies: the point is who gets past the permission
    ("POST", "/ambiti/ba-01/@@piani", {"periodo": "2025"}, {ATS}, 422),
    ("POST", "/ambiti/ta-01/@@piani", {"periodo": "2025"}, {OATS}, 422),
    ("POST", "{V}/@@fonti", {}, {ATS, ADM}, 409),  # no conflict token: a stale form
    ("POST", "{V}/@@allocazioni", {}, {ATS, ADM}, 409),
    ("POST", "{V}/@@esame", {"azione": "nessuna"}, {ADM}, 400),
    ("POST", "{P}/@@monitoraggio", {}, {ATS, ADM}, 422),  # nothing approved to record on
    ("POST", "{P}/@@nuova-versione", {}, {ATS, ADM}, 409),  # the draft is still open
    ("POST", "/regione/@@piani-impostazioni", {"soglia_fnps": "x"}, REGION, 422),
    ("POST", "/regione/@@piani-trasferimenti", {"periodo": "2025"}, REGION, 422),
    # destructive last
    ("POST", "{V}/@@invia", {}, {ATS, ADM}, 303),
]

SUBMITTED_PLAN_MATRIX = [
    ("GET", "{P}", None, PLAN_ALL, 200),
    ("GET", "{V}", None, {ATS, REG, ADM}, 200),
    ("GET", "{V}/@@riepilogo.pdf", None, {ATS, REG, ADM}, 200),
    ("GET", "{V}/@@piano.csv", None, {ATS, REG, ADM}, 200),
    ("GET", "{V}/@@piano.xlsx", None, {ATS, REG, ADM}, 200),
    ("GET", "{V}/@@esame", None, REGION, 200),
    # with the Region: whoever sees the version is told why it is not editable now
    ("GET", "{V}/@@fonti", None, {ATS, REG, ADM}, 409),
    ("GET", "{P}/@@confronta", None, PLAN_ALL, 200),
    ("GET", "{P}/@@confronta?da=1&a=2", None, PLAN_ALL, 404),
    ("GET", "{P}/@@monitoraggio", None, {ATS, REG, ADM}, 200),
    ("GET", "/regione/@@piani", None, REGION, 200),
    ("POST", "{V}/@@fonti", {}, {ATS, REG, ADM}, 409),
    ("POST", "{V}/@@invia", {}, {ATS, REG, ADM}, 409),
    ("GET", "/api{V}/sezioni", None, {ATS, REG, ADM}, 200),
    ("PUT", "/api{V}/allocazioni", {"rows": []}, {ATS, REG, ADM}, 409),
    ("POST", "{V}/@@esame", {"azione": "nessuna"}, REGION, 400),
    ("POST", "{V}/@@esame", {"azione": "restituisci"}, REGION, 422),  # not taken in charge
    ("POST", "{P}/@@nuova-versione", {}, {ATS, ADM}, 409),
    # destructive last
    ("POST", "{V}/@@esame", {"azione": "prendi"}, REGION, 303),
]

APPROVED_PLAN_MATRIX = [
    ("GET", "{P}", None, PLAN_ALL, 200),
    ("GET", "{V}", None, PLAN_ALL, 200),  # an approved plan is public
    ("GET", "{V}/@@riepilogo.pdf", None, PLAN_ALL, 200),
    ("GET", "{V}/@@piano.csv", None, PLAN_ALL, 200),
    ("GET", "{V}/@@piano.xlsx", None, PLAN_ALL, 200),
    ("GET", "{V}/@@fonti", None, PLAN_ALL, 409),  # frozen: make a new version
    ("GET", "{V}/@@esame", None, {ADM}, 200),
    # the draft revision is the ATS's only, its outputs and its differences included
    ("GET", "{N}", None, {ATS, ADM}, 200),
    ("GET", "{N}/@@riepilogo.pdf", None, {ATS, ADM}, 200),
    ("GET", "{N}/@@piano.csv", None, {ATS, ADM}, 200),
    ("GET", "{N}/@@piano.xlsx", None, {ATS, ADM}, 200),
    ("GET", "{P}/@@confronta", None, PLAN_ALL, 200),
    ("GET", "{P}/@@confronta?da=1&a=2", None, PLAN_ALL, HIDDEN),
    ("GET", "{P}/@@confronta?da=2&a=1", None, PLAN_ALL, HIDDEN),
    ("GET", "{P}/@@confronta?da=1&a=9", None, PLAN_ALL, 404),
    ("GET", "{P}/@@monitoraggio", None, {ATS, REG, ADM}, 200),
    ("GET", "{P}/@@monitoraggio.csv", None, {ATS, REG, ADM}, 200),
    ("GET", "/regione/@@piani-fnps", None, REGION, 200),
    ("GET", "/regione/@@piani-cruscotto", None, REGION, 200),
    ("POST", "{V}/@@esame", {"azione": "nessuna"}, {ADM}, 400),
    ("POST", "{V}/@@invia", {}, PLAN_ALL, 409),  # frozen, told to whoever sees it
    ("GET", "/api{V}/sezioni", None, PLAN_ALL, 200),
    ("PUT", "/api{V}/interventi", {"rows": []}, PLAN_ALL, 409),
    ("GET", "/api{N}/sezioni", None, {ATS, ADM}, 200),
    ("POST", "{N}/@@fonti", {}, {ATS, ADM}, 409),
    ("POST", "{P}/@@monitoraggio", {}, {ATS, ADM}, 409),
    ("POST", "{P}/@@nuova-versione", {}, {ATS, ADM}, 409),  # version 2 is open
]

PLAN_STATES = {"draft": PLAN_MATRIX, "submitted": SUBMITTED_PLAN_MATRIX,
               "approved": APPROVED_PLAN_MATRIX}


def _plan_setup(app, state):
    """BA-01's plan moved to ``state`` (approved: with a draft version 2), TA-01's officer."""
    path = app.plan_path
    if state != "draft":
        fire(app, path + "/versione-1", "submit")
    if state == "approved":
        fire(app, path + "/versione-1", "take_in_charge", "approve")

        def revise(portal):
            plan = portal["ambiti"]["ba-01"]["piani"]["2025-2027"]
            revision = store.new_version(plan, who="rup-ba01", registry=app.registry)
            store.save_sources(revision, source_rows(revision, {**AVAILABLE, "FNPS": "360.000,00"}),
                               sent_token=None, who="rup-ba01")
        run_in_app(app, revise)
    add_other_ats_officer(app)
    return {"P": path, "V": path + "/versione-1", "N": path + "/versione-2"}


@pytest.mark.parametrize("role", list(PLAN_ROLES))
@pytest.mark.parametrize("state", list(PLAN_STATES))
def test_plan_views_answer_every_role_as_expected(plan_app, state, role):  # noqa: F811
    paths = _plan_setup(plan_app, state)
    testapp = login(webtest.TestApp(plan_app), PLAN_ROLES[role] or role)
    failures = walk(testapp, role, PLAN_STATES[state], paths)
    assert not failures, f"{state}, {role}:\n" + "\n".join(failures)


def test_another_ats_never_sees_a_draft_through_the_comparison(plan_app):  # noqa: F811
    """BA-01's draft revision: compared by its ATS, absent for TA-01's officer and the rest."""
    paths = _plan_setup(plan_app, "approved")
    pages, asked = {}, {}
    for role in (ATS, OATS, REG, CIT, ANON):
        client = login(webtest.TestApp(plan_app), PLAN_ROLES[role] or role)
        pages[role] = client.get(paths["P"] + "/@@confronta").text
        asked[role] = client.get(paths["P"] + "/@@confronta?da=1&a=2", expect_errors=True)
    assert "360.000,00" in pages[ATS]  # version 2's FNPS availability
    assert asked[ATS].status_int == 200
    assert "360.000,00" in asked[ATS].text
    for role in (OATS, REG, CIT, ANON):
        assert "360.000,00" not in pages[role], role
        assert asked[role].status_int == 404, role
        assert "La versione 2 non esiste" in asked[role].text, role
        assert "360.000,00" not in asked[role].text, role


# ---------------------------------------------------------------- the social side (issue 16)
# Rows for portal.people, portal.cases and portal.register, walked on the demo (portal.demo
# .social): in Bari, Giovanni Greco ({E}) in the care of «as-bari» (office ss-bari) with his
# case file ({C}) and its note ({N}), the home care the municipality grants him ({B}, in Bari's
# register {R}); the citizen's Person ({Z}), his household ({H}) with his son ({S}, the son's
# codice fiscale); {F}, a person in no household; {V}, a voucher in the ATS's register. The
# demo's names are random: ``_social_paths`` resolves them. The registry answers the ATS
# officer and Bari's municipal operator and social worker, nobody else (not the admin); the
# case answers only its team; the ATS's register and its SIUSS flow only the ATS's officers.
from datetime import date  # noqa: E402

from pyramid.traversal import find_resource, resource_path  # noqa: E402

from content_types.person import CASE_NAME  # noqa: E402
from portal.cases import store as cases_store  # noqa: E402
from portal.demo.ids import fiscal_code  # noqa: E402
from portal.demo.social import CITIZEN_CODE, SON_CODE  # noqa: E402
from portal.people import store as people_store  # noqa: E402
from tests.functional.social.conftest import demo_paths  # noqa: E402

BARI_STAFF = {ATS, MUN, SW}  # who reads Bari's registry and register
GRANTING = {ATS, MUN}  # who grants and changes Bari's benefits
TEAM = {SW}  # the case team (as-bari, the case manager, and her office)
BARI = "/ambiti/ba-01/bari"
ATS_REGISTER = "/ambiti/ba-01/prestazioni"
#: what the pages of the map answer: the officers (EDIT on the District and the Region)
MAPPERS = {ATS, REG, ADM}

SOCIAL_MATRIX = [
    # the registry of a municipality and of the ATS (portal.people.views.registry); the admin
    # passes the page's permission but the registry's ACL shows it nobody
    ("GET", BARI + "/@@anagrafica", None, BARI_STAFF | {ADM}, 200),
    ("GET", BARI + "/@@anagrafica?q={E_CODE}", None, BARI_STAFF | {ADM}, 200),
    ("GET", "/ambiti/ba-01/modugno/@@anagrafica", None, {ATS, OSW, ADM}, 200),
    ("GET", "/ambiti/ba-01/@@anagrafica", None, {ATS, ADM}, 200),
    ("GET", "/ambiti/ta-01/@@anagrafica", None, {ADM}, 200),
    ("GET", BARI + "/@@nuova-persona", None, BARI_STAFF | {ADM}, 200),
    ("GET", "/ambiti/ba-01/@@nuova-persona", None, {ATS, ADM}, 200),
    ("POST", BARI + "/@@nuova-persona", {"fiscal_code": "X"}, BARI_STAFF | {ADM}, 422),
    # a person (portal.people.views.person): the registry's staff in scope; the citizen
    # reads their own record
    ("GET", "{E}", None, BARI_STAFF, 200),
    ("GET", "{Z}", None, BARI_STAFF | {CIT}, 200),
    ("GET", "{E}/@@modifica", None, BARI_STAFF, 200),
    ("GET", "{Z}/@@modifica", None, BARI_STAFF, 200),
    ("GET", "{E}/@@contatto", None, BARI_STAFF, 200),
    ("GET", "{E}/@@isee", None, BARI_STAFF, 200),
    ("GET", "{F}/@@nuovo-nucleo", None, BARI_STAFF, 200),
    ("GET", "{Z}/@@proposte", None, BARI_STAFF | {CIT}, 200),
    ("GET", "{E}/@@proposte", None, BARI_STAFF, 200),
    ("POST", "{E}/@@modifica", {"first_name": ""}, BARI_STAFF, 422),
    ("POST", "{E}/@@contatto", {}, BARI_STAFF, 422),
    ("POST", "{E}/@@isee", {"protocol": ""}, BARI_STAFF, 422),
    # the household (portal.people.views.household): its contact, the citizen, reads it
    ("GET", "{H}", None, BARI_STAFF | {CIT}, 200),
    ("GET", "{H}/@@aggiungi-componente", None, BARI_STAFF, 200),
    ("GET", "{H}/@@togli-componente?fiscal_code={S}", None, BARI_STAFF, 200),
    ("POST", "{H}/@@aggiungi-componente", {"fiscal_code": "X"}, BARI_STAFF, 422),
    ("POST", "{H}/@@togli-componente", {"fiscal_code": "CNTMRC85P09E506E"}, BARI_STAFF, 422),
    # the case file (portal.cases.views): the team only: not the ATS officer, not the admin
    ("GET", "{E}/@@apri-cartella", None, {SW}, 200),
    ("POST", "{E}/@@apri-cartella", {}, {SW}, 409),  # already open: named, nothing created
    ("GET", "{C}", None, TEAM, 200),
    ("GET", "{N}", None, TEAM, 200),
    ("GET", "{C}/@@presa-in-carico", None, TEAM, 200),
    ("GET", "{C}/@@valutazione", None, TEAM, 200),
    ("GET", "{C}/@@pai", None, TEAM, 200),
    ("GET", "{C}/@@nota", None, TEAM, 200),
    ("GET", "{C}/@@documenti", None, TEAM, 200),
    ("GET", "{C}/@@scarica?documento=nessuno", None, TEAM, 404),
    ("GET", "{C}/@@equipe", None, TEAM, 200),
    ("GET", "{C}/@@chiudi", None, TEAM, 200),
    ("GET", "{C}/@@riapri", None, TEAM, 200),
    ("GET", "/@@mie-cartelle", None, LOGGED, 200),
    # refused bodies: the point is who gets past the permission
    ("POST", "{C}/@@presa-in-carico", {"area": "X"}, TEAM, 422),
    ("POST", "{C}/@@valutazione", {"day": "ieri"}, TEAM, 422),
    ("POST", "{C}/@@pai", {"review": "ieri"}, TEAM, 422),
    ("POST", "{C}/@@pai-verifica", {"day": "ieri"}, TEAM, 422),
    ("POST", "{C}/@@nota", {"text": ""}, TEAM, 422),
    ("POST", "{C}/@@documenti", {}, TEAM, 422),
    ("POST", "{C}/@@equipe", {"team": "nessuno-cosi"}, TEAM, 422),
    ("POST", "{C}/@@chiudi", {}, TEAM, 422),
    ("POST", "{C}/@@riapri", {}, TEAM, 409),  # still open
    # the register of benefits (portal.register.views.register): Bari's, the ATS's
    ("GET", "{R}", None, BARI_STAFF, 200),
    ("GET", ATS_REGISTER, None, {ATS}, 200),
    ("GET", ATS_REGISTER + "?stato=active&dal=ieri", None, {ATS}, 200),
    ("GET", "{B}", None, BARI_STAFF, 200),
    ("GET", "{V}", None, {ATS}, 200),
    ("GET", "{B}/@@sospendi", None, GRANTING, 200),
    ("GET", "{B}/@@riprendi", None, GRANTING, 200),
    ("GET", "{B}/@@concludi", None, GRANTING, 200),
    ("GET", "{B}/@@annulla", None, GRANTING, 200),
    ("GET", "{V}/@@sospendi", None, {ATS}, 200),
    ("POST", "{B}/@@sospendi", {}, GRANTING, 422),
    ("POST", "{B}/@@riprendi", {}, GRANTING, 422),
    ("POST", "{B}/@@concludi", {}, GRANTING, 422),
    ("POST", "{B}/@@annulla", {}, GRANTING, 422),
    # granting: whoever holds the right in some ATS or municipality, for any person
    ("GET", "{E}/@@nuova-prestazione", None, GRANTING, 200),
    ("POST", "{E}/@@nuova-prestazione", {}, GRANTING, 422),
    # the SIUSS flow of the ATS (portal.register.views.siuss): its officers only
    ("GET", ATS_REGISTER + "/@@siuss", None, {ATS}, 200),
    ("GET", ATS_REGISTER + "/@@siuss?anno=2026&anteprima=1", None, {ATS}, 200),
    ("GET", "{R}/@@siuss", None, {ATS}, 200),
    ("POST", ATS_REGISTER + "/@@siuss", {"anno": "2026"}, {ATS}, 200),  # not confirmed
    ("GET", ATS_REGISTER + "/@@siuss-errori?anno=2026", None, {ATS}, 200),
    ("GET", ATS_REGISTER + "/@@siuss-flusso?n=1", None, {ATS}, 404),  # nothing sent yet
    ("GET", ATS_REGISTER + "/@@siuss-ricevuta?n=1", None, {ATS}, 404),
    ("GET", ATS_REGISTER + "/@@siuss-errori?n=1", None, {ATS}, 404),
    ("GET", ATS_REGISTER + "/@@siuss-trasmissione?n=1", None, {ATS}, 404),
    # the map of needs (portal.register.views.needs): officers of the ATS, the Region
    ("GET", "/ambiti/ba-01/@@mappa-bisogni", None, MAPPERS, 200),
    ("GET", "/ambiti/ba-01/@@mappa-bisogni?misura=prestazioni&anno=x&area=ELD", None,
     MAPPERS, 200),
    ("GET", "/ambiti/ta-01/@@mappa-bisogni", None, {REG, ADM}, 200),
    ("GET", "/regione/@@mappa-bisogni", None, {REG, ADM}, 200),
    ("POST", "/regione/@@mappa-bisogni", {}, {REG, ADM}, 200),
    # the generic JSON API (portal.web.api): the same ACLs; no schema, so nothing is written
    # through it, nothing is created in a case and nothing of the social side is deleted
    ("GET", "/api{E}", None, BARI_STAFF, 200),
    ("GET", "/api{Z}", None, BARI_STAFF | {CIT}, 200),
    ("GET", "/api{E}/@@contenuti", None, BARI_STAFF, 200),
    ("GET", "/api{H}", None, BARI_STAFF | {CIT}, 200),
    ("GET", "/api{C}", None, TEAM, 200),
    ("GET", "/api{C}/@@contenuti", None, TEAM, 200),
    ("GET", "/api{N}", None, TEAM, 200),
    ("GET", "/api{B}", None, BARI_STAFF, 200),
    ("GET", "/api{V}", None, {ATS}, 200),
    ("GET", "/api{R}/@@contenuti", None, BARI_STAFF, 200),
    ("PATCH", "/api{E}", {"title": "Altro nome"}, BARI_STAFF, 400),
    ("PATCH", "/api{N}", {"title": "Altra nota"}, set(), 400),
    ("PATCH", "/api{B}", {"title": "Altra prestazione"}, set(), 400),
    ("POST", "/api{C}/@@contenuti", {"type": "CaseNote", "text": "x"}, TEAM, 422),
    ("POST", "/api{E}/@@transizione", {"transition": "submit"}, BARI_STAFF, 404),
    ("DELETE", "/api{N}", None, set(), 204),
    ("DELETE", "/api{C}", None, set(), 204),
    ("DELETE", "/api{E}", None, set(), 204),
    ("DELETE", "/api{H}", None, set(), 204),
    ("DELETE", "/api{B}", None, set(), 204),
    ("DELETE", "/api{R}", None, set(), 204),
    # destructive last: the son leaves the household; the status of Bari's benefit moves
    ("POST", "{H}/@@togli-componente", {"fiscal_code": "{S}"}, BARI_STAFF, 303),
    ("POST", "{B}/@@sospendi", {"motivo": "Ricovero", "conferma": "1"}, GRANTING, 303),
]


def _social_paths(portal):
    """The demo's social objects by placeholder (see the rows above)."""
    found = demo_paths(portal)
    bari = portal["ambiti"]["ba-01"]["bari"]
    alone = next(p for p in bari["persone"].values()
                 if not p.household_code and p.get(CASE_NAME) is None)
    voucher = next(iter(portal["ambiti"]["ba-01"]["prestazioni"].values()))
    elder = find_resource(portal, found.elder)
    return {"E": found.elder, "C": found.case, "N": found.note, "Z": found.citizen,
            "H": found.household, "B": found.benefit, "R": BARI + "/prestazioni",
            "F": resource_path(alone), "V": resource_path(voucher), "S": SON_CODE,
            "E_CODE": elder.fiscal_code, "CITIZEN": CITIZEN_CODE}


def _social_walk(testapp, role, rows, paths):
    """``walk`` with the placeholders also in the bodies (the son's codice fiscale)."""
    rows = [(method, path, {k: v.format(**paths) for k, v in body.items()} if body else body,
             allowed, status) for method, path, body, allowed, status in rows]
    return walk(testapp, role, rows, paths)


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_social_views_answer_every_role_as_expected(wsgi_app, role):
    paths = run_in_app(wsgi_app, _social_paths)
    testapp = login(webtest.TestApp(wsgi_app), role)
    failures = _social_walk(testapp, role, SOCIAL_MATRIX, paths)
    assert not failures, f"{role}:\n" + "\n".join(failures)


def test_the_case_answers_whoever_the_team_holds_now(wsgi_app):
    """as-modugno joins the team: she reads the case and its note; she leaves: 403 again."""
    paths = run_in_app(wsgi_app, _social_paths)
    manager = login(webtest.TestApp(wsgi_app), SW)
    other = login(webtest.TestApp(wsgi_app), OSW)
    seen = []
    for team in ("as-bari as-modugno", "as-bari"):
        manager.post(paths["C"] + "/@@equipe", {"team": team, "office": "ss-bari",
                                                "csrf_token": csrf_token(manager)}, status=303)
        seen.append([other.get(paths[name], expect_errors=True).status_int
                     for name in ("C", "N")])
    assert seen == [[200, 200], [403, 403]]


def test_the_case_is_listed_to_its_team_only(wsgi_app):
    """The person's children through the API: the case file for the team, nothing for the rest."""
    paths = run_in_app(wsgi_app, _social_paths)
    listed = {}
    for role in (ATS, MUN, SW):
        client = login(webtest.TestApp(wsgi_app), role)
        found = client.get("/api" + paths["E"] + "/@@contenuti").json
        listed[role] = [item["@type"] for item in found["items"]]
    assert listed == {ATS: [], MUN: [], SW: ["CaseFile"]}


def test_another_ats_grants_without_reading_the_persons_isee(wsgi_app):
    """TA-01's officer may grant to a person of Bari (its own name) but not read their ISEE."""
    paths = run_in_app(wsgi_app, _social_paths)
    add_other_ats_officer(wsgi_app)

    def known_isee(portal):
        person = find_resource(portal, paths["E"])
        people_store.set_isee(person, {"protocol": "INPS-ISEE-2026-00000042-00", "year": 2026,
                                       "dsu_date": date(2026, 1, 10), "value": "7123.45",
                                       "kind": "ordinario"}, wsgi_app.registry)
    run_in_app(wsgi_app, known_isee)
    pages = {}
    for role, who in ((ATS, ATS), (OATS, OTHER_ATS_OFFICER)):
        client = login(webtest.TestApp(wsgi_app), who)
        pages[role] = (client.get(paths["E"], expect_errors=True).status_int,
                       client.get(paths["E"] + "/@@nuova-prestazione").text)
    assert pages[ATS][0] == 200
    assert "INPS-ISEE-2026-00000042-00" in pages[ATS][1]
    assert pages[OATS][0] == 403
    assert "INPS-ISEE-2026-00000042-00" not in pages[OATS][1]
    assert "7123" not in pages[OATS][1]


def test_a_municipality_with_a_social_registry_is_not_deleted(wsgi_app):
    """Modugno with a person in care: the ATS officer, who may not read the case, cannot sweep
    it away with the municipality (409); the person, the case and the index stay."""
    code = fiscal_code("RSS", "MRA", date(1950, 3, 3))

    def in_care(portal):
        person = people_store.register_person(portal, {
            "fiscal_code": code, "first_name": "Mario", "last_name": "Rossi",
            "address": {"kind": "residence", "istat": "072027", "region": "16",
                        "street": "Via Roma 1"}}, "as-modugno", wsgi_app.registry)
        case = cases_store.open_case(person, "as-modugno", wsgi_app.registry,
                                     office="ss-modugno")
        cases_store.add_note(case, "as-modugno", "Colloquio.", registry=wsgi_app.registry)
        return resource_path(case)
    case_path = run_in_app(wsgi_app, in_care)
    officer = login(webtest.TestApp(wsgi_app), ATS)
    assert officer.get(case_path, expect_errors=True).status_int == 403
    token = csrf_token(officer)
    deleted = officer.request("/api/ambiti/ba-01/modugno", method="DELETE",
                              headers={"X-CSRF-Token": token}, expect_errors=True)
    page = officer.post("/ambiti/ba-01/modugno/@@elimina", {"csrf_token": token},
                        expect_errors=True)
    assert (deleted.status_int, page.status_int) == (409, 409)
    assert deleted.json["error"]["code"] == "registered_record"

    def still_there(portal):
        person = people_store.find_person(portal, code)
        return person is not None and CASE_NAME in person
    assert run_in_app(wsgi_app, still_there)
