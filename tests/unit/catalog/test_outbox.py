"""The Elasticsearch outbox under concurrency: queueing never conflicts with draining."""
import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ZODB import DB
from ZODB.FileStorage import FileStorage

from catalog.outbox import Outbox, drain_once


def open_db(directory):
    db = DB(FileStorage(str(directory / "Data.fs")))
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    conn.root()["outbox"] = Outbox()
    tm.commit()
    oid = conn.root()["outbox"]._p_oid
    conn.close()
    return db, oid


class Writer:
    """A request's connection: queues changes in its own transaction."""

    def __init__(self, db):
        self.tm = transaction.TransactionManager()
        self.conn = db.open(transaction_manager=self.tm)
        self.open = False

    def put(self, uid, entry):
        if not self.open:
            self.tm.begin()  # a new request: sees what others committed
            self.open = True
        self.conn.root()["outbox"].put(uid, entry)

    def commit(self):
        self.tm.commit()
        self.open = False


def test_a_drain_that_empties_the_queue_does_not_make_the_writer_conflict(tmp_path):
    db, oid = open_db(tmp_path)
    sent = []
    first, second = Writer(db), Writer(db)
    first.put("a", {"title": "uno"})
    first.commit()
    second.put("b", {"title": "due"})  # in flight while the worker drains
    assert drain_once(db, oid, sent.extend, 500) == 1
    second.commit()  # before: ConflictError (a bucket emptied by the drain)
    assert drain_once(db, oid, sent.extend, 500) == 1
    assert [uid for _, (uid, _) in sent] == ["a", "b"]
    assert drain_once(db, oid, sent.extend, 500) == 0
    db.close()


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["put", "commit", "drain", "fail"]),
                          st.integers(0, 2), st.sampled_from("abcde")), max_size=40))
def test_every_committed_change_is_sent_and_nothing_conflicts(tmp_path_factory, steps):
    """Three writers and a worker interleaved at random: no conflict, nothing lost."""
    db, oid = open_db(tmp_path_factory.mktemp("outbox"))
    writers = [Writer(db) for _ in range(3)]
    open_puts = [[] for _ in writers]
    committed, sent = [], []
    version = 0

    def send(items):
        sent.extend(items)

    def refuse(items):
        raise RuntimeError("server down")

    for action, who, uid in steps:
        if action == "put":
            version += 1
            writers[who].put(uid, {"v": version})
            open_puts[who].append((uid, version))
        elif action == "commit" and open_puts[who]:
            writers[who].commit()  # never a ConflictError
            committed.extend(open_puts[who])
            open_puts[who] = []
        elif action == "drain":
            drain_once(db, oid, send, 3)
        else:
            try:
                drain_once(db, oid, refuse, 3)
            except RuntimeError:
                pass  # the batch stays queued
    while drain_once(db, oid, send, 3):
        pass
    got = {(uid, entry["v"]) for _, (uid, entry) in sent}
    assert set(committed) <= got  # every committed change reached the server
    uncommitted = {change for puts in open_puts for change in puts}
    assert not got & uncommitted  # nothing of an open transaction leaked
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    assert len(conn.get(oid)) == 0  # and nothing is left waiting
    conn.close()
    for writer in writers:
        writer.tm.abort()
        writer.conn.close()
    db.close()
