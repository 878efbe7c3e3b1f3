"""Evolve step 9: a database with the Italian state ids gets the English ones, history and search too."""
import pytest
from pyramid.scripting import prepare
from pyramid_zodbconn import get_connection

import workflows
from catalog import Eq, Query, get_catalog
from catalog.entry import descendants
from catalog.query import MAX_LIMIT
from content_types.security import ROLE_PREFIX
from portal import main
from portal.evolve import step0009_state_names
from tests.functional.applications.conftest import applications_settings, client
from workflows.engine import CREATED, FORMER_CREATED

ADMIN = [ROLE_PREFIX + "admin"]
QUEUE = "/ambiti/ba-01/@@istruttoria"
#: today's id -> the id stored before step 9 (``bozza`` for every workflow's draft)
BEFORE = {new: old for old, new in workflows.former_state_ids().items()}


def snapshot(portal):
    """``{path-ish key: (state, history states and transitions, decision outcome)}``."""
    seen = {}
    for obj in descendants(portal):
        state = getattr(obj, "state", None)
        if state is None:
            continue
        history = tuple((h.get("transition"), h.get("from_state"), h.get("to_state"))
                        for h in getattr(obj, "workflow_history", ()) or ())
        outcome = (getattr(obj, "decision", None) or {}).get("outcome")
        seen[obj.uid] = (state, history, outcome)
    return seen


def make_it_old(portal, registry):
    """Write the ids as the code before step 9 did, and index them so (a database of then)."""
    catalog = get_catalog(portal, registry)
    for obj in descendants(portal):
        state = getattr(obj, "state", None)
        if state not in BEFORE:
            continue
        obj.state = BEFORE[state]
        obj.workflow_history = tuple(
            dict(h, from_state=BEFORE.get(h.get("from_state"), h.get("from_state")),
                 to_state=BEFORE.get(h.get("to_state"), h.get("to_state")),
                 transition=FORMER_CREATED if h.get("transition") == CREATED
                 else h.get("transition"))
            for h in obj.workflow_history)
        decision = getattr(obj, "decision", None)
        if isinstance(decision, dict) and decision.get("outcome") in BEFORE:
            obj.decision = dict(decision, outcome=BEFORE[decision["outcome"]])
        catalog.reindex(obj)


def in_transaction(app, work):
    env = prepare(registry=app.registry)
    try:
        with env["request"].tm:
            root = get_connection(env["request"]).root()
            return work(root, root["portal"])
    finally:
        env["closer"]()


def uids_in(app, state):
    def search(root, portal):
        found = get_catalog(portal, app.registry).search(
            Query(filters=(Eq("state", state),), limit=MAX_LIMIT), ADMIN)
        return sorted(hit.uid for hit in found.items)
    return in_transaction(app, search)


@pytest.fixture
def old_app(applications_dir, smtp_server):
    """The applications demo written with the former Italian state ids, then reopened."""
    settings = applications_settings(applications_dir, smtp_server[0].port)
    app = main({}, **settings)
    expected = in_transaction(app, lambda root, portal: snapshot(portal))
    in_transaction(app, lambda root, portal: make_it_old(portal, app.registry))
    app.registry._zodb_databases[""].close()
    app = main({}, **settings)
    yield app, expected
    app.registry._zodb_databases[""].close()


def test_step_renames_states_history_and_decisions_and_reindexes(old_app):
    app, expected = old_app
    matched = uids_in(app, "matched")
    assert matched == [], "the set-up wrote the old ids"
    assert uids_in(app, "abbinata"), "the set-up wrote the old ids"
    old = in_transaction(app, lambda root, portal: snapshot(portal))
    assert {state for state, _, _ in old.values()} & set(BEFORE.values())

    in_transaction(app, lambda root, portal: step0009_state_names.evolve(root, portal, app.registry))

    after = in_transaction(app, lambda root, portal: snapshot(portal))
    assert after == expected
    stored = {s for state, history, outcome in after.values()
              for s in (state, outcome, *(x for h in history for x in h))}
    assert not stored & (set(workflows.former_state_ids()) | {FORMER_CREATED})
    assert all(history[0][0] == CREATED for _, history, _ in after.values() if history)
    # the catalog answers with today's ids only
    assert uids_in(app, "abbinata") == []
    assert uids_in(app, "matched") == sorted(uid for uid, (state, _, _) in expected.items()
                                             if state == "matched")


def test_step_twice_changes_nothing_more(old_app):
    app, expected = old_app
    for _ in range(2):
        in_transaction(app, lambda root, portal: step0009_state_names.evolve(root, portal, app.registry))
    assert in_transaction(app, lambda root, portal: snapshot(portal)) == expected
    # a second run finds nothing to write: no transaction record beyond the first
    storage = app.registry._zodb_databases[""].storage
    last = storage.lastTransaction()
    in_transaction(app, lambda root, portal: step0009_state_names.evolve(root, portal, app.registry))
    assert storage.lastTransaction() == last


def test_former_state_ids_in_links_still_filter(applications_app):
    officer = client(applications_app, "ats_officer")
    old = officer.get(QUEUE + "?stato=abbinata")
    new = officer.get(QUEUE + "?stato=matched")
    rows = new.html.select("tbody tr")
    assert rows
    assert len(old.html.select("tbody tr")) == len(rows)
    assert [r.text for r in old.html.select("tbody tr")] == [r.text for r in rows]
    search_old = officer.get("/api/search", {"state": "abbinata"}).json
    search_new = officer.get("/api/search", {"state": "matched"}).json
    assert search_new["total"] > 0
    assert search_old["total"] == search_new["total"]
