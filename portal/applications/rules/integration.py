"""The integration window: how long the family has to send what the ATS asked for, and its end.

The window is the call's ``integration_days`` ([A]: our design, default 10), counted as the
matching window is (art. 2963 c.c.): the day of the request is not counted and the term ends
with the last instant of the last day, in Rome time. Asked on 10/03 with 10 days: the family
may send until 20/03 at 23:59 (ora italiana). What happens afterwards is the officer's call.
"""

from content_types.call import INTEGRATION_DAYS_DEFAULT, INTEGRATION_DAYS_MAX
from content_types.values import ROME, format_date
from portal.applications.rules import terms
from portal.applications.rules.errors import BenefitError
from portal.i18n import _


class IntegrationClosed(BenefitError):
    """The integration deadline has passed: nothing may be sent or uploaded any more."""

    code = "integration_closed"
    http_status = 409


def integration_days(call):
    """The call's window in whole days (the default for calls stored before the field)."""
    return terms.window_days(
        call, "integration_days", INTEGRATION_DAYS_DEFAULT, INTEGRATION_DAYS_MAX,
        _("L'avviso «${title}» indica ${days} giorni per l'integrazione: servono da 1 a "
          "${max_days} giorni."))


def deadline(requested_at, days):
    """The last instant (aware UTC) to send the integration asked at ``requested_at``."""
    if requested_at.tzinfo is None:
        raise ValueError("requested_at must be timezone-aware")
    return terms.end_of_day(terms.last_day(requested_at, days))


def last_day(deadline_at):
    """The deadline's Rome calendar day (None without a deadline)."""
    return deadline_at.astimezone(ROME).date() if deadline_at is not None else None


def check_open(deadline_at, now):
    """Refuse once ``now`` is past ``deadline_at`` (no deadline: always open)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if deadline_at is not None and now > deadline_at:
        raise IntegrationClosed(
            _("Il termine per inviare l'integrazione è scaduto il ${day} alle 23:59 (ora "
              "italiana): non è più possibile caricare documenti né inviare l'integrazione. "
              "L'Ambito deciderà sulla domanda; per chiarimenti contattare l'Ambito.",
              mapping={"day": format_date(last_day(deadline_at))}))
