"""The places counter: concurrent takes merge, the last place is never taken twice.

Real FileStorage, one connection per thread, a barrier so that both transactions
read the same snapshot before either commits.
"""
import threading

import pytest
import transaction
from ZODB import DB
from ZODB.FileStorage import FileStorage
from ZODB.POSException import ConflictError

from content_types.catalogue_entry import (
    CatalogueEntry,
    CatalogueError,
    NoPlacesLeft,
    NoPlaceTaken,
    PlacesCounter,
)


@pytest.fixture
def db(tmp_path):
    database = DB(FileStorage(str(tmp_path / "Data.fs")))
    yield database
    database.close()


def store_entry(db, places):
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    with tm:
        entry = CatalogueEntry(title="Nido")
        entry.set_data({"places_offered": places})
        conn.root()["entry"] = entry
    conn.close()


def read_counter(db):
    conn = db.open()
    try:
        counter = conn.root()["entry"].places
        return counter.capacity, counter.taken, counter.free
    finally:
        conn.close()


def race(db, clients, attempts=5):
    """``clients`` threads take a place each, retrying on ConflictError like pyramid_retry."""
    barrier = threading.Barrier(clients)
    outcomes = [None] * clients

    def client(index):
        tm = transaction.TransactionManager()
        conn = db.open(transaction_manager=tm)
        try:
            for attempt in range(attempts):
                try:
                    with tm:
                        entry = conn.root()["entry"]
                        entry.take_place()
                        if attempt == 0:
                            barrier.wait(timeout=10)  # everyone has read the same count
                    outcomes[index] = ("taken", attempt)
                    return
                except ConflictError:
                    continue
                except NoPlacesLeft:
                    outcomes[index] = ("full", attempt)
                    return
            outcomes[index] = ("gave up", attempts)
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_the_last_place_cannot_be_taken_twice(db):
    store_entry(db, 1)
    outcomes = race(db, 2)
    assert sorted(kind for kind, _ in outcomes) == ["full", "taken"]
    # the loser conflicted first, then saw the committed count on its retry
    assert [attempt for kind, attempt in outcomes if kind == "full"] == [1]
    assert read_counter(db) == (1, 1, 0)


def test_many_clients_never_overbook(db):
    store_entry(db, 3)
    outcomes = race(db, 8, attempts=10)
    assert sorted(kind for kind, _ in outcomes) == ["full"] * 5 + ["taken"] * 3
    assert read_counter(db) == (3, 3, 0)


def test_takes_of_different_free_places_merge_without_retry(db):
    store_entry(db, 5)
    outcomes = race(db, 2)
    assert outcomes == [("taken", 0), ("taken", 0)]
    assert read_counter(db) == (5, 2, 3)


def test_resolution_rules():
    counter = PlacesCounter(2)
    old = {"capacity": 2, "taken": 1}
    # both took one place from a count of 1 with 2 offered: overbooking, refused
    with pytest.raises(ConflictError):
        counter._p_resolveConflict(old, {"capacity": 2, "taken": 2}, {"capacity": 2, "taken": 2})
    # one took, the other released: merged
    assert counter._p_resolveConflict(old, {"capacity": 2, "taken": 2},
                                      {"capacity": 2, "taken": 0})["taken"] == 1
    # capacity raised on one side, a take on the other: both kept
    merged = counter._p_resolveConflict(old, {"capacity": 4, "taken": 1},
                                        {"capacity": 2, "taken": 2})
    assert (merged["capacity"], merged["taken"]) == (4, 2)
    # different capacity changes on both sides are never merged
    with pytest.raises(ConflictError):
        counter._p_resolveConflict(old, {"capacity": 4, "taken": 1}, {"capacity": 3, "taken": 1})
    # never below zero
    with pytest.raises(ConflictError):
        counter._p_resolveConflict({"capacity": 2, "taken": 1}, {"capacity": 2, "taken": 0},
                                   {"capacity": 2, "taken": 0})


def test_take_and_release_through_the_entry():
    entry = CatalogueEntry(title="Nido")
    entry.set_data({"places_offered": 1})
    assert entry.take_place() == 0
    with pytest.raises(NoPlacesLeft) as info:
        entry.take_place()
    assert info.value.code == "no_places_left"
    assert entry.release_place() == 1
    with pytest.raises(NoPlaceTaken):
        entry.release_place()
    with pytest.raises(CatalogueError):
        entry.set_data({"places_offered": -1})
