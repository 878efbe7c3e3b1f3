"""The jobs pass in a thread of ``portal-serve`` (a separate ``portal-worker`` would loop the same way)."""
import logging

from portal import clock
from portal.db import get_database
from portal.jobs.runner import run_due

log = logging.getLogger(__name__)
DEFAULT_SECONDS = 30


def interval_seconds(settings):
    """``portal.jobs_interval_seconds`` as a number (0: off); a clear error for bad values."""
    return clock.interval(settings, "portal.jobs_interval_seconds", DEFAULT_SECONDS, "secondi")


def one_pass(registry):
    done, left = run_due(get_database(registry), registry)
    if done or left:
        log.info("Lavori eseguiti: %d; in coda o falliti: %d", done, left)


def start(registry, seconds, first_delay=0.0):
    """A pass right away (what a dead process left is picked up on start), then every ``seconds``."""
    return clock.every(seconds, lambda: one_pass(registry), first_delay=first_delay,
                       name="portal-lavori", failure="Lavori in coda: passaggio non riuscito")
