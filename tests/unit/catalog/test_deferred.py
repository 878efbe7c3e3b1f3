"""One index operation and one text analysis per object per transaction, on both backends."""
import pytest
import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ZODB import DB
from ZODB.FileStorage import FileStorage

import catalog.entry
import workflows
from catalog import Eq
from catalog.embedded import CatalogStore
from catalog.outbox import get_outbox
from content_types.base import Content
from content_types.events import LocalRolesChanged, ObjectModified
from content_types.folder import Folder
from content_types.security import (
    OWNER,
    PROVIDER,
    VIEW,
    principals_allowed,
    set_local_roles,
)
from tests.unit.catalog.conftest import ANON, RITA, PortalHarness, make_harness
from workflows import WorkflowError

ALICE_OWNER = ("system.Everyone", "system.Authenticated", "user:alice")


class Offer(Content):
    """A type under the shipped ``catalogue_entry`` workflow (draft -> submitted -> ...)."""

    type_name = "Offer"
    description = ""
    body = ""


@pytest.fixture(params=["embedded", "elasticsearch"])
def portal(request, db):
    harness = make_harness(request, db, request.param)
    harness.config.include("workflows")
    harness.config.add_content_type("Offer", Offer, title="Offerta", addable_to=("Folder",),
                                    catalog_attributes=("title", "description", "body"),
                                    workflow="catalogue_entry")
    harness.root.add("offerte", Folder(title="Offerte"), registry=harness.registry)
    harness.commit()
    return harness


@pytest.fixture
def counts(monkeypatch):
    """How many times texts were analysed and entries written (either backend)."""
    seen = {"analyses": 0, "writes": 0}
    analyze = catalog.entry.analyze

    def counting_analyze(text):
        seen["analyses"] += 1
        return analyze(text)

    index_entry = CatalogStore.index_entry

    def counting_index_entry(self, *args, **kw):
        seen["writes"] += 1
        return index_entry(self, *args, **kw)

    monkeypatch.setattr(catalog.entry, "analyze", counting_analyze)
    monkeypatch.setattr(CatalogStore, "index_entry", counting_index_entry)
    return seen


def queued(portal):
    outbox = get_outbox(portal.root)
    return len(outbox) if outbox is not None else 0


def add_offer(portal, name="nido", body="Asilo nido comunale con mensa e giardino."):
    offer = Offer(title=f"Offerta {name}", body=body, creator="user:alice")
    set_local_roles(offer, "user:alice", {OWNER})
    return portal.root["offerte"].add(name, offer, registry=portal.registry)


def test_creating_an_object_with_a_workflow_indexes_it_once(portal, counts):
    before = queued(portal)
    offer = add_offer(portal)
    assert offer.state == "draft"  # the workflow ran: ACL and state changed after the add
    transaction.commit()
    assert counts["analyses"] == 1
    if portal.backend == "embedded":
        assert counts["writes"] == 1
    else:
        assert queued(portal) - before == 1  # one outbox entry, not one per event
    portal.catalog.flush()
    assert portal.uids(ALICE_OWNER, text="giardino") == [offer.uid]
    assert portal.search(ANON, text="giardino").total == 0


def test_a_transition_reindexes_state_and_permissions_only(portal, counts):
    offer = add_offer(portal)
    portal.commit()
    counts.update(analyses=0, writes=0)
    workflows.fire(offer, None, "submit", registry=portal.registry)
    workflows.fire(offer, None, "publish", registry=portal.registry)
    portal.commit()
    # the text did not change: the embedded backend does not analyse it again; the
    # Elasticsearch backend replaces whole documents, so it analyses it once
    assert counts["analyses"] == (0 if portal.backend == "embedded" else 1)
    assert portal.uids(ANON, filters=(Eq("state", "published"),)) == [offer.uid]
    assert portal.uids(ANON, text="giardino") == [offer.uid]
    assert portal.search(ANON, filters=(Eq("state", "draft"),)).total == 0


def test_a_changed_text_is_analysed_again(portal, counts):
    offer = add_offer(portal)
    portal.commit()
    counts.update(analyses=0)
    offer.body = "Ludoteca per bambini."
    portal.catalog.reindex(offer)
    workflows.fire(offer, None, "submit", registry=portal.registry)
    portal.commit()
    assert counts["analyses"] == 1
    assert portal.uids(RITA, text="ludoteca") == [offer.uid]
    assert portal.search(RITA, text="giardino").total == 0


def test_removed_in_the_same_transaction_leaves_no_entry(portal):
    offer = add_offer(portal)
    portal.root["offerte"].remove(offer.__name__, registry=portal.registry)
    portal.commit()
    assert portal.search(ALICE_OWNER, filters=(Eq("type_name", "Offer"),)).total == 0


def test_a_search_in_the_same_transaction_sees_its_changes(portal):
    if portal.backend == "elasticsearch":
        # the server sees only committed changes; the notes are queued before it is asked
        add_offer(portal)
        assert portal.catalog.pending() >= 1
        transaction.abort()
        assert portal.catalog.pending() == 0
        return
    offer = add_offer(portal)
    assert portal.uids(ALICE_OWNER, text="giardino") == [offer.uid]
    assert portal.search(RITA, text="giardino").total == 0  # a draft: not for the Region
    workflows.fire(offer, None, "submit", registry=portal.registry)
    assert portal.uids(RITA, filters=(Eq("state", "submitted"),)) == [offer.uid]
    portal.root["offerte"].remove(offer.__name__, registry=portal.registry)
    assert portal.search(RITA, text="giardino").total == 0
    add_offer(portal, "centro", body="Centro diurno per anziani.")
    assert len(portal.catalog) == 2  # the folder and the new offer
    transaction.abort()
    assert portal.search(ALICE_OWNER, text="diurno").total == 0
    assert len(portal.catalog) == 1


WORDS = ("giardino", "ludoteca", "mensa")
WHO = {"anonymous": ANON, "alice": ALICE_OWNER, "rita": RITA,
       "dave": ("system.Everyone", "system.Authenticated", "user:dave")}
ACTIONS = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(WORDS)),
    st.tuples(st.just("fire"), st.integers(0, 9),
              st.sampled_from(["submit", "publish", "send_back", "withdraw"])),
    st.tuples(st.just("edit"), st.integers(0, 9), st.sampled_from(WORDS)),
    st.tuples(st.just("share"), st.booleans()),
    st.tuples(st.just("remove"), st.integers(0, 9)),
    st.tuples(st.sampled_from(["search", "commit", "abort"])),
)


def visible(portal, who, word=None):
    """What the tree itself says ``who`` may see (the catalog must agree)."""
    return {offer.uid for offer in portal.root["offerte"].values()
            if set(principals_allowed(offer, VIEW)) & set(who)
            and (word is None or offer.body == word)}


def found(portal, who, word=None):
    hits = portal.search(who, text=word or "", filters=(Eq("type_name", "Offer"),), limit=500)
    return {hit.uid for hit in hits.items}


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(ACTIONS, min_size=1, max_size=25))
@example([("add", "giardino"), ("commit",), ("edit", 0, "mensa")])
@example([("add", "mensa"), ("search",), ("fire", 0, "submit"), ("share", True), ("search",),
          ("remove", 0), ("search",), ("add", "mensa"), ("abort",)])
def test_any_sequence_of_changes_leaves_the_catalog_equal_to_the_tree(tmp_path_factory, actions):
    """Adds, transitions, edits, sharing, removals, searches mid-transaction, aborts."""
    db = DB(FileStorage(str(tmp_path_factory.mktemp("seq") / "Data.fs")))
    portal = PortalHarness(db, "embedded")
    try:
        portal.config.include("workflows")
        portal.config.add_content_type("Offer", Offer, title="Offerta", addable_to=("Folder",),
                                       catalog_attributes=("title", "description", "body"),
                                       workflow="catalogue_entry")
        portal.root.add("offerte", Folder(title="Offerte"), registry=portal.registry)
        portal.commit()
        for count, (kind, *args) in enumerate([*actions, ("commit",)]):
            folder = portal.root["offerte"]
            offers = list(folder.values())
            if kind == "add":
                add_offer(portal, f"o{count}", body=args[0])
            elif kind == "fire" and offers:
                offer = offers[args[0] % len(offers)]
                try:
                    workflows.fire(offer, None, args[1], comment="motivo", registry=portal.registry)
                except WorkflowError:
                    pass
            elif kind == "edit" and offers:
                offer = offers[args[0] % len(offers)]
                offer.body = args[1]
                portal.registry.notify(ObjectModified(offer, ("body",)))
            elif kind == "share":
                set_local_roles(folder, "user:dave", {PROVIDER} if args[0] else ())
                portal.registry.notify(LocalRolesChanged(folder))
            elif kind == "remove" and offers:
                folder.remove(offers[args[0] % len(offers)].__name__, registry=portal.registry)
            elif kind == "commit":
                transaction.commit()
            elif kind == "abort":
                transaction.abort()
            if kind in ("search", "commit", "abort"):
                for who in WHO.values():
                    assert found(portal, who) == visible(portal, who)
                    for word in WORDS:
                        assert found(portal, who, word) == visible(portal, who, word)
    finally:
        portal.close()
        db.close()
