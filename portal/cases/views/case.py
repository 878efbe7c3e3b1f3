"""The case file's page and its life: open at the front desk, take charge, team, close, reopen.

Every page that shows case data writes a read in the audit log; every change is a POST with
the CSRF token, refused changes store nothing and re-render with the reason.
"""
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.traversal import find_root
from pyramid.view import view_config

from content_types.case_file import CaseFile
from content_types.person import Person
from content_types.security import EDIT_CASE, OPEN_CASE, VIEW_CASE
from content_types.values import format_date, format_when, rome_today
from portal import audit
from portal.cases import staff, store
from portal.cases.rules import areas, pai, sina, status
from portal.cases.rules.errors import CaseAlreadyOpen, CaseError
from portal.cases.views.common import problems, summary, t, user_title
from portal.i18n import _
from portal.people import store as people
from portal.web import posted as body
from portal.web.layout import flash

TEMPLATES = "portal:templates/cases/"
OPEN_FORM = body.schema(body.text("office", 200))
CHARGE_FORM = body.schema(body.text("manager", 100), body.text("team", 2000),
                          body.text("office", 200), body.text("area", 10, upper=True))
TEAM_FORM = body.schema(body.text("team", 2000), body.text("office", 200))
CLOSE_FORM = body.schema(body.text("reason", 2000), body.text("confirm", 10))
HISTORY = {"open": _("Cartella aperta"), "take_charge": _("Presa in carico"),
           "team": _("Équipe modificata"), "close": _("Cartella chiusa"),
           "assessment": _("Valutazione sociale registrata"), "pai": _("PAI aggiornato"),
           "review": _("Verifica del PAI svolta"), "document": _("Documento caricato")}
BENEFIT_STATUSES = {"active": _("Attiva"), "suspended": _("Sospesa"), "ended": _("Conclusa"),
                    "cancelled": _("Annullata")}


def _logins(text):
    return [part for part in text.replace(",", " ").split() if part]


def _groups(request):
    user = request.user
    return tuple(getattr(user, "groups", ()) or ())


def _offices(request, case=None):
    """The offices one may choose: one's own groups, the manager's, the current one."""
    found = list(_groups(request))
    if case is not None:
        found += staff.groups_of(find_root(case), case.manager)
        found += [case.office] if case.office else []
    return tuple(dict.fromkeys(found))


# -- opening -----------------------------------------------------------------------------
def _open_page(context, request, error=None, errors=None, office=None):
    groups = _groups(request)
    case = store.case_of(context)
    return {"page_title": t(request, _("Apri la cartella sociale di ${name}",
                                       mapping={"name": context.full_name})),
            "person": context, "person_url": request.resource_path(context),
            "groups": groups, "office": office if office is not None else
            (groups[0] if groups else ""),
            "reopen": case is not None and case.status == status.CLOSED,
            "action": request.resource_path(context, "@@apri-cartella"),
            "error": error, "errors": errors or {}}


@view_config(context=Person, name="apri-cartella", permission=OPEN_CASE, request_method="GET",
             renderer=TEMPLATES + "open.pt")
def open_form(context, request):
    return _open_page(context, request)


def already_open(request, person, exc):
    """The 409 message naming the case manager (or the opener, before taking charge)."""
    manager = exc.details.get("manager") or ""
    return CaseAlreadyOpen(_(
        "Per ${name} è già aperta una cartella sociale, seguita da ${manager}: chiedere di "
        "essere aggiunti all'équipe invece di aprirne un'altra. Nessuna cartella è stata "
        "creata.", mapping={"name": person.full_name,
                            "manager": user_title(find_root(person), manager)}))


@view_config(context=Person, name="apri-cartella", permission=OPEN_CASE,
             request_method="POST", renderer=TEMPLATES + "open.pt")
def open_case(context, request):
    """Open (or reopen) the case: the opener is in the team, the office one of their groups."""
    office = body.posted(request, OPEN_FORM)["office"]
    try:
        staff.check_office(office, _groups(request))
        case = store.open_case(context, request.authenticated_userid, request.registry,
                               office=office)
    except CaseAlreadyOpen as exc:
        message, _fields = problems(request, already_open(request, context, exc))
        return _open_page(context, request, error=message, office=office)
    except CaseError as exc:
        message, fields = problems(request, exc)
        return _open_page(context, request, error=message, errors=fields, office=office)
    audit.log(request, "cartella sociale aperta", case, ufficio=office)
    flash(request, _("Cartella sociale aperta."))
    return HTTPSeeOther(request.resource_path(case))


# -- the case's page ---------------------------------------------------------------------
def _reviews(case, today):
    plan = case.pai or {}
    done, missed = set(plan.get("done_reviews", ())), set(pai.missed(plan, today))
    return [{"day": format_date(d), "iso": d.isoformat(),
             "state": "done" if d in done else "missed" if d in missed else "planned"}
            for d in plan.get("reviews", ())]


def _assessment(request, case):
    sheet = case.assessment
    if not sheet:
        return None
    rows = []
    found = sheet.get("sina") or {}
    for name, (_required, choices) in sina.FIELDS.items():
        if name in found:
            rows.append({"name": name, "value": t(request, choices.get(found[name], found[name]))})
    return {"day": format_date(sheet.get("day")), "who": sheet.get("who", ""),
            "summary": sheet.get("summary", ""), "needs": sheet.get("needs", ""),
            "dependent": bool(sheet.get("dependent")), "sina": rows,
            "sina_needs": ", ".join(found.get("needs", ())),
            "invalidity": [t(request, sina.INVALIDITY.get(v, v))
                           for v in found.get("invalidity", ())]}


def _benefits(request, person):
    found = []
    for ref in people.index(person).benefits_of(person.fiscal_code):
        found.append({"title": ref.get("title", ""), "code": ref.get("siuss_code", ""),
                      "start": format_date(ref.get("start")),
                      "end": format_date(ref.get("end")),
                      "status": t(request, BENEFIT_STATUSES.get(ref.get("status"),
                                                                ref.get("status", ""))),
                      "granted_by": ref.get("granted_by", ""),
                      "url": request.resource_path(request.root) + ref["path"].lstrip("/")
                      if ref.get("path") else ""})
    return found


@view_config(context=CaseFile, permission=VIEW_CASE, request_method="GET",
             renderer=TEMPLATES + "case.pt")
def case_page(context, request):
    """The whole case for its team and office; the read is audited."""
    audit.log_read(request, context, what="cartella sociale")
    person = context.__parent__
    notes = sorted(store.notes_of(context), key=lambda n: (n.day, n.created), reverse=True)
    root = find_root(context)
    editable = bool(request.has_permission(EDIT_CASE, context))
    return {**summary(request, context),
            "page_title": context.title,
            "contacts": [{**c, "when": format_when(c.get("when"))}
                         for c in reversed(person.contacts)],
            "assessment": _assessment(request, context),
            "pai": context.pai, "reviews": _reviews(context, rome_today()),
            "notes": [{"title": n.title, "day": format_date(n.day), "text": n.text,
                       "author": user_title(root, n.author),
                       "url": request.resource_path(n)} for n in notes],
            "documents": [{**d, "when": format_when(d.get("when")),
                           "url": request.resource_path(context, "@@scarica",
                                                        query={"documento": d["uid"]})}
                          for d in reversed(context.documents)],
            "history": [{"when": format_when(h.get("when")), "who": h.get("who", ""),
                         "what": t(request, HISTORY.get(h.get("what"), h.get("what", "")))}
                        for h in reversed(context.history)],
            "benefits": _benefits(request, person),
            "proposals": tuple(getattr(person, "proposals", ()) or ()),
            "editable": editable,
            "links": {name: request.resource_path(context, "@@" + name) for name in (
                "presa-in-carico", "valutazione", "pai", "nota", "documenti", "equipe",
                "chiudi", "riapri")}}


# -- taking charge, team ------------------------------------------------------------------
def _charge_page(context, request, error=None, errors=None, form=None):
    audit.log_read(request, context, what="presa in carico")
    person = context.__parent__
    root = find_root(context)
    workers = staff.social_workers(person)
    return {**summary(request, context),
            "page_title": t(request, _("Presa in carico")),
            "workers": [(w, user_title(root, w)) for w in workers],
            "areas": [(k, t(request, v)) for k, v in areas.AREAS.items()],
            "offices": _offices(request, context),
            "form": form or {"manager": context.manager or request.authenticated_userid,
                             "team": " ".join(context.team), "office": context.office,
                             "area": context.area},
            "action": request.resource_path(context, "@@presa-in-carico"),
            "error": error, "errors": errors or {}}


@view_config(context=CaseFile, name="presa-in-carico", permission=EDIT_CASE,
             request_method="GET", renderer=TEMPLATES + "charge.pt")
def charge_form(context, request):
    return _charge_page(context, request)


@view_config(context=CaseFile, name="presa-in-carico", permission=EDIT_CASE,
             request_method="POST", renderer=TEMPLATES + "charge.pt")
def take_charge(context, request):
    sent = body.posted(request, CHARGE_FORM)
    try:
        if sent["area"] not in areas.AREAS:
            raise CaseError(_("Indicare l'area di utenza."), {"area": _("Scegliere un'area.")})
        manager = staff.check_manager(context.__parent__, sent["manager"])
        team = staff.check_team(context, _logins(sent["team"]))
        office = staff.check_office(sent["office"], _offices(request, context))
        store.take_charge(context, manager, request.authenticated_userid, team=team,
                          office=office, area=sent["area"], registry=request.registry)
    except CaseError as exc:
        message, fields = problems(request, exc)
        return _charge_page(context, request, message, fields, sent)
    audit.log(request, "presa in carico", context, case_manager=manager, area=sent["area"])
    flash(request, _("Presa in carico registrata."))
    return HTTPSeeOther(request.resource_path(context))


def _team_page(context, request, error=None, errors=None, form=None):
    audit.log_read(request, context, what="équipe")
    return {**summary(request, context), "page_title": t(request, _("Équipe e ufficio")),
            "offices": _offices(request, context),
            "form": form or {"team": " ".join(context.team), "office": context.office},
            "action": request.resource_path(context, "@@equipe"),
            "error": error, "errors": errors or {}}


@view_config(context=CaseFile, name="equipe", permission=EDIT_CASE, request_method="GET",
             renderer=TEMPLATES + "team.pt")
def team_form(context, request):
    return _team_page(context, request)


@view_config(context=CaseFile, name="equipe", permission=EDIT_CASE, request_method="POST",
             renderer=TEMPLATES + "team.pt")
def team_change(context, request):
    sent = body.posted(request, TEAM_FORM)
    try:
        team = staff.check_team(context, _logins(sent["team"]))
        office = staff.check_office(sent["office"], _offices(request, context))
        store.set_team(context, team, request.authenticated_userid, office=office,
                       registry=request.registry)
    except CaseError as exc:
        message, fields = problems(request, exc)
        return _team_page(context, request, message, fields, sent)
    audit.log(request, "équipe della cartella modificata", context, equipe=" ".join(team),
              ufficio=office)
    flash(request, _("Équipe aggiornata."))
    return HTTPSeeOther(request.resource_path(context))


# -- closing, reopening ------------------------------------------------------------------
def _close_page(context, request, error=None, errors=None, reason=""):
    audit.log_read(request, context, what="chiusura")
    return {**summary(request, context), "page_title": t(request, _("Chiudi la cartella")),
            "reason": reason, "action": request.resource_path(context, "@@chiudi"),
            "error": error, "errors": errors or {}}


@view_config(context=CaseFile, name="chiudi", permission=EDIT_CASE, request_method="GET",
             renderer=TEMPLATES + "close.pt")
def close_form(context, request):
    return _close_page(context, request)


@view_config(context=CaseFile, name="chiudi", permission=EDIT_CASE, request_method="POST",
             renderer=TEMPLATES + "close.pt")
def close(context, request):
    sent = body.posted(request, CLOSE_FORM)
    try:
        if sent["confirm"] != "1":
            raise CaseError(_("Confermare la chiusura della cartella."),
                            {"confirm": _("Spuntare la conferma.")})
        store.close(context, request.authenticated_userid, sent["reason"],
                    registry=request.registry)
    except CaseError as exc:
        message, fields = problems(request, exc)
        return _close_page(context, request, message, fields, sent["reason"])
    audit.log(request, "cartella sociale chiusa", context)
    flash(request, _("Cartella chiusa."))
    return HTTPSeeOther(request.resource_path(context))


@view_config(context=CaseFile, name="riapri", permission=EDIT_CASE, request_method="GET",
             renderer=TEMPLATES + "reopen.pt")
def reopen_form(context, request):
    audit.log_read(request, context, what="riapertura")
    return {**summary(request, context), "page_title": t(request, _("Riapri la cartella")),
            "action": request.resource_path(context, "@@riapri"), "error": None}


@view_config(context=CaseFile, name="riapri", permission=EDIT_CASE, request_method="POST")
def reopen(context, request):
    """A closed case opens again (its history kept); the social worker joins the team."""
    body.posted(request, body.schema())
    store.open_case(context.__parent__, request.authenticated_userid, request.registry)
    audit.log(request, "cartella sociale riaperta", context)
    flash(request, _("Cartella riaperta."))
    return HTTPSeeOther(request.resource_path(context))
