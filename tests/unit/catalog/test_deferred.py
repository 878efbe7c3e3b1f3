"""One index operation and one text analysis per object per transaction, on both backends."""
import pytest
import transaction

import catalog.entry
import workflows
from catalog import Eq
from catalog.embedded import CatalogStore
from catalog.outbox import get_outbox
from content_types.base import Content
from content_types.folder import Folder
from content_types.security import OWNER, set_local_roles

from .conftest import ANON, RITA, make_harness

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
    harness.root.add("offerte", Folder(title="Offerte"))
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
    return portal.root["offerte"].add(name, offer)


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
    workflows.fire(offer, None, "submit")
    workflows.fire(offer, None, "publish")
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
    workflows.fire(offer, None, "submit")
    portal.commit()
    assert counts["analyses"] == 1
    assert portal.uids(RITA, text="ludoteca") == [offer.uid]
    assert portal.search(RITA, text="giardino").total == 0


def test_removed_in_the_same_transaction_leaves_no_entry(portal):
    offer = add_offer(portal)
    portal.root["offerte"].remove(offer.__name__)
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
    workflows.fire(offer, None, "submit")
    assert portal.uids(RITA, filters=(Eq("state", "submitted"),)) == [offer.uid]
    portal.root["offerte"].remove(offer.__name__)
    assert portal.search(RITA, text="giardino").total == 0
    add_offer(portal, "centro", body="Centro diurno per anziani.")
    assert len(portal.catalog) == 2  # the folder and the new offer
    transaction.abort()
    assert portal.search(ALICE_OWNER, text="diurno").total == 0
    assert len(portal.catalog) == 1
