"""The case manager hears of every change for a person in care: in the inbox, with a link to
the case; the e-mail says only that something changed (no name, no detail of the case)."""
from datetime import timedelta

import pytest

from content_types.values import rome_today, utcnow
from portal.cases import reviews
from portal.cases import store as cases
from portal.demo.social import CITIZEN_CODE, ELDER_CODE
from portal.jobs.runner import get_store as jobs_store
from portal.people import store as people
from portal.register import grant
from tests.conftest import login
from tests.functional.applications.conftest import (  # noqa: F401 - fixtures
    applications_app,
    applications_database,
    applications_dir,
    client,
    codes,
    complete_draft,
    run_in_app,
    smtp_server,
    submit,
)
from tests.functional.social.cases_fixtures import at, inbox_of
from tests.functional.social.conftest import demo_paths

MANAGER = "as-bari"


def new_notes(app, before, kind="cartella_aggiornata"):
    return [n for n in inbox_of(app, MANAGER)[:len(inbox_of(app, MANAGER)) - before]
            if n[0] == kind]


def manager_mails(app):
    return run_in_app(app, lambda portal: [
        dict(j.payload) for j in jobs_store(portal._p_jar).jobs()
        if j.kind == "mail" and j.payload.get("to") == "as-bari@example.it"])


def test_an_isee_change_reaches_the_case_manager_with_a_link(wsgi_app, social):
    before = len(inbox_of(wsgi_app, MANAGER))
    run_in_app(wsgi_app, lambda portal: people.set_isee(
        people.find_person(portal, ELDER_CODE), {"value": "9800.00", "kind": "ordinario"},
        wsgi_app.registry))
    notes = new_notes(wsgi_app, before)
    assert len(notes) == 1
    _kind, title, details, target = notes[0]
    assert title == "Cartella sociale: ISEE cambiato"
    assert "Giovanni Greco" in details
    assert "9800.00" in details
    assert target == social.case.rstrip("/")
    mails = manager_mails(wsgi_app)
    assert mails
    assert mails[-1]["subject"] == "Cartella sociale: ISEE cambiato"
    assert all("Greco" not in m["body"] and "9800" not in m["body"] for m in mails)
    assert "/@@messaggi/" in mails[-1]["body"]


def test_the_inbox_message_opens_the_case_for_the_manager(testapp, wsgi_app, social):
    run_in_app(wsgi_app, lambda portal: people.set_isee(
        people.find_person(portal, ELDER_CODE), {"value": "1.00"}, wsgi_app.registry))
    login(testapp, "social_worker")
    inbox = testapp.get("/@@messaggi")
    assert "Cartella sociale: ISEE cambiato" in inbox.text
    assert "Giovanni Greco" in inbox.text
    link = next(a["href"] for a in inbox.html.select("a")
                if "/@@messaggi/" in a.get("href", ""))
    assert testapp.get(link).headers["Location"].rstrip("/").endswith(social.case.rstrip("/"))


def test_a_household_change_reaches_the_case_manager(wsgi_app, social):
    before = len(inbox_of(wsgi_app, MANAGER))

    def work(portal):
        elder = people.find_person(portal, ELDER_CODE)
        niece = people.register_person(portal, {
            "fiscal_code": "RSSLCU23S02A662V", "first_name": "Lucia", "last_name": "Rossi",
            "address": {"kind": "residence", "street": "Via Sparano 140", "istat": "072006",
                        "region": "16"}}, "comune-bari", wsgi_app.registry)
        people.add_member(people.household_of(elder), niece, "other", wsgi_app.registry)
    run_in_app(wsgi_app, work)
    notes = new_notes(wsgi_app, before)
    assert [n[1] for n in notes] == ["Cartella sociale: nucleo familiare cambiato"]
    assert "Lucia Rossi" in notes[0][2]
    assert notes[0][3] == social.case.rstrip("/")


@pytest.mark.parametrize("actions", [("suspend", "resume", "end"), ("cancel",)])
def test_each_benefit_change_reaches_the_case_manager(wsgi_app, social, actions):
    before = len(inbox_of(wsgi_app, MANAGER))

    def work(portal):
        benefit = at(portal, social.benefit)
        for action in actions:
            grant.change_status(benefit, action, "comune-bari", reason="prova",
                                registry=wsgi_app.registry)
    run_in_app(wsgi_app, work)
    notes = new_notes(wsgi_app, before)
    assert [n[1] for n in notes] == ["Cartella sociale: prestazione cambiata"] * len(actions)
    words = {"suspend": "sospesa", "resume": "ripresa", "end": "conclusa", "cancel": "annullata"}
    assert sorted(n[2].split(": ", 1)[1].split()[0] for n in notes) == sorted(
        words[a] for a in actions)


def test_a_benefit_granted_reaches_the_case_manager(wsgi_app, social):
    before = len(inbox_of(wsgi_app, MANAGER))

    def work(portal):
        district = portal["ambiti"]["ba-01"]
        start = rome_today().replace(day=1)
        grant.grant(district, people.find_person(portal, ELDER_CODE), {
            "siuss_code": "A1.04", "source": "home_care", "start": start,
            "end": start + timedelta(days=90), "monthly_amount": "100.00",
            "public_share": "100.00", "user_share": "0.00", "means_test": "4",
            "protocol": "2026/SAD-0099", "granted_by": "Comune di Bari"},
            "comune-bari", wsgi_app.registry, reason="integrazione oraria")
    run_in_app(wsgi_app, work)
    notes = new_notes(wsgi_app, before)
    assert len(notes) == 1
    assert "concessa la prestazione" in notes[0][2]


def test_nobody_is_told_of_a_person_not_in_care(wsgi_app):
    before = len(inbox_of(wsgi_app, MANAGER))
    run_in_app(wsgi_app, lambda portal: people.set_isee(
        people.find_person(portal, CITIZEN_CODE), {"value": "5.00"}, wsgi_app.registry))
    assert len(inbox_of(wsgi_app, MANAGER)) == before


def test_a_missed_pai_review_is_told_once(wsgi_app, social):
    past = rome_today() - timedelta(days=3)

    def plan(portal):
        case = at(portal, social.case)
        case.pai = {**case.pai, "reviews": (past, *case.pai["reviews"]), "done_reviews": ()}
    run_in_app(wsgi_app, plan)
    before = len(inbox_of(wsgi_app, MANAGER))
    assert reviews.run_once(wsgi_app.registry) == 1
    assert reviews.run_once(wsgi_app.registry) == 0  # once
    notes = new_notes(wsgi_app, before, kind="verifica_pai_scaduta")
    assert len(notes) == 1
    assert past.strftime("%d/%m/%Y") in notes[0][2]
    # a review marked done is not missed; a future one is not due yet
    later = rome_today() - timedelta(days=1)

    def more(portal):
        case = at(portal, social.case)
        case.pai = {**case.pai, "reviews": (later, *case.pai["reviews"]),
                    "done_reviews": (later,)}
    run_in_app(wsgi_app, more)
    assert reviews.run_once(wsgi_app.registry, now=utcnow()) == 0


def test_the_review_pass_interval_is_a_setting():
    assert reviews.interval_minutes({}) == 60
    assert reviews.interval_minutes({"cases.review_interval_minutes": "0"}) == 0
    with pytest.raises(ValueError, match=r"cases\.review_interval_minutes"):
        reviews.interval_minutes({"cases.review_interval_minutes": "mai"})


def test_a_submitted_application_reaches_the_applicants_case_manager(applications_app, codes):  # noqa: F811
    """Marco Conte (the «cittadino») in care of as-bari applies for his son."""
    def in_care(portal):
        marco = people.find_person(portal, CITIZEN_CODE)
        case = cases.open_case(marco, MANAGER, applications_app.registry, office="ss-bari")
        cases.take_charge(case, MANAGER, MANAGER, area="FAM", registry=applications_app.registry)
        return demo_paths(portal)
    paths = run_in_app(applications_app, in_care)
    before = len(inbox_of(applications_app, MANAGER))
    citizen = client(applications_app, "citizen")
    url = complete_draft(citizen, codes["luca"])
    assert not new_notes(applications_app, before)  # a draft tells nobody
    submit(citizen, url)
    notes = new_notes(applications_app, before)
    assert [n[1] for n in notes] == ["Cartella sociale: nuova domanda"]
    assert "Marco Conte" in notes[0][2]
    assert "richiedente" in notes[0][2]
    assert notes[0][3].startswith(paths.citizen.rstrip("/") + "/cartella")


def test_the_review_pass_runs_on_the_clock(wsgi_app, social):
    """What portal-serve starts: one pass soon after start, then every interval."""
    past = rome_today() - timedelta(days=2)

    def plan(portal):
        case = at(portal, social.case)
        case.pai = {**case.pai, "reviews": (past,), "done_reviews": ()}
    run_in_app(wsgi_app, plan)
    before = len(inbox_of(wsgi_app, MANAGER))
    ticking = reviews.start(wsgi_app.registry, 60, first_delay=0.01)
    try:
        assert ticking.passed.wait(30)
    finally:
        ticking.stop.set()
    assert len(new_notes(wsgi_app, before, kind="verifica_pai_scaduta")) == 1
