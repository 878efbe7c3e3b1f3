"""Decadenze inside the running server: ``portal-lapse`` without a second process.

With FileStorage only one process may open the database, so ``portal-serve``
runs the same pass in a daemon thread every ``portal.lapse_interval_minutes``
(default 60; 0 turns it off, e.g. when a cron job runs ``portal-lapse`` against
RelStorage). Each pass uses its own connection and transaction manager, and also
drops expired sessions and forgotten login failures (``security.housekeeping``).
"""
import logging
import threading

import transaction

from content_types.values import utcnow
from portal.applications.lapse_job import Run, waiting_paths
from portal.db import ROOT_KEY
from portal.security.housekeeping import purge_expired

log = logging.getLogger(__name__)
DEFAULT_MINUTES = 60


def run_once(registry, now=None):
    """One pass over the waiting applications; the ``Run`` with what lapsed."""
    tm = transaction.TransactionManager()
    conn = registry._zodb_databases[""].open(transaction_manager=tm)
    try:
        tm.begin()
        root = conn.root()[ROOT_KEY]
        paths = waiting_paths(root, registry)
        tm.abort()
        return Run(root, registry, now or utcnow(), False,
                   out=log.info, err=log.warning).run(paths, tm)
    finally:
        tm.abort()
        conn.close()


def interval_minutes(settings):
    """The setting as a number of minutes (0: off); a clear error for bad values."""
    raw = settings.get("portal.lapse_interval_minutes", DEFAULT_MINUTES)
    try:
        minutes = float(raw)
    except (TypeError, ValueError):
        minutes = -1
    if minutes < 0:
        raise ValueError(f"portal.lapse_interval_minutes non valido: «{raw}» "
                         "(minuti, 0 per disattivare).")
    return minutes


class Clock:
    """The running thread: ``stop`` ends it, ``passed`` is set after each pass."""

    def __init__(self):
        self.stop = threading.Event()
        self.passed = threading.Event()


def start(registry, minutes, first_delay=60.0):
    """Run a pass ``first_delay`` seconds after start, then every ``minutes``."""
    clock = Clock()

    def loop():
        delay = first_delay
        while not clock.stop.wait(delay):
            try:
                result = run_once(registry)
                for line in result.summary():
                    log.info(line)
            except Exception:  # a failed pass must not stop the next ones
                log.exception("Decadenze: passaggio non riuscito")
            try:
                dropped = purge_expired(registry._zodb_databases[""], registry)
                log.info("Sessioni scadute eliminate: %d; contatori di accesso dimenticati: %d",
                         *dropped)
            except Exception:
                log.exception("Pulizia delle sessioni non riuscita")
            clock.passed.set()
            delay = minutes * 60

    threading.Thread(target=loop, name="portal-decadenze", daemon=True).start()
    return clock
