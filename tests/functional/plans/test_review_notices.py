"""Who is told of each step of a plan: the Region when the ATS sends it, the ATS's officers
when the Region returns it (with its notes) or approves it; and the Region's home link."""
from tests.functional.applications.conftest import client, post
from tests.functional.plans import review_fixtures
from tests.functional.plans.plan_fixtures import fire
from tests.functional.plans.review_fixtures import other_officer
from workflows import zone_plan as workflow

#: the notes the demo's own plans left (BA-01's, at the same path, was approved): not ours
DEMO_NOTES = set()


def notes_of(app, login, path=""):
    return [n for n in review_fixtures.notes_of(app, login, path)
            if (login, n["id"]) not in DEMO_NOTES]


def kinds(app, login, path):
    return [n["kind"] for n in notes_of(app, login, path)]


def test_each_step_reaches_the_right_inboxes(plan_app):
    path = plan_app.plan_path + "/versione-1"
    other = other_officer(plan_app)
    for login in ("regione", "rup-ba01", other):
        DEMO_NOTES.update((login, n["id"]) for n in review_fixtures.notes_of(plan_app, login))
    fire(plan_app, path, workflow.SUBMIT)
    sent = notes_of(plan_app, "regione", path)
    assert [(n["kind"], n["view"]) for n in sent] == [("piano_inviato", "esame")]
    assert kinds(plan_app, "rup-ba01", path) == []
    # the message opens the review page for the Region
    region = client(plan_app, "regione")
    opened = region.get(f"/@@messaggi/{sent[0]['id']}", status=303)
    assert opened.location.endswith(path + "/@@esame")

    post(region, path + "/@@esame", {"azione": "prendi"})
    # a refused return tells nobody anything
    post(region, path + "/@@esame", {"azione": "restituisci"}, status=422)
    assert kinds(plan_app, "rup-ba01", path) == []
    post(region, path + "/@@esame", {"azione": "restituisci", "commento": "Vedere le note.",
                                     "note-interventi": "Manca il target del SAD."})
    returned = notes_of(plan_app, "rup-ba01", path)
    assert [n["kind"] for n in returned] == ["piano_restituito"]
    assert "Vedere le note." in returned[0]["details"]
    assert "Interventi: Manca il target del SAD." in returned[0]["details"]
    assert kinds(plan_app, other, path) == []
    assert kinds(plan_app, "regione", path) == ["piano_inviato"]
    ats = client(plan_app, "rup-ba01")
    page = ats.get(f"/@@messaggi/{returned[0]['id']}", status=303).follow(status="*")
    assert page.status_int != 403  # the ATS may open the returned version

    # sent again: a second message to the Region, not a repeat of the first
    fire(plan_app, path, workflow.SUBMIT, workflow.TAKE_IN_CHARGE, workflow.APPROVE)
    assert [n["key"] for n in notes_of(plan_app, "regione", path)] == [
        f"piano-inviato:{sent[0]['key'].split(':')[1]}:2", sent[0]["key"]]
    assert kinds(plan_app, "rup-ba01", path) == ["piano_approvato", "piano_restituito"]
    assert kinds(plan_app, other, path) == []


def test_the_region_officer_home_shows_the_plans_to_review(plan_app):
    region = client(plan_app, "regione")
    link = 'id="piani-da-esaminare"'
    page = region.get("/@@area-personale")
    assert link in page.text
    assert 'href="/regione/@@piani"' in page.text
    assert 'Piani di zona da esaminare: <strong class="portal-count">0</strong>' in page.text
    fire(plan_app, plan_app.plan_path + "/versione-1", workflow.SUBMIT)
    page = region.get("/@@area-personale")
    assert 'Piani di zona da esaminare: <strong class="portal-count">1</strong>' in page.text
    assert link not in client(plan_app, "rup-ba01").get("/@@area-personale").text
