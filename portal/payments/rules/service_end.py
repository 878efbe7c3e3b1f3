"""When a service starts and where an early end may put its last month (pure).

A service starts on the first day of the month it is started in (domain.md §3), never
before the month the call's period begins. An early end names the last month served:
inside the funded months, not in the future, not before a month already attested.
"""
from datetime import date

from portal.i18n import _
from portal.payments.rules.errors import PaymentError
from portal.payments.rules.monthly import month_key, parse_month


class ServiceEndRefused(PaymentError):
    code = "service_end_refused"
    default_message = _("La chiusura anticipata del servizio non è possibile.")


def first_service_month(today, period_start=None):
    """The first day of ``today``'s month, or of the period's first month when later."""
    first = date(today.year, today.month, 1)
    if period_start is not None:
        first = max(first, date(period_start.year, period_start.month, 1))
    return first


def check_last_month(text, *, funded, attested, today, reason):
    """The last month of service «yyyy-mm» an early end may record; refused otherwise.

    ``funded``: the funded month keys (oldest first); ``attested``: month keys that already
    have an attestation; ``today``: the date in Rome.
    """
    if not (reason or "").strip():
        raise ServiceEndRefused(_("Indicare il motivo della chiusura anticipata del servizio."),
                                {"motivo": "obbligatorio"})
    try:
        month = month_key(parse_month(text))
    except PaymentError:
        raise ServiceEndRefused(_("Mese non valido: «${month}» (usare la forma 2026-03).",
                                  mapping={"month": (text or "").strip()}),
                                {"ultimo_mese": "non valido"}) from None
    if not funded or month not in funded:
        raise ServiceEndRefused(_("Il mese ${month} non è tra i mesi finanziati del servizio.",
                                  mapping={"month": month}), {"ultimo_mese": "fuori periodo"})
    if month > month_key(today):
        raise ServiceEndRefused(_("L'ultimo mese di servizio (${month}) non può essere nel "
                                  "futuro.", mapping={"month": month}),
                                {"ultimo_mese": "futuro"})
    later = sorted(m for m in attested if m > month)
    if later:
        raise ServiceEndRefused(_("Esiste già un'attestazione per il mese ${later}, successivo "
                                  "all'ultimo mese indicato (${month}).",
                                  mapping={"later": later[0], "month": month}),
                                {"ultimo_mese": "dopo un mese attestato"})
    return month


def all_months_attested(funded, paid):
    """True when every funded month has a paid attestation."""
    return bool(funded) and set(funded) <= set(paid)
