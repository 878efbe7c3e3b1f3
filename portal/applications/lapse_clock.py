"""Decadenze inside the running server: ``portal-lapse`` without a second process.

With FileStorage only one process may open the database, so ``portal-serve``
runs the same pass in a daemon thread every ``portal.lapse_interval_minutes``
(default 60; 0 turns it off, e.g. when a cron job runs ``portal-lapse`` against
RelStorage). Each pass uses its own connection and transaction manager, and also
drops expired sessions and forgotten login failures (``security.housekeeping``).
"""
import logging

import transaction

from content_types.values import utcnow
from portal import clock
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
    """``portal.lapse_interval_minutes`` as minutes (0: off); a clear error for bad values."""
    return clock.interval(settings, "portal.lapse_interval_minutes", DEFAULT_MINUTES, "minuti")


def one_pass(registry):
    """Lapse what is due, then drop expired sessions and forgotten login counters."""
    try:
        for line in run_once(registry).summary():
            log.info(line)
    finally:
        dropped = purge_expired(registry._zodb_databases[""], registry)
        log.info("Sessioni scadute eliminate: %d; contatori di accesso dimenticati: %d", *dropped)


def start(registry, minutes, first_delay=60.0):
    """Run a pass ``first_delay`` seconds after start, then every ``minutes``."""
    return clock.every(minutes * 60, lambda: one_pass(registry), first_delay=first_delay,
                       name="portal-decadenze",
                       failure="Decadenze o pulizia delle sessioni: passaggio non riuscito")
