"""Proposals of benefits: computed by the «proposte» job from the open calls' rules, never by a
page; shown to the person and the officers of their municipality with the reason; the link
starts an application."""
from datetime import date, timedelta
from decimal import Decimal

from content_types.events import ObjectAdded
from content_types.values import euro, rome_today
from portal.db import get_database
from portal.demo.applications import CALL_CODE
from portal.demo.ids import fiscal_code
from portal.demo.social import CITIZEN_CODE
from portal.jobs import PENDING, get_store, read, run_due
from portal.people import store as people
from portal.register import proposals
from tests.conftest import form_token, login
from tests.functional.applications.conftest import run_in_app

BARI = {"kind": "residence", "street": "Via Melo 12", "istat": "072006", "region": "16"}
CEILING = Decimal(40000)  # the demo call's (portal.demo.applications.demo_rules)


def isee(value):
    today = rome_today()
    return {"protocol": f"INPS-ISEE-{today.year}-00000001A-00", "year": today.year,
            "dsu_date": date(today.year, 1, 1), "value": str(value), "kind": "ordinario",
            "valid_until": date(today.year, 12, 31)}


def add_baby(wsgi_app, value, registry=False):
    """A baby (13 months) joins the demo citizen's household, whose ISEE becomes ``value``.

    Without ``registry`` no event is sent: no job is recorded, nothing is evaluated.
    """
    reg = wsgi_app.registry if registry else None
    born = rome_today() - timedelta(days=400)
    code = fiscal_code("CNT", "SFO", born, female=True)

    def work(portal):
        marco = people.find_person(portal, CITIZEN_CODE)
        baby = people.register_person(portal, {
            "fiscal_code": code, "first_name": "Sofia", "last_name": "Conte",
            "birth_date": born, "address": BARI}, "comune-bari", reg)
        people.add_member(people.household_of(marco), baby, "child", reg)
        people.set_isee(marco, isee(value), reg)
        return people.index(portal).person_path(CITIZEN_CODE), \
            people.index(portal).person_path(code), marco.household_code
    return run_in_app(wsgi_app, work)


def _at(portal, path):
    obj = portal
    for part in path.strip("/").split("/"):
        obj = obj[part]
    return obj


def proposals_of(wsgi_app, path):
    return run_in_app(wsgi_app, lambda portal: tuple(_at(portal, path).proposals))


def test_the_proposal_appears_after_the_job_and_not_before(testapp, wsgi_app):
    marco, sofia, household = add_baby(wsgi_app, Decimal(8000))
    login(testapp, "municipal_operator")
    page = testapp.get(sofia + "/@@proposte")
    assert "nessuna-proposta" in page.text  # the page read nothing, and computed nothing
    assert proposals_of(wsgi_app, sofia) == ()

    def record(portal):
        proposals.schedule(portal._p_jar, wsgi_app.registry, household=household,
                           run_now=False)
    run_in_app(wsgi_app, record)
    assert testapp.get(sofia + "/@@proposte").text.count('class="card mb-3 proposta"') == 0
    run_due(get_database(wsgi_app.registry), wsgi_app.registry)

    found = proposals_of(wsgi_app, sofia)
    assert [p["call_path"] for p in found] == [f"/regione/avvisi/{CALL_CODE}"]
    reason = found[0]["reason"]
    assert reason.startswith("Sofia ha 1 anno")  # 400 days old
    assert (f"l'ISEE del nucleo ({euro(Decimal(8000))}) è sotto la soglia di "
            f"{euro(CEILING)} e risiedete a Bari (Ambito BA-01)") in reason
    assert found[0]["apply_path"] == f"/ambiti/ba-01/domande/{CALL_CODE}"
    assert found[0]["district"] == "BA-01"
    assert found[0]["computed_at"] is not None
    page = testapp.get(sofia + "/@@proposte")
    assert "Potrebbe avere diritto a" in page.text
    assert "risiedete a Bari" in page.text
    # the father, who applies for her, sees it too; Luca (7 years old) is over the age
    assert [p["fiscal_code"] for p in proposals_of(wsgi_app, marco)] == [found[0]["fiscal_code"]]


def test_over_the_ceiling_nothing_then_the_isee_change_proposes(testapp, wsgi_app):
    marco, sofia, _household = add_baby(wsgi_app, CEILING + 1, registry=True)
    # the events recorded the job with the change; it ran after the commit
    assert proposals_of(wsgi_app, sofia) == ()
    assert proposals_of(wsgi_app, marco) == ()

    def lower(portal):
        people.set_isee(people.find_person(portal, CITIZEN_CODE), isee(CEILING),
                        wsgi_app.registry)
    run_in_app(wsgi_app, lower)
    found = proposals_of(wsgi_app, sofia)
    assert len(found) == 1
    assert "è pari alla soglia" in found[0]["reason"]


def test_no_proposal_once_applied_and_the_link_starts_an_application(testapp, wsgi_app):
    marco, sofia, household = add_baby(wsgi_app, Decimal(8000), registry=True)
    login(testapp, "citizen")  # Marco Conte reads his own record
    page = testapp.get(marco + "/@@proposte")
    link = page.html.select_one("#proposte a.btn-primary")["href"]
    folder = testapp.get(link)
    started = testapp.post(link + "/@@nuova-domanda",
                           {"csrf_token": form_token(folder.text)}, status=303)
    assert "@@compila" in started.location

    draft = started.location.split("/@@")[0].rsplit("/", 1)[1]

    def applied(portal):  # what submitting it for Sofia records
        _at(portal, f"/ambiti/ba-01/domande/{CALL_CODE}").register_beneficiary(
            _at(portal, sofia).fiscal_code, draft)
    run_in_app(wsgi_app, applied)
    assert proposals_of(wsgi_app, sofia) != ()
    proposals.evaluate_one(get_database(wsgi_app.registry), household)
    assert proposals_of(wsgi_app, sofia) == ()


def test_only_the_person_and_their_municipality_read_the_proposals(testapp, wsgi_app):
    _marco, sofia, _household = add_baby(wsgi_app, Decimal(8000), registry=True)
    for who, status in (("provider", 403), ("other_social_worker", 403),
                        ("region_officer", 403), ("social_worker", 200)):
        login(testapp, who)
        testapp.get(sofia + "/@@proposte", status=status)
        testapp.reset()


def waiting_keys(db):
    return read(db, lambda conn: sorted(
        j.key for j in get_store(conn).jobs((PENDING,)) if j.kind == proposals.KIND))


def test_publishing_a_call_and_the_daily_pass_record_jobs_run_by_the_jobs_pass(wsgi_app):
    db = get_database(wsgi_app.registry)
    _marco, sofia, _household = add_baby(wsgi_app, Decimal(8000))  # no event, no job
    # the test database starts with the demo's jobs run (as portal-serve's first pass does)
    assert waiting_keys(db) == []

    def publish(portal):
        """The demo's call opening its folder in each ATS again, as publishing does."""
        for district in portal["ambiti"].values():
            folder = district["domande"][CALL_CODE]
            wsgi_app.registry.notify(ObjectAdded(folder, folder.__parent__, folder.__name__))
    run_in_app(wsgi_app, publish)
    # one job per ATS waits for the pass
    published = waiting_keys(db)
    assert sorted(k.split(":")[2] for k in published) == ["BA-01", "LE-03", "TA-01"]
    assert sorted(proposals.daily_pass(wsgi_app.registry, db)) == ["BA-01", "LE-03", "TA-01"]
    proposals.daily_pass(wsgi_app.registry, db)  # a second pass the same day adds nothing
    today = rome_today().isoformat()
    assert len([k for k in waiting_keys(db) if k.endswith(today)]) == 3
    assert proposals_of(wsgi_app, sofia) == ()
    run_due(db, wsgi_app.registry)
    assert len(proposals_of(wsgi_app, sofia)) == 1
    assert waiting_keys(db) == []
