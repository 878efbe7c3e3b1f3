"""The map of needs: counters per (municipality, user area), kept by subscribers, read by the map.

People in care (case files taken in charge, by the case's ``area``) and benefits (by
``benefit.area`` and by each year of their period, cancelled ones not counted) are counted in
the municipality of the person's residence, on the ``Municipality`` itself
(``needs_counters``). A case's status change (``ObjectModified`` with ``status``) and every
``BenefitChanged`` move the counters; each counter remembers what every case and benefit
added, so a change takes back exactly that and adds the new contribution (idempotent). The
counts are ``BTrees.Length`` (two grants in one municipality merge instead of conflicting).
A page reads a few hundred numbers, never the people; ``rebuild`` recounts from the tree
(a database that had data before the counters existed).
"""
from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from pyramid.traversal import find_root

from content_types.benefit import CANCELLED, Benefit
from content_types.case_file import CaseFile
from content_types.district import District, Municipality
from content_types.events import ObjectModified
from portal.applications.services import resolve_path
from portal.cases.rules.status import IN_CHARGE
from portal.people import store as people
from portal.people.events import BenefitChanged
from portal.plans.rules.nomenclature import nomenclature
from portal.register import grant
from portal.register.rules import needs_map as rules

CARE, BENEFITS = "care", "benefits"
#: the areas of users, in the nomenclature's order; "" = not given
NO_AREA = ""


def areas():
    """(code, Italian title) of the user areas (``portal/plans/data/nomenclature.json``)."""
    return tuple((a.code, a.title) for a in nomenclature().areas)


class NeedsCounters(Persistent):
    """One municipality's counts, and what each case and benefit contributed to them."""

    def __init__(self):
        self.counts = OOBTree()  # (CARE, area) or (BENEFITS, year, area) -> Length
        self.cases = OOBTree()  # case uid -> area counted (in care)
        self.benefits = OOBTree()  # benefit uid -> (area, years)

    def _add(self, key, delta):
        counter = self.counts.get(key)
        if counter is None:
            counter = self.counts[key] = Length()
        counter.change(delta)

    def count(self, key):
        counter = self.counts.get(key)
        return counter() if counter is not None else 0

    def set_case(self, uid, area):
        """``area``: the case is in care in that area; None: not in care."""
        old = self.cases.get(uid)
        if old == area:
            return
        if old is not None:
            self._add((CARE, old), -1)
            del self.cases[uid]
        if area is not None:
            self._add((CARE, area), 1)
            self.cases[uid] = area

    def set_benefit(self, uid, area, years):
        """``years``: the years the benefit counts in (empty: not counted)."""
        old = self.benefits.get(uid)
        new = (area, tuple(years)) if years else None
        if old == new:
            return
        if old is not None:
            for year in old[1]:
                self._add((BENEFITS, year, old[0]), -1)
            del self.benefits[uid]
        if new is not None:
            for year in new[1]:
                self._add((BENEFITS, year, area), 1)
            self.benefits[uid] = new


def counters_of(municipality, create=False):
    found = municipality.needs_counters
    if found is None and create:
        found = municipality.needs_counters = NeedsCounters()
    return found


def benefit_years(benefit):
    """The years a benefit counts in: those its period meets, unless it was cancelled."""
    if benefit.status == CANCELLED or benefit.start is None:
        return ()
    end = (benefit.end if benefit.periodic else None) or benefit.start
    return tuple(range(benefit.start.year, max(end.year, benefit.start.year) + 1))


def _residence(root, fiscal_code, fallback_istat=""):
    """The municipality the person lives in (their registry's), else the given ISTAT code's."""
    person = people.find_person(root, fiscal_code) if fiscal_code else None
    municipality = people.municipality_of(person) if person is not None else None
    if municipality is None and fallback_istat:
        for candidate in people.municipalities(root):
            if candidate.istat_code == fallback_istat:
                return candidate
    return municipality


def _forget(root, attribute, uid, keep):
    """Drop ``uid`` from every other municipality's counters (the person moved)."""
    for municipality in people.municipalities(root):
        if municipality is keep:
            continue
        counters = counters_of(municipality)
        if counters is not None and uid in getattr(counters, attribute):
            if attribute == "cases":
                counters.set_case(uid, None)
            else:
                counters.set_benefit(uid, None, ())


def count_case(case, root=None, new=False):
    """Move the counters for ``case`` to what it is now (``new``: counted nowhere yet)."""
    person = case.__parent__
    municipality = people.municipality_of(person) if person is not None else None
    if municipality is None:
        return
    area = (case.area or NO_AREA) if case.status == IN_CHARGE else None
    counters = counters_of(municipality, create=area is not None)
    counted_here = counters is not None and case.uid in counters.cases
    if counters is not None:
        counters.set_case(case.uid, area)
    if not new and not counted_here and area is None:  # counted where they lived before
        _forget(root or find_root(case), "cases", case.uid, municipality)


def count_benefit(benefit, root=None, new=False):
    """Move the counters for ``benefit`` to what it is now (``new``: just granted)."""
    root = root or find_root(benefit)
    municipality = _residence(root, benefit.fiscal_code, benefit.municipality)
    if municipality is None:
        return
    years = benefit_years(benefit)
    counters = counters_of(municipality, create=bool(years))
    counted_here = counters is not None and benefit.uid in counters.benefits
    if counters is not None:
        counters.set_benefit(benefit.uid, benefit.area or NO_AREA, years)
    if not new and not counted_here:  # counted elsewhere before the person moved (rare)
        _forget(root, "benefits", benefit.uid, municipality)


def case_changed(event):
    if isinstance(event.object, CaseFile) and "status" in event.fields:
        count_case(event.object)


def benefit_changed(event):
    if isinstance(event.benefit, Benefit):
        count_benefit(event.benefit, new=event.what == "grant")


def rebuild(root):
    """Recount everything from the tree (cases through the social index, benefits by ATS)."""
    for municipality in people.municipalities(root):
        municipality.needs_counters = NeedsCounters()
    social = people.index(root)
    for path in list(social.cases.values()):
        case = resolve_path(root, path)
        if isinstance(case, CaseFile):
            count_case(case, root, new=True)
    for district in root["ambiti"].values():
        for benefit in (grant.benefits_of(district) if isinstance(district, District) else ()):
            count_benefit(benefit, root, new=True)


# -- reading --------------------------------------------------------------------------------
def municipalities_of(district):
    return sorted((m for m in district.values() if isinstance(m, Municipality)),
                  key=lambda m: m.title)


def columns(found):
    """The area codes to show: the nomenclature's, plus «not given» when something has none."""
    codes = [code for code, _ in areas()]
    if any(key[1] == NO_AREA for key in found):
        codes.append(NO_AREA)
    return codes


def raw_counts(municipalities, measure, year):
    """{(istat, area): count} for one measure (``CARE`` now, ``BENEFITS`` in ``year``)."""
    found = {}
    for municipality in municipalities:
        counters = counters_of(municipality)
        if counters is None:
            continue
        for key, counter in counters.counts.items():
            if key[0] != measure or (measure == BENEFITS and key[1] != year):
                continue
            value = counter()
            if value:
                found[(municipality.istat_code, key[-1])] = value
    return found


def district_table(district, measure, year):
    """The suppressed table of one ATS: rows its municipalities, columns the areas."""
    towns = municipalities_of(district)
    counts = raw_counts(towns, measure, year)
    return rules.suppress(counts, [m.istat_code for m in towns], columns(counts)), towns


def region_tables(root, measure, year, only=None):
    """[(district, table, municipalities)] for every ATS (``only``: one code), and the
    region's line per area: the sum of the districts' totals when all are shown."""
    found = []
    for district in sorted((d for d in root["ambiti"].values() if isinstance(d, District)),
                           key=lambda d: d.code):
        if only and district.code != only:
            continue
        table, towns = district_table(district, measure, year)
        found.append((district, table, towns))
    codes = []
    for _district, table, _towns in found:
        codes += [c for c in table.columns if c not in codes]
    line = {c: rules.combine(t.column_totals[c] if c in t.columns else rules.Shown(rules.EXACT, 0)
                             for _d, t, _m in found) for c in codes}
    total = rules.combine(t.total for _d, t, _m in found)
    return found, codes, line, total


def includeme(config):
    config.add_subscriber(case_changed, ObjectModified)
    config.add_subscriber(benefit_changed, BenefitChanged)
