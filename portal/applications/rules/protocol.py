"""Protocol numbers: progressive per ATS and calendar year, at least 7 digits (DPR 445/2000).

Each year's counter is its own plain ``Persistent`` object *without* conflict
resolution: two transactions taking a number at once write the same object, one
gets a ``ConflictError`` and its request is replayed (pyramid_retry), so a number
is never duplicated; an aborted transaction takes its increment with it, so none
is skipped. (``BTrees.Length`` would be wrong here: it merges concurrent
increments, which would hand out the same number twice.)
"""
import re

from BTrees.IOBTree import IOBTree
from persistent import Persistent

DIGITS = 7
PATTERN = re.compile(r"^(\d{4})/(\d{7,})$")


def format_protocol(year, number):
    """«2025/0012345»."""
    return f"{year:04d}/{number:0{DIGITS}d}"


def parse_protocol(text):
    """(year, number) from «2025/0012345»; ValueError otherwise."""
    match = PATTERN.match(text or "")
    if not match:
        raise ValueError(f"not a protocol number: {text!r}")
    return int(match.group(1)), int(match.group(2))


class YearCounter(Persistent):
    """The last number given in one year; conflicts on concurrent use, by design."""

    last = 0

    def __init__(self, year):
        self.year = year
        self.last = 0

    def take(self):
        self.last += 1
        return self.last


class ProtocolCounters(Persistent):
    """The counters of one ATS, by year (store one per District, e.g. on its ``domande``)."""

    def __init__(self):
        self._years = IOBTree()

    def _counter(self, year):
        counter = self._years.get(year)
        if counter is None:
            # two first-of-the-year numbers insert the same key: the BTree conflicts too
            counter = self._years[year] = YearCounter(year)
        return counter

    def take(self, year):
        """The next number of ``year`` as text, e.g. «2025/0000001»."""
        return format_protocol(year, self._counter(year).take())

    def last(self, year):
        counter = self._years.get(year)
        return counter.last if counter is not None else 0

    def years(self):
        return list(self._years.keys())
