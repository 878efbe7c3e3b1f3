"""Monitoring an approved plan: the figures per intervention × source, the FNPS block, and the
recording of a commitment or payment typed in a form (read, checked, stored, or refused).

Transaction-aware, never request-aware: the views and the CSV export share it.
"""
from typing import NamedTuple

from content_types.values import ZERO
from portal.i18n import _
from portal.plans import execution, store
from portal.plans.rules import model, monitoring
from portal.plans.rules.errors import InvalidPlanData, PlanError

MAX_ACT = 200


class MovementsConflict(PlanError):
    """Another officer recorded a movement after the form was loaded: nothing was stored."""

    code = "movements_conflict"
    http_status = 409
    default_message = _("Un'altra persona ha registrato un impegno o una liquidazione su "
                        "questo piano dopo l'apertura del modulo: nessun movimento è stato "
                        "registrato. Controllare le cifre aggiornate e ripetere l'operazione.")


class Cell(NamedTuple):
    """One intervention × source of the approved version, with its execution figures."""

    intervention: object  # rules.model.Intervention
    source: object  # rules.model.Source
    figures: monitoring.Execution
    #: committed and paid by the vouchers of the ledger (an Execution without allocation)
    vouchers: monitoring.Execution


class Monitoring(NamedTuple):
    """What the monitoring page shows of an approved plan."""

    version: object  # the approved PlanVersion
    plan: model.Plan
    cells: tuple
    total: monitoring.Execution
    fnps: monitoring.Execution
    threshold: object  # Decimal % or None
    below: bool
    movements: tuple  # (recorded dicts, oldest first)
    vouchers: tuple  # (rules.model.Movement, …) of the ledger


def token(plan):
    """The conflict token of the movements form: the number of movements recorded, as text."""
    return str(plan.movements_version)


def _grouped(movements):
    """{(intervention, source): [committed, paid]} in one pass."""
    found = {}
    for m in movements:
        pair = found.setdefault((m.intervention, m.source), [ZERO, ZERO])
        pair[0 if m.kind == model.IMPEGNO else 1] += m.amount
    return found


def monitoring_of(zone_plan):
    """The figures of ``zone_plan``'s approved version (None before any approval)."""
    version = store.approved(zone_plan)
    if version is None:
        return None
    rules_plan = store.as_plan(version)
    vouchers = execution.from_vouchers(version, store.district_of(zone_plan))
    movements = execution.recorded(zone_plan) + vouchers
    allocated = {}
    for (i, s, _y), value in rules_plan.allocations.items():
        allocated[(i, s)] = allocated.get((i, s), ZERO) + value
    moved, automatic = _grouped(movements), _grouped(vouchers)
    cells = []
    for intervention in rules_plan.interventions:
        for source in rules_plan.sources:
            key = (intervention.code, source.code)
            if key not in allocated:
                continue
            committed, paid = moved.get(key, (ZERO, ZERO))
            by_vouchers = automatic.get(key, (ZERO, ZERO))
            cells.append(Cell(intervention, source,
                              monitoring.Execution(allocated[key], committed, paid),
                              monitoring.Execution(ZERO, *by_vouchers)))
    total = sum((c.figures for c in cells), monitoring.Execution())
    fnps = sum((c.figures for c in cells if c.source.code == model.FNPS),
               monitoring.Execution())
    _minimum, threshold = store.settings_of(zone_plan)
    return Monitoring(version, rules_plan, tuple(cells), total, fnps, threshold,
                      monitoring.below_threshold(fnps, threshold), tuple(zone_plan.movements),
                      vouchers)


def read_movement(zone_plan, values):
    """A ``Movement`` from the form's texts (kind, intervention, source, year, amount, act)."""
    kind = (values.get("tipo") or "").strip().upper()
    year_text = (values.get("anno") or "").strip()
    if not year_text.isdigit() or int(year_text) not in zone_plan.years:
        raise InvalidPlanData(_("Scegliere un anno del piano."), {"anno": "non valido"})
    try:
        amount = model.parse_amount(values.get("importo") or "", blank=None)
    except model.AmountError as exc:
        raise InvalidPlanData(exc.message, {"importo": "non valido"}) from None
    if amount is None:
        raise InvalidPlanData(_("Indicare l'importo."), {"importo": "obbligatorio"})
    act = " ".join((values.get("atto") or "").split())[:MAX_ACT]
    if not act:
        raise InvalidPlanData(_("Indicare l'atto, ad esempio «Determinazione n. 123/2026»."),
                              {"atto": "obbligatorio"})
    return model.Movement((values.get("intervento") or "").strip(),
                          (values.get("fonte") or "").strip(), int(year_text), kind, amount, act)


def record_typed(zone_plan, values, *, sent_token, who):
    """Record what the form sent, unless stale or against the plan's rules (then nothing)."""
    if store.approved(zone_plan) is None:
        # refused by the service with its message, before anything is read
        return execution.record(zone_plan, None, who=who)
    if sent_token is not None and str(sent_token) != token(zone_plan):
        raise MovementsConflict(fields={"movimenti": "modificati"})
    movement = read_movement(zone_plan, values)
    version = store.approved(zone_plan)
    vouchers = execution.from_vouchers(version, store.district_of(zone_plan))
    if vouchers:  # the cell check cannot see them (they are kept for the whole period)
        monitoring.check_movement(store.as_plan(version), execution.recorded(zone_plan),
                                  movement)
        monitoring.check_period(store.as_plan(version),
                                execution.recorded(zone_plan) + vouchers, movement)
    return execution.record(zone_plan, movement, who=who)

