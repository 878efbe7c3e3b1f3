"""Figures and invariants of a plan's budget (domain.md §6).

Σ allocations per source and year ≤ availability; "other resources" outside the ordinary
total; every intervention coded; the Region's minimum municipal co-financing; municipal
interventions and co-financing only from the ATS's own municipalities. ``problems`` lists
every broken rule with the section it belongs to; submission needs an empty list.
"""
from decimal import ROUND_HALF_UP
from typing import NamedTuple

from content_types.values import CENT, ZERO, euro
from portal.i18n import _
from portal.plans.rules import model
from portal.plans.rules.nomenclature import nomenclature


class Figure(NamedTuple):
    """Available, allocated and left of a source (a year, or the whole period)."""

    available: object = ZERO
    allocated: object = ZERO

    @property
    def remaining(self):
        return self.available - self.allocated

    def __add__(self, other):
        return Figure(self.available + other.available, self.allocated + other.allocated)


class Problem(NamedTuple):
    section: str
    code: str
    message: object  # a translation string
    key: tuple = ()  # what it is about (source and year, intervention, municipality)


def allocated(plan, source, year):
    return sum((v for (_i, s, y), v in plan.allocations.items() if s == source and y == year),
               ZERO)


def source_year(plan, source, year):
    return Figure(plan.available(source, year), allocated(plan, source, year))


def by_source_year(plan):
    """{(source, year): Figure} for every source and year of the plan."""
    allocated_to = {}
    for (_i, source, year), value in plan.allocations.items():
        allocated_to[source, year] = allocated_to.get((source, year), ZERO) + value
    return {(s.code, y): Figure(plan.available(s.code, y), allocated_to.get((s.code, y), ZERO))
            for s in plan.sources for y in plan.years}


def by_source(plan, cells=None):
    """[(Source, Figure over the period)] in the plan's order."""
    cells = by_source_year(plan) if cells is None else cells
    return [(s, sum((cells[s.code, y] for y in plan.years), Figure())) for s in plan.sources]


def ordinary_total(plan, cells=None):
    """The ordinary budget: every source but the "other resources"."""
    return sum((f for s, f in by_source(plan, cells) if s.ordinary), Figure())


def other_total(plan, cells=None):
    return sum((f for s, f in by_source(plan, cells) if not s.ordinary), Figure())


def by_intervention(plan):
    """{intervention: {source: Decimal over the period}}."""
    found = {i.code: {} for i in plan.interventions}
    for (code, source, _y), value in plan.allocations.items():
        row = found.setdefault(code, {})
        row[source] = row.get(source, ZERO) + value
    return found


def intervention_total(plan, code, ordinary_only=False):
    return sum((v for (i, s, _y), v in plan.allocations.items()
                if i == code and (not ordinary_only or _ordinary(plan, s))), ZERO)


def _ordinary(plan, code):
    source = plan.source(code)
    return source is None or source.ordinary


def minimum_cofinancing(plan, municipality):
    """What the Region asks of ``municipality`` each year (None: no minimum set)."""
    if plan.min_cofinancing is None:
        return None
    return (plan.min_cofinancing * municipality.inhabitants).quantize(CENT, ROUND_HALF_UP)


def share_by_area(plan):
    """{user area: ordinary allocation over the period} (the Region compares ATS by it)."""
    area_of = {i.code: i.area for i in plan.interventions}
    other = {s.code for s in plan.sources if not s.ordinary}
    areas = dict.fromkeys(area_of.values(), ZERO)
    for (code, source, _y), value in plan.allocations.items():  # one pass: 45 ATS at once
        if code in area_of and source not in other:
            areas[area_of[code]] += value
    return areas


# -- invariants --------------------------------------------------------------------------
def problems(plan):
    """Every broken rule of ``plan``, in section order (empty: it may be submitted)."""
    found = []
    found += _source_problems(plan)
    found += _cofinancing_problems(plan)
    found += _intervention_problems(plan)
    found += _allocation_problems(plan)
    return found


def _source_problems(plan):
    found = []
    kinds = [s.kind for s in plan.sources]
    if kinds.count(model.COMUNALE) > 1:
        found.append(Problem(model.FONTI, "two_municipal_sources", _(
            "C'è una sola fonte di cofinanziamento comunale: le quote dei comuni si indicano "
            "nella sezione del cofinanziamento.")))
    for source in plan.sources:
        if source.kind not in model.SOURCE_KINDS:
            found.append(Problem(model.FONTI, "unknown_kind", _(
                "La fonte «${code}» non ha un tipo valido.", mapping={"code": source.code}),
                (source.code,)))
    return found


def _cofinancing_problems(plan):
    found = []
    for (istat, year), _value in sorted(plan.cofinancing.items()):
        if plan.municipality(istat) is None:
            found.append(Problem(model.COFINANZIAMENTO, "foreign_municipality", _(
                "Il comune con codice ISTAT ${istat} non appartiene a questo Ambito: non può "
                "cofinanziarne il piano.", mapping={"istat": istat}), (istat, year)))
    if plan.min_cofinancing is None or not any(s.kind == model.COMUNALE for s in plan.sources):
        return found
    for municipality in plan.municipalities:
        minimum = minimum_cofinancing(plan, municipality)
        for year in plan.years:
            given = plan.cofinancing.get((municipality.istat, year), ZERO)
            if given < minimum:
                found.append(Problem(model.COFINANZIAMENTO, "below_minimum", _(
                    "${municipality}, ${year}: cofinanziamento ${given}, inferiore al minimo "
                    "regionale di ${minimum} (${per_head} per abitante × ${inhabitants} "
                    "abitanti).",
                    mapping={"municipality": municipality.title, "year": year,
                             "given": euro(given), "minimum": euro(minimum),
                             "per_head": euro(plan.min_cofinancing),
                             "inhabitants": municipality.inhabitants}),
                    (municipality.istat, year)))
    return found


def _intervention_problems(plan):
    table = nomenclature()
    found = []
    for intervention in plan.interventions:
        label = intervention.title or intervention.code
        missing = []
        if table.service(intervention.service) is None:
            missing.append(_("il servizio del nomenclatore"))
        if table.area(intervention.area) is None:
            missing.append(_("l'area di utenza"))
        if table.objective(intervention.objective) is None:
            missing.append(_("l'obiettivo di servizio FNPS"))
        for what in missing:
            found.append(Problem(model.INTERVENTI, "not_coded", _(
                "Intervento «${title}»: manca ${what}.", mapping={"title": label, "what": what}),
                (intervention.code,)))
        if intervention.level not in model.LEVELS:
            found.append(Problem(model.INTERVENTI, "unknown_level", _(
                "Intervento «${title}»: indicare se è di Ambito o comunale.",
                mapping={"title": label}), (intervention.code,)))
        elif intervention.level == model.COMUNALE_LEVEL:
            found += _municipal_problems(plan, intervention, label)
    return found


def _municipal_problems(plan, intervention, label):
    if not intervention.municipalities:
        return [Problem(model.INTERVENTI, "no_municipality", _(
            "Intervento comunale «${title}»: indicare il comune o i comuni.",
            mapping={"title": label}), (intervention.code,))]
    return [Problem(model.INTERVENTI, "foreign_municipality", _(
        "Intervento «${title}»: il comune con codice ISTAT ${istat} non appartiene a "
        "questo Ambito.", mapping={"title": label, "istat": istat}), (intervention.code,))
        for istat in intervention.municipalities if plan.municipality(istat) is None]


def _allocation_problems(plan):
    found = []
    known = {i.code for i in plan.interventions}
    for (code, source, year), _value in sorted(plan.allocations.items()):
        if code not in known or plan.source(source) is None or year not in plan.years:
            found.append(Problem(model.ALLOCAZIONI, "unknown_cell", _(
                "Un'allocazione riguarda un intervento, una fonte o un anno che il piano non "
                "ha (${code}, ${source}, ${year}).",
                mapping={"code": code, "source": source, "year": year}),
                (code, source, year)))
    for (source, year), figure in sorted(by_source_year(plan).items()):
        if figure.remaining < 0:
            found.append(Problem(model.ALLOCAZIONI, "over_allocated", _(
                "${source}, ${year}: assegnati ${allocated} su ${available} disponibili "
                "(eccedenza di ${excess}).",
                mapping={"source": plan.source(source).title, "year": year,
                         "allocated": euro(figure.allocated), "available": euro(figure.available),
                         "excess": euro(-figure.remaining)}), (source, year)))
    return found
