"""An ATS's budget for a call, per fund, held by the ledger; the call's total kept in step.

The ledger is the only source of the figures; ``call.budgets`` keeps the total per ATS
(and its ``budget_log``) so that the call's page, its text and older readers agree with it.
"""
from content_types.values import ZERO, cents, utcnow
from portal.payments.ledger import ledger_of
from portal.payments.rules import funds as fund_table
from portal.payments.rules.ledger import Totals


def series_of_call(call):
    return call.series or call.uid


def figures(district, call):
    """The ledger's ``Totals`` of one ATS for a call (all funds)."""
    ledger = ledger_of(district, create=False)  # reading writes nothing
    return ledger.totals(series_of_call(call)) if ledger is not None else Totals()


def by_fund(district, call):
    """``{fund: Totals}`` of one ATS for a call, in fund order."""
    ledger = ledger_of(district, create=False)
    return ledger.by_fund(series_of_call(call)) if ledger is not None else {}


def set_fund_budget(district, call, fund, amount, *, who, when=None, reason=""):
    """Set one fund's budget (refused below its committed) and the call's total with it."""
    when = when or utcnow()
    ledger = ledger_of(district)
    series = series_of_call(call)
    moved = ledger.set_budget(series, fund, amount, who=who, when=when, reason=reason)
    total = ledger.totals(series).budget
    if cents(call.budget_for(district.code)) != total:
        call.set_budget(district.code, total, reason=reason, who=who, when=when)
    return moved


def adopt_call_budget(district, call, *, who, when=None, reason=""):
    """Bring the ledger to the call's total for this ATS (the difference on the default fund).

    Used when a call (or a new version of it) is published and by evolve step 13: a budget
    typed as one amount per ATS lands on ``funds.DEFAULT_FUND``.
    """
    ledger = ledger_of(district)
    series = series_of_call(call)
    wanted = cents(call.budget_for(district.code))
    delta = wanted - ledger.totals(series).budget
    if delta == ZERO:
        return None
    current = ledger.totals(series, fund_table.DEFAULT_FUND).budget
    return ledger.set_budget(series, fund_table.DEFAULT_FUND, current + delta, who=who,
                             when=when or utcnow(),
                             reason=reason or "Budget dell'avviso per l'Ambito")
