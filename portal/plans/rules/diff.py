"""The differences between two versions of a plan: amounts by source and by intervention."""
from typing import NamedTuple

from content_types.values import ZERO
from portal.plans.rules import budget


class Line(NamedTuple):
    code: str
    title: str
    before: object  # Decimal, or None when the line is not in that version
    after: object

    @property
    def delta(self):
        return (self.after or ZERO) - (self.before or ZERO)

    @property
    def changed(self):
        return self.before != self.after


class CellChange(NamedTuple):
    intervention: str
    source: str
    year: int
    before: object
    after: object

    @property
    def delta(self):
        return (self.after or ZERO) - (self.before or ZERO)


class PlanDiff(NamedTuple):
    available: tuple  # Line per source: availability over the period
    allocated: tuple  # Line per source: allocations over the period
    interventions: tuple  # Line per intervention: its allocations over the period
    cells: tuple  # CellChange for every (intervention, source, year) that changed
    added: tuple  # intervention titles only in the newer version
    removed: tuple

    @property
    def empty(self):
        return not self.cells and not any(
            line.changed for line in self.available + self.allocated + self.interventions)


def _merge(a_items, b_items):
    """(code, title) of both, in ``b``'s order then ``a``'s leftovers."""
    seen = {}
    for code, title in list(b_items) + list(a_items):
        seen.setdefault(code, title)
    return list(seen.items())


def diff(older, newer):
    """What changed from ``older`` to ``newer`` (two ``model.Plan``)."""
    a_sources, b_sources = dict(budget.by_source(older)), dict(budget.by_source(newer))
    a_by_code = {s.code: f for s, f in a_sources.items()}
    b_by_code = {s.code: f for s, f in b_sources.items()}
    sources = _merge([(s.code, s.title) for s in older.sources],
                     [(s.code, s.title) for s in newer.sources])
    available = tuple(Line(code, title, _get(a_by_code, code, "available"),
                           _get(b_by_code, code, "available")) for code, title in sources)
    allocated = tuple(Line(code, title, _get(a_by_code, code, "allocated"),
                           _get(b_by_code, code, "allocated")) for code, title in sources)
    a_codes = {i.code for i in older.interventions}
    b_codes = {i.code for i in newer.interventions}
    interventions = tuple(
        Line(code, title,
             budget.intervention_total(older, code) if code in a_codes else None,
             budget.intervention_total(newer, code) if code in b_codes else None)
        for code, title in _merge([(i.code, i.title) for i in older.interventions],
                                  [(i.code, i.title) for i in newer.interventions]))
    cells = tuple(CellChange(*key, older.allocations.get(key), newer.allocations.get(key))
                  for key in sorted(set(older.allocations) | set(newer.allocations))
                  if (older.allocations.get(key) or ZERO) != (newer.allocations.get(key) or ZERO))
    return PlanDiff(available, allocated, interventions, cells,
                    tuple(i.title for i in newer.interventions if i.code not in a_codes),
                    tuple(i.title for i in older.interventions if i.code not in b_codes))


def _get(figures, code, name):
    figure = figures.get(code)
    return None if figure is None else getattr(figure, name)
