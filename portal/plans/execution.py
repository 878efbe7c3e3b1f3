"""What was committed and paid against an approved plan: the movements the ATS records and
the vouchers the payments ledger already holds (they count automatically).

A voucher intervention names the call series it pays (``voucher_series``); for each of its
sources bound to a ledger fund (``Source.fund``), the ledger's kept totals of that series and
fund are its commitments and payments over the period (one lookup each: the Region's
dashboard reads 45 ATS at once). They carry ``year=0``: the ledger is kept per call, not per
plan year.
"""
from content_types.values import utcnow
from portal.i18n import _
from portal.payments.ledger import ledger_of
from portal.plans import store
from portal.plans.rules import model, monitoring
from portal.plans.rules.errors import PlanError

VOUCHER_ACT = "buoni-servizio"
#: the year of the voucher movements (the whole period)
WHOLE_PERIOD = 0


def recorded(plan):
    """The movements the ATS recorded on ``plan`` (a ZonePlan), as rules values."""
    return tuple(model.Movement(m["intervention"], m["source"], m["year"], m["kind"],
                                m["amount"], m.get("act", "")) for m in plan.movements)


def from_vouchers(version, district):
    """Commitments and payments of the vouchers of ``version``'s voucher interventions."""
    ledger = ledger_of(district, create=False) if district is not None else None
    if ledger is None:
        return ()
    funds = {s["code"]: s.get("fund") for s in version.sources}
    found = []
    for intervention in version.interventions:
        for series in intervention.get("voucher_series") or ():
            used = {source for (code, source, _y) in version.allocations
                    if code == intervention["code"]}
            for source in sorted(used):
                fund = funds.get(source)
                if not fund:
                    continue
                totals = ledger.totals(call=series, fund=fund)
                if totals.committed:
                    found.append(model.Movement(intervention["code"], source, WHOLE_PERIOD,
                                                model.IMPEGNO, totals.committed, VOUCHER_ACT))
                if totals.paid:
                    found.append(model.Movement(intervention["code"], source, WHOLE_PERIOD,
                                                model.LIQUIDAZIONE, totals.paid, VOUCHER_ACT))
    return tuple(found)


def movements_of(plan, version=None):
    """Every movement against ``plan``'s approved version (recorded and vouchers)."""
    version = version or store.approved(plan)
    if version is None:
        return ()
    return recorded(plan) + from_vouchers(version, store.district_of(plan))


def execution_of(plan, *, source=None, intervention=None):
    """(version, Execution) of the approved version (None, None before any approval)."""
    version = store.approved(plan)
    if version is None:
        return None, None
    figures = monitoring.execution(store.as_plan(version), movements_of(plan, version),
                                   source=source, intervention=intervention)
    return version, figures


def record(plan, movement, *, who):
    """Add a commitment or a payment against the approved allocations (checked first)."""
    version = store.approved(plan)
    if version is None:
        raise PlanError(_("Impegni e liquidazioni si registrano sul piano approvato: questo "
                          "piano non ha ancora una versione approvata."))
    monitoring.check_movement(store.as_plan(version), movements_of(plan, version), movement)
    plan.movements = (*plan.movements, {
        "intervention": movement.intervention, "source": movement.source,
        "year": movement.year, "kind": movement.kind, "amount": movement.amount,
        "act": movement.act, "who": who, "when": utcnow()})
    plan.movements_version += 1
    return movement

