"""Proposals of benefits (push): which open call a household could apply to, and why.

Pure: what the portal knows of a household (its members' birth dates and residence, the
latest ISEE of the nucleus, the calls it already applied to) and the rules of the open
calls of its ATS come in; the proposals come out, each with its reason in Italian. A call is
proposed only when every rule the portal can check holds: open now, with an application
folder in the ATS of the member's residence (never another ATS's call), not yet applied to,
the age of a member in the call's range, a valid ISEE of an admitted type within the
ceiling, the residence in the call's region. A call asking what the portal does not know
(a certified disability) is not proposed.
"""
from dataclasses import dataclass
from datetime import date

from content_types.values import euro
from portal.applications.rules.eligibility import age_in_months, describe_age
from portal.i18n import _


@dataclass(frozen=True)
class Member:
    """A member of the household as the rules see them."""

    fiscal_code: str
    first_name: str
    birth_date: date = None
    istat: str = ""  # ISTAT code of the municipality of residence
    region: str = ""  # ISTAT code of the region of residence


@dataclass(frozen=True)
class Isee:
    """The latest ISEE known of the nucleus."""

    value: object  # Decimal
    dsu_date: date
    valid_until: date
    kind: str = None  # ISEE type (portal.applications.rules.isee.ISEE_TYPES), if known

    def valid_on(self, day):
        return self.dsu_date <= day <= self.valid_until


@dataclass(frozen=True)
class Place:
    """A municipality served by the portal: its name and its ATS."""

    istat: str
    name: str
    district: str  # ATS code, e.g. BA-01


@dataclass(frozen=True)
class Household:
    code: str
    members: tuple
    isee: Isee = None
    #: series of the calls a member already applied to (any version of the call)
    applied: frozenset = frozenset()


@dataclass(frozen=True)
class OpenCall:
    """A call as the rules see it (``rules``: ``eligibility.Rules``)."""

    uid: str
    series: str
    path: str
    title: str
    rules: object
    opens_at: object  # aware datetime
    closes_at: object
    current: bool = True
    #: ATS code -> where a citizen starts an application there (the call's folder of the ATS)
    apply_paths: dict = None

    def open_at(self, now):
        return (self.current and self.opens_at is not None and self.closes_at is not None
                and self.opens_at <= now < self.closes_at)


@dataclass(frozen=True)
class Proposal:
    call: OpenCall
    member: Member
    district: str
    apply_path: str
    reason: str  # Italian text

    def to_data(self, computed_at):
        """The dict stored in ``person.proposals``."""
        return {"call_uid": self.call.uid, "call_path": self.call.path,
                "call_title": self.call.title, "district": self.district,
                "reason": self.reason, "apply_path": self.apply_path,
                "computed_at": computed_at, "fiscal_code": self.member.fiscal_code,
                "first_name": self.member.first_name}


def threshold_of(rules, isee):
    """The ceiling that applies to this ISEE (the restricted one for a socio-sanitario ISEE)."""
    if isee.kind == "socio_sanitario" and rules.restricted_isee_max is not None:
        return rules.restricted_isee_max
    return rules.isee_max


def age_fits(rules, months):
    low, high = rules.age_min_months, rules.age_max_months
    return months >= 0 and (low is None or months >= low) and (high is None or months < high)


def isee_fits(rules, isee, today):
    if isee is None or not isee.valid_on(today):
        return False
    if isee.kind is not None and isee.kind not in rules.isee_types:
        return False
    return isee.value <= threshold_of(rules, isee)


def reason(member, months, isee, threshold, place):
    """«Luca ha 2 anni, l'ISEE del nucleo (€ 8.000,00) è sotto la soglia di € 20.000,00 e
    risiedete a Bari (Ambito BA-01)»."""
    mapping = {"name": member.first_name, "age": describe_age(months), "isee": euro(isee.value),
               "threshold": euro(threshold), "town": place.name, "district": place.district}
    if isee.value == threshold:
        text = _("${name} ha ${age}, l'ISEE del nucleo (${isee}) è pari alla soglia di "
                 "${threshold} e risiedete a ${town} (Ambito ${district})", mapping=mapping)
    else:
        text = _("${name} ha ${age}, l'ISEE del nucleo (${isee}) è sotto la soglia di "
                 "${threshold} e risiedete a ${town} (Ambito ${district})", mapping=mapping)
    return str(text)


def proposals(household, calls, places, now, today):
    """The proposals for ``household`` among ``calls`` (``places``: ISTAT code -> Place)."""
    found = []
    for call in calls:
        if not call.open_at(now) or call.series in household.applied:
            continue
        rules = call.rules
        if rules.disability_required or not isee_fits(rules, household.isee, today):
            continue
        reference = rules.age_reference or today
        for member in household.members:
            place = places.get(member.istat)
            if place is None or member.birth_date is None:
                continue
            apply_path = (call.apply_paths or {}).get(place.district)
            if apply_path is None:  # the call has no folder in this ATS: not the member's call
                continue
            if rules.residence_region and member.region != rules.residence_region:
                continue
            months = age_in_months(member.birth_date, reference)
            if not age_fits(rules, months):
                continue
            threshold = threshold_of(rules, household.isee)
            found.append(Proposal(call, member, place.district, apply_path,
                                  reason(member, months, household.isee, threshold, place)))
    return tuple(found)


def for_members(household, found, heads=()):
    """fiscal code -> the proposals to store on that member: their own, and every one for the
    members named in ``heads`` (who apply for the others: the head, the contact person)."""
    result = {m.fiscal_code: [] for m in household.members}
    for proposal in found:
        result.setdefault(proposal.member.fiscal_code, []).append(proposal)
        for code in heads:
            if code != proposal.member.fiscal_code:
                result.setdefault(code, []).append(proposal)
    return result


def same(stored, computed):
    """Whether stored proposal dicts say what the computed ones say (``computed_at`` apart)."""
    def key(items):
        return sorted((p["call_uid"], p.get("fiscal_code", ""), p["reason"], p["apply_path"])
                      for p in items)
    return key(stored) == key(computed)
