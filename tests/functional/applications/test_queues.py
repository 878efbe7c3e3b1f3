"""The officer's and provider's queues from the catalog: filters, search, counts, refusals, freeze."""
import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyramid.traversal import find_resource

import workflows
import workflows.application as wf
from catalog import Eq, In, InvalidQuery, Query, get_catalog
from catalog.entry import descendants
from content_types.application import Application
from content_types.events import LocalRolesChanged
from content_types.security import ATS_OFFICER, ROLE_PREFIX, set_local_roles
from content_types.users import User
from portal.applications import queues
from portal.demo import demo_password
from portal.demo.applications import CALL_CODE
from tests.functional.applications.conftest import CALL, client, post, run_in_app, version_of
from workflows.errors import WorkflowError

QUEUE = "/ambiti/ba-01/@@istruttoria"
#: BA-01's demo applications by state: the open call's three matched ones, and the closed
#: call's (portal.demo.cycle) two in service and one admitted without funding
DEMO_COUNTS = {"matched": 3, "active": 2, "admitted_unfunded": 1}
TA_QUEUE = "/ambiti/ta-01/@@istruttoria"
GALLO = CALL + "/domanda-famiglia-gallo"
RANKING = "/ambiti/ba-01/@@graduatoria?avviso=buoni-minori-2026"
TA_CODE = "TRNCHR20A41L049X"  # the shape of a codice fiscale: the search box tells it apart
ADMIN = [ROLE_PREFIX + "admin"]


def ta_application(portal, registry, key, protocol, name, code):
    """A submitted application of ATS TA-01 (through the engine, as the system would)."""
    folder = portal["ambiti"]["ta-01"]["domande"]["buoni-minori-2026"]
    application = Application(title=f"Domanda {protocol}", creator="cittadino")
    folder.add(key, application, registry=registry)
    application.assign_parties("cittadino")
    application.set_data({"beneficiary_name": name, "beneficiary_fiscal_code": code,
                          "applicant_name": "Marco Conte"})
    application.protocol = protocol
    workflows.fire(application, None, wf.SUBMIT, registry=registry)
    return application


@pytest.fixture
def app(applications_app):
    """The applications demo plus an officer of TA-01 and one submitted application there."""
    registry = applications_app.registry

    def setup(portal):
        user = User(title="RUP Ambito TA-01", email="rup-ta01@example.it", creator="admin")
        user.set_password(demo_password("rup-ta01"))
        portal["utenti"].add("rup-ta01", user, registry=registry)
        district = portal["ambiti"]["ta-01"]
        set_local_roles(district, "user:rup-ta01", {ATS_OFFICER})
        registry.notify(LocalRolesChanged(district))
        ta_application(portal, registry, "domanda-taranto", "2026/7770001", "Chiara Gallo",
                       TA_CODE)
    run_in_app(applications_app, setup)
    return applications_app


def rows(page):
    """Protocols listed in the queue table."""
    table = page.text.split('id="coda"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'@@esame">([^<]+)</a>', table)


def counts(page):
    """``{state: count}`` shown in the queue's counts."""
    return {s: int(n) for s, n in re.findall(
        r'data-state="([a-z_]+)"><a href="[^"]*" data-count="(\d+)"', page.text)}


def protocol_of(app, path):
    return run_in_app(app, lambda portal: find_resource(portal, path).protocol)


def state_of(app, path):
    return run_in_app(app, lambda portal: (find_resource(portal, path).state,
                                           len(find_resource(portal, path).workflow_history)))


def test_filters_and_search_find_the_right_application(app, codes):
    officer = client(app, "rup-ba01")
    gallo = protocol_of(app, GALLO)
    everything = officer.get(QUEUE)
    assert len(rows(everything)) == 6
    assert counts(everything) == DEMO_COUNTS
    for text in (gallo, gallo.replace("/", " / "), codes["gallo"], codes["gallo"].lower(),
                 "Paolo Gallo", "gallo", "GALLO paolo"):
        found = officer.get(QUEUE, {"cerca": text})
        assert rows(found) == [gallo], text
        assert counts(found) == {"matched": 1}, text
    assert rows(officer.get(QUEUE, {"cerca": "Gallo Mario"})) == []
    assert rows(officer.get(QUEUE, {"cerca": "2026/9999999"})) == []
    assert rows(officer.get(QUEUE, {"cerca": "!!!"})) == []
    # only mine: the applications this officer acted on
    assert rows(officer.get(QUEUE, {"mie": "1"})) == []
    page = officer.get(GALLO + "/@@esame")
    post(officer, GALLO + "/@@esame", {"azione": "start_review", "_version": version_of(page)})
    assert rows(officer.get(QUEUE, {"mie": "1"})) == [gallo]
    by_state = officer.get(QUEUE, {"stato": "under_review"})
    assert rows(by_state) == [gallo]
    # counts stay those of every state, under the other filters
    assert counts(by_state) == {**DEMO_COUNTS, "matched": 2, "under_review": 1}
    assert "In istruttoria: 1" in " ".join(by_state.text.split())
    assert len(rows(officer.get(QUEUE, {"stato": "matched", "avviso": "buoni-minori-2026"}))) == 2
    # unknown filters filter nothing, never an error page
    assert len(rows(officer.get(QUEUE, {"stato": "volare", "avviso": "x", "pagina": "-3"}))) == 6
    # the queue shows local times, never ISO UTC
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:", everything.text)


def test_paging(app):
    registry = app.registry

    def many(portal):
        for index in range(queues.PAGE_SIZE + 2):
            ta_application(portal, registry, f"domanda-{index:03d}", f"2026/880{index:04d}",
                           f"Bimbo Numero{index}", f"TRNBMB20A41L{index:03d}X")
    run_in_app(app, many)
    officer = client(app, "rup-ta01")
    first = officer.get(TA_QUEUE)
    assert len(rows(first)) == queues.PAGE_SIZE
    assert counts(first) == {"submitted": queues.PAGE_SIZE + 3}
    following = re.search(r'href="([^"]+)" rel="next"', first.text).group(1).replace("&amp;", "&")
    second = officer.get(following)
    assert len(rows(second)) == 3
    assert not set(rows(first)) & set(rows(second))
    assert 'rel="next"' not in second.text


def test_an_officer_of_another_ats_finds_and_counts_nothing(app, codes):
    other = client(app, "rup-ta01")
    other.get(QUEUE, status=403)
    own = other.get(TA_QUEUE)
    assert rows(own) == ["2026/7770001"]
    assert counts(own) == {"submitted": 1}
    for text in (codes["gallo"], protocol_of(app, GALLO), "Paolo Gallo"):
        found = other.get(TA_QUEUE, {"cerca": text})
        assert rows(found) == [], text
        assert counts(found) == {}, text
    assert rows(other.get(TA_QUEUE, {"cerca": "Chiara Gallo"})) == ["2026/7770001"]
    officer = client(app, "rup-ba01")
    for text in (TA_CODE, "2026/7770001", "Chiara"):
        found = officer.get(QUEUE, {"cerca": text})
        assert rows(found) == [], text
        assert counts(found) == {}, text
    assert counts(officer.get(QUEUE)) == DEMO_COUNTS


def test_anonymous_and_public_search_never_return_applications(app, codes):
    anonymous = client(app)
    for params in ({"q": "Domanda"}, {"q": "Gallo"}, {"type_name": "Application"},
                   {"q": codes["gallo"]}):
        result = anonymous.get("/api/search", params).json
        assert all(hit["type_name"] != "Application" for hit in result["items"]), params
        assert all(f["value"] != "Application" for f in result["facets"]["type_name"])
        page = anonymous.get("/cerca", params)
        assert "domanda-famiglia" not in page.text
    # the provider and the Region see the applications (view) but not by their personal data
    for login in ("girasole", "regione"):
        assert client(app, login).get("/api/search", {"q": "Gallo",
                                                      "type_name": "Application"}).json[
            "total"] == 0, login

    def catalog_checks(portal):
        catalog = get_catalog(portal, app.registry)
        with pytest.raises(InvalidQuery):
            Query(filters=(Eq("beneficiary_fiscal_code", codes["gallo"]),))
        personal = Query(filters=(Eq("beneficiary_fiscal_code", codes["gallo"]),), personal=True)
        everyone = ["system.Everyone"]
        region = ["system.Everyone", "system.Authenticated", "user:regione",
                  ROLE_PREFIX + "region_officer"]
        seen = catalog.search(Query(filters=(Eq("type_name", "Application"),)), region).total
        district = portal["ambiti"]["ba-01"]
        return (catalog.search(personal, everyone).total, catalog.search(personal, region).total,
                seen, catalog.search(personal, ADMIN).total,
                queues.state_counts(catalog, region, district),
                queues.state_counts(catalog, ADMIN, district))
    assert run_in_app(app, catalog_checks) == (0, 0, 7, 1, {}, DEMO_COUNTS)


def test_actions_not_allowed_now_are_not_offered(app):
    officer = client(app, "rup-ba01")
    matched = officer.get(GALLO + "/@@esame")
    assert 'id="azione-start_review"' in matched.text
    for name in ("declare_eligible", "request_integration", "declare_ineligible"):
        assert f'id="azione-{name}"' not in matched.text, name
    post(officer, GALLO + "/@@esame", {"azione": "start_review", "_version": version_of(matched)})
    reviewing = officer.get(GALLO + "/@@esame")
    assert 'id="azione-start_review"' not in reviewing.text
    for name in ("declare_eligible", "request_integration", "declare_ineligible"):
        assert f'id="azione-{name}"' in reviewing.text, name
    application_page = officer.get(GALLO)
    assert 'value="start_review"' not in application_page.text
    assert 'value="declare_eligible"' in application_page.text
    ineligible = post(officer, GALLO + "/@@esame", {
        "azione": "declare_ineligible", "motivo": "isee", "comment": "Manca l'ISEE",
        "_version": version_of(reviewing)})
    closed = officer.get(ineligible.headers["Location"])
    assert 'id="nessuna-azione"' in closed.text
    assert not re.search(r'id="azione-', closed.text)


def test_a_refused_transition_says_why(app):
    officer = client(app, "rup-ba01")
    page = officer.get(GALLO + "/@@esame")
    post(officer, GALLO + "/@@esame", {"azione": "start_review", "_version": version_of(page)})
    page = officer.get(GALLO + "/@@esame")
    form = {"azione": "request_integration", "comment": "Manca il certificato",
            "_version": version_of(page)}
    post(officer, GALLO + "/@@esame", form)
    before = state_of(app, GALLO)
    again = post(officer, GALLO + "/@@esame", form, status=409)  # the same form, sent twice
    text = " ".join(again.text.split())
    assert ("La domanda è ora «Sospesa per integrazione»: l'azione «Richiedi integrazione» "
            "non è più possibile.") in text
    assert "già stata modificata" not in text
    assert "modificata dopo l'apertura" not in text
    assert state_of(app, GALLO) == before
    # the application page's generic form, opened before the state changed
    stale = post(officer, GALLO + "/@@transizione", {"transition": "start_review"}, status=409)
    assert ("La domanda è ora «Sospesa per integrazione»: l'azione «Avvia l'istruttoria» "
            "non è più possibile.") in " ".join(stale.text.split())
    assert state_of(app, GALLO) == before


def freeze_count(app):
    def count(portal):
        folders = portal["ambiti"]["ba-01"].get("graduatorie")
        folder = folders.get("buoni-minori-2026") if folders is not None else None
        return len(folder) if folder is not None else 0
    return run_in_app(app, count)


def test_freezing_with_applications_under_review_asks_first(app):
    officer = client(app, "rup-ba01")
    page = officer.get(GALLO + "/@@esame")
    post(officer, GALLO + "/@@esame", {"azione": "start_review", "_version": version_of(page)})
    page = officer.get(GALLO + "/@@esame")
    post(officer, GALLO + "/@@esame", {"azione": "declare_eligible",
                                       "_version": version_of(page)})
    asked = post(officer, RANKING, {}, status=200)
    text = " ".join(asked.text.split())
    assert ("2 domande non sono ancora decise (in istruttoria o in attesa di "
            "abbinamento): congelare comunque la graduatoria?") in text
    assert freeze_count(app) == 0
    # a confirmation for another count (the queue moved on) asks again
    post(officer, RANKING, {"conferma": "5"}, status=200)
    assert freeze_count(app) == 0
    confirmed = re.search(r'name="conferma" value="(\d+)"', asked.text).group(1)
    post(officer, RANKING, {"conferma": confirmed}, status=303)
    assert freeze_count(app) == 1


FROM_STATES = {t.name: t.from_states for t in wf.TRANSITIONS}


def walk_counts(portal, district=None):
    """``{state: n}`` of submitted applications by walking the tree (``ambiti/<district>``)."""
    found = Counter()
    for obj in descendants(portal):
        # application -> call folder -> domande -> district
        if (isinstance(obj, Application) and obj.state != wf.DRAFT
                and district in (None, obj.__parent__.__parent__.__parent__.__name__)):
            found[obj.state] += 1
    return dict(found)


@pytest.fixture
def shared_app(app):
    """One app for every hypothesis example: the property holds after any sequence."""
    return app


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.integers(0, 3), st.sampled_from(
    [t.name for t in wf.TRANSITIONS])), min_size=1, max_size=8))
def test_catalog_counts_per_state_equal_a_walk(shared_app, steps):
    app = shared_app
    registry = app.registry

    def act(portal):
        # the demo's applications of the open call: the other call's are funded from a budget
        # the ledger holds to (a scroll there may find no funds, refused by the ledger)
        apps = sorted((a for a in descendants(portal) if isinstance(a, Application)
                       and a.state != wf.DRAFT and a.__parent__.__name__ == CALL_CODE),
                      key=lambda a: a.uid)
        for index, name in steps:
            target = apps[index % len(apps)]
            if target.state in FROM_STATES[name]:
                try:
                    workflows.fire(target, None, name, "prova", registry=registry)
                except WorkflowError:
                    continue  # a guard said no: nothing changed
    run_in_app(app, act)

    def compare(portal):
        catalog = get_catalog(portal, registry)
        base = (Eq("type_name", "Application"), In("state", queues.SUBMITTED_STATES))
        found = catalog.search(Query(filters=base, facets=("state",), limit=0, personal=True),
                               ADMIN)
        return dict(found.facets["state"]), walk_counts(portal)
    catalog_counts, walked = run_in_app(app, compare)
    assert catalog_counts == walked
    # and through the page: the officer's counts are those of BA-01's tree
    page = client(app, "rup-ba01").get(QUEUE)
    assert counts(page) == run_in_app(app, lambda portal: walk_counts(portal, "ba-01"))
