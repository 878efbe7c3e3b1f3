"""Vouchers in the register: a funded application is a benefit of its beneficiary.

Written by the subscribers (``portal.register.subscribers``) in the transaction that funds,
pays, ends or annuls the application, so the register never disagrees with the ledger. One
benefit per application (found by ``application_uid`` among the beneficiary's benefits);
the duplicate check never blocks it: what overlaps is recorded with a fixed reason.
"""
import calendar
import logging
from datetime import date

from pyramid.traversal import find_resource, find_root

from content_types.benefit import ACTIVE, CANCELLED, ENDED, SUSPENDED, VOUCHER
from content_types.values import ZERO, cents
from portal.applications import services as application_services
from portal.people import store as people
from portal.people.rules.errors import PeopleError
from portal.register import grant
from portal.register.rules import periods
from portal.register.rules.errors import RegisterError

log = logging.getLogger(__name__)

SYSTEM_USER = "sistema"
#: the reason kept on a voucher whose period meets other benefits of the same category
AUTOMATIC_REASON = "prestazione registrata automaticamente dalla domanda finanziata"
#: the SIUSS code of a call that names none (domain.md §8's placeholder)
DEFAULT_CODE = "A1.NN"


def add_months(day, count):
    """The first day of the month ``count`` months after ``day``'s."""
    index = day.year * 12 + day.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def last_day(month_start):
    return month_start.replace(day=calendar.monthrange(month_start.year, month_start.month)[1])


def voucher_period(application, call):
    """First day of the service (or of the call's period) to the last day of its last month."""
    start = application.service_start or getattr(call, "period_start", None)
    if start is None:
        return None, None
    months = max(int(application.months or 1), 1)
    return start, last_day(add_months(start, months - 1))


def isee_of(application):
    """The application's ISEE as the register keeps it (protocol, year, DSU date, value)."""
    data = application.isee or {}
    if not data.get("protocol"):
        return None
    dsu_date = data.get("dsu_date")
    if isinstance(dsu_date, str):
        dsu_date = date.fromisoformat(dsu_date)
    parts = str(data["protocol"]).split("-")
    year = next((p for p in parts if len(p) == 4 and p.isdigit()), None)
    year = int(year) if year else (dsu_date.year if dsu_date else None)
    return {"protocol": data["protocol"], "year": year, "dsu_date": dsu_date,
            "value": data.get("value"), "kind": data.get("isee_type", "")}


def benefit_of(application):
    """The voucher benefit written for ``application``, or None."""
    code = (application.beneficiary_fiscal_code or "").upper()
    root = find_root(application)
    for ref in people.index(application).benefits_of(code):
        try:
            benefit = find_resource(root, ref["path"])
        except KeyError:
            continue
        if benefit.application_uid == application.uid:
            return benefit
    return None


def record_funded(application, registry, who=SYSTEM_USER):
    """Write the voucher benefit of a funded application (once); None when it cannot be."""
    if benefit_of(application) is not None:
        return None
    district = application_services.district_of(application)
    call = application_services.call_of(application)
    start, end = voucher_period(application, call)
    if district is None or start is None or application.voucher_monthly is None:
        log.info("Domanda %s: prestazione non registrata (periodo o importo mancante).",
                 application.protocol)
        return None
    root = find_root(application)
    try:
        person = people.ensure_person(
            root, application.beneficiary_fiscal_code, application.beneficiary_name,
            application.residence_municipality, application.residence_region, who, registry)
    except PeopleError as exc:
        log.info("Domanda %s: prestazione non registrata, beneficiario non registrabile (%s).",
                 application.protocol, exc.code)
        return None
    isee = isee_of(application)
    data = {
        "siuss_code": getattr(call, "siuss_code", "") or DEFAULT_CODE, "source": VOUCHER,
        "start": start, "end": end, "monthly_amount": application.voucher_monthly,
        "public_share": application.voucher_monthly,
        "user_share": application.family_share_monthly,
        "means_test": "1" if isee else "4", "isee": isee,
        "protocol": application.protocol or "", "application_uid": application.uid,
        "title": getattr(call, "title", "") or "",
    }
    try:
        return grant.grant(district, person, data, who, registry, reason=AUTOMATIC_REASON)
    except RegisterError as exc:
        log.warning("Domanda %s: prestazione non registrata (%s: %s).", application.protocol,
                    exc.code, exc.fields)
        return None


def started(application, benefit=None):
    """The service started: the benefit's period follows its first month."""
    benefit = benefit or benefit_of(application)
    if benefit is None or application.service_start is None or benefit.status != ACTIVE:
        return
    call = application_services.call_of(application)
    start, end = voucher_period(application, call)
    if (start, end) != (benefit.start, benefit.end):
        benefit.start, benefit.end = start, end
        benefit.months = periods.months(periods.Period(start, end))
        benefit.touch()
        people.index(benefit).put_benefit(benefit.fiscal_code, grant.ref(benefit))


def record_payment(application, month, amount, *, paid=True):
    """A month's voucher share paid (or its payment cancelled): the benefit's paid months."""
    benefit = benefit_of(application)
    if benefit is None:
        return None
    started(application, benefit)  # the service's first month may have been set since
    kept = tuple(p for p in benefit.paid if p["month"] != month)
    if paid:
        kept = tuple(sorted((*kept, {"month": month, "amount": cents(amount or ZERO)}),
                            key=lambda p: p["month"]))
    benefit.paid = kept
    benefit.paid_amount = cents(sum((p["amount"] for p in kept), ZERO))
    benefit.touch()
    return benefit


def ended(application, registry, reason, who=SYSTEM_USER):
    """The service ended (early, or every month paid): the benefit ends on its last month."""
    benefit = benefit_of(application)
    if benefit is None or benefit.status not in (ACTIVE, SUSPENDED):
        return None
    started(application, benefit)
    end = None
    if application.service_end:
        year, month = (int(p) for p in application.service_end.split("-"))
        end = max(last_day(date(year, month, 1)), benefit.start)
    return grant.change_status(benefit, "end", who, reason, registry=registry, end=end)


def cancelled(application, registry, reason, who=SYSTEM_USER):
    """An annulled (or otherwise void) application: its benefit is cancelled."""
    benefit = benefit_of(application)
    if benefit is None or benefit.status == CANCELLED:
        return None
    return grant.change_status(benefit, "cancel", who, reason, registry=registry)


def stopped(application, registry, reason, who=SYSTEM_USER):
    """Revoked or withdrawn: ended if some month was paid, cancelled if nothing was."""
    benefit = benefit_of(application)
    if benefit is None or benefit.status in (CANCELLED, ENDED):
        return None
    if not benefit.paid:
        return cancelled(application, registry, reason, who)
    year, month = (int(p) for p in benefit.paid[-1]["month"].split("-"))
    end = max(last_day(date(year, month, 1)), benefit.start)
    return grant.change_status(benefit, "end", who, reason, registry=registry, end=end)
