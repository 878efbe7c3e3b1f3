"""A household: its members and relationships, adding and removing a member.

A person is in one household at a time: adding someone who is in another one is refused,
naming that household's code only to whoever may view it.
"""
from pyramid.view import view_config

from content_types.person import Household
from content_types.security import REGISTER_PEOPLE, VIEW
from portal import audit
from portal.i18n import _
from portal.people import store
from portal.people.rules import households, identity
from portal.people.rules.errors import AlreadyInHousehold, InvalidPersonData, PeopleError
from portal.people.views.common import done, refused, text_fields
from portal.web import posted
from portal.web.content_ops import audit_personal_read

ADD = text_fields("fiscal_code", "relationship", limit=40)
REMOVE = text_fields("fiscal_code", limit=40)


def _member_rows(request, household):
    translate = request.localizer.translate
    may_edit = bool(request.has_permission(REGISTER_PEOPLE, household))
    rows = []
    for person, relationship in store.members_of(household):
        rows.append({
            "name": person.full_name, "fiscal_code": person.fiscal_code,
            "relationship": translate(households.RELATIONSHIPS.get(relationship, relationship)),
            "head": relationship == households.HEAD,
            "url": request.resource_path(person) if request.has_permission(VIEW, person)
            else None,
            "remove_url": request.resource_path(household, "@@togli-componente",
                                                query={"fiscal_code": person.fiscal_code})
            if may_edit else None})
    return rows


def _relationships(request):
    translate = request.localizer.translate
    return [(key, translate(title)) for key, title in households.RELATIONSHIPS.items()
            if key != households.HEAD]


@view_config(context=Household, permission=VIEW, request_method="GET",
             renderer="portal:templates/people/household.pt")
def household_page(context, request):
    audit_personal_read(request, context)
    translate = request.localizer.translate
    return {"page_title": translate(_("Nucleo familiare ${code}", mapping={"code": context.code})),
            "household": context, "members": _member_rows(request, context),
            "may_edit": bool(request.has_permission(REGISTER_PEOPLE, context)),
            "add_url": request.resource_path(context, "@@aggiungi-componente")}


def _add_page(request, household, sent, error=None, errors=None, other_url=None):
    translate = request.localizer.translate
    return {"page_title": translate(_("Aggiungi un componente al nucleo ${code}",
                                      mapping={"code": household.code})),
            "household": household, "form": sent, "error": error, "errors": errors or {},
            "other_url": other_url, "relationships": _relationships(request),
            "action": request.resource_path(household, "@@aggiungi-componente"),
            "cancel_url": request.resource_path(household)}


def in_another(request, household, person):
    """The refusal of a person already in another household, and the link to show, if any."""
    other = store.household_of(person)
    if other is not None and request.has_permission(VIEW, other):
        return AlreadyInHousehold(
            _("${name} fa già parte del nucleo ${code}: toglierla da quel nucleo prima di "
              "aggiungerla a questo.", mapping={"name": person.full_name, "code": other.code}),
            {"fiscal_code": _("Già nel nucleo ${code}.", mapping={"code": other.code})}), \
            request.resource_path(other)
    return AlreadyInHousehold(fields={"fiscal_code": _("Già in un altro nucleo familiare.")}), None


@view_config(context=Household, name="aggiungi-componente", permission=REGISTER_PEOPLE,
             renderer="portal:templates/people/add_member.pt")
def add_member(context, request):
    if request.method != "POST":
        return _add_page(request, context, {"fiscal_code": "", "relationship": "child"})
    sent = posted.posted(request, ADD)
    sent["fiscal_code"] = sent["fiscal_code"].upper().replace(" ", "")
    try:
        found = identity.identity(sent["fiscal_code"])
        households.check_relationship(sent["relationship"])
        if sent["relationship"] == households.HEAD:
            raise InvalidPersonData(None, {"relationship": _("Il nucleo ha già un intestatario.")})
        person = store.find_person(request.root, found.fiscal_code)
        if person is None or not request.has_permission(VIEW, person):
            raise InvalidPersonData(None, {"fiscal_code": _(
                "Nessuna persona con questo codice fiscale nell'anagrafica che può consultare: "
                "registrarla prima.")})
        current = store.index(person).household_of(person.fiscal_code)
        if current and current != context.code:
            refusal, other_url = in_another(request, context, person)
            return _add_page(request, context, sent, *refused(request, refusal),
                             other_url=other_url)
        store.add_member(context, person, sent["relationship"], request.registry)
    except PeopleError as exc:
        return _add_page(request, context, sent, *refused(request, exc))
    return done(request, context, _("${name} aggiunto/a al nucleo.",
                                    mapping={"name": person.full_name}))


def _member(household, fiscal_code):
    for member in household.members:
        if member["fiscal_code"] == fiscal_code:
            return member
    raise InvalidPersonData(_("La persona non fa parte di questo nucleo."),
                            {"fiscal_code": _("Non nel nucleo.")})


@view_config(context=Household, name="togli-componente", permission=REGISTER_PEOPLE,
             request_method="GET", renderer="portal:templates/people/confirm.pt")
def remove_member_page(context, request):
    """The confirmation: who leaves the household (the POST does it)."""
    translate = request.localizer.translate
    code = posted.cstruct(request.GET, REMOVE).get("fiscal_code", "")[:40].upper()
    member = _member(context, code)
    person = store.find_person(request.root, code)
    name = person.full_name if person is not None else code
    return {"page_title": translate(_("Togli un componente dal nucleo")),
            "question": translate(_("Togliere ${name} dal nucleo ${code}?",
                                    mapping={"name": name, "code": context.code})),
            "error": translate(_("L'intestatario si toglie solo quando è l'ultimo componente."))
            if member["relationship"] == households.HEAD and len(context.members) > 1 else None,
            "action": request.resource_path(context, "@@togli-componente"),
            "button": translate(_("Togli dal nucleo")), "hidden": {"fiscal_code": code},
            "cancel_url": request.resource_path(context)}


@view_config(context=Household, name="togli-componente", permission=REGISTER_PEOPLE,
             request_method="POST")
def remove_member(context, request):
    code = posted.posted(request, REMOVE)["fiscal_code"].upper()
    member = _member(context, code)
    if member["relationship"] == households.HEAD and len(context.members) > 1:
        raise InvalidPersonData(_("L'intestatario si toglie solo quando è l'ultimo componente "
                                  "del nucleo."), {"fiscal_code": _("Intestatario.")})
    person = store.find_person(request.root, code)
    if person is None:
        raise InvalidPersonData(_("La persona non è nell'anagrafica sociale."),
                                {"fiscal_code": _("Sconosciuta.")})
    store.remove_member(context, person, request.registry)
    audit.log(request, "componente tolto dal nucleo", context, person=person.uid)
    request.skip_audit = True
    return done(request, context, _("${name} tolto/a dal nucleo.",
                                    mapping={"name": person.full_name}))


