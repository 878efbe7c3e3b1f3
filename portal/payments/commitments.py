"""The ledger seen from an application: what funding commits, what an end releases, what a
payment consumes (no request: subscribers, views and scripts call these).

* ``commit_funding``: a funded voucher commits voucher × months (once per application);
* ``cover``: before an attestation is validated, a month dearer than planned (a tariff
  raised mid-year) commits the difference, or is refused when the funds are short;
* ``settle``: an application that will spend no more (revoked, withdrawn, annulled,
  concluded) gives back what is committed, not paid and not awaited by an attestation;
* ``pay``: a payment act consumes the commitment of each paid attestation;
* ``after_payment``: once every funded month is paid the service concludes.
"""
import workflows
from content_types.values import ZERO, cents, utcnow
from portal.applications import services as application_services
from portal.payments.attestations import attestations_of, funded_months
from portal.payments.ledger import ledger_of
from portal.payments.rules import service_end as service_end_rules
from workflows import application as application_workflow
from workflows import attestation as attestation_workflow

#: attestation states whose voucher share is still to be paid (the money stays committed)
AWAITING_PAYMENT = (attestation_workflow.DRAFT, attestation_workflow.SIGNED,
                    attestation_workflow.SENT, attestation_workflow.VALIDATED,
                    attestation_workflow.REJECTED)
#: application states that will spend nothing beyond their attestations already made
SPENT_OUT = (application_workflow.REVOKED, application_workflow.WITHDRAWN,
             application_workflow.ANNULLED, application_workflow.CONCLUDED)


def series_of(application):
    """The call's series uid the application's money is booked under."""
    folder = application.__parent__
    series = getattr(folder, "call_series", None)
    if series:
        return series
    call = application_services.call_of(application)
    return (call.series or call.uid) if call is not None else application.call_uid


def ledger_for(application):
    return ledger_of(application_services.district_of(application))


def planned_cost(application):
    """Voucher × months, as the ranking funded it."""
    return cents(application.voucher_monthly * int(application.months))


def commit_funding(application, *, who, when=None, reference=""):
    """Commit the funded voucher (nothing if the application already holds a commitment)."""
    ledger = ledger_for(application)
    if ledger.account(application.uid) is not None:
        return ()
    return ledger.commit(series_of(application), application.uid, application.protocol or "",
                         planned_cost(application), who=who, when=when or utcnow(),
                         reference=reference)


def pending_amount(application, exclude=None):
    """The voucher shares of attestations made and not yet paid (``exclude``: one uid)."""
    return sum((a.voucher_share or ZERO for a in attestations_of(application)
                if a.state in AWAITING_PAYMENT and a.uid != exclude), ZERO)


def cover(attestation, *, who, when=None):
    """Commit what a validated month needs beyond the commitment left (a dearer month)."""
    application = attestation.application
    ledger = ledger_for(application)
    account = ledger.account(application.uid)
    unpaid = account.unpaid if account is not None else ZERO
    others = pending_amount(application, exclude=attestation.uid)
    missing = attestation.voucher_share - (unpaid - others)
    if missing <= 0:
        return ()
    return ledger.commit(series_of(application), application.uid, application.protocol or "",
                         missing, who=who, when=when or utcnow(),
                         reference=f"Integrazione dell'impegno per il mese {attestation.month}")


def settle(application, *, who, when=None, reference=""):
    """Give back what an ended application will not spend; nothing while it may still spend."""
    if application.state not in SPENT_OUT:
        return ()
    ledger = ledger_for(application)
    account = ledger.account(application.uid)
    if account is None:
        return ()
    free = account.unpaid - pending_amount(application)
    if free <= 0:
        return ()
    return ledger.release(application.uid, free, who=who, when=when or utcnow(),
                          reference=reference or "Somme non più necessarie")


def pay(attestation, *, who, when, reference):
    """Consume the application's commitment by the attestation's voucher share."""
    application = attestation.application
    return ledger_for(application).pay(application.uid, attestation.voucher_share, who=who,
                                       when=when, reference=reference)


def after_payment(application, *, who, when=None, registry):
    """After a payment act: conclude the service once every funded month is paid, then settle.

    The payment acts call this once the month's share is paid in the ledger; an ended
    application gives back what no attestation awaits any more.
    """
    call = application_services.call_of(application)
    if application.state == application_workflow.ACTIVE and call is not None:
        paid = [a.month for a in attestations_of(application)
                if a.state == attestation_workflow.PAID]
        if service_end_rules.all_months_attested(funded_months(application, call), paid):
            workflows.fire(application, None, application_workflow.CONCLUDE,
                           f"Servizio concluso: tutti i mesi finanziati sono liquidati "
                           f"(registrato da {who}).", registry=registry)
            return settle(application, who=who, when=when)  # the subscriber did; a no-op
    return settle(application, who=who, when=when)
