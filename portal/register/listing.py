"""What the register's pages read: an ATS's benefits filtered, the places a user grants in,
and a citizen's benefits across every ATS (no request: views and the benchmark share it)."""
from dataclasses import dataclass
from datetime import date

from pyramid.traversal import find_resource

from content_types.benefit import ACTIVE, CANCELLED, STATUSES, SUSPENDED, Benefit
from content_types.district import District, Municipality
from content_types.security import ATS_OFFICER, MUNICIPAL_OPERATOR
from content_types.values import format_date
from portal.people import store as people
from portal.people.rules import households
from portal.register import grant, vouchers
from portal.register.rules.periods import Period

PAGE_SIZE = 50
#: the roles that grant benefits, on the ATS or on one of its municipalities
GRANTING_ROLES = (ATS_OFFICER, MUNICIPAL_OPERATOR)
#: statuses of the benefits the citizen reads under «Prestazioni in corso»
CURRENT = (ACTIVE, SUSPENDED)


@dataclass(frozen=True)
class Filters:
    status: str = ""
    siuss_code: str = ""
    municipality: str = ""  # ISTAT code of the granting municipality; "-" = the ATS itself
    start: date = None
    end: date = None

    def keeps(self, benefit):
        if self.status and benefit.status != self.status:
            return False
        if self.siuss_code and benefit.siuss_code != self.siuss_code:
            return False
        if self.municipality and (benefit.municipality or "-") != self.municipality:
            return False
        if self.start or self.end:
            last = (benefit.end if benefit.periodic else benefit.start) or benefit.start
            wanted = Period(self.start or date.min, self.end or date.max)
            if benefit.start is None or not Period(benefit.start, last).overlaps(wanted):
                return False
        return True


def benefits_in(folder):
    """A municipality's register: its own; the ATS's: its own and its municipalities'."""
    if isinstance(folder.__parent__, District):
        return list(grant.benefits_of(folder.__parent__))
    return [b for b in folder.values() if isinstance(b, Benefit)]


def filtered(folder, filters, page=1, size=PAGE_SIZE):
    """(the page's benefits, total, pages): newest period first."""
    found = [b for b in benefits_in(folder) if filters.keeps(b)]
    found.sort(key=lambda b: (b.start or date.min, b.uid), reverse=True)
    pages = max((len(found) + size - 1) // size, 1)
    page = min(max(page, 1), pages)
    return found[(page - 1) * size:page * size], len(found), pages


def status_counts(folder):
    counts = dict.fromkeys(STATUSES, 0)
    for benefit in benefits_in(folder):
        counts[benefit.status] = counts.get(benefit.status, 0) + 1
    return counts


def granting_places(root, principals):
    """(district, municipality or None) where ``principals`` hold a granting local role."""
    places = []
    for district in root["ambiti"].values():
        if not isinstance(district, District):
            continue
        if _holds(district, principals):
            places.append((district, None))
        for child in district.values():
            if isinstance(child, Municipality) and _holds(child, principals):
                places.append((district, child))
    return places


def _holds(obj, principals):
    granted = getattr(obj, "__local_roles__", None) or {}
    return any(r in granted.get(p, ()) for p in principals for r in GRANTING_ROLES)


def benefits_of_codes(root, fiscal_codes):
    """The ``Benefit`` objects of these people, from the social index (every ATS)."""
    social = people.index(root)
    found = []
    for code in fiscal_codes:
        for ref in social.benefits_of(code):
            try:
                found.append(find_resource(root, ref["path"]))
            except KeyError:
                continue  # removed since it was indexed
    return found


def citizen_benefits(root, person):
    """(person, relationship) rows of the person and the members of the household they head,
    each with their benefits split in current and ended (cancelled ones left out)."""
    rows = [(person, "")]
    household = people.household_of(person)
    if household is not None and person.relationship == households.HEAD:
        rows += [(p, rel) for p, rel in people.members_of(household)
                 if p.fiscal_code != person.fiscal_code]
    result = []
    for who, relationship in rows:
        benefits = sorted(benefits_of_codes(root, (who.fiscal_code,)),
                          key=lambda b: (b.start or date.min), reverse=True)
        result.append({
            "person": who, "relationship": relationship,
            "current": [b for b in benefits if b.status in CURRENT],
            "ended": [b for b in benefits if b.status not in CURRENT and b.status != CANCELLED],
        })
    return result


def period_text(benefit):
    """«01/09/2025 – 30/06/2026», or the day of a one-off benefit."""
    if not benefit.periodic or benefit.end is None or benefit.end == benefit.start:
        return format_date(benefit.start)
    return f"{format_date(benefit.start)} – {format_date(benefit.end)}"


def proposals_of(person):
    """The proposals the background job wrote on the person (the «needs» helper's data)."""
    return [p for p in (getattr(person, "proposals", ()) or ()) if p.get("call_title")]


def citizen_file(root, user, applications=()):
    """The register's part of the citizen's file: their benefits and their household's, the
    vouchers of the applications they made (a child's, say), and the proposals of benefits;
    nothing from the case file."""
    person = people.person_of_user(root, user) if user is not None else None
    rows = citizen_benefits(root, person) if person is not None else []
    shown = {row["person"].fiscal_code for row in rows}
    by_person = {}
    for application in applications:
        benefit = vouchers.benefit_of(application)
        if benefit is None or benefit.fiscal_code in shown or benefit.status == CANCELLED:
            continue
        by_person.setdefault(benefit.fiscal_code, []).append(benefit)
    for code, benefits in sorted(by_person.items()):
        beneficiary = people.find_person(root, code)
        if beneficiary is not None:
            rows.append({"person": beneficiary, "relationship": "",
                         "current": [b for b in benefits if b.status in CURRENT],
                         "ended": [b for b in benefits if b.status not in CURRENT]})
    return {"people_benefits": rows,
            "proposals": proposals_of(person) if person is not None else []}
