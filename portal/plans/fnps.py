"""The Region's FNPS monitoring: allocated, committed and paid of the national fund per ATS.

One service function, without a request, so the page and the benchmark read the same figures.
"""
from typing import NamedTuple

from portal.payments.spending import districts
from portal.plans import execution, store
from portal.plans.rules import model, monitoring


class DistrictFnps(NamedTuple):
    """One ATS: its plan of the period (None: no plan), whether approved, its FNPS figures."""

    district: object
    plan: object
    approved: bool
    figures: monitoring.Execution
    below: bool


class FnpsFigures(NamedTuple):
    rows: tuple
    total: monitoring.Execution
    threshold: object  # Decimal % or None
    below: bool
    #: the periods of every ATS's plans, latest first (the page's filter)
    periods: tuple


def plan_for(district, period):
    """The ATS's plan for ``period``, or (period None) its latest plan with an approved version."""
    plans = store.plans_of(district)
    if period is not None:
        return next((p for p in plans if p.period == period), None)
    return next((p for p in plans if store.approved(p) is not None), plans[0] if plans else None)


def fnps_by_district(root, period=None):
    """Every ATS's FNPS execution (approved plans only count) and the regional total."""
    _minimum, threshold = store.settings_of(root)
    rows, periods = [], set()
    for district in districts(root):
        periods.update(p.period for p in store.plans_of(district))
        plan = plan_for(district, period)
        figures = None
        if plan is not None:
            _version, figures = execution.execution_of(plan, source=model.FNPS)
        shown = figures or monitoring.Execution()
        rows.append(DistrictFnps(district, plan, figures is not None, shown,
                                 figures is not None and monitoring.below_threshold(
                                     figures, threshold)))
    total = sum((r.figures for r in rows), monitoring.Execution())
    return FnpsFigures(tuple(rows), total, threshold,
                       monitoring.below_threshold(total, threshold),
                       tuple(sorted(periods, reverse=True)))
