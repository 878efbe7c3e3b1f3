"""Elasticsearch only: the outbox, migration, backend agreement and a server crash."""
import random
import threading
import time

import pytest
import transaction

from catalog import Eq, In, Query, Range
from catalog.elastic import client_for, migrate, read_indexes, write_alias
from catalog.embedded import EmbeddedCatalog
from catalog.entry import descendants
from catalog.outbox import get_outbox
from content_types.events import ObjectModified
from content_types.registry import get_content_registry
from content_types.security import OWNER, set_local_roles
from tests.unit.catalog.conftest import ALICE, ANON, BOB, CAROL, RITA, Application, build_tree, make_harness

pytestmark = pytest.mark.elasticsearch
WORDS = ("domanda assistenza domiciliare anziani servizio infanzia asilo nido buono "
         "famiglia disabilità trasporto sociale contributo affitto reddito minori "
         "comune ambito progetto educativo centro diurno persone fragili cura").split()
MUNICIPALITIES = ("Bari", "Modugno", "Bitonto", "Molfetta")


@pytest.fixture
def es(request, db):
    return make_harness(request, db, "elasticsearch")


def add_corpus(root, registry, n, seed=7):
    rnd = random.Random(seed)
    folder = root["ambiti"]["ba-01"]["domande"]
    for i in range(n):
        owner = rnd.choice(("alice", "carol", "dave"))
        app = Application(
            title=" ".join(rnd.choices(WORDS, k=4)).capitalize(),
            body=" ".join(rnd.choices(WORDS, k=40)), creator=f"user:{owner}",
            municipality=rnd.choice(MUNICIPALITIES),
            state=rnd.choice(("draft", "submitted", "approved")),
        )
        set_local_roles(app, f"user:{owner}", {OWNER})
        folder.add(f"c{i}", app, registry=registry)


QUERIES = [
    Query(facets=("type_name", "state", "district", "municipality", "year")),
    Query(text="assistenza anziani", sort="created", limit=50),
    Query(text="Disabilità", sort="title", facets=("state", "municipality"), limit=50),
    Query(filters=(Eq("type_name", "TestApplication"), Eq("state", "draft")),
          sort="created", reverse=True, limit=50),
    Query(filters=(In("municipality", ("Bari", "Bitonto")),), sort="title", reverse=True,
          start=5, limit=10, facets=("state",)),
    Query(filters=(Eq("ancestors", "/ambiti/ba-01/domande"),), text="nido", sort="modified"),
    Query(filters=(Range("year", 2000, 2100),), sort="path", limit=100),
    Query(text="reddito famiglia", limit=200),  # relevance: compared as sets
]


def assert_same_results(one, other, principal_sets=(ANON, ALICE, CAROL, BOB, RITA)):
    for principals in principal_sets:
        for query in QUERIES:
            a, b = one.search(query, principals), other.search(query, principals)
            assert a.total == b.total, (query, principals)
            if query.effective_sort == "relevance":
                assert {h.uid for h in a.items} == {h.uid for h in b.items}, query
            else:
                assert [h.uid for h in a.items] == [h.uid for h in b.items], (query, principals)
            assert [h.snippet for h in a.items] == [h.snippet for h in b.items] or \
                query.effective_sort == "relevance"
            assert a.facets == b.facets, (query, principals)


def test_changes_wait_in_the_outbox_of_the_same_transaction(es):
    build_tree(es.root, es.registry)
    # noted once per object, queued before commit (here: before counting), in this transaction
    assert es.catalog.pending() == len(get_outbox(es.root)) > 0
    transaction.abort()
    assert get_outbox(es.root) is None  # and gone with the abort
    build_tree(es.root, es.registry)
    transaction.commit()
    # one entry per object, though the local roles of BA-01 changed after its subtree was added
    assert es.catalog.pending() == sum(1 for _ in descendants(es.root))
    assert es.search(ANON, text="anziani").total == 0  # not sent yet
    assert es.search(ANON, text="anziani").incomplete
    es.catalog.flush()
    transaction.begin()
    assert es.catalog.pending() == 0
    assert es.search(ANON, text="anziani").total == 1


def test_worker_thread_sends_after_commit(request, db):
    harness = make_harness(request, db, "elasticsearch", worker="thread")
    build_tree(harness.root, harness.registry)
    transaction.commit()
    deadline = time.monotonic() + 30
    while harness.catalog.pending() and time.monotonic() < deadline:
        time.sleep(0.1)
        transaction.begin()
    assert harness.catalog.pending() == 0
    client_for(harness.registry).indices.refresh(index=harness.prefix)
    assert harness.search(ANON, text="anziani").total == 1


def test_both_backends_agree_on_one_corpus(es):
    build_tree(es.root, es.registry)
    add_corpus(es.root, es.registry, 150)
    es.commit()
    embedded = EmbeddedCatalog(es.root, get_content_registry(es.registry))
    embedded.rebuild()
    transaction.commit()
    assert len(embedded) == es.search(RITA).total > 150
    assert_same_results(embedded, es.catalog)


def test_migration_swaps_the_alias_without_losing_writes(es):
    build_tree(es.root, es.registry)
    es.commit()
    client = client_for(es.registry)
    before = read_indexes(client, es.prefix)
    new = migrate(client, es.prefix)
    assert read_indexes(client, es.prefix) == [new] != before
    assert sorted(client.indices.get_alias(name=write_alias(es.prefix))) == [new]
    assert es.search(ANON, text="anziani").total == 1
    page = es.root["documenti"]["guida"]
    page.body = "testo dopo la migrazione"
    es.registry.notify(ObjectModified(page))
    es.commit()
    assert es.search(ANON, text="migrazione").total == 1
    es.catalog.rebuild()  # from ZODB into yet another index
    assert es.search(ANON, text="migrazione").total == 1
    assert read_indexes(client, es.prefix) != [new]


def test_killing_the_server_during_a_burst_loses_nothing(request, db, es_server):
    harness = make_harness(request, db, "elasticsearch", worker="thread")
    build_tree(harness.root, harness.registry)
    add_corpus(harness.root, harness.registry, 60)
    transaction.commit()
    apps = list(harness.root["ambiti"]["ba-01"]["domande"].values())
    rnd = random.Random(3)
    killer = threading.Timer(0.5, es_server.kill)
    killer.start()
    edits = 0
    deadline = time.monotonic() + 4
    while time.monotonic() < deadline:  # a burst of edits; the server dies in the middle
        app = rnd.choice(apps)
        app.body = " ".join(rnd.choices(WORDS, k=30)) + f" modifica{edits}"
        app.state = rnd.choice(("draft", "submitted", "approved"))
        harness.registry.notify(ObjectModified(app))
        if edits % 7 == 0:
            folder = harness.root["ambiti"]["ba-01"]["domande"]
            name = rnd.choice([n for n in folder if n.startswith("c")])
            folder.remove(name, registry=harness.registry)
            apps = [a for a in apps if a.__name__ != name]
        transaction.commit()  # content edits keep succeeding
        edits += 1
        time.sleep(0.01)
    killer.join()
    assert es_server.process.poll() is not None
    transaction.begin()
    assert harness.catalog.pending() > 0  # the outbox grew while the server was down
    es_server.start()
    deadline = time.monotonic() + 60
    while harness.catalog.pending() and time.monotonic() < deadline:
        time.sleep(0.2)
        transaction.begin()
    assert harness.catalog.pending() == 0
    client_for(harness.registry).indices.refresh(index=harness.prefix)
    embedded = EmbeddedCatalog(harness.root, get_content_registry(harness.registry))
    embedded.rebuild()
    transaction.commit()
    assert_same_results(embedded, harness.catalog)
    assert harness.search(RITA, text=f"modifica{edits - 1}").total == 1
