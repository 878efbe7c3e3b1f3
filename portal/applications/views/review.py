"""The ATS officer's istruttoria: work queue with filters and counts, checklist, decisions, bulk."""
import deform
from pyramid.httpexceptions import HTTPForbidden, HTTPSeeOther
from pyramid.view import view_config

import workflows
import workflows.application as wf
from catalog import search_principals
from catalog.entry import resource_path
from catalog.query import MAX_LIMIT
from content_types.application import Application
from content_types.district import District
from content_types.provider import Provider
from content_types.security import EDIT, VIEW_PERSONAL_DATA
from portal import audit
from portal.applications import queues, services, transitions
from portal.applications.rules import matching, queue_search
from portal.applications.rules import review as review_rules
from portal.applications.rules.errors import BenefitError
from portal.applications.rules.review import CHECKLIST, REASONS
from portal.applications.services import check_version
from portal.applications.views.application import application_summary, state_title
from portal.errors import BadRequest
from portal.i18n import _
from portal.web import posted
from portal.web.display import local_time
from portal.web.errors import refuse
from portal.web.forms import FormView
from portal.web.labels import workflow_state_title
from portal.web.layout import flash
from workflows.application import MATCH, REVIEW
from workflows.errors import WorkflowError

#: bulk actions: name -> (transition, Italian title)
BULK = {
    wf.START_REVIEW: (wf.START_REVIEW, _("Avvia l'istruttoria")),
    wf.DECLARE_ELIGIBLE: (wf.DECLARE_ELIGIBLE, _("Dichiara ammissibili")),
}


ACTION_SCHEMA = posted.schema(posted.text("azione", strip=False))
BULK_SCHEMA = posted.schema(posted.text("azione", strip=False), posted.texts("uid"))
#: deeper pages than this are the first one (a crafted number never costs a huge skip)
MAX_PAGE = 10_000
MATCH_SCHEMA = posted.schema(posted.text("_version", strip=False),
                             posted.text("decisione", strip=False),
                             posted.text("motivo", strip=False))


def translated(request, titles):
    """``code -> title`` in the request's language, for the templates."""
    translate = request.localizer.translate
    return {code: translate(title) for code, title in titles.items()}


def _row(request, application):
    return {"title": application.title, "url": request.resource_path(application),
            "uid": application.uid, "protocol": application.protocol or "—",
            "state": application.state, "state_title": state_title(request, application),
            "call": application.__parent__.__name__,
            "submitted": local_time(application.submitted_at),
            "beneficiary": application.beneficiary_name}


def _page_number(value):
    """The ``pagina`` parameter: bad input is the first page, never an error page."""
    return int(value) if value.isdigit() and 0 < int(value) <= MAX_PAGE else 1


def queue_criteria(context, request):
    """The queue's filters from the query string (unknown values filter nothing)."""
    # ids stored before evolve step 9 (old links, bookmarks) still filter
    state = workflows.current_state_id(request.GET.get("stato", ""))
    if state not in queues.SUBMITTED_STATES:
        state = ""
    call = request.GET.get("avviso", "")
    domande = context.get("domande")
    call_path = ""
    if call and domande is not None and call in domande:
        call_path = resource_path(domande[call])
    elif call:
        call = ""
    mine = request.GET.get("mie") == "1"
    text = request.GET.get("cerca", "")
    return call, text, queues.Criteria(
        state=state, call_path=call_path, search=queue_search.classify(text),
        mine=request.authenticated_userid if mine else "",
        page=_page_number(request.GET.get("pagina", "")))


def _page_links(request, context, view, criteria, total, params):
    """Previous/next page URLs (None at either end), keeping the other filters."""
    pages = max(1, -(-total // criteria.size))

    def link(number):
        return request.resource_path(context, view, query={**params, "pagina": number})
    return {"number": criteria.page, "pages": pages,
            "previous": link(criteria.page - 1) if criteria.page > 1 else None,
            "next": link(criteria.page + 1) if criteria.page < pages else None}


@view_config(context=District, name="istruttoria", permission=VIEW_PERSONAL_DATA,
             renderer="portal:templates/applications/queue.pt")
def queue_view(context, request):
    """The work queue of this ATS from the catalog: filters, search, counts per state, pages."""
    if request.method == "POST":
        return bulk_action(context, request)
    call, text, criteria = queue_criteria(context, request)
    found = queues.review_queue(request.catalog, search_principals(request), context, criteria)
    domande = context.get("domande")
    workflow = workflows.get_workflow(request.registry, "application")
    translate = request.localizer.translate
    params = {k: v for k, v in (("stato", criteria.state), ("avviso", call), ("cerca", text),
                                ("mie", "1" if criteria.mine else "")) if v}
    return {
        "page_title": translate(_("Istruttoria — ${title}", mapping={"title": context.title})),
        "district": context,
        "rows": [{**_row(request, a), "select_label": translate(
                     _("Seleziona ${protocol}", mapping={"protocol": a.protocol or "—"}))}
                 for a in found.items],
        "state": criteria.state, "call": call, "search": text, "mine": bool(criteria.mine),
        "calls": list(domande.keys()) if domande is not None else [],
        "states": [{"state": s, "title": workflow_state_title(request, workflow, s),
                    "count": found.counts.get(s, 0)} for s in queues.SUBMITTED_STATES],
        "counts": [{"state": s, "title": workflow_state_title(request, workflow, s), "count": n,
                    "url": request.resource_path(context, "@@istruttoria",
                                                 query={**params, "stato": s, "pagina": 1})}
                   for s, n in sorted(found.counts.items()) if s in queues.SUBMITTED_STATES],
        "total": found.total, "shown": found.shown,
        "paging": _page_links(request, context, "@@istruttoria", criteria, found.shown, params),
        "bulk": {name: (transition, translate(title))
                 for name, (transition, title) in BULK.items()},
    }


def bulk_action(district, request):
    """Fire one transition on many applications; each refusal is reported, none hides another."""
    sent = posted.posted(request, BULK_SCHEMA)
    action = sent["azione"]
    if action not in BULK:
        raise BadRequest(_("Scegliere un'operazione valida."), {"azione": action})
    chosen = list(dict.fromkeys(sent["uid"]))[:MAX_LIMIT]
    if not chosen:
        raise BadRequest(_("Selezionare almeno una domanda."), {"uid": "nessuna"})
    name, title = BULK[action]
    translate = request.localizer.translate
    done, refused = 0, []
    for application in queues.chosen(request.catalog, search_principals(request), district,
                                      chosen):
        try:
            transitions.check_still_possible(request, application, name)
            workflows.fire(application, request, name)
        except WorkflowError as exc:
            message = getattr(exc, "message", exc)
            if isinstance(message, str) and message:
                message = translate(message)
            refused.append(f"{application.protocol}: {message}")
            continue
        done += 1
    audit.log(request, "istruttoria cumulativa", district, operation=action, done=done)
    flash(request, _("${operation}: ${count} domande.",
                     mapping={"operation": translate(title), "count": done}))
    for text in refused:
        flash(request, text, "warning")
    return HTTPSeeOther(request.resource_path(district, "@@istruttoria"))


#: the officer's actions on one application, one button each (``<action>_success``)
TRANSITIONS = (wf.START_REVIEW, wf.DECLARE_ELIGIBLE, wf.REQUEST_INTEGRATION,
               wf.DECLARE_INELIGIBLE)
ACTIONS = ("checklist", *TRANSITIONS)


@view_config(context=Application, name="esame", permission=VIEW_PERSONAL_DATA,
             renderer="portal:templates/applications/review.pt")
class ReviewForm(FormView):
    """One application under review: checklist, integration request, decision."""

    buttons = tuple(deform.Button(name) for name in ACTIONS)

    def make_schema(self):
        return posted.schema(posted.text("azione", strip=False),
                             *(posted.text("check-" + k) for k in CHECKLIST),
                             posted.text("note", strip=False),
                             posted.text("comment", strip=False), posted.texts("motivo"))

    def validate(self, form):
        # the page writes its own markup (one small form per action): read it with colander
        return posted.posted(self.request, form.schema)

    def pressed(self, appstruct):
        self.action = appstruct.pop("azione")
        return self.action if self.action in ACTIONS else None

    def __call__(self):
        if self.request.method == "POST":
            if not self.request.has_permission(REVIEW, self.context):
                raise HTTPForbidden(_("Operazione non consentita con il proprio ruolo o nello "
                                      "stato attuale della domanda."))
            # a transition the state no longer allows says so, even from a stale form
            action = posted.posted(self.request, ACTION_SCHEMA)["azione"]
            if action in TRANSITIONS:
                transitions.check_still_possible(self.request, self.context, action)
            # before the action is read, as a 409 page of its own (each action has its form)
            check_version(self.context, posted.version(self.request))
        return super().__call__()

    # -- one handler per button ----------------------------------------------------
    def checklist_success(self, appstruct):
        review_rules.record_checklist(
            self.context, [k for k in CHECKLIST if appstruct["check-" + k]], appstruct["note"],
            who=self.request.authenticated_userid, when=services.now())
        flash(self.request, _("Verifiche salvate."))
        return self.done()

    def _transition(self, appstruct):
        workflows.fire(self.context, self.request, self.action, appstruct["comment"])
        flash(self.request, _("Operazione eseguita."))
        return self.done()

    start_review_success = declare_eligible_success = request_integration_success = _transition

    def declare_ineligible_success(self, appstruct):
        request = self.request
        review_rules.declare_ineligible(
            self.context, appstruct["motivo"], appstruct["comment"],
            who=request.authenticated_userid, when=services.now(),
            entry=services.entry_of(self.context),
            fire=lambda obj, name, comment: workflows.fire(obj, request, name, comment))
        flash(request, _("Domanda dichiarata non ammissibile."))
        return self.done()

    def success(self, appstruct):
        raise BadRequest(_("Operazione sconosciuta."), {"azione": self.action})

    def done(self):
        audit.log(self.request, "istruttoria", self.context, operation=self.action)
        return HTTPSeeOther(self.request.resource_path(self.context, "@@esame"))

    # -- the page --------------------------------------------------------------------
    def render(self, form, rendered=None, error=None):
        request, context = self.request, self.context
        values = application_summary(request, context)
        values.update({
            "page_title": request.localizer.translate(_("Istruttoria — ${title}",
                                                        mapping={"title": context.title})),
            "checklist": translated(request, CHECKLIST),
            "reasons": translated(request, REASONS),
            "ticked": (context.review or {}).get("checklist", ()),
            "notes": (context.review or {}).get("notes", ""),
            "version": context.version_token(),
            "can_review": bool(request.has_permission(REVIEW, context)),
            # only what the current state allows is offered (a guard's objection is shown)
            "offered": {name: {"allowed": o.allowed, "reason": translate_reason(request, o.reason)}
                        for name, o in transitions.offered(request, context).items()
                        if name in TRANSITIONS},
            "state": context.state, "error": error,
        })
        if request.authenticated_userid != context.data_subject:
            audit.log_read(request, context)
        return values


@view_config(context=Application, name="abbinamento", permission=MATCH,
             renderer="portal:templates/applications/match.pt")
def match_view(context, request):
    """The chosen provider accepts (a place is taken) or declines with a reason."""
    entry = services.entry_of(context)
    error = None
    if request.method == "POST":
        sent = posted.posted(request, MATCH_SCHEMA)
        check_version(context, sent["_version"])
        who, when = request.authenticated_userid, services.now()
        fire = services.fire_for(request)
        try:
            if sent["decisione"] == "accetta":
                matching.accept(context, entry, who=who, when=when, fire=fire)
                flash(request, _("Abbinamento confermato: posto assegnato a ${protocol}.",
                                 mapping={"protocol": context.protocol}))
            elif sent["decisione"] == "rifiuta":
                matching.decline(context, who=who, when=when, reason=sent["motivo"],
                                 fire=lambda obj, name, comment: fire(obj, wf.DECLINE_MATCH,
                                                                       comment))
                flash(request, _("Abbinamento rifiutato per ${protocol}.",
                                 mapping={"protocol": context.protocol}))
            else:
                raise BenefitError(_("Scegliere se accettare o rifiutare l'abbinamento."))
        except BenefitError as exc:
            error = refuse(request, exc)
        else:
            audit.log(request, "abbinamento", context, decision=sent["decisione"])
            provider = getattr(entry, "provider", None)
            target = (request.resource_path(provider, "@@abbinamenti") if provider is not None
                      else request.resource_path(context))
            return HTTPSeeOther(target)
    return {"page_title": request.localizer.translate(_("Abbinamento — ${protocol}",
                                                        mapping={"protocol": context.protocol})),
            "application": context,
            "entry": entry, "error": error, "version": context.version_token(),
            "submitted": local_time(context.submitted_at),
            "match_until": services.match_last_day(context)}


@view_config(context=Provider, name="abbinamenti", permission=EDIT,
             renderer="portal:templates/applications/provider_queue.pt")
def provider_queue(context, request):
    """Applications that chose this provider's services and that this user may see (catalog)."""
    page = _page_number(request.GET.get("pagina", ""))
    found = queues.provider_queue(request.catalog, search_principals(request), context, page)
    rows = []
    for application in found.items:
        entry = services.entry_of(application)
        rows.append({**_row(request, application), "entry": entry.title if entry else "—",
                     "beneficiary": "",
                     "can_match": bool(request.has_permission(MATCH, application)),
                     "match_until": services.match_last_day(application),
                     "match_url": request.resource_path(application, "@@abbinamento")})
    workflow = workflows.get_workflow(request.registry, "application")
    return {"page_title": request.localizer.translate(_("Richieste di abbinamento — ${title}",
                                                        mapping={"title": context.title})),
            "rows": rows, "total": found.total,
            "counts": [{"state": s, "title": workflow_state_title(request, workflow, s), "count": n}
                       for s, n in sorted(found.counts.items())],
            "paging": _page_links(request, context, "@@abbinamenti",
                                  queues.Criteria(page=page), found.total, {}),
            "provider": context}


def translate_reason(request, reason):
    return request.localizer.translate(reason) if reason else ""
