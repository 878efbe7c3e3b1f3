"""Decadenza: an application the chosen provider leaves unanswered lapses when its window closes.

The window is the call's ``matching_days`` ([A]: our design, default 15). It is
counted as Italian administrative terms are (art. 2963 c.c.): the day of
submission is not counted and the term ends with the last instant of the last
day, in Rome time. Submitted on 10/03 at any hour with 15 days: the provider may
answer until 25/03 at 23:59 (ora italiana); from 26/03 the application lapses.
Times are timezone-aware UTC; only the day arithmetic happens in Europe/Rome.
"""

import workflows.application as wf
from content_types.call import MATCHING_DAYS_DEFAULT, MATCHING_DAYS_MAX
from content_types.values import format_date
from portal.applications.rules import terms
from portal.applications.rules.errors import BenefitError
from portal.i18n import _

#: the only state that lapses: submitted, waiting for the provider
WAITING = wf.SUBMITTED
LAPSE = wf.LAPSE


def matching_days(call):
    """The call's window in whole days (the default for calls stored before the field)."""
    return terms.window_days(
        call, "matching_days", MATCHING_DAYS_DEFAULT, MATCHING_DAYS_MAX,
        _("L'avviso «${title}» indica ${days} giorni per l'abbinamento: servono da 1 a "
          "${max_days} giorni."))


def last_day(application, call):
    """The last day (Rome calendar date) the provider may confirm; None before submission."""
    submitted = application.submitted_at
    if submitted is None:
        return None
    if submitted.tzinfo is None:
        raise BenefitError(_("La domanda ${protocol} ha una data di invio senza fuso orario.",
                             mapping={"protocol": application.protocol or ""}),
                           {"submitted_at": "senza fuso orario"})
    return terms.last_day(submitted, matching_days(call))


def match_deadline(application, call):
    """The last instant (aware UTC) the provider may confirm the match; None for a draft."""
    day = last_day(application, call)
    if day is None:
        return None
    return terms.end_of_day(day)


def overdue(application, call, now):
    """True once ``now`` (aware) is past the deadline."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    deadline = match_deadline(application, call)
    return deadline is not None and now > deadline


def accepted(application):
    return bool((application.match_decision or {}).get("accepted"))


def lapsable(application, call, now):
    """Still waiting for the provider (no accepted match) and past its deadline."""
    return (application.state == WAITING and not accepted(application)
            and overdue(application, call, now))


def lapse_comment(application, call):
    """The Italian explanation written in the workflow history (the family reads it)."""
    day = format_date(last_day(application, call))
    decision = application.match_decision or {}
    if decision.get("accepted") is False:
        reason = (decision.get("reason") or "").strip()
        why = "la struttura ha rifiutato l'abbinamento" + (f" ({reason})" if reason else "")
        return f"Termine per l'abbinamento scaduto il {day}: {why}."
    return f"Termine per l'abbinamento scaduto il {day}: la struttura non ha risposto."


def lapse(application, call, *, now, fire):
    """Fire "lapse" as the system if the application is due; True if it lapsed.

    ``fire(obj, transition, comment)`` fires a workflow transition without a
    request (the system). Running it again on a lapsed application does nothing.
    """
    if not lapsable(application, call, now):
        return False
    fire(application, LAPSE, lapse_comment(application, call))
    return True


def lapse_mail(application, call):
    """(to, subject, body) of the e-mail to the family, sent after commit."""
    return (application.email,
            f"Domanda {application.protocol} decaduta",
            (f"Gentile {application.applicant_name},\n\nla domanda {application.protocol} per "
            f"l'avviso «{call.title}» è decaduta: la struttura scelta non ha confermato "
            f"l'abbinamento entro il {format_date(last_day(application, call))} (ora italiana).\n"
            "Il fascicolo sul portale riporta la motivazione.\n\n"
            "Questo messaggio è generato automaticamente: non rispondere.\n"))
