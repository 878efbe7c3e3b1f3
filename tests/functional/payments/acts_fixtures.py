"""Set-up for payment act tests: funded, active applications with validated attestations.

Built through the real app: the ranking is published (``first_version_published``), the
services are started, and the attestations are created by the service, confirmed, sent
and validated with trusted workflow calls (what the provider, family and officer pages do).
"""
from decimal import Decimal

import workflows
import workflows.application as application_workflow
from content_types.values import ZERO
from portal.applications import services as application_services
from portal.payments import attestations, budgets, commitments
from portal.payments.ledger import ledger_of
from portal.payments.rules import monthly
from portal.payments.rules.monthly import Attendance
from tests.functional.applications.conftest import (
    CALL_CODE,
    run_in_app,
)
from tests.functional.applications.test_money_after_funding import first_version_published
from workflows import attestation as attestation_workflow

DISTRICT = "/ambiti/ba-01"
LIST = DISTRICT + "/@@liquidazioni"
#: the first fund gets this little, so payments spread over two funds
FIRST_FUND_BUDGET = Decimal("300.00")


def district_of(portal):
    return portal["ambiti"]["ba-01"]


def funded_applications(portal):
    """The funded ones of the open call (the demo's closed call has its own, already attested)."""
    return [a for a in application_services.applications(district_of(portal), CALL_CODE)
            if a.state in (application_workflow.FUNDED, application_workflow.ACTIVE)]


def ensure_commitment(application):
    """The ledger helper commits on funding; without it, budget two funds and commit here."""
    ledger = ledger_of(application_services.district_of(application))
    if ledger.account(application.uid) is None:
        series = commitments.series_of(application)
        needed = commitments.planned_cost(application)
        if ledger.totals(series).remaining < needed:
            fse = ledger.totals(series, "FSE")
            if fse.budget == ZERO:
                ledger.set_budget(series, "FSE", FIRST_FUND_BUDGET, who="test", when=None)
            fnps = ledger.totals(series, "FNPS")
            ledger.set_budget(series, "FNPS", fnps.budget + needed, who="test", when=None)
    commitments.commit_funding(application, who="test")


def validated(portal, registry, application, months=2):
    """``months`` validated attestations of ``application`` (its first funded months)."""
    ensure_commitment(application)
    context = attestations.context_of(application)
    made = []
    for key in context.funded[:months]:
        month = monthly.parse_month(key)
        attendance = Attendance(20, 18, 2, True)
        amounts = attestations.amounts_for(context, month, attendance)
        attestation = attestations.create(
            application, key, attendance, ("F-" + key, month, amounts.voucher), who="girasole",
            registry=registry, today=monthly.parse_month(context.funded[-1]), context=context)
        for name in (attestation_workflow.SIGN, attestation_workflow.SEND,
                     attestation_workflow.VALIDATE):
            workflows.fire(attestation, None, name, registry=registry)
        made.append(attestation.uid)
    return made


def split_budget(portal):
    """BA-01's budget of the demo call on two funds: FSE gets little, FNPS the rest."""
    district = district_of(portal)
    call = portal["regione"]["avvisi"]["buoni-minori-2026"]
    total = budgets.figures(district, call).budget
    budgets.set_fund_budget(district, call, "FNPS", total - FIRST_FUND_BUDGET, who="test",
                            reason="Ripartizione per fondo")
    budgets.set_fund_budget(district, call, "FSE", FIRST_FUND_BUDGET, who="test",
                            reason="Ripartizione per fondo")


def with_validated_attestations(app, codes, months=2):
    """Every funded application active with ``months`` validated attestations: their uids."""
    run_in_app(app, split_budget)
    first_version_published(app, codes)

    def work(portal):
        uids = []
        for application in funded_applications(portal):
            if application.state == application_workflow.FUNDED:
                workflows.fire(application, None, application_workflow.ACTIVATE,
                               registry=app.registry)
            uids.extend(validated(portal, app.registry, application, months))
        return uids
    return run_in_app(app, work)


def stored(app, work):
    """``work(district)`` read in a fresh transaction."""
    return run_in_app(app, lambda portal: work(district_of(portal)))
