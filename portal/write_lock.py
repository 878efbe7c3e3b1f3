"""One writing request at a time per process: concurrent writers wait instead of conflicting.

Every unsafe request writes shared structures (catalog indexes keyed by
creation time, the ATS protocol counters, ...). Run side by side, two such
transactions conflict and the loser replays the whole request; under CPython's
GIL they would not have run faster in parallel anyway (measured: 8 families
submitting at once spend 28 ms of CPU per submission when each request holds
the lock to its end, 41 ms when the next starts right after the commit, the
threads then fighting over the GIL). So an unsafe request takes this lock
*before* its transaction (and its ZODB snapshot) begins and gives it back when
its response is ready, after-commit work (signing the receipt, sending mail)
included. The short transactions that after-commit work opens take the same
(re-entrant) lock with ``writing(db)``, which also serialises them with the
requests of other threads. Safe requests never wait, nor do logins and logouts
(``UNLOCKED_VIEWS``). A request that waits longer than
``portal.write_lock_timeout`` seconds goes on without the lock (optimistic,
replayed on conflict as before); across processes (RelStorage) conflicts are
replayed by pyramid_retry too.
"""
import threading
import weakref
from contextlib import contextmanager

from portal.audit import SAFE_METHODS

DEFAULT_TIMEOUT = 30.0
#: views that only write conflict-free structures (audit log, the user's own record)
#: and spend their time hashing a password (argon2 runs without the GIL): they go
#: side by side instead of queueing behind each other's hashing
UNLOCKED_VIEWS = frozenset({"accedi", "esci"})
#: replays for an unlocked write: it meets other writers optimistically, so it gets more
#: tries than ``retry.attempts`` (a burst of logins of one user may split one bucket often)
OPTIMISTIC_ATTEMPTS = 8
_locks = weakref.WeakKeyDictionary()
_guard = threading.Lock()


def lock_for(db):
    """The write lock of a ZODB database in this process (re-entrant)."""
    with _guard:
        lock = _locks.get(db)
        if lock is None:
            lock = _locks[db] = threading.RLock()
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


def unlocked_path(path):
    """Whether a request to ``path`` writes without the lock (logins and logouts)."""
    return path.rstrip("/").rsplit("/", 1)[-1].removeprefix("@@") in UNLOCKED_VIEWS


def unlocked(request):
    return unlocked_path(request.path_info)


def write_lock_tween_factory(handler, registry):
    lock = lock_for(registry._zodb_databases[""])
    timeout = float(registry.settings.get("portal.write_lock_timeout", DEFAULT_TIMEOUT))

    def write_lock_tween(request):
        if request.method in SAFE_METHODS or unlocked(request) \
                or not lock.acquire(timeout=timeout):
            return handler(request)
        try:
            return handler(request)
        finally:
            lock.release()

    return write_lock_tween


def includeme(config):
    # over pyramid_tm: the lock is taken before the transaction (and its snapshot) begins;
    # under pyramid_retry (which wraps every tween), so each replay queues again
    config.add_tween("portal.write_lock.write_lock_tween_factory",
                     over="pyramid_tm.tm_tween_factory")
