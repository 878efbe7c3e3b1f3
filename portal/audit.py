"""Append-only audit log in ZODB: who did what, when, to which object.

Every unsafe request appends, so concurrent requests must not collide here
(see "Concurrent writes" in the README): the log is ``SHARDS`` independent
sub-logs and each ZODB connection writes to its own one, so two connections of
a process never write the same object; readers merge the sub-logs by key.
"""
import heapq
import itertools
import random
import threading
import weakref
from datetime import UTC, datetime, timedelta

import transaction
from BTrees.Length import Length
from BTrees.LLBTree import LLTreeSet
from BTrees.LOBTree import LOBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from pyramid.traversal import resource_path
from pyramid.tweens import EXCVIEW
from pyramid_zodbconn import get_connection

from content_types.values import aware, utcnow
from portal.db import AUDIT_KEY

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: sub-logs: more than the connections a process opens at once (waitress threads + a few)
SHARDS = 64
#: keys per microsecond (room for entries written in the same microsecond)
SPREAD = 1024
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def make_key(when):
    """Newest first: minus the microseconds since 1970, times SPREAD."""
    return -((when - _EPOCH) // _MICROSECOND) * SPREAD


def legacy_key(old):
    """The key of an entry stored before evolve step 6 (``time_ns + randrange(1000)``)."""
    return -((old // 1000) * SPREAD + old % 1000)


class _Slots:
    """Which sub-log each ZODB connection writes to: one no other live connection has.

    Slots are handed out in a random order per process (two processes rarely
    start on the same ones) and come back when their connection is collected.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._free = random.sample(range(SHARDS), SHARDS)
        self._of = weakref.WeakKeyDictionary()

    def __call__(self, connection):
        with self._lock:
            slot = self._of.get(connection)
            if slot is None:
                # more live connections than shards: share one (conflicts stay possible);
                # S311: spreading load, not a secret
                slot = self._free.pop() if self._free else random.randrange(SHARDS)  # noqa: S311
                self._of[connection] = slot
                weakref.finalize(connection, self._release, slot)
            return slot

    def _release(self, slot):
        with self._lock:
            if slot not in self._free and slot not in self._of.values():
                self._free.insert(0, slot)


slot_of = _Slots()


class AuditShard(Persistent):
    """One sub-log: entries by key, the keys of each object, and their count."""

    def __init__(self):
        self.entries = LOBTree()
        self.by_uid = OOBTree()  # uid -> LLTreeSet of keys in this shard
        self.count = Length()

    def add(self, key, entry):
        while key in self.entries:
            key -= 1  # same microsecond: still newer than the next microsecond's keys
        self.entries[key] = entry
        self.count.change(1)
        uid = entry.get("uid")
        if uid:
            keys = self.by_uid.get(uid)
            if keys is None:
                keys = self.by_uid[uid] = LLTreeSet()
            keys.add(key)
        return key


class AuditLog(Persistent):
    """``SHARDS`` sub-logs; ``latest`` and ``for_object`` merge them newest first."""

    shards = None  # None: a log stored before evolve step 6 (``entries`` + ``by_uid``)
    entries = None  # legacy: one LOBTree keyed by time_ns
    by_uid = None  # legacy: uid -> LLTreeSet of those keys

    def __init__(self):
        self.shards = tuple(AuditShard() for _ in range(SHARDS))

    def _writer_shard(self):
        jar = self._p_jar
        return self.shards[slot_of(jar) if jar is not None else 0]

    def append(self, userid, action, path="", uid=None, details=None, when=None):
        if self.shards is None:
            self.upgrade()
        when = aware(when or utcnow())
        entry = {
            "when": when.isoformat(), "user": userid or "anonimo", "action": action,
            "path": path, "uid": uid, "details": dict(details or {}),
        }
        self._writer_shard().add(make_key(when), entry)
        return entry

    def for_object(self, uid, limit=100):
        """The newest ``limit`` entries about ``uid``, newest first."""
        if self.shards is None:
            return self._legacy_for_object(uid, limit)
        heads = [zip(itertools.islice(keys, limit), itertools.repeat(shard))
                 for shard in self.shards
                 if (keys := shard.by_uid.get(uid)) is not None]
        merged = heapq.merge(*heads, key=lambda pair: pair[0])
        return [shard.entries[key] for key, shard in itertools.islice(merged, limit)]

    def latest(self, limit=100):
        """The newest ``limit`` entries, newest first."""
        if self.shards is None:
            return self._legacy_latest(limit)
        heads = (itertools.islice(shard.entries.items(), limit) for shard in self.shards)
        merged = heapq.merge(*heads, key=lambda item: item[0])
        return [entry for _, entry in itertools.islice(merged, limit)]

    def __len__(self):
        if self.shards is None:
            return len(self.entries)
        return sum(shard.count() for shard in self.shards)

    def upgrade(self):
        """Move a log stored before evolve step 6 into the shards, keeping its order."""
        if self.shards is not None:
            return
        shards = tuple(AuditShard() for _ in range(SHARDS))
        for index, (old, entry) in enumerate(self.entries.items()):
            shards[index % SHARDS].add(legacy_key(old), entry)
        self.shards = shards
        del self.entries, self.by_uid  # back to the class defaults

    def _legacy_for_object(self, uid, limit):
        keys = self.by_uid.get(uid)
        if keys is None:
            return []
        return [self.entries[k] for k in reversed(list(keys)[-limit:])]

    def _legacy_latest(self, limit):
        n = len(self.entries)
        return list(self.entries.values()[max(0, n - limit):n])[::-1]


def get_audit_log(request):
    return get_connection(request).root()[AUDIT_KEY]


def _describe(obj):
    if obj is None or not hasattr(obj, "__name__"):
        return "", None
    try:
        return resource_path(obj), getattr(obj, "uid", None)
    except Exception:  # noqa: BLE001 - an object being removed may have lost its parent
        return getattr(obj, "__name__", "") or "", getattr(obj, "uid", None)


def log(request, action, obj=None, **details):
    """Append an entry inside the request's transaction."""
    path, uid = _describe(obj if obj is not None else getattr(request, "context", None))
    return get_audit_log(request).append(
        request.authenticated_userid, action, path, uid, details
    )


def log_read(request, obj, what="dati personali"):
    """GDPR accountability: an officer read someone's personal data."""
    return log(request, "lettura", obj, what=what)


def _action_name(request):
    view = request.view_name or "visualizza"
    return f"{request.method} {view}"


def audit_tween_factory(handler, registry):
    """Inside the transaction: log every successful unsafe request."""

    def audit_tween(request):
        response = handler(request)
        if (
            request.method not in SAFE_METHODS
            and response.status_code < 400
            and getattr(request, "exception", None) is None
            and not getattr(request, "skip_audit", False)
        ):
            log(request, _action_name(request), status=response.status_code)
        return response

    return audit_tween


def denied_tween_factory(handler, registry):
    """Outside the (aborted) transaction: record refused attempts on their own."""

    def denied_tween(request):
        response = handler(request)
        if response.status_code == 403 and request.authenticated_userid:
            db = registry._zodb_databases[""]
            tm = transaction.TransactionManager()
            conn = db.open(transaction_manager=tm)
            try:
                with tm:
                    path, uid = _describe(getattr(request, "context", None))
                    conn.root()[AUDIT_KEY].append(
                        request.authenticated_userid, f"NEGATO {_action_name(request)}",
                        path, uid, {"url": request.path},
                    )
            finally:
                conn.close()
        return response

    return denied_tween


def includeme(config):
    """Where the audit tweens sit: one inside the transaction, one outside."""
    config.add_tween("portal.audit.audit_tween_factory", over=EXCVIEW,
                     under="pyramid_tm.tm_tween_factory")
    config.add_tween("portal.audit.denied_tween_factory", over="pyramid_tm.tm_tween_factory")
