"""The Region's dashboard of the zone plans: every ATS side by side (state, ordinary budget,
budget per inhabitant, share per user area, FNPS allocated / committed / paid).

One service function the view and the bench share; it reads each ATS's plan versions' own
dicts and the ledger's kept totals, nothing else (45 ATS in well under 200 ms).
"""
from collections.abc import Mapping
from decimal import ROUND_HALF_UP
from types import MappingProxyType
from typing import NamedTuple

from content_types.values import CENT, ZERO
from portal.payments.spending import districts
from portal.plans import execution, store
from portal.plans.rules import budget, model, monitoring
from portal.plans.rules.nomenclature import nomenclature
from workflows import zone_plan as workflow

EMPTY = MappingProxyType({})
#: the count of ATS without a plan (for the period) among the states
NO_PLAN = ""


class AtsFigures(NamedTuple):
    district: object
    inhabitants: int
    plan: object = None  # the ZonePlan (None: no plan for the period)
    version: object = None  # its latest PlanVersion
    ordinary: object = ZERO  # the ordinary budget (available) over the period
    per_inhabitant: object = None  # ordinary / inhabitants (None: no inhabitants)
    areas: Mapping = EMPTY  # {user area: ordinary allocation over the period}
    fnps: object = None  # monitoring.Execution of the FNPS on the approved version
    approved_number: int = 0
    below: bool = False  # committed share below the Region's threshold

    @property
    def state(self):
        return self.version.state if self.version is not None else NO_PLAN


class RegionFigures(NamedTuple):
    period: str
    rows: list
    by_state: dict  # {state (NO_PLAN: none): count}
    threshold: object
    areas: tuple  # the user areas met, in the nomenclature's order

    @property
    def ordinary(self):
        return sum((r.ordinary for r in self.rows), ZERO)

    @property
    def per_inhabitant(self):
        """The regional ordinary budget per inhabitant of the ATS that have a plan."""
        people = sum(r.inhabitants for r in self.rows if r.version is not None)
        return (self.ordinary / people).quantize(CENT, ROUND_HALF_UP) if people else None

    @property
    def fnps(self):
        return sum((r.fnps for r in self.rows if r.fnps is not None), monitoring.Execution())


def _plan_of(district, period):
    if period is None:
        found = store.plans_of(district)
        return found[0] if found else None
    folder = store.folder_of(district)
    return folder.get(period) if folder is not None else None


def ats_figures(district, period, threshold, minimum=None):
    """One ATS's row of the dashboard."""
    municipalities = store.municipalities_of(district)
    people = sum(m.inhabitants for m in municipalities)
    plan = _plan_of(district, period)
    versions = store.versions_of(plan) if plan is not None else []
    if not versions:
        return AtsFigures(district, people, plan)
    last = versions[-1]
    read = {}

    def as_plan(version):
        if version.number not in read:
            read[version.number] = model.from_dicts(
                version.years, version.sources, version.availability, version.cofinancing,
                version.interventions, version.allocations, municipalities, minimum)
        return read[version.number]

    # a draft is the ATS's own (the Region may not open it): the figures are those of the
    # latest version sent to the Region, returned or approved
    shown = next((v for v in reversed(versions) if v.state != workflow.DRAFT), None)
    if shown is None:
        return AtsFigures(district, people, plan, last)
    current = as_plan(shown)
    # budget.ordinary_total(current).available, without summing the allocations it also adds
    ordinary = sum((current.available(s.code, y) for s in current.sources if s.ordinary
                    for y in current.years), ZERO)
    per_head = (ordinary / people).quantize(CENT, ROUND_HALF_UP) if people else None
    approved = next((v for v in reversed(versions) if v.state == workflow.APPROVED), None)
    fnps, below = None, False
    if approved is not None:
        fnps = monitoring.execution(as_plan(approved),
                                    execution.movements_of(plan, approved), source=model.FNPS)
        below = monitoring.below_threshold(fnps, threshold)
    return AtsFigures(district, people, plan, last, ordinary, per_head,
                      budget.share_by_area(current), fnps,
                      approved.number if approved is not None else 0, below)


def region_figures(root, period=None):
    """Every ATS's figures for ``period`` («2025-2027»; None: each ATS's latest plan)."""
    if period is not None:
        store.parse_period(period)
    region = root.get("regione")
    minimum = getattr(region, "plan_min_cofinancing", None)
    threshold = getattr(region, "plan_fnps_threshold", None)
    rows = [ats_figures(d, period, threshold, minimum) for d in districts(root)]
    by_state = dict.fromkeys((*(s.name for s in workflow.STATES), NO_PLAN), 0)
    for row in rows:
        by_state[row.state] = by_state.get(row.state, 0) + 1
    met = {area for row in rows for area in row.areas}
    order = [a.code for a in nomenclature().areas]
    areas = tuple(sorted(met, key=lambda a: (order.index(a) if a in order else len(order), a)))
    return RegionFigures(period or "", rows, by_state, threshold, areas)
