"""Evolve step 10: pages stored before the editorial workflow become published, in search too."""
import webtest
from pyramid.scripting import prepare
from pyramid_zodbconn import get_connection

from catalog import Eq, Query, get_catalog
from catalog.entry import descendants
from catalog.query import MAX_LIMIT
from content_types.page import Page
from content_types.security import Everyone
from portal import main
from portal.evolve import step0010_published_pages
from tests.conftest import make_settings
from workflows.editorial import PUBLISHED

GUIDE = "/documenti/guida-buoni-servizio"


def in_transaction(app, work):
    env = prepare(registry=app.registry)
    try:
        with env["request"].tm:
            root = get_connection(env["request"]).root()
            return work(root, root["portal"])
    finally:
        env["closer"]()


def make_it_old(root, portal, registry):
    """Pages as the code before step 10 stored them: no state, no ACL of their own, no history."""
    catalog = get_catalog(portal, registry)
    for obj in descendants(portal):
        if isinstance(obj, Page):
            obj.state = None
            del obj.__acl__
            obj.workflow_history = ()
            catalog.reindex(obj)


def states(root, portal):
    return {obj.uid: (type(obj).__name__, obj.state, len(obj.workflow_history))
            for obj in descendants(portal) if hasattr(obj, "state")}


def public_pages(app):
    """Paths of the pages anonymous search finds in the published state."""
    def search(root, portal):
        found = get_catalog(portal, app.registry).search(
            Query(filters=(Eq("type_name", "Page"), Eq("state", PUBLISHED)), limit=MAX_LIMIT),
            [Everyone])
        return sorted(hit.path for hit in found.items)
    return in_transaction(app, search)


def test_pages_without_a_state_are_published_and_reindexed(app_dir):
    app = main({}, **make_settings(app_dir))
    try:
        expected = in_transaction(app, states)
        assert public_pages(app) == [GUIDE]
        in_transaction(app, lambda root, portal: make_it_old(root, portal, app.registry))
        assert public_pages(app) == []
        old = in_transaction(app, states)
        pages = {uid for uid, (kind, _, _) in old.items() if kind == "Page"}
        assert pages
        assert all(old[uid][1] is None for uid in pages)

        in_transaction(app, lambda root, portal: step0010_published_pages.evolve(
            root, portal, app.registry))

        after = in_transaction(app, states)
        for uid in pages:
            assert after[uid] == ("Page", PUBLISHED, 1)  # one history entry: the step's
        # everything else is as the step found it
        assert {u: v for u, v in after.items() if u not in pages} == \
            {u: v for u, v in expected.items() if u not in pages}
        assert public_pages(app) == [GUIDE]
        page = webtest.TestApp(app).get(GUIDE)
        assert "Guida ai Buoni servizio" in page.text

        # a second run finds nothing to write: no transaction record beyond the first
        storage = app.registry._zodb_databases[""].storage
        last = storage.lastTransaction()
        in_transaction(app, lambda root, portal: step0010_published_pages.evolve(
            root, portal, app.registry))
        assert storage.lastTransaction() == last
    finally:
        app.registry._zodb_databases[""].close()

