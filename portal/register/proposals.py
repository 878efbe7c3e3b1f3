"""Proposals of benefits as a background job: evaluate households, write ``person.proposals``.

Never on a page view: a job of kind «proposte» (``portal.jobs``) evaluates one household
(recorded with the change when a member's ISEE, address or household changes:
``PersonChanged``) or every household of one ATS (recorded when a call opens its folder in
the ATS, and by the daily pass of ``portal-serve``, and by ``portal-proposals``). The pure
rules are ``portal.register.rules.proposals``; pages only read what the job wrote.

``person.proposals`` is a tuple of dicts {call_uid, call_path, call_title, district, reason,
apply_path, computed_at, fiscal_code, first_name}: stored on the member the call is for and on
the household's head and contact person (who apply for the others). ``apply_path`` is the
call's application folder in the ATS, whose page starts the application («Nuova domanda»).
"""
import logging
import uuid
from datetime import date, datetime

from pyramid.traversal import resource_path

from content_types.application_folder import CallApplicationFolder
from content_types.district import District, Municipality
from content_types.events import ObjectAdded
from content_types.person import HOUSEHOLDS_NAME, Household
from content_types.values import rome_today, to_decimal, utcnow
from portal import clock
from portal.applications.rules.eligibility import Rules
from portal.applications.rules.errors import BenefitError
from portal.applications.rules.isee import dsu_valid_until
from portal.applications.services import resolve_path
from portal.db import ROOT_KEY, get_database
from portal.jobs import enqueue, in_new_transaction, read
from portal.people import store as people
from portal.people.events import PersonChanged
from portal.people.rules.households import HEAD
from portal.register.rules import proposals as rules
from workflows.application import ANNULLED, WITHDRAWN

log = logging.getLogger(__name__)
KIND = "proposte"
#: households evaluated per transaction in a pass over an ATS
BATCH = 200
#: a member's changes that may change what they are entitled to
RELEVANT = ("isee", "address", "household")
DEFAULT_HOURS = 24
_TXN_TOKEN = object()  # one job key per transaction and scope: several changes, one job


# -- facts ------------------------------------------------------------------------------
def places(root):
    """ISTAT code -> ``Place`` for every municipality of the portal."""
    found = {}
    for district in root["ambiti"].values():
        if isinstance(district, District):
            for child in district.values():
                if isinstance(child, Municipality):
                    found[child.istat_code] = rules.Place(child.istat_code, child.title,
                                                          district.code)
    return found


def _day(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10]) if value else None


def isee_of(data):
    """``Person.isee`` (a dict) as the rules see it, or None when unreadable."""
    if not data:
        return None
    try:
        value = to_decimal(data["value"])
        dsu = _day(data.get("dsu_date"))
        until = _day(data.get("valid_until")) or (dsu_valid_until(dsu) if dsu else None)
    except (KeyError, ValueError, TypeError, ArithmeticError):
        return None
    if dsu is None or until is None:
        return None
    return rules.Isee(value, dsu, until, data.get("kind") or data.get("isee_type") or None)


def _registry_isee(district, fiscal_code, today):
    """The latest attestation the ATS's ISEE registry holds for the person, valid today."""
    domande = district.get("domande") if district is not None else None
    registry = getattr(domande, "isee_registry", None)
    if registry is None:
        return None
    valid = [a for a in registry.attestations(fiscal_code) if a.is_valid_on(today)]
    if not valid:
        return None
    latest = max(valid, key=lambda a: (a.dsu_date, a.protocol))
    return rules.Isee(latest.value, latest.dsu_date, latest.valid_until, latest.isee_type)


def residence(person):
    for address in person.addresses:
        if address.get("kind") in ("residence", "residenza"):
            return address
    return person.addresses[0] if person.addresses else {}


def member_of(person):
    home = residence(person)
    return rules.Member(person.fiscal_code, person.first_name or person.full_name,
                        person.birth_date, home.get("istat", ""), home.get("region", ""))


def calls_of(root, district, now):
    """The open calls with an application folder in ``district``: [(OpenCall, folder)]."""
    found = []
    domande = district.get("domande")
    for folder in (domande.values() if domande is not None else ()):
        if not isinstance(folder, CallApplicationFolder):
            continue
        call = resolve_path(root, folder.call_path)
        if call is None or getattr(call, "uid", None) != folder.call_uid or not call.current:
            continue
        try:
            call_rules = Rules.from_data(call.eligibility)
        except BenefitError:
            continue  # a call without usable rules proposes nothing
        open_call = rules.OpenCall(
            call.uid, call.series, resource_path(call), call.title, call_rules, call.opens_at,
            call.closes_at, call.current, {district.code: resource_path(folder)})
        if open_call.open_at(now):
            found.append((open_call, folder))
    return found


def household_facts(household, district, calls, today):
    """The household as the rules see it, with its ``Person`` objects by fiscal code."""
    persons = {person.fiscal_code: (person, relationship)
               for person, relationship in people.members_of(household)}
    members = tuple(member_of(p) for p, _ in persons.values())
    known = [i for i in (isee_of(p.isee) for p, _ in persons.values()) if i is not None]
    if not any(i.valid_on(today) for i in known):
        known += [i for i in (_registry_isee(district, code, today) for code in persons)
                  if i is not None]
    valid = [i for i in known if i.valid_on(today)] or known
    isee = max(valid, key=lambda i: i.dsu_date) if valid else None
    applied = set()
    for call, folder in calls:
        for code in persons:
            application = folder.application_for(code)
            if application is not None and application.state not in (WITHDRAWN, ANNULLED):
                applied.add(call.series)
    return rules.Household(household.code, members, isee, frozenset(applied)), persons


# -- evaluation ---------------------------------------------------------------------------
def evaluate_household(root, household, district=None, now=None, context=None):
    """Write the proposals of one household's members; how many members changed."""
    now = now or utcnow()
    today = rome_today() if context is None else context["today"]
    district = district or people.district_of(household)
    if district is None:
        return 0
    if context is None:
        context = {"places": places(root), "calls": calls_of(root, district, now),
                   "today": today}
    facts, persons = household_facts(household, district, context["calls"], today)
    found = rules.proposals(facts, [c for c, _ in context["calls"]], context["places"], now,
                            today)
    heads = [code for code, (person, relationship) in persons.items()
             if relationship == HEAD or (household.contact_login
                                         and person.login == household.contact_login)]
    changed = 0
    for code, mine in rules.for_members(facts, found, heads).items():
        entry = persons.get(code)
        if entry is None:
            continue
        person = entry[0]
        computed = [p.to_data(now) for p in mine]
        if rules.same(person.proposals, computed):
            continue
        person.proposals = tuple(computed)
        changed += 1
    return changed


def households_of(district):
    """The households of an ATS (each municipality's ``nuclei``)."""
    for municipality in district.values():
        if isinstance(municipality, Municipality):
            folder = municipality.get(HOUSEHOLDS_NAME)
            for household in (folder.values() if folder is not None else ()):
                if isinstance(household, Household):
                    yield household


def find_district(root, code):
    code = (code or "").strip().upper()
    for district in root["ambiti"].values():
        if isinstance(district, District) and district.code == code:
            return district
    return None


def evaluate_district(db, code, now=None, batch=BATCH):
    """Every household of the ATS ``code``, ``batch`` per transaction: (households, changed)."""
    now = now or utcnow()

    def paths(conn):
        district = find_district(conn.root()[ROOT_KEY], code)
        if district is None:
            raise LookupError(f"Ambito {code} non trovato.")
        return [resource_path(h) for h in households_of(district)]
    found = read(db, paths)
    changed = 0
    for start in range(0, len(found), batch):
        chunk = found[start:start + batch]

        def work(conn, chunk=chunk):
            root = conn.root()[ROOT_KEY]
            district = find_district(root, code)
            context = {"places": places(root), "calls": calls_of(root, district, now),
                       "today": rome_today()}
            done = 0
            for path in chunk:
                household = resolve_path(root, path)
                if isinstance(household, Household):
                    done += evaluate_household(root, household, district, now, context)
            return done
        changed += in_new_transaction(db, work)
    return len(found), changed


def evaluate_one(db, household_code, now=None):
    """One household, in a transaction of its own; how many members changed."""
    def work(conn):
        root = conn.root()[ROOT_KEY]
        household = people.find_household(root, household_code)
        return evaluate_household(root, household, now=now) if household is not None else 0
    return in_new_transaction(db, work)


def run_job(payload, registry, db):
    """The «proposte» job: one household, or every household of one ATS."""
    if payload.get("household"):
        evaluate_one(db, payload["household"])
    else:
        evaluate_district(db, payload["district"])


# -- recording the job ---------------------------------------------------------------------
def _token(txn):
    try:
        return txn.data(_TXN_TOKEN)
    except KeyError:
        token = uuid.uuid4().hex
        txn.set_data(_TXN_TOKEN, token)
        return token


def _connection(obj):
    node = obj
    while node is not None and getattr(node, "_p_jar", None) is None:
        node = getattr(node, "__parent__", None)
    return None if node is None else node._p_jar


def schedule(conn, registry, *, district=None, household=None, run_now=True, key=None):
    """Record a «proposte» job in ``conn``'s transaction (one per scope and transaction)."""
    scope = f"nucleo:{household}" if household else f"ambito:{district}"
    key = key or f"{KIND}:{scope}:{_token(conn.transaction_manager.get())}"
    payload = {"household": household} if household else {"district": district}
    return enqueue(conn, registry, KIND, payload, key=key, run_now=run_now)


def person_changed(registry, event):
    """A member's ISEE, address or household changed: evaluate the household after commit."""
    if event.what not in RELEVANT:
        return
    person = event.person
    code = person.household_code or event.details.get("household") or ""
    conn = _connection(person)
    if code and conn is not None:
        schedule(conn, registry, household=code)


def folder_added(registry, event):
    """A call opened its folder in an ATS: evaluate the ATS in the next pass (not in the request)."""
    folder = event.object
    if not isinstance(folder, CallApplicationFolder):
        return
    district = people.district_of(event.parent)
    conn = _connection(event.parent)
    if district is not None and conn is not None:
        schedule(conn, registry, district=district.code, run_now=False)


# -- the daily pass ------------------------------------------------------------------------
def interval_hours(settings):
    """``portal.proposals_interval_hours`` (0: off, e.g. when cron runs portal-proposals)."""
    return clock.interval(settings, "portal.proposals_interval_hours", DEFAULT_HOURS, "ore")


def daily_pass(registry, db=None):
    """Record one «proposte» job per ATS for today (a second pass the same day adds none)."""
    db = db or get_database(registry)
    day = rome_today().isoformat()

    def work(conn):
        codes = [d.code for d in conn.root()[ROOT_KEY]["ambiti"].values()
                 if isinstance(d, District)]
        for code in codes:
            schedule(conn, registry, district=code, run_now=False,
                     key=f"{KIND}:ambito:{code}:{day}")
        return codes
    return in_new_transaction(db, work)


def start(registry, hours, first_delay=120.0):
    return clock.every(hours * 3600, lambda: daily_pass(registry), first_delay=first_delay,
                       name="portal-proposte",
                       failure="Proposte di prestazioni: passaggio non riuscito")


def includeme(config):
    registry = config.registry
    config.add_job_kind(KIND, run_job)
    config.add_subscriber(lambda event: person_changed(registry, event), PersonChanged)
    config.add_subscriber(lambda event: folder_added(registry, event), ObjectAdded)
