"""Periodic passes in a daemon thread of ``portal-serve`` (lapses, housekeeping, the job queue).

One loop for all of them: a pass that fails is logged and the next one still runs; ``stop``
ends the thread, ``passed`` is set after each pass (tests wait on it).
"""
import logging
import threading

log = logging.getLogger(__name__)


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
