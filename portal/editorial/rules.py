"""Pure rules of editorial content: whether a linked call takes applications, which day a news shows."""
from typing import NamedTuple

from content_types.values import format_date, format_when

#: the status of the call a service page links to
OPEN, NOT_YET_OPEN, CLOSED, MISSING = "open", "not_yet_open", "closed", "missing"


class CallStatus(NamedTuple):
    """Where the call stands at ``now`` and the instant the page names (opening or closing)."""

    status: str
    when: str = ""


def call_status(call, now):
    """Whether ``call`` (or None) takes applications at ``now``: open, not yet open, closed, missing."""
    if call is None or not getattr(call, "published", False):
        return CallStatus(MISSING)
    if call.opens_at and now < call.opens_at:
        return CallStatus(NOT_YET_OPEN, format_when(call.opens_at))
    if call.closes_at and now > call.closes_at:
        return CallStatus(CLOSED, format_when(call.closes_at))
    return CallStatus(OPEN, format_when(call.closes_at) if call.closes_at else "")


def published_day(history, published_state):
    """When the object last entered ``published_state`` (from its workflow history), or None."""
    for entry in reversed(tuple(history or ())):
        if entry.get("to_state") == published_state:
            return entry.get("when")
    return None


def shown_date(news, published_state):
    """The day a news item shows: its own date, else the day it was published, else its creation."""
    return (getattr(news, "date", None)
            or published_day(getattr(news, "workflow_history", ()), published_state)
            or news.created)


def shown_day_text(news, published_state):
    """``shown_date`` as the Italian local date («31/01/2026»)."""
    return format_date(shown_date(news, published_state))

