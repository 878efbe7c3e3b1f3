"""The persistent outbox of the Elasticsearch backend, and the worker that drains it.

Every change is queued at ``root._catalog_outbox`` inside the transaction that
changes the content, so a change is committed with the content or not at all.
After commit a worker (an in-process thread, or ``portal-indexer``) sends the
queue in bulk using its own ZODB connection and records how far the server has
accepted it; writers drop what was sent (see ``Outbox``), so the two never
conflict. Each entry carries a sequence number used as Elasticsearch's
external version: resending is harmless and an old change never overwrites a
newer one, so nothing is lost or applied twice.
"""
import itertools
import logging
import threading
import time
import weakref

import transaction
from BTrees.Length import Length
from BTrees.LOBTree import LOBTree
from persistent import Persistent
from ZODB.POSException import ConflictError

from content_types.base import ensure_attr

log = logging.getLogger(__name__)
OUTBOX_ATTRIBUTE = "_catalog_outbox"
#: independent queues, one per ZODB connection of a process (spread round-robin)
LANES = 64
#: sent entries a writer drops from its lane on each append (keeps lanes short)
COMPACT = 64
_seq_lock = threading.Lock()
_last_seq = 0


def next_seq():
    """A process-monotonic number from the clock: microseconds * 1000 (< 2**63)."""
    global _last_seq  # noqa: PLW0603 - one counter per process, under its lock
    with _seq_lock:
        _last_seq = max(time.time_ns() // 1000 * 1000, _last_seq + 1)
        return _last_seq


class _LaneOf:
    """Which lane a ZODB connection appends to: its own, while it lives."""

    def __init__(self):
        self._lock = threading.Lock()
        self._of = weakref.WeakKeyDictionary()
        self._next = itertools.count()

    def __call__(self, connection):
        if connection is None:
            return 0
        with self._lock:
            lane = self._of.get(connection)
            if lane is None:
                lane = self._of[connection] = next(self._next) % LANES
            return lane


lane_of = _LaneOf()


class Lane(Persistent):
    """One connection's queue: position (1, 2, ...) -> (seq, uid, entry or None).

    Only the connection that owns the lane appends to it or drops what was sent,
    so concurrent requests never write the same buckets; positions follow the
    lane's commit order (``last`` serialises the rare second writer of a lane).
    """

    last = 0

    def __init__(self):
        self.entries = LOBTree()


class Mark(Persistent):
    """How far the drainer has sent one lane; written only by the drainer."""

    sent = 0


class Batch:
    """What one drain takes: the items to send and how to acknowledge them."""

    def __init__(self):
        self.items = []  # [(seq, (uid, entry))]
        self.legacy = []  # keys of entries stored before lanes
        self.marks = {}  # lane -> last position taken

    def __len__(self):
        return len(self.items)


class Outbox(Persistent):
    """Changes waiting for Elasticsearch, in lanes that writers never share.

    The drainer never writes a lane: it records how far it has sent each one in a
    ``Mark`` of its own, and the lane's writer drops the sent entries on its next
    append. So queueing a change never conflicts with draining (a drain that
    emptied a shared bucket used to make the writing request conflict).
    """

    lanes = None  # None: an outbox stored before lanes (only ``entries``)
    marks = None

    def __init__(self):
        self.entries = LOBTree()  # before lanes: seq -> (uid, entry); drained, never written
        self.length = Length()  # of ``entries``
        self._make_lanes()

    def _make_lanes(self):
        self.lanes = tuple(Lane() for _ in range(LANES))
        self.marks = tuple(Mark() for _ in range(LANES))

    def __len__(self):
        waiting = self.length()
        if self.lanes is not None:
            waiting += sum(lane.last - mark.sent for lane, mark in zip(self.lanes, self.marks, strict=True))
        return waiting

    def put(self, uid, entry):
        if self.lanes is None:
            self._make_lanes()
        number = lane_of(self._p_jar)
        lane, sent = self.lanes[number], self.marks[number].sent
        seq = next_seq()
        lane.last += 1
        lane.entries[lane.last] = (seq, uid, entry)
        if sent and lane.entries.minKey() <= sent:
            for position in list(itertools.islice(lane.entries.keys(max=sent), COMPACT)):
                del lane.entries[position]
        return seq

    def take(self, size):
        """Up to ``size`` waiting items, oldest lanes' first; nothing changes yet."""
        batch = Batch()
        for seq, item in itertools.islice(self.entries.items(), size):
            batch.items.append((seq, item))
            batch.legacy.append(seq)
        for number in range(LANES if self.lanes is not None else 0):
            room = size - len(batch.items)
            if room <= 0:
                break
            lane, sent = self.lanes[number], self.marks[number].sent
            if lane.last <= sent:
                continue
            for position, (seq, uid, entry) in itertools.islice(
                    lane.entries.items(min=sent + 1), room):
                batch.items.append((seq, (uid, entry)))
                batch.marks[number] = position
        return batch

    def acknowledge(self, batch):
        """The server has what ``batch`` held: move the marks, drop old-shape entries."""
        self.remove(batch.legacy)
        for number, position in batch.marks.items():
            mark = self.marks[number]
            mark.sent = max(mark.sent, position)

    def remove(self, seqs):
        """Drop entries stored before lanes."""
        for seq in seqs:
            if self.entries.pop(seq, None) is not None:
                self.length.change(-1)

    def clear(self):
        """Forget everything waiting (the index is being rebuilt from ZODB)."""
        self.remove(list(self.entries.keys()))
        for lane, mark in zip(self.lanes or (), self.marks or (), strict=True):
            mark.sent = max(mark.sent, lane.last)


def get_outbox(root, create=False):
    return ensure_attr(root, OUTBOX_ATTRIBUTE, Outbox, create)


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
        batch = outbox.take(batch_size)
        if not batch:
            tm.abort()
            return 0
        send(batch.items)
        outbox.acknowledge(batch)
        try:
            tm.commit()
        except ConflictError:
            tm.abort()
            return 0
        return len(batch)
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
                except Exception as exc:  # noqa: BLE001 - the server is down: keep the queue, back off
                    self.failures += 1
                    log.warning("catalog outbox not drained (%s), retry later", exc)
