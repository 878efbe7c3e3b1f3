"""A person of the registry: their page, and what the front desk writes about them.

Every read by someone other than the person is audited (``audit_personal_read``); every write
needs REGISTER_PEOPLE, which the registry's ACL gives to the staff in scope only.
"""
from datetime import date

from pyramid.view import view_config

from content_types.events import ObjectModified
from content_types.person import CASE_NAME, Person
from content_types.security import GRANT_BENEFIT, OPEN_CASE, REGISTER_PEOPLE, VIEW
from content_types.values import (
    cents,
    euro,
    format_date,
    format_datetime,
    parse_day,
    rome_today,
)
from portal import audit
from portal.applications.rules.isee import ISEE_TYPES, dsu_valid_until, protocol_warnings
from portal.applications.services import resolve_path
from portal.i18n import _
from portal.people import store
from portal.people.events import PersonChanged
from portal.people.rules import addresses, households
from portal.people.rules.errors import InvalidPersonData, PeopleError
from portal.people.views.common import (
    check_contacts,
    checked_names,
    collect,
    done,
    home_address,
    municipality_title,
    refused,
    text_fields,
)
from portal.register.rules.status import TITLES as BENEFIT_STATUS
from portal.web import posted
from portal.web.content_ops import audit_personal_read
from portal.web.layout import flash

EDIT_FIELDS = ("first_name", "last_name", "street", "istat", "region", "phone", "email")
EDIT = text_fields(*EDIT_FIELDS)
CONTACT_FIELDS = ("who_came", "request", "answer", "outcome")
CONTACT = text_fields(*CONTACT_FIELDS, limit=5000)
ISEE_FIELDS = ("protocol", "year", "dsu_date", "value", "kind")
ISEE = text_fields(*ISEE_FIELDS, limit=60)
FIRST_ISEE_YEAR = 2015  # DPCM 159/2013: the ISEE of today


def _translate(request, text):
    return request.localizer.translate(text) if text else ""


def _address_rows(request, person):
    return [{"kind": _translate(request, addresses.KINDS.get(a.get("kind"), a.get("kind", ""))),
             "street": a.get("street", ""), "istat": a.get("istat", ""),
             "municipality": municipality_title(request.root, a.get("istat", "")),
             "region": a.get("region", ""), "nation": a.get("nation", "")}
            for a in person.addresses]


def household_panel(request, person):
    """The person's household with its members, if any (only what the user may view)."""
    household = store.household_of(person) if person.household_code else None
    if household is None:
        return None
    visible = bool(request.has_permission(VIEW, household))
    members = []
    for member, relationship in store.members_of(household) if visible else ():
        members.append({"name": member.full_name, "fiscal_code": member.fiscal_code,
                        "relationship": _translate(request, households.RELATIONSHIPS.get(
                            relationship, relationship)),
                        "url": request.resource_path(member)
                        if request.has_permission(VIEW, member) else None})
    return {"code": household.code, "visible": visible, "members": members,
            "url": request.resource_path(household) if visible else None}


def case_panel(request, person):
    """The case file: a link for who may read it, else only that the person is in care."""
    case = person.get(CASE_NAME)
    if case is None:
        return None
    if request.has_permission(VIEW, case):
        return {"url": request.resource_path(case), "title": case.title, "status":
                getattr(case, "status", "")}
    return {"url": None}


def benefit_rows(request, person):
    rows = []
    for ref in store.index(person).benefits_of(person.fiscal_code):
        benefit = resolve_path(request.root, ref.get("path", ""))
        rows.append({"title": ref.get("title", ""), "siuss_code": ref.get("siuss_code", ""),
                     "start": format_date(ref["start"]) if ref.get("start") else "",
                     "end": format_date(ref["end"]) if ref.get("end") else "",
                     "status": _translate(request, BENEFIT_STATUS.get(ref.get("status"),
                                                                      ref.get("status", ""))),
                     "district": ref.get("district", ""),
                     "url": request.resource_path(benefit) if benefit is not None
                     and request.has_permission(VIEW, benefit) else None})
    return rows


def isee_panel(request, person):
    isee = person.isee
    if not isee:
        return None
    value = isee.get("value")
    return {"protocol": isee.get("protocol", ""), "year": isee.get("year", ""),
            "kind": ISEE_TYPES.get(isee.get("kind"), isee.get("kind", "")),
            "value": euro(value) if value not in (None, "") else "",
            "dsu_date": _day(isee.get("dsu_date")),
            "valid_until": _day(isee.get("valid_until"))}


def _day(value):
    if isinstance(value, str) and value:
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    return format_date(value) if value else ""


def actions(request, person):
    """The links the user may follow from the person's page."""
    links = []
    can = request.has_permission
    if can(REGISTER_PEOPLE, person):
        links += [("@@modifica", _("Modifica i dati")), ("@@contatto", _("Registra un contatto")),
                  ("@@isee", _("Registra l'ISEE"))]
        if not person.household_code:
            links.append(("@@nuovo-nucleo", _("Crea il nucleo familiare")))
    if can(OPEN_CASE, person) and person.get(CASE_NAME) is None:
        links.append(("@@apri-cartella", _("Apri la cartella sociale")))
    if can(GRANT_BENEFIT, store.municipality_of(person)):  # not on the registry's own ACL
        links.append(("@@nuova-prestazione", _("Registra una prestazione")))
    return [{"url": request.resource_path(person, view), "title": _translate(request, title),
             "name": view[2:]} for view, title in links]


@view_config(context=Person, permission=VIEW, request_method="GET",
             renderer="portal:templates/people/person.pt")
def person_page(context, request):
    audit_personal_read(request, context)
    translate = request.localizer.translate
    contacts = [{"when": format_datetime(c["when"]), "operator": c.get("operator", ""),
                 "who_came": c.get("who_came", ""), "request": c.get("request", ""),
                 "answer": c.get("answer", ""), "outcome": c.get("outcome", "")}
                for c in reversed(context.contacts)]
    staff = bool(request.has_permission(REGISTER_PEOPLE, context))
    return {"page_title": context.full_name or context.title, "person": context,
            "birth_date": format_date(context.birth_date) if context.birth_date else "",
            "sex": translate(_("Maschio")) if context.sex == "M" else
            translate(_("Femmina")) if context.sex == "F" else "",
            "addresses": _address_rows(request, context),
            "household": household_panel(request, context),
            "case": case_panel(request, context), "staff": staff,
            "contacts": contacts if staff else [],
            "isee": isee_panel(request, context),
            "benefits": benefit_rows(request, context),
            "proposals": list(context.proposals or ()),
            "actions": actions(request, context)}


# -- @@modifica -------------------------------------------------------------------------
def _edit_page(request, person, sent, error=None, errors=None):
    return {"page_title": request.localizer.translate(
                _("Modifica di ${name}", mapping={"name": person.full_name})),
            "person": person, "form": sent, "error": error, "errors": errors or {},
            "action": request.resource_path(person, "@@modifica"),
            "cancel_url": request.resource_path(person)}


@view_config(context=Person, name="modifica", permission=REGISTER_PEOPLE,
             renderer="portal:templates/people/edit.pt")
def edit_person(context, request):
    home = addresses.residence(context.addresses) or {}
    if request.method != "POST":
        audit_personal_read(request, context)
        sent = {"first_name": context.first_name, "last_name": context.last_name,
                "street": home.get("street", ""), "istat": home.get("istat", ""),
                "region": home.get("region", ""), "phone": context.phone,
                "email": context.email}
        return _edit_page(request, context, sent)
    sent = posted.posted(request, EDIT)
    try:
        names, new_home, _contacts = collect(lambda: checked_names(sent),
                                             lambda: home_address(sent),
                                             lambda: check_contacts(sent))
        if new_home["istat"] != home.get("istat"):
            raise InvalidPersonData(None, {"istat": _(
                "Il comune di residenza non si cambia qui: la persona resta nell'anagrafica "
                "del comune in cui è registrata. Registrare la nuova residenza presso il "
                "nuovo comune.")})
    except PeopleError as exc:
        return _edit_page(request, context, sent, *refused(request, exc))
    first, last = names
    moved = {k: new_home[k] for k in ("street", "region")} != {
        k: home.get(k) for k in ("street", "region")}
    context.first_name, context.last_name = first, last
    context.title = f"{first} {last}"
    context.phone, context.email = sent["phone"], sent["email"]
    if moved:
        context.addresses = tuple(new_home if a is home else a for a in context.addresses) \
            if home else (new_home,)
    context.touch()
    request.registry.notify(ObjectModified(context, ("title", "addresses"), request))
    if moved:
        request.registry.notify(PersonChanged(context, store.ADDRESS_CHANGED,
                                              {"address": dict(new_home)}))
    return done(request, context, _("Dati di ${name} aggiornati.", mapping={"name": first}))


# -- @@contatto ---------------------------------------------------------------------------
@view_config(context=Person, name="contatto", permission=REGISTER_PEOPLE,
             renderer="portal:templates/people/contact.pt")
def contact(context, request):
    """Front desk (*segretariato sociale*): who came, what they asked, the answer, the outcome."""
    translate = request.localizer.translate
    page = {"page_title": translate(_("Contatto allo sportello per ${name}",
                                      mapping={"name": context.full_name})),
            "person": context, "error": None, "errors": {},
            "action": request.resource_path(context, "@@contatto"),
            "cancel_url": request.resource_path(context)}
    if request.method != "POST":
        return {**page, "form": dict.fromkeys(CONTACT_FIELDS, "")}
    sent = posted.posted(request, CONTACT)
    try:
        store.record_contact(context, request.authenticated_userid, sent["who_came"],
                             sent["request"], sent["answer"], sent["outcome"][:500])
    except PeopleError as exc:
        error, errors = refused(request, exc)
        return {**page, "form": sent, "error": error, "errors": errors}
    return done(request, context, _("Contatto registrato."))


# -- @@isee -------------------------------------------------------------------------------
def read_isee(sent, today=None):
    """The ISEE dict of the form, or ``InvalidPersonData`` naming each wrong field."""
    problems = {}
    protocol = sent["protocol"].strip().upper()
    if not protocol:
        problems["protocol"] = _("Il protocollo della DSU è obbligatorio.")
    year = None
    this_year = (today or rome_today()).year
    if not sent["year"].isdigit() or not FIRST_ISEE_YEAR <= int(sent["year"]) <= this_year + 1:
        problems["year"] = _("Anno non valido (dal ${first} al ${last}).",
                             mapping={"first": FIRST_ISEE_YEAR, "last": this_year + 1})
    else:
        year = int(sent["year"])
    try:
        dsu = parse_day(sent["dsu_date"])
    except ValueError:
        dsu = None
        problems["dsu_date"] = _("Data non valida: scriverla come 31/01/2025.")
    if dsu is not None and dsu > (today or rome_today()):
        problems["dsu_date"] = _("La data della DSU non può essere futura.")
    try:
        value = cents(sent["value"])
        if value < 0 or value > 10_000_000:
            raise ValueError(value)
    except (ValueError, ArithmeticError):
        value = None
        problems["value"] = _("Valore ISEE non valido (ad esempio 12.450,00).")
    if sent["kind"] not in ISEE_TYPES:
        problems["kind"] = _("Tipo di ISEE non previsto.")
    if problems:
        raise InvalidPersonData(None, problems)
    return {"protocol": protocol, "year": year, "dsu_date": dsu, "value": value,
            "kind": sent["kind"], "valid_until": dsu_valid_until(dsu), "source": "sportello"}


@view_config(context=Person, name="isee", permission=REGISTER_PEOPLE,
             renderer="portal:templates/people/isee.pt")
def isee(context, request):
    """The ISEE known at the desk; a protocol of an unexpected shape is a warning, not a refusal."""
    translate = request.localizer.translate
    page = {"page_title": translate(_("ISEE di ${name}", mapping={"name": context.full_name})),
            "person": context, "error": None, "errors": {},
            "kinds": sorted(ISEE_TYPES.items(), key=lambda kv: kv[1]),
            "action": request.resource_path(context, "@@isee"),
            "cancel_url": request.resource_path(context)}
    if request.method != "POST":
        known = context.isee or {}
        form = {"protocol": known.get("protocol", ""), "year": str(known.get("year") or ""),
                "dsu_date": _day(known.get("dsu_date")),
                "value": str(known.get("value") or "").replace(".", ","),
                "kind": known.get("kind", "ordinario")}
        return {**page, "form": form}
    sent = posted.posted(request, ISEE)
    try:
        data = read_isee(sent)
    except PeopleError as exc:
        error, errors = refused(request, exc)
        return {**page, "form": sent, "error": error, "errors": errors}
    data["entered_by"] = request.authenticated_userid
    for warning in protocol_warnings(data["protocol"]):
        flash(request, warning, "warning")
    store.set_isee(context, data, request.registry)
    audit.log(request, "ISEE registrato allo sportello", context, protocol=data["protocol"])
    request.skip_audit = True
    return done(request, context, _("ISEE registrato."))


# -- @@nuovo-nucleo -------------------------------------------------------------------------
@view_config(context=Person, name="nuovo-nucleo", permission=REGISTER_PEOPLE,
             request_method="GET", renderer="portal:templates/people/confirm.pt")
def new_household_page(context, request):
    translate = request.localizer.translate
    return {"page_title": translate(_("Nuovo nucleo familiare")),
            "question": translate(_("Creare un nucleo familiare con ${name} come intestatario? "
                                    "Il codice famiglia è generato dal portale.",
                                    mapping={"name": context.full_name})),
            "error": translate(_("${name} fa già parte del nucleo ${code}.",
                                 mapping={"name": context.full_name,
                                          "code": context.household_code}))
            if context.household_code else None,
            "action": request.resource_path(context, "@@nuovo-nucleo"),
            "button": translate(_("Crea il nucleo")), "hidden": {},
            "cancel_url": request.resource_path(context)}


@view_config(context=Person, name="nuovo-nucleo", permission=REGISTER_PEOPLE,
             request_method="POST")
def new_household(context, request):
    """Refused (409, nothing written) when the person is already in a household."""
    household = store.create_household(context, request.authenticated_userid, request.registry)
    return done(request, household, _("Nucleo ${code} creato.", mapping={"code": household.code}))
