"""Periods of benefits: checking them, counting their months, and finding overlaps.

The duplicate check compares the benefits of one person in one category (the nomenclature
service of the benefit's code) whose periods share at least one day; a one-off benefit's
period is its day. Ended and cancelled benefits stay visible to the check only for the days
they covered; cancelled ones never count.
"""
from dataclasses import dataclass
from datetime import date

from portal.i18n import _
from portal.register.rules.errors import DatesInverted, InvalidBenefit

#: statuses whose benefits the duplicate check considers
COUNTED = ("active", "suspended", "ended")


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def overlaps(self, other):
        return self.start <= other.end and other.start <= self.end


def period(start, end, periodic=True):
    """A checked ``Period``; a one-off benefit lasts its day."""
    if not isinstance(start, date):
        raise InvalidBenefit(None, {"start": _("La data di inizio è obbligatoria.")})
    if not periodic:
        return Period(start, start)
    if not isinstance(end, date):
        raise InvalidBenefit(None, {"end": _("La data di fine è obbligatoria per una "
                                             "prestazione periodica.")})
    if end < start:
        raise DatesInverted(fields={"end": _("La fine è precedente all'inizio.")})
    return Period(start, end)


def months(value):
    """Calendar months touched by the period, at most 12 (SIUSS PeriodoErogazione)."""
    count = (value.end.year - value.start.year) * 12 + value.end.month - value.start.month + 1
    return min(count, 12)


def overlapping(refs, service, value, exclude_uid=None):
    """The references in ``refs`` of the same category whose period meets ``value``."""
    found = []
    for ref in refs:
        if ref["uid"] == exclude_uid or ref["service"] != service or ref["status"] not in COUNTED:
            continue
        if Period(ref["start"], ref["end"]).overlaps(value):
            found.append(ref)
    return sorted(found, key=lambda r: (r["start"], r["uid"]))
