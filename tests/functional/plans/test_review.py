"""The Region's review of a zone plan: the queue, taking it in charge, returning it with notes
per section, approving it (then frozen), and who may do what."""
import re

from portal.plans import store
from tests.functional.applications.conftest import client, post, run_in_app
from tests.functional.plans.plan_fixtures import fire
from tests.functional.plans.review_fixtures import other_officer, read
from workflows import zone_plan as workflow

QUEUE = "/regione/@@piani"


def version_path(app, number=1):
    return f"{app.plan_path}/versione-{number}"


def state_of(app, path):
    return read(app, path, lambda v: v.state)


def rows(page):
    """(district code, state) of every row of the Region's list, in order."""
    return re.findall(r'<tr data-state="([^"]+)" data-district="([^"]+)"', page.text)


def test_the_region_lists_every_plan_with_counts_and_the_queue_first(plan_app):
    region = client(plan_app, "regione")
    page = region.get(QUEUE)
    assert rows(page) == [("draft", "BA-01")]
    assert 'data-state="draft"><a href="/regione/@@piani?stato=draft" data-count="1"' in page.text
    assert 'id="coda-esame" data-count="0"' in page.text
    # a draft is the ATS's: the Region sees that it exists, not its content
    assert "versione-1" not in page.text
    fire(plan_app, version_path(plan_app), workflow.SUBMIT)
    page = region.get(QUEUE)
    assert rows(page) == [("submitted", "BA-01")]
    assert 'id="coda-esame" data-count="1"' in page.text
    assert f'href="{version_path(plan_app)}/@@esame"' in page.text
    assert rows(region.get(QUEUE, {"stato": "approved"})) == []
    assert rows(region.get(QUEUE, {"stato": "inviato"})) == [("submitted", "BA-01")]
    assert rows(region.get(QUEUE, {"stato": "<nonsense>"})) == [("submitted", "BA-01")]


def test_the_queue_is_for_the_region_only(plan_app):
    for who in ("rup-ba01", "cittadino", "girasole"):
        client(plan_app, who).get(QUEUE, status=403)
    assert client(plan_app).get(QUEUE, status=303).location.startswith(
        "http://localhost/@@accedi")


def test_take_in_charge_then_the_tables_and_the_note_form(plan_app):
    path = version_path(plan_app)
    fire(plan_app, path, workflow.SUBMIT)
    region = client(plan_app, "regione")
    page = region.get(path + "/@@esame")
    assert 'id="form-prendi"' in page.text
    assert "tabella-fonti" not in page.text
    post(region, path + "/@@esame", {"azione": "prendi"})
    assert state_of(plan_app, path) == workflow.UNDER_REVIEW
    page = region.get(path + "/@@esame")
    assert 'id="form-prendi"' not in page.text
    # the tables come from the budget rules: FNPS 350,000 a year, 300,000 a year allocated
    assert re.search(r'data-source="FNPS".*?€\s1\.050\.000,00.*?€\s900\.000,00.*?€\s150\.000,00',
                     page.text, re.DOTALL)
    for section in ("fonti", "cofinanziamento", "interventi", "allocazioni"):
        assert f'name="note-{section}"' in page.text
    # taking it twice: the engine refuses, the state stays
    post(region, path + "/@@esame", {"azione": "prendi"}, status=409)
    post(region, path + "/@@esame", {"azione": "cancella"}, status=400)
    assert state_of(plan_app, path) == workflow.UNDER_REVIEW


def test_return_with_notes_per_section_reaches_the_version(plan_app):
    path = version_path(plan_app)
    fire(plan_app, path, workflow.SUBMIT, workflow.TAKE_IN_CHARGE)
    region = client(plan_app, "regione")
    # no note and no comment: refused, the form comes back, nothing stored
    page = post(region, path + "/@@esame", {"azione": "restituisci", "note-fonti": "  "},
                status=422)
    assert 'id="errore-esame"' in page.text
    assert "almeno una nota" in page.text
    assert state_of(plan_app, path) == workflow.UNDER_REVIEW
    post(region, path + "/@@esame", {
        "azione": "restituisci", "note-fonti": "Residui non documentati.",
        "note-allocazioni": "Il SAD è sottofinanziato.", "commento": ""})
    assert state_of(plan_app, path) == workflow.RETURNED
    notes, reviews = read(plan_app, path, lambda v: (dict(v.section_notes), v.reviews))
    assert notes == {"fonti": "Residui non documentati.",
                     "allocazioni": "Il SAD è sottofinanziato."}
    assert len(reviews) == 1
    assert reviews[0]["who"] == "regione"
    assert reviews[0]["notes"] == notes
    # the workflow's comment (required) names the sections when no general comment was written
    comment = read(plan_app, path, lambda v: v.workflow_history[-1]["comment"])
    assert "Fonti di finanziamento" in comment
    assert "Allocazione" in comment
    # the ATS sees the version again and may edit it; the Region no longer reviews it
    assert read(plan_app, path, store.check_editable) is None
    region.get(path + "/@@esame", status=403)


def test_a_return_with_only_a_comment_and_a_refused_return_stores_nothing(plan_app):
    path = version_path(plan_app)
    fire(plan_app, path, workflow.SUBMIT)
    region = client(plan_app, "regione")
    # not yet taken in charge: the engine refuses the return and the notes are not kept
    post(region, path + "/@@esame", {"azione": "restituisci", "note-fonti": "X"}, status=409)
    assert read(plan_app, path, lambda v: (dict(v.section_notes), v.reviews)) == ({}, ())
    post(region, path + "/@@esame", {"azione": "prendi"})
    post(region, path + "/@@esame", {"azione": "restituisci", "commento": "x" * 4001},
         status=422)
    post(region, path + "/@@esame", {"azione": "restituisci", "commento": "Rivedere tutto."})
    assert read(plan_app, path, lambda v: (v.state, dict(v.section_notes),
                                           v.workflow_history[-1]["comment"])) == (
        workflow.RETURNED, {}, "Rivedere tutto.")


def test_approve_asks_for_confirmation_then_freezes_the_version(plan_app):
    path = version_path(plan_app)
    fire(plan_app, path, workflow.SUBMIT, workflow.TAKE_IN_CHARGE)
    region = client(plan_app, "regione")
    page = post(region, path + "/@@esame", {"azione": "approva"}, status=200)
    assert 'id="conferma-approvazione"' in page.text
    assert state_of(plan_app, path) == workflow.UNDER_REVIEW
    post(region, path + "/@@esame", {"azione": "approva", "conferma": "si"})
    assert state_of(plan_app, path) == workflow.APPROVED
    assert read(plan_app, path, lambda v: v.approved_at) is not None
    # frozen: nobody may edit or review it, the store refuses a save, everyone may read it
    ats = client(plan_app, "rup-ba01")
    region.get(path + "/@@esame", status=403)
    post(region, path + "/@@esame", {"azione": "approva", "conferma": "si"}, status=403)
    # (the administrator keeps every permission, as on every object; the store still refuses)
    for who in ("rup-ba01", "regione"):
        assert not read(plan_app, path, lambda v, w=who: _may(plan_app, v, w, "edit"))
    assert read(plan_app, path, lambda v: _may(plan_app, v, None, "view"))
    ats.get(path + "/@@esame", status=403)

    def save(version):
        try:
            store.save_sources(version, [], sent_token=None, who="rup-ba01")
        except Exception as exc:  # noqa: BLE001 - the type is what is checked
            return type(exc).__name__
    assert read(plan_app, path, save) == "PlanFrozen"


def _may(app, obj, login, permission):
    """Whether ``login`` (None: anonymous) holds ``permission`` on ``obj``, as the policy says."""
    from pyramid.authorization import ACLHelper, Authenticated, Everyone  # noqa: PLC0415

    from content_types.security import local_role_principals  # noqa: PLC0415
    principals = {Everyone}
    if login is not None:
        root = obj
        while root.__parent__ is not None:
            root = root.__parent__
        user = root["utenti"][login]
        principals |= {Authenticated, f"user:{login}", *(f"role:{r}" for r in user.roles)}
        principals |= local_role_principals(obj, frozenset(principals))
    return bool(ACLHelper().permits(obj, principals, permission))


def test_who_may_review_and_who_may_see_a_draft(plan_app):
    path = version_path(plan_app)
    other = other_officer(plan_app)
    # a draft: the ATS only
    client(plan_app, "regione").get(path + "/@@esame", status=403)
    fire(plan_app, path, workflow.SUBMIT)
    # sent: the ATS officer may not review it, nor may another ATS's officer or a citizen
    for who in ("rup-ba01", other, "cittadino"):
        client(plan_app, who).get(path + "/@@esame", status=403)
        post(client(plan_app, who), path + "/@@esame", {"azione": "prendi"}, status=403)
    assert state_of(plan_app, path) == workflow.SUBMITTED
    assert client(plan_app).get(path + "/@@esame", status=303).location.startswith(
        "http://localhost/@@accedi")


def test_a_plan_breaking_an_invariant_is_not_approved(plan_app):
    """The Region's minimum co-financing set after the plan was sent: it must go back."""
    from decimal import Decimal  # noqa: PLC0415
    path = version_path(plan_app)
    fire(plan_app, path, workflow.SUBMIT, workflow.TAKE_IN_CHARGE)

    def raise_minimum(portal):
        portal["regione"].plan_min_cofinancing = Decimal("6.00")  # BA-01 gives €5 a head
    run_in_app(plan_app, raise_minimum)
    region = client(plan_app, "regione")
    page = region.get(path + "/@@esame")
    assert 'id="problemi"' in page.text
    assert "inferiore al minimo regionale" in page.text
    for params in ({"azione": "approva"}, {"azione": "approva", "conferma": "si"}):
        page = post(region, path + "/@@esame", params, status=422)
        assert 'id="errore-esame"' in page.text
        assert "restituirlo all" in page.text
    assert state_of(plan_app, path) == workflow.UNDER_REVIEW
