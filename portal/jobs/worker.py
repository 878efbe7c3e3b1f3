"""The jobs pass in a thread of ``portal-serve`` (a separate ``portal-worker`` would loop the same way)."""
import logging
import threading

from portal.db import get_database
from portal.jobs.runner import run_due

log = logging.getLogger(__name__)
DEFAULT_SECONDS = 30


def interval_seconds(settings):
    """``portal.jobs_interval_seconds`` as a number (0: off); a clear error for bad values."""
    raw = settings.get("portal.jobs_interval_seconds", DEFAULT_SECONDS)
    try:
        seconds = float(raw)
    except (TypeError, ValueError):
        seconds = -1
    if seconds < 0:
        raise ValueError(f"portal.jobs_interval_seconds non valido: «{raw}» "
                         "(secondi, 0 per disattivare).")
    return seconds


class Worker:
    """The running thread: ``stop`` ends it, ``passed`` is set after each pass."""

    def __init__(self):
        self.stop = threading.Event()
        self.passed = threading.Event()


def start(registry, seconds, first_delay=0.0):
    """A pass right away (what a dead process left is picked up on start), then every ``seconds``."""
    worker = Worker()

    def loop():
        delay = first_delay
        while not worker.stop.wait(delay):
            try:
                done, left = run_due(get_database(registry), registry)
                if done or left:
                    log.info("Lavori eseguiti: %d; in coda o falliti: %d", done, left)
            except Exception:  # a failed pass must not stop the next ones
                log.exception("Lavori in coda: passaggio non riuscito")
            worker.passed.set()
            delay = seconds

    threading.Thread(target=loop, name="portal-lavori", daemon=True).start()
    return worker
