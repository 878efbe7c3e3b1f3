"""What the registry's pages share: reading a posted form, field errors, a person's summary."""
import re

from pyramid.httpexceptions import HTTPSeeOther

from content_types.values import format_date
from portal.i18n import _
from portal.people import store
from portal.people.rules import addresses, identity
from portal.people.rules.errors import InvalidPersonData, PeopleError
from portal.web import posted
from portal.web.errors import refuse
from portal.web.layout import flash

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[+0-9 ./-]{0,20}$")
#: the address fields of the forms, as ``addresses.address`` names them
ADDRESS_FIELDS = ("street", "istat", "region")
CONTACT_FIELDS = ("phone", "email")


def field_errors(request, exc):
    """``{field: translated message}`` of a registry error (the address's own fields kept)."""
    translate = request.localizer.translate
    return {name: translate(message) for name, message in (exc.fields or {}).items()}


def refused(request, exc):
    """The page-level message and the field errors of a refused form (its status set)."""
    return refuse(request, exc), field_errors(request, exc)


def check_contacts(sent):
    """Phone and e-mail, optional, well formed; ``InvalidPersonData`` naming the wrong one."""
    problems = {}
    if sent.get("email") and not _EMAIL.match(sent["email"]):
        problems["email"] = _("Indirizzo e-mail non valido.")
    if not _PHONE.match(sent.get("phone") or ""):
        problems["phone"] = _("Numero di telefono non valido.")
    if problems:
        raise InvalidPersonData(None, problems)


def collect(*checks):
    """Run every check, gathering the fields of all that fail: the form shows them at once."""
    problems, results = {}, []
    for check in checks:
        try:
            results.append(check())
        except InvalidPersonData as exc:
            problems.update(exc.fields or {})
            results.append(None)
    if problems:
        raise InvalidPersonData(None, problems)
    return results


def home_address(sent):
    return addresses.address("residence", sent["street"], sent["istat"], sent["region"])


def checked_names(sent):
    return identity.check_names(sent["first_name"], sent["last_name"])


def text_fields(*names, limit=200):
    return posted.schema(*(posted.text(name, limit) for name in names))


def done(request, obj, message, view=""):
    """After a write: the message, then back to the object (POST → 303 → GET)."""
    flash(request, message)
    return HTTPSeeOther(request.resource_path(obj, view) if view else request.resource_path(obj))


def person_row(request, person):
    """A person in a list: name, code, birth date, where they live, the link."""
    home = addresses.residence(person.addresses) or {}
    return {"name": person.full_name, "fiscal_code": person.fiscal_code,
            "birth_date": format_date(person.birth_date) if person.birth_date else "",
            "street": home.get("street", ""), "household": person.household_code,
            "url": request.resource_path(person)}


def municipality_title(root, istat):
    """The municipality's name for an ISTAT code, the code itself when not served."""
    try:
        return store.municipality_by_istat(root, istat).title
    except PeopleError:
        return istat
