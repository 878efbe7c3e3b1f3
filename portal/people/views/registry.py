"""The registry of a municipality or an ATS: the people one may see, search, «Nuova persona».

The list and the search by surname go through the catalog with the user's principals (the
entries' ``allowed``), never by walking folders; an exact codice fiscale goes to the social
index, and the person found is shown only if the user may view them.
"""
from pyramid.view import view_config

from catalog import Eq, Query, search_principals
from content_types.district import District, Municipality
from content_types.security import REGISTER_PEOPLE, VIEW
from content_types.values import parse_day
from portal import audit
from portal.applications.services import resolve_path
from portal.i18n import _
from portal.people import store
from portal.people.rules import identity
from portal.people.rules.errors import InvalidPersonData, PeopleError, PersonExists
from portal.people.views.common import (
    check_contacts,
    checked_names,
    collect,
    done,
    home_address,
    person_row,
    refused,
    text_fields,
)
from portal.web import posted

PAGE_SIZE = 50
SEARCH = text_fields("q", "pagina", limit=100)
NEW_PERSON_FIELDS = ("fiscal_code", "first_name", "last_name", "birth_date", "sex",
                     "citizenship", "street", "istat", "region", "phone", "email")
NEW_PERSON = text_fields(*NEW_PERSON_FIELDS)
SEXES = {"": _("— dal codice fiscale —"), "M": _("Maschio"), "F": _("Femmina")}
DEFAULT_REGION = "16"  # Puglia


def _looks_like_code(text):
    return len(text) == 16 and text.isalnum()


def _page_number(text):
    return max(1, int(text)) if text.isdigit() else 1


def search_people(request, context, text, page=1):
    """(rows, total) of the people under ``context`` the user may view, by surname or CF."""
    text = " ".join(text.split())
    if _looks_like_code(text.upper()):
        person = store.find_person(request.root, text.upper())
        inside = person is not None and context in _lineage(person)
        if inside and request.has_permission(VIEW, person):
            return [person_row(request, person)], 1
        return [], 0
    query = Query(filters=(Eq("type_name", "Person"),
                           Eq("ancestors", request.resource_path(context).rstrip("/") or "/")),
                  text=text, sort=None if text else "title", start=(page - 1) * PAGE_SIZE,
                  limit=PAGE_SIZE, snippets=False)
    results = request.catalog.search(query, search_principals(request))
    rows = []
    for hit in results.items:
        person = resolve_path(request.root, hit.path)
        if person is None or not request.has_permission(VIEW, person):
            continue
        rows.append(person_row(request, person))
    return rows, results.total


def _lineage(obj):
    while obj is not None:
        yield obj
        obj = obj.__parent__


def municipalities_of(request, context):
    """The municipalities where the user may register people (one, on a municipality)."""
    if isinstance(context, Municipality):
        return [context]
    return [m for m in context.values() if isinstance(m, Municipality)
            and request.has_permission(REGISTER_PEOPLE, m)]


@view_config(context=Municipality, name="anagrafica", permission=REGISTER_PEOPLE,
             request_method="GET", renderer="portal:templates/people/registry.pt")
@view_config(context=District, name="anagrafica", permission=REGISTER_PEOPLE,
             request_method="GET", renderer="portal:templates/people/registry.pt")
def registry_page(context, request):
    sent = posted.cstruct(request.GET, SEARCH)
    text = (sent.get("q") or "")[:100].strip()
    page = _page_number(sent.get("pagina") or "")
    rows, total = search_people(request, context, text, page)
    if rows:
        audit.log_read(request, context, what="elenco dell'anagrafica sociale")
    translate = request.localizer.translate
    pages = max(1, -(-total // PAGE_SIZE))
    return {"page_title": translate(_("Anagrafica sociale — ${place}",
                                      mapping={"place": context.title})),
            "place": context, "q": text, "rows": rows, "total": total, "page": page,
            "pages": pages,
            "page_url": lambda n: request.resource_path(
                context, "@@anagrafica", query={k: v for k, v in (("q", text), ("pagina", n))
                                                if v}),
            "new_url": request.resource_path(context, "@@nuova-persona"),
            "find_url": request.resource_path(context, "@@anagrafica"),
            "municipalities": [{"title": m.title, "url": request.resource_path(m, "@@anagrafica")}
                               for m in municipalities_of(request, context)]
            if isinstance(context, District) else []}


def _new_person_page(request, context, sent, error=None, errors=None, existing_url=None):
    translate = request.localizer.translate
    towns = municipalities_of(request, context)
    return {"page_title": translate(_("Nuova persona nell'anagrafica sociale")),
            "place": context, "form": sent, "error": error, "errors": errors or {},
            "existing_url": existing_url,
            "towns": [(m.istat_code, m.title) for m in towns],
            "sexes": [(k, translate(v)) for k, v in SEXES.items()],
            "action": request.resource_path(context, "@@nuova-persona"),
            "cancel_url": request.resource_path(context, "@@anagrafica")}


@view_config(context=Municipality, name="nuova-persona", permission=REGISTER_PEOPLE,
             renderer="portal:templates/people/new_person.pt")
@view_config(context=District, name="nuova-persona", permission=REGISTER_PEOPLE,
             renderer="portal:templates/people/new_person.pt")
def new_person(context, request):
    if request.method != "POST":
        towns = municipalities_of(request, context)
        sent = dict.fromkeys(NEW_PERSON_FIELDS, "")
        sent.update(citizenship="380", region=DEFAULT_REGION,
                    istat=towns[0].istat_code if len(towns) == 1 else "")
        return _new_person_page(request, context, sent)
    sent = posted.posted(request, NEW_PERSON)
    sent["fiscal_code"] = sent["fiscal_code"].upper().replace(" ", "")
    try:
        data = read_new_person(request, context, sent)
        person = store.register_person(request.root, data, request.authenticated_userid,
                                       request.registry)
    except PersonExists as exc:
        error, errors = refused(request, exc)
        found = resolve_path(request.root, exc.details.get("path") or "")
        url = (request.resource_path(found) if found is not None
               and request.has_permission(VIEW, found) else None)
        return _new_person_page(request, context, sent, error, errors, existing_url=url)
    except PeopleError as exc:
        return _new_person_page(request, context, sent, *refused(request, exc))
    audit.log(request, "persona registrata", person)
    request.skip_audit = True
    return done(request, person, _("${name} registrato/a nell'anagrafica sociale.",
                                   mapping={"name": person.full_name}))


def read_new_person(request, context, sent):
    """The data for ``register_person``, every wrong field named at once."""
    def code():
        return identity.identity(sent["fiscal_code"])

    def born():
        if not sent["birth_date"]:
            return None
        try:
            return parse_day(sent["birth_date"])
        except ValueError:
            raise InvalidPersonData(None, {"birth_date": _(
                "Data non valida: scriverla come 31/01/2025.")}) from None

    def sex():
        if sent["sex"] not in SEXES:
            raise InvalidPersonData(None, {"sex": _("Indicare M o F.")})
        return sent["sex"]

    def where():
        home = home_address(sent)
        target = store.municipality_by_istat(request.root, home["istat"])
        if not request.has_permission(REGISTER_PEOPLE, target) or (
                isinstance(context, Municipality) and target is not context) or (
                isinstance(context, District) and target.__parent__ is not context):
            raise InvalidPersonData(None, {"istat": _(
                "Il comune di residenza non è tra quelli di cui può registrare le persone.")})
        return home

    def checked_where():
        try:
            return where()
        except PeopleError as exc:
            if isinstance(exc, InvalidPersonData):
                raise
            raise InvalidPersonData(None, {"istat": exc.fields.get("istat") or exc.message}) \
                from None

    found, _names, day, declared, home, _contacts = collect(
        code, lambda: checked_names(sent), born, sex, checked_where,
        lambda: check_contacts(sent))
    identity.check_declared(found, day, declared or None)
    return {"fiscal_code": found.fiscal_code, "first_name": sent["first_name"],
            "last_name": sent["last_name"], "birth_date": day, "sex": declared or None,
            "citizenship": sent["citizenship"] or "380", "address": home,
            "phone": sent["phone"], "email": sent["email"]}
