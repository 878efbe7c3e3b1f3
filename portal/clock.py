"""Periodic passes in a daemon thread of ``portal-serve`` (lapses, housekeeping, the job queue).

One loop for all of them: a pass that fails is logged and the next one still runs; ``stop``
ends the thread, ``passed`` is set after each pass (tests wait on it).
"""
import logging
import threading

import transaction
from ZODB.POSException import ConflictError

log = logging.getLogger(__name__)
#: a periodic pass writes this many objects per transaction, retried this often on conflicts
BATCH = 100
ATTEMPTS = 5


def interval(settings, name, default, unit):
    """Setting ``name`` as a non-negative number (0: off); a clear Italian error otherwise."""
    raw = settings.get(name, default)
    try:
        value = float(raw)
    except (TypeError, ValueError):
        value = -1
    if value < 0:
        raise ValueError(f"{name} non valido: «{raw}» ({unit}, 0 per disattivare).")
    return value


class Clock:
    """The running thread: ``stop`` ends it, ``passed`` is set after each pass."""

    def __init__(self):
        self.stop = threading.Event()
        self.passed = threading.Event()


def every(seconds, work, *, first_delay, name, failure):
    """Run ``work()`` after ``first_delay`` seconds, then every ``seconds``; ``failure`` is logged."""
    clock = Clock()

    def loop():
        delay = first_delay
        while not clock.stop.wait(delay):
            try:
                work()
            except Exception:  # a failed pass must not stop the next ones
                log.exception(failure)
            clock.passed.set()
            delay = seconds

    threading.Thread(target=loop, name=name, daemon=True).start()
    return clock


def batched_pass(db, find, work, batch=BATCH, attempts=ATTEMPTS):
    """One pass in its own connection: ``find(conn)`` lists paths, ``work(conn, paths, txn)``
    handles a batch of them and says how many it did; each batch commits on its own and is
    replayed on a ``ConflictError`` (the web process writes at the same time)."""
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    try:
        tm.begin()
        paths = find(conn)
        tm.abort()
        done = 0
        for start in range(0, len(paths), batch):
            for attempt in range(attempts):
                txn = tm.begin()
                try:
                    count = work(conn, paths[start:start + batch], txn)
                    tm.commit()
                    done += count
                    break
                except ConflictError:
                    tm.abort()
                    if attempt == attempts - 1:
                        raise
        return done
    finally:
        tm.abort()
        conn.close()
