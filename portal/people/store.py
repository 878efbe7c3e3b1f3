"""The social registry as a service: register people, build households, record contacts.

Transaction-aware, no request: views, the voucher subscribers, the demo and the benchmark
share it. Every write keeps ``portal.people.index`` in step, so a codice fiscale is one person
in the whole portal and a person is in one household at a time.
"""
import secrets
import uuid

from pyramid.events import subscriber
from pyramid.traversal import find_resource, find_root, resource_path

from content_types.district import District, Municipality
from content_types.events import ObjectModified
from content_types.person import (
    HOUSEHOLDS_NAME,
    PEOPLE_NAME,
    Household,
    HouseholdFolder,
    PeopleFolder,
    Person,
)
from content_types.values import utcnow
from portal.db import social_index_of
from portal.i18n import _
from portal.people import accounts
from portal.people.events import PersonChanged
from portal.people.rules import addresses, households, identity
from portal.people.rules.errors import (
    AlreadyInHousehold,
    InvalidPersonData,
    PersonExists,
    UnknownMunicipality,
    UnknownPerson,
)
from portal.security.events import LoggedIn

#: a person's changes the case manager hears about (portal.cases subscribes)
ISEE_CHANGED = "isee"
ADDRESS_CHANGED = "address"
HOUSEHOLD_CHANGED = "household"


def index(obj):
    """The social index of the database ``obj`` lives in."""
    return social_index_of(obj)


def municipalities(root):
    """Every municipality of every ATS (a few hundred at most)."""
    for district in root["ambiti"].values():
        if isinstance(district, District):
            for child in district.values():
                if isinstance(child, Municipality):
                    yield child


#: ISTAT code -> Municipality, a volatile attribute of ``ambiti`` (one connection's, never stored)
_MUNICIPALITIES = "_v_municipalities"


def municipality_by_istat(root, istat):
    """The municipality with this ISTAT code, from a map kept per connection on ``ambiti``
    (rebuilt when a code is missing from it or its municipality has left the tree)."""
    ambiti = root["ambiti"]
    known = getattr(ambiti, _MUNICIPALITIES, None) or {}
    found = known.get(istat)
    if found is None or not _in_place(ambiti, found, istat):
        known = {}
        for municipality in municipalities(root):
            known.setdefault(municipality.istat_code, municipality)
        setattr(ambiti, _MUNICIPALITIES, known)
        found = known.get(istat)
    if found is None:
        raise UnknownMunicipality(
            _("Il comune con codice ISTAT ${istat} non appartiene a nessun Ambito del portale.",
              mapping={"istat": istat}), {"istat": _("Comune non servito dal portale.")})
    return found


def _in_place(ambiti, municipality, istat):
    district = municipality.__parent__
    return (municipality.istat_code == istat and district is not None
            and district.get(municipality.__name__) is municipality
            and ambiti.get(district.__name__) is district)


def district_of(obj):
    node = obj
    while node is not None and not isinstance(node, District):
        node = node.__parent__
    return node


def municipality_of(obj):
    node = obj
    while node is not None and not isinstance(node, Municipality):
        node = node.__parent__
    return node


#: the stored titles of the folders (content titles are stored in Italian)
FOLDER_TITLES = {PEOPLE_NAME: "Anagrafica sociale", HOUSEHOLDS_NAME: "Nuclei familiari"}


def _folder(municipality, name, factory, registry):
    """The municipality's people or households folder, added when the first one arrives."""
    folder = municipality.get(name)
    if folder is None:
        folder = factory(title=FOLDER_TITLES[name], creator="sistema")
        municipality.add(name, folder, registry=registry)
    return folder


def find_person(root, fiscal_code):
    """The ``Person`` with this codice fiscale, or None."""
    path = index(root).person_path((fiscal_code or "").upper())
    if path is None:
        return None
    try:
        return find_resource(root, path)
    except KeyError:
        return None


def person_by_uid(root, uid, fiscal_code):
    person = find_person(root, fiscal_code)
    if person is None or person.uid != uid:
        raise UnknownPerson
    return person


def person_of_user(root, user):
    """The person a citizen's account is (by its codice fiscale, never by e-mail)."""
    code = getattr(user, "fiscal_code", "") or ""
    return find_person(root, code) if code else None


def _linked_login(root, fiscal_code):
    """The account whose codice fiscale is this one: the person and the citizen are one."""
    return accounts.login_of(root, fiscal_code)


def register_person(root, data, who, registry=None, on=None):
    """A new ``Person`` under their municipality of residence; refuses a second one per CF.

    ``data``: fiscal_code, first_name, last_name, address (dict for ``addresses.address``),
    optional birth_date, sex, citizenship, phone, email.
    """
    found = identity.identity(data.get("fiscal_code"), on=on)
    first, last = identity.check_names(data.get("first_name"), data.get("last_name"))
    identity.check_declared(found, data.get("birth_date"), data.get("sex"))
    home = addresses.address(**data["address"]) if data.get("address") else None
    citizenship = data.get("citizenship") or "380"
    if not (citizenship.isdigit() and len(citizenship) == 3):
        raise InvalidPersonData(None, {"citizenship": _("La cittadinanza è un codice di 3 cifre "
                                                        "(Italia: 380).")})
    social = index(root)
    if social.person_path(found.fiscal_code) is not None:
        raise PersonExists(fields={"fiscal_code": _("Codice fiscale già registrato.")},
                           path=social.person_path(found.fiscal_code))
    if home is None:
        raise InvalidPersonData(None, {"address": _("La residenza è obbligatoria.")})
    municipality = municipality_by_istat(root, home["istat"])
    folder = _folder(municipality, PEOPLE_NAME, PeopleFolder, registry)
    person = Person(
        title=f"{first} {last}", creator=who, fiscal_code=found.fiscal_code,
        first_name=first, last_name=last, birth_date=data.get("birth_date") or found.birth_date,
        birth_place=found.birth_place, sex=found.sex, citizenship=citizenship,
        second_citizenship=data.get("second_citizenship") or "", addresses=(home,),
        phone=data.get("phone") or "", email=data.get("email") or "",
        login=_linked_login(root, found.fiscal_code),
    )
    folder.add(uuid.uuid4().hex[:12], person, registry=registry)
    social.add_person(found.fiscal_code, resource_path(person))
    if person.login:
        social.logins[person.login] = found.fiscal_code
    return person


def ensure_person(root, fiscal_code, name, istat, region, who, registry=None):
    """The person with this code, registered from an application's data when new."""
    person = find_person(root, fiscal_code)
    if person is not None:
        return person
    parts = (name or "").split()
    first, last = (" ".join(parts[:-1]) or parts[0], parts[-1]) if len(parts) > 1 else (name, name)
    return register_person(root, {
        "fiscal_code": fiscal_code, "first_name": first, "last_name": last,
        "address": {"kind": "residence", "street": "-", "istat": istat, "region": region},
    }, who, registry)


@subscriber(LoggedIn)
def logged_in(event):
    """At login the account becomes the person with the same codice fiscale (never by e-mail)."""
    link_account(event.root, event.user, event.user.login)


def link_account(root, user, login):
    """A citizen's account becomes the person with the same codice fiscale."""
    person = person_of_user(root, user)
    if person is not None and person.login != login:
        person.login = login
        index(root).logins[login] = person.fiscal_code
        person.touch()
    return person


def create_household(person, who, registry=None):
    """A household headed by ``person``, with a generated code; refused if already in one."""
    social = index(person)
    if social.household_of(person.fiscal_code):
        raise AlreadyInHousehold(fields={"fiscal_code": _("Già in un nucleo familiare.")})
    folder = _folder(municipality_of(person), HOUSEHOLDS_NAME, HouseholdFolder, registry)
    code = households.new_code(secrets.token_bytes(households.BODY_LENGTH))
    while code in social.households:
        code = households.new_code(secrets.token_bytes(households.BODY_LENGTH))
    household = Household(title=f"Nucleo {code}", creator=who, code=code,
                          contact_login=person.login)
    folder.add(code.lower(), household, registry=registry)
    social.households[code] = resource_path(household)
    _join(household, person, households.HEAD, registry)
    return household


def find_household(root, code):
    path = index(root).households.get((code or "").strip().upper())
    if path is None:
        return None
    try:
        return find_resource(root, path)
    except KeyError:
        return None


def household_of(person):
    return find_household(find_root(person), index(person).household_of(person.fiscal_code))


def add_member(household, person, relationship, registry=None):
    """``person`` joins ``household``; a person is in one household at a time."""
    households.check_relationship(relationship)
    if relationship == households.HEAD:
        raise InvalidPersonData(None, {"relationship": _("Il nucleo ha già un intestatario.")})
    current = index(household).household_of(person.fiscal_code)
    if current == household.code:
        raise AlreadyInHousehold(_("La persona fa già parte di questo nucleo."),
                                 {"fiscal_code": _("Già nel nucleo.")})
    if current:
        raise AlreadyInHousehold(fields={"fiscal_code": _("Già in un altro nucleo familiare.")})
    _join(household, person, relationship, registry)


def _join(household, person, relationship, registry):
    members = (*household.members, {"fiscal_code": person.fiscal_code,
                                    "person_uid": person.uid, "relationship": relationship})
    households.check_members(members)
    household.members = members
    household.touch()
    index(household).join(person.fiscal_code, household.code)
    person.household_code, person.relationship = household.code, relationship
    person.touch()
    _changed(person, HOUSEHOLD_CHANGED, registry, household=household.code)


def remove_member(household, person, registry=None):
    household.members = tuple(m for m in household.members
                              if m["fiscal_code"] != person.fiscal_code)
    household.touch()
    index(household).leave(person.fiscal_code)
    person.household_code, person.relationship = "", ""
    person.touch()
    _changed(person, HOUSEHOLD_CHANGED, registry, household="")


def members_of(household):
    """The members' ``Person`` objects with their relationship (missing ones skipped)."""
    root = find_root(household)
    found = []
    for member in household.members:
        person = find_person(root, member["fiscal_code"])
        if person is not None:
            found.append((person, member["relationship"]))
    return found


def record_contact(person, who, who_came, asked, answer, outcome="", when=None):
    """A front-desk contact (*segretariato sociale*): who came, what they asked, the answer."""
    problems = {}
    for field, value in (("who_came", who_came), ("request", asked), ("answer", answer)):
        if not (value or "").strip():
            problems[field] = _("Campo obbligatorio.")
        elif len(value) > 4000:
            problems[field] = _("Al massimo 4000 caratteri.")
    if problems:
        raise InvalidPersonData(None, problems)
    contact = {"when": when or utcnow(), "operator": who, "who_came": who_came.strip(),
               "request": asked.strip(), "answer": answer.strip(), "outcome": outcome or ""}
    person.contacts = (*person.contacts, contact)
    person.touch()
    return contact


def set_isee(person, isee, registry=None):
    """The latest ISEE known of the person (an application's, or typed at the desk)."""
    if isee == person.isee:
        return
    person.isee = dict(isee)
    person.touch()
    _changed(person, ISEE_CHANGED, registry, isee=dict(isee))


def _changed(person, what, registry, **details):
    if registry is not None:
        registry.notify(ObjectModified(person, fields=(what,)))
        registry.notify(PersonChanged(person, what, details))
