"""One writing request at a time per process: concurrent writers wait instead of conflicting.

Every unsafe request writes shared structures (catalog indexes keyed by
creation time, the ATS protocol counters, ...). Run side by side, two such
transactions conflict and the loser replays the whole request; under CPython's
GIL the two would not have run faster in parallel anyway. So an unsafe request
takes this lock *before* its transaction (and its ZODB snapshot) begins and
gives it back the moment the transaction is committed or aborted, before any
after-commit work (signing receipts, sending mail) runs. Safe requests never
wait. A request that waits longer than ``portal.write_lock_timeout`` seconds
goes on without the lock (optimistic, replayed on conflict as before); across
processes (RelStorage) conflicts are replayed by pyramid_retry too. The short
transactions that after-commit steps open (removing sent mail from the outbox,
registering a signed receipt) take the same lock with ``writing(db)``.
"""
import threading
import weakref
from contextlib import contextmanager

from .audit import SAFE_METHODS

DEFAULT_TIMEOUT = 30.0
#: views that only write conflict-free structures (audit log, the user's own record)
#: and spend their time hashing a password (argon2 runs without the GIL): they go
#: side by side instead of queueing behind each other's hashing
UNLOCKED_VIEWS = frozenset({"accedi", "esci"})
_locks = weakref.WeakKeyDictionary()
_guard = threading.Lock()


def lock_for(db):
    """The write lock of a ZODB database in this process."""
    with _guard:
        lock = _locks.get(db)
        if lock is None:
            lock = _locks[db] = threading.Lock()
        return lock


@contextmanager
def writing(db, timeout=DEFAULT_TIMEOUT):
    """Hold ``db``'s write lock around a short transaction of its own (after-commit work)."""
    lock = lock_for(db)
    acquired = lock.acquire(timeout=timeout)
    try:
        yield
    finally:
        if acquired:
            lock.release()


class _Release:
    """A transaction synchronizer: frees the lock when its transaction completes."""

    def __init__(self, lock):
        self.lock = lock
        self.held = True

    def release(self):
        if self.held:
            self.held = False
            self.lock.release()

    def beforeCompletion(self, txn):  # noqa: N802 - ISynchronizer
        pass

    def afterCompletion(self, txn):  # noqa: N802 - ISynchronizer: after commit or abort
        self.release()

    def newTransaction(self, txn):  # noqa: N802 - ISynchronizer
        pass


def _unlocked(request):
    return request.path_info.rstrip("/").rsplit("/", 1)[-1].removeprefix("@@") in UNLOCKED_VIEWS


def write_lock_tween_factory(handler, registry):
    lock = lock_for(registry._zodb_databases[""])
    timeout = float(registry.settings.get("portal.write_lock_timeout", DEFAULT_TIMEOUT))

    def write_lock_tween(request):
        if request.method in SAFE_METHODS or _unlocked(request) \
                or not lock.acquire(timeout=timeout):
            return handler(request)
        synch = _Release(lock)
        manager = request.tm
        manager.registerSynch(synch)
        try:
            return handler(request)
        finally:
            manager.unregisterSynch(synch)
            synch.release()

    return write_lock_tween


def includeme(config):
    # over pyramid_tm: the lock is taken before the transaction (and its snapshot) begins;
    # under pyramid_retry (which wraps every tween), so each replay queues again
    config.add_tween("portal.write_lock.write_lock_tween_factory",
                     over="pyramid_tm.tm_tween_factory")
