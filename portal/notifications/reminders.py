"""The provider's reminder before the matching window closes: a periodic pass of ``portal-serve``.

Every ``notifications.reminder_interval_minutes`` (default 60; 0 turns it off) the pass finds
the submitted applications still waiting for their provider (the catalog, like the lapse
job) and, within ``notifications.reminder_days`` (default 3) of the deadline, tells the
provider's operators once: the note's key makes a second pass change nothing.
"""
import logging

from content_types.application import Application
from content_types.values import utcnow
from portal import clock
from portal.applications.lapse_job import Calls, resolve, waiting_paths
from portal.applications.rules import lapse
from portal.applications.rules.errors import BenefitError
from portal.db import ROOT_KEY
from portal.notifications import rules, service

log = logging.getLogger(__name__)
DEFAULT_MINUTES = 60


def reminder_days(settings):
    """``notifications.reminder_days`` as whole days (at least 1)."""
    raw = (settings or {}).get("notifications.reminder_days", rules.REMINDER_DAYS_DEFAULT)
    try:
        days = int(raw)
    except (TypeError, ValueError):
        days = 0
    if days < 1:
        raise ValueError(f"notifications.reminder_days non valido: «{raw}» (giorni, almeno 1).")
    return days


def interval_minutes(settings):
    """``notifications.reminder_interval_minutes`` (0: off); a clear error for bad values."""
    return clock.interval(settings, "notifications.reminder_interval_minutes",
                          DEFAULT_MINUTES, "minuti")


def remind(root, registry, paths, now, days, txn):
    """Deliver the reminders due among ``paths``; how many notes were new."""
    calls = Calls(root, registry)
    sent = 0
    for path in paths:
        application = resolve(root, path)
        if not isinstance(application, Application) or lapse.accepted(application):
            continue
        call = calls.of(application)
        if call is None:
            continue
        try:
            deadline = lapse.match_deadline(application, call)
        except BenefitError:
            continue
        if not rules.reminder_due(deadline, now, days):
            continue
        notes = rules.reminder_notes(service.facts_of(application))
        sent += len(service.deliver_all(notes, application, registry, txn, now))
    return sent


def run_once(registry, now=None, db=None):
    """One pass in its own connection; how many reminders were delivered."""
    now = now or utcnow()
    days = reminder_days(registry.settings)
    return clock.batched_pass(
        db or registry._zodb_databases[""],
        lambda conn: waiting_paths(conn.root()[ROOT_KEY], registry),
        lambda conn, paths, txn: remind(conn.root()[ROOT_KEY], registry, paths, now, days, txn))


def start(registry, minutes, first_delay=90.0):
    """Run a pass ``first_delay`` seconds after start, then every ``minutes``."""
    return clock.every(minutes * 60, lambda: log.info("Promemoria di abbinamento inviati: %d",
                                                      run_once(registry)),
                       first_delay=first_delay, name="portal-promemoria",
                       failure="Promemoria di abbinamento: passaggio non riuscito")
