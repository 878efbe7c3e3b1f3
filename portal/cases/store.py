"""Case files as a service: open one at the front desk, take charge, write notes, close.

Transaction-aware, no request. A person has one case file (``…/persone/<id>/cartella``):
opening it while it is open is refused; a closed one is reopened, keeping its history.
The team is explicit (the opener first, the case manager always in it); the ACL follows it.
"""
from pyramid.traversal import resource_path

from content_types.case_file import NOTE_PREFIX, CaseFile, CaseNote
from content_types.events import ObjectModified
from content_types.person import CASE_NAME
from content_types.values import utcnow
from portal.cases.rules import status
from portal.cases.rules.errors import CaseAlreadyOpen, InvalidCaseData
from portal.i18n import _
from portal.people import store as people

NOTE_MAX = 20_000


def case_of(person):
    """The person's case file, or None."""
    return person.get(CASE_NAME)


def _log(case, who, what, when=None, **details):
    case.history = (*case.history, {"when": when or utcnow(), "who": who, "what": what,
                                    **details})
    case.touch()


def open_case(person, who, registry=None, office="", when=None):
    """Open (or reopen) the person's case file; the opener is its first team member."""
    case = case_of(person)
    if case is not None and case.status != status.CLOSED:
        raise CaseAlreadyOpen(manager=case.manager or case.opened_by)
    when = when or utcnow()
    if case is None:
        case = CaseFile(title=f"Cartella sociale di {person.full_name}", creator=who,
                        person_uid=person.uid, fiscal_code=person.fiscal_code,
                        opened_at=when, opened_by=who, team=(who,), office=office or "")
        person.add(CASE_NAME, case, registry=registry)
    else:
        case.status = status.move(case.status, "reopen")
        case.opened_at, case.opened_by, case.closed_at = when, who, None
        case.set_team((*case.team, who), office or None, registry)
    people.index(person).cases[person.fiscal_code] = resource_path(case)
    _log(case, who, "open", when)
    return case


def take_charge(case, manager, who, team=(), office=None, area="", registry=None, when=None):
    """*Presa in carico*: ``manager`` becomes the case manager; the team is named."""
    case.status = status.move(case.status, "take_charge")
    case.manager, case.taken_at = manager, when or utcnow()
    if area:
        case.area = area
    case.set_team((manager, *case.team, *team), office, registry)
    _log(case, who, "take_charge", when, manager=manager)
    if registry is not None:
        registry.notify(ObjectModified(case, fields=("status",)))
    return case


def set_team(case, team, who, office=None, registry=None):
    """Change who is in the team (the manager always stays)."""
    members = [m for m in team if m]
    if case.manager and case.manager not in members:
        members.insert(0, case.manager)
    if not members:
        raise InvalidCaseData(None, {"team": _("L'équipe non può restare vuota.")})
    case.set_team(members, office, registry)
    _log(case, who, "team", team=tuple(members))
    return case


def close(case, who, reason, registry=None, when=None):
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidCaseData(None, {"reason": _("Indicare il motivo della chiusura.")})
    case.status = status.move(case.status, "close")
    case.closed_at, case.closing_reason = when or utcnow(), reason
    _log(case, who, "close", when, reason=reason)
    if registry is not None:
        registry.notify(ObjectModified(case, fields=("status",)))
    return case


def add_note(case, who, text, day=None, registry=None, when=None):
    """A dated note of the team (special-category data: the case's ACL covers it)."""
    text = (text or "").strip()
    if not text:
        raise InvalidCaseData(None, {"text": _("Il testo della nota è obbligatorio.")})
    if len(text) > NOTE_MAX:
        raise InvalidCaseData(None, {"text": _("La nota supera i 20.000 caratteri.")})
    when = when or utcnow()
    number = case.next_note
    case.next_note = number + 1
    note = CaseNote(title=f"Nota {number}", creator=who, text=text, author=who,
                    day=day or when.date())
    case.add(f"{NOTE_PREFIX}{number}", note, registry=registry)
    return note


def notes_of(case):
    return [n for n in case.values() if isinstance(n, CaseNote)]


def in_care(person):
    return status.in_care(case_of(person))
