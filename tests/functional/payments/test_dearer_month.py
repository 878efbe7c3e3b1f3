"""A tariff raised mid-year: the dearer months are paid at the new tariff, and the ledger
commits the difference when the commitment left no longer covers them (``cover``)."""
from decimal import Decimal

import workflows
from content_types.values import ZERO
from portal.payments import attestations, commitments, validation
from portal.payments.ledger import COMMIT, ledger_of
from portal.payments.rules import monthly
from portal.payments.rules.errors import NotEnoughFunds
from portal.payments.rules.monthly import Attendance
from tests.functional.applications.conftest import run_in_app
from tests.functional.payments.acts_fixtures import district_of, funded_applications
from workflows import application as application_workflow
from workflows import attestation as attestation_workflow

RAISE = Decimal("80.00")
MONTH = Attendance(20, 18, 2, True)


def attest_every_month(portal, registry, application, stop_before=None):
    """Every funded month attested, confirmed, sent and validated; returns the vouchers."""
    context = attestations.context_of(application)
    last = monthly.parse_month(context.funded[-1])
    vouchers = []
    for key in context.funded[:stop_before]:
        month = monthly.parse_month(key)
        amounts = attestations.amounts_for(context, month, MONTH)
        attestation = attestations.create(application, key, MONTH,
                                          ("F-" + key, month, amounts.voucher),
                                          who="girasole", registry=registry, today=last,
                                          context=context)
        for name in (attestation_workflow.SIGN, attestation_workflow.SEND):
            workflows.fire(attestation, None, name, registry=registry)
        validation.validate(attestation, who="rup-ba01", when=None, today=last,
                            fire=lambda obj, name, comment: workflows.fire(
                                obj, None, name, comment, registry=registry))
        vouchers.append(attestation.voucher_share)
    return vouchers


def luca_active_and_dearer(portal, registry):
    """The first funded application, started; its nursery dearer from the 4th funded month."""
    application = funded_applications(portal)[0]
    workflows.fire(application, None, application_workflow.ACTIVATE, registry=registry)
    context = attestations.context_of(application)
    entry = context.entry
    first = monthly.parse_month(context.funded[0])
    now = entry.tariff_record_at(first)
    entry.record_tariff(monthly.add_months(first, 3), now.full_time + RAISE, now.part_time,
                        who="girasole")
    return application


def test_the_dearer_months_commit_the_difference(published_app):
    def work(portal):
        application = luca_active_and_dearer(portal, published_app.registry)
        planned = commitments.planned_cost(application)
        vouchers = attest_every_month(portal, published_app.registry, application)
        ledger = ledger_of(district_of(portal))
        account = ledger.account(application.uid)
        top_ups = [m for m in ledger.movements(application.uid)
                   if m.kind == COMMIT and m.reference.startswith("Integrazione")]
        return planned, vouchers, account.committed, top_ups, ledger.consistent()
    planned, vouchers, committed, top_ups, consistent = run_in_app(published_app, work)
    assert len(set(vouchers[:3])) == 1
    assert vouchers[3] > vouchers[0]
    assert sum(vouchers) > planned
    # exactly what the months need: the plan, and the top-ups for the dearer ones
    assert committed == sum(vouchers)
    assert top_ups
    assert sum(m.amount for m in top_ups) == sum(vouchers) - planned
    assert consistent


def test_a_dearer_month_without_funds_left_is_refused_and_changes_nothing(published_app):
    def work(portal):
        application = luca_active_and_dearer(portal, published_app.registry)
        ledger = ledger_of(district_of(portal))
        series = commitments.series_of(application)
        # the budget shrinks to what is committed: nothing is left for a top-up
        for fund, figures in ledger.by_fund(series).items():
            ledger.set_budget(series, fund, figures.committed, who="regione", when=None)
        assert ledger.totals(series).remaining == ZERO
        try:
            attest_every_month(portal, published_app.registry, application)
        except NotEnoughFunds as refused:
            last = attestations.attestations_of(application)[-1]
            return (str(refused), last.state, ledger.account(application.uid).committed,
                    commitments.planned_cost(application), ledger.consistent())
        raise AssertionError("the dearer month was validated without funds")
    message, state, committed, planned, consistent = run_in_app(published_app, work)
    assert "Fondi insufficienti" in message
    assert state == attestation_workflow.SENT  # not validated
    assert committed == planned
    assert consistent
