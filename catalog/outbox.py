"""The persistent outbox of the Elasticsearch backend, and the worker that drains it.

Every change is queued at ``root._catalog_outbox`` inside the transaction that
changes the content, so a change is committed with the content or not at all.
After commit a worker (an in-process thread, or ``portal-indexer``) sends the
queue in bulk using its own ZODB connection and deletes what the server
accepted. Each entry carries a sequence number used as Elasticsearch's
external version: resending is harmless and an old change never overwrites a
newer one, so nothing is lost or applied twice.
"""
import itertools
import logging
import threading
import time

import transaction
from BTrees.Length import Length
from BTrees.LOBTree import LOBTree
from persistent import Persistent
from ZODB.POSException import ConflictError

log = logging.getLogger(__name__)
OUTBOX_ATTRIBUTE = "_catalog_outbox"
_seq_lock = threading.Lock()
_last_seq = 0


def next_seq():
    """A process-monotonic number from the clock: microseconds * 1000 (< 2**63)."""
    global _last_seq
    with _seq_lock:
        _last_seq = max(time.time_ns() // 1000 * 1000, _last_seq + 1)
        return _last_seq


class Outbox(Persistent):
    """seq -> (uid, entry or None for a delete)."""

    def __init__(self):
        self.entries = LOBTree()
        self.length = Length()

    def __len__(self):
        return self.length()

    def put(self, uid, entry):
        seq = next_seq()
        while seq in self.entries:
            seq += 1
        self.entries[seq] = (uid, entry)
        self.length.change(1)
        return seq

    def batch(self, size):
        return list(itertools.islice(self.entries.items(), size))

    def remove(self, seqs):
        for seq in seqs:
            if self.entries.pop(seq, None) is not None:
                self.length.change(-1)


def get_outbox(root, create=False):
    outbox = getattr(root, OUTBOX_ATTRIBUTE, None)
    if outbox is None and create:
        outbox = Outbox()
        setattr(root, OUTBOX_ATTRIBUTE, outbox)
    return outbox


def drain_once(db, oid, send, batch_size):
    """Send one batch from the outbox ``oid``; return how many entries were sent.

    ``send(items)`` raises when the server did not accept everything; then the
    batch stays queued. A conflict on delete just means another worker was
    faster: abort, the next call sees the fresh state.
    """
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    try:
        tm.begin()
        outbox = conn.get(oid)
        items = outbox.batch(batch_size)
        if not items:
            tm.abort()
            return 0
        send(items)
        outbox.remove([seq for seq, _ in items])
        try:
            tm.commit()
        except ConflictError:
            tm.abort()
            return 0
        return len(items)
    finally:
        tm.abort()
        conn.close()


def drain(db, oid, send, batch_size, deadline=None):
    """Drain until empty (or ``deadline``, a ``time.monotonic`` value); return count."""
    total = 0
    while True:
        sent = drain_once(db, oid, send, batch_size)
        total += sent
        if not sent or (deadline is not None and time.monotonic() > deadline):
            return total


class OutboxWorker(threading.Thread):
    """Drains outboxes after each commit and every ``poll_interval`` seconds."""

    def __init__(self, db, send, batch_size=500, poll_interval=5.0, max_backoff=30.0):
        super().__init__(name="catalog-outbox-worker", daemon=True)
        self.db = db
        self.send = send
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.max_backoff = max_backoff
        self.oids = set()
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.failures = 0

    def watch(self, oid):
        self.oids.add(oid)
        self.wake.set()

    def stop(self, timeout=10):
        self.stopping.set()
        self.wake.set()
        self.join(timeout)

    def run(self):
        while not self.stopping.is_set():
            delay = self.poll_interval
            if self.failures:
                delay = min(self.max_backoff, 0.5 * 2 ** min(self.failures, 6))
            self.wake.wait(delay)
            self.wake.clear()
            if self.stopping.is_set():
                break
            for oid in list(self.oids):
                try:
                    drain(self.db, oid, self.send, self.batch_size)
                    self.failures = 0
                except Exception as exc:  # the server is down: keep the queue, back off
                    self.failures += 1
                    log.warning("catalog outbox not drained (%s), retry later", exc)
