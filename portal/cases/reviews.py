"""The missed PAI reviews: a periodic pass of ``portal-serve`` tells the case manager once.

Every ``cases.review_interval_minutes`` (default 60; 0 turns it off) the pass reads the
open cases from the social index (not a walk of the tree) and, for each case in care with a
review day in the past not marked done, delivers one note: its key (case, day) makes a
second pass change nothing.
"""
import logging

import transaction
from pyramid.traversal import find_resource
from ZODB.POSException import ConflictError

from content_types.case_file import CaseFile
from content_types.values import rome_today, utcnow
from portal import clock
from portal.cases import notify
from portal.cases.rules import notices, pai, status
from portal.db import ROOT_KEY
from portal.people import store as people

log = logging.getLogger(__name__)
DEFAULT_MINUTES = 60
BATCH = 100
ATTEMPTS = 5


def interval_minutes(settings):
    """``cases.review_interval_minutes`` (0: off); a clear error for bad values."""
    return clock.interval(settings, "cases.review_interval_minutes", DEFAULT_MINUTES, "minuti")


def case_paths(root):
    """The paths of every person's case (open or last), from the social index."""
    return list(people.index(root).cases.values())


def remind(root, registry, paths, now, txn):
    """Deliver the notes due among ``paths``; how many were new."""
    today, sent = rome_today(now), 0
    for path in paths:
        try:
            case = find_resource(root, path)
        except KeyError:
            continue
        if not isinstance(case, CaseFile) or not status.in_care(case) or not case.manager:
            continue
        for day in pai.missed(case.pai, today):
            note = notices.review_note(notify.facts_of(case), day)
            if notify.deliver(case, note, registry, txn, now) is not None:
                sent += 1
    return sent


def run_once(registry, now=None, db=None):
    """One pass in its own connection; how many notes were delivered."""
    now = now or utcnow()
    tm = transaction.TransactionManager()
    conn = (db or registry._zodb_databases[""]).open(transaction_manager=tm)
    try:
        tm.begin()
        paths = case_paths(conn.root()[ROOT_KEY])
        tm.abort()
        sent = 0
        for start in range(0, len(paths), BATCH):
            for attempt in range(ATTEMPTS):
                txn = tm.begin()
                try:
                    done = remind(conn.root()[ROOT_KEY], registry, paths[start:start + BATCH],
                                  now, txn)
                    tm.commit()
                    sent += done
                    break
                except ConflictError:
                    tm.abort()
                    if attempt == ATTEMPTS - 1:
                        raise
        return sent
    finally:
        tm.abort()
        conn.close()


def start(registry, minutes, first_delay=120.0):
    """Run a pass ``first_delay`` seconds after start, then every ``minutes``."""
    return clock.every(minutes * 60, lambda: log.info("Verifiche PAI scadute segnalate: %d",
                                                      run_once(registry)),
                       first_delay=first_delay, name="portal-verifiche-pai",
                       failure="Verifiche PAI scadute: passaggio non riuscito")
