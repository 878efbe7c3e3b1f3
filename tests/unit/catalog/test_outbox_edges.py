"""Outbox edge cases: an outbox stored before lanes, two drainers racing, stopping the worker."""
import threading

import transaction
from ZODB import DB
from ZODB.FileStorage import FileStorage

from catalog.outbox import Outbox, OutboxWorker, drain, drain_once, next_seq


def _legacy_outbox(uids):
    """An outbox as stored before lanes: only ``entries`` (seq -> (uid, entry)) and ``length``."""
    outbox = Outbox()
    del outbox.lanes, outbox.marks  # back to the class default: None
    for uid in uids:
        outbox.entries[next_seq()] = (uid, {"title": uid})
        outbox.length.change(1)
    return outbox


def _store(directory, outbox):
    db = DB(FileStorage(str(directory / "Data.fs")))
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    conn.root()["outbox"] = outbox
    tm.commit()
    oid = outbox._p_oid
    conn.close()
    return db, oid


def _outbox(db, oid):
    conn = db.open()
    try:
        return len(conn.get(oid))
    finally:
        conn.close()


def test_an_outbox_stored_before_lanes_is_counted_and_drained_oldest_first(tmp_path):
    outbox = _legacy_outbox(["a", "b", "c"])
    assert outbox.lanes is None
    assert len(outbox) == 3
    db, oid = _store(tmp_path, outbox)
    sent = []
    assert drain(db, oid, sent.extend, 2) == 3
    assert [uid for _, (uid, _) in sent] == ["a", "b", "c"]
    assert _outbox(db, oid) == 0
    assert drain_once(db, oid, sent.extend, 2) == 0
    db.close()


def test_a_change_queued_in_an_old_outbox_gets_lanes_and_follows_the_old_entries(tmp_path):
    outbox = _legacy_outbox(["old"])
    db, oid = _store(tmp_path, outbox)
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    tm.begin()
    conn.get(oid).put("new", {"title": "nuovo"})
    tm.commit()
    conn.close()
    assert _outbox(db, oid) == 2
    sent = []
    assert drain(db, oid, sent.extend, 500) == 2
    assert [uid for _, (uid, _) in sent] == ["old", "new"]
    assert _outbox(db, oid) == 0
    db.close()


def test_clear_forgets_old_entries_and_everything_in_the_lanes():
    outbox = _legacy_outbox(["a", "b"])
    outbox.put("c", None)
    outbox.put("d", {"title": "d"})
    assert len(outbox) == 4
    outbox.clear()
    assert len(outbox) == 0
    assert not outbox.take(10)
    outbox.put("e", {"title": "e"})  # queued after the rebuild: still sent
    assert [uid for _, (uid, _) in outbox.take(10).items] == ["e"]


def test_clearing_an_old_outbox_without_lanes():
    outbox = _legacy_outbox(["a"])
    outbox.clear()
    assert len(outbox) == 0
    assert outbox.lanes is None


def test_removing_an_unknown_sequence_changes_nothing():
    outbox = _legacy_outbox(["a"])
    outbox.remove([1, 2])
    assert len(outbox) == 1


def test_a_drainer_beaten_by_another_sends_again_later_and_loses_nothing(tmp_path):
    db, oid = _store(tmp_path, Outbox())
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    tm.begin()
    conn.get(oid).put("a", {"title": "a"})
    tm.commit()
    conn.close()
    faster = []

    def slow_send(items):
        # while this drainer sends, another one drains and commits the same mark
        assert drain_once(db, oid, faster.extend, 500) == 1

    assert drain_once(db, oid, slow_send, 500) == 0  # its commit conflicted: nothing counted
    assert [uid for _, (uid, _) in faster] == ["a"]
    assert _outbox(db, oid) == 0
    db.close()


def test_the_worker_stops_after_the_drain_it_is_doing(tmp_path):
    db, oid = _store(tmp_path, Outbox())
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    tm.begin()
    conn.get(oid).put("a", {"title": "a"})
    tm.commit()
    conn.close()
    sent = []
    done = threading.Event()

    def send(items):
        sent.extend(items)
        worker.stopping.set()  # asked to stop while sending: this drain still finishes
        done.set()

    worker = OutboxWorker(db, send, poll_interval=60)
    worker.start()
    worker.watch(oid)
    assert done.wait(10)
    worker.join(10)
    assert not worker.is_alive()
    assert [uid for _, (uid, _) in sent] == ["a"]
    assert _outbox(db, oid) == 0
    db.close()
