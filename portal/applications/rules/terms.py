"""A call's windows in days and where a term ends: one reading for every window of a call.

Windows (matching, integration) are whole days stored on the call, with a default for calls
stored before the field existed. Terms are counted as Italian administrative terms are (art.
2963 c.c.): the starting day is not counted and the term ends with the last instant of the
last day, in Rome time.
"""
from datetime import UTC, datetime, time, timedelta

from content_types.values import ROME
from portal.applications.rules.errors import InvalidRules
from portal.i18n import _


def window_days(call, field, default, maximum, refusal):
    """``call.<field>`` in whole days (``default`` when absent), else ``InvalidRules(refusal)``.

    ``refusal`` is the caller's message (its own msgid), given ``title``, ``days`` and
    ``max_days`` here.
    """
    days = getattr(call, field, None)
    if days is None:
        return default
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= maximum:
        raise InvalidRules(
            _(refusal, mapping={"title": getattr(call, "title", ""), "days": repr(days),
                                "max_days": maximum}),
            {field: "fuori intervallo"})
    return days


def last_day(start, days):
    """The Rome calendar day a term of ``days`` started at ``start`` (aware) ends on."""
    return start.astimezone(ROME).date() + timedelta(days=days)


def end_of_day(day):
    """The last instant (aware UTC) of a Rome calendar day."""
    return datetime.combine(day, time.max, ROME).astimezone(UTC)
