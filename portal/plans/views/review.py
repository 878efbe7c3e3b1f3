"""The Region's side of the zone plans: every ATS's plans by state, and the review of a version
(take in charge, return with notes per section, approve)."""
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

import workflows
from content_types.region import Region
from content_types.security import EDIT, VIEW
from content_types.values import euro, format_date
from content_types.zone_plan import PlanVersion
from portal import audit
from portal.errors import BadRequest
from portal.i18n import _
from portal.plans import review, store
from portal.plans.rules import budget, model
from portal.web import posted
from portal.web.errors import refuse
from portal.web.labels import workflow_state_title
from portal.web.layout import flash
from workflows import zone_plan as workflow

TAKE, RETURN, APPROVE = "prendi", "restituisci", "approva"
ACTIONS = {TAKE: workflow.TAKE_IN_CHARGE, RETURN: workflow.RETURN, APPROVE: workflow.APPROVE}
REVIEW_SCHEMA = posted.schema(
    posted.text("azione"), posted.text("conferma"), posted.text("commento", strip=False),
    *(posted.text(f"note-{s}", strip=False) for s in model.SECTIONS))


def state_title(request, state):
    return workflow_state_title(request, workflows.get_workflow(request.registry, workflow.NAME),
                                state)


def _state_filter(value):
    """A state id (today's or a former Italian one) or "" for every state."""
    value = workflow.FORMER_STATE_IDS.get(value or "", value or "")
    return value if value in review.STATE_ORDER else ""


def entry_row(request, entry):
    version = entry.version
    can_review = version is not None and request.has_permission(workflow.REVIEW, version)
    return {
        "district": entry.district.title, "code": entry.district.code,
        "period": entry.plan.period, "plan_url": request.resource_path(entry.plan),
        "number": version.number if version is not None else "—",
        "state": entry.state, "state_title": state_title(request, entry.state),
        "submitted": format_date(version.submitted_at) if version is not None else "",
        "approved": format_date(version.approved_at) if version is not None else "",
        "review_url": request.resource_path(version, "@@esame") if can_review else None,
        "version_url": request.resource_path(version)
        if version is not None and request.has_permission(VIEW, version) else None,
    }


@view_config(context=Region, name="piani", permission=EDIT, request_method="GET",
             renderer="portal:templates/plans/review_list.pt")
def plans_overview(context, request):
    """Every ATS's plans with their latest version: counts per state, the queue first."""
    entries = review.overview(request.root)
    counts = review.counts(entries)
    chosen = _state_filter(request.GET.get("stato", ""))
    shown = [e for e in entries if not chosen or e.state == chosen]
    translate = request.localizer.translate
    return {
        "page_title": translate(_("Piani sociali di zona degli Ambiti")),
        "rows": [entry_row(request, e) for e in shown],
        "queue": sum(counts.get(s, 0) for s in review.QUEUE_STATES),
        "total": len(entries), "state": chosen,
        "states": [{"state": s, "title": state_title(request, s), "count": counts.get(s, 0),
                    "url": request.resource_path(context, "@@piani", query={"stato": s})}
                   for s in review.STATE_ORDER],
        "all_url": request.resource_path(context, "@@piani"),
    }


def tables(version, translate):
    """The version's figures as the pages show them: by source, by intervention, problems."""
    plan = store.as_plan(version)
    cells = budget.by_source_year(plan)
    sources = [{"code": s.code, "title": s.title, "kind": translate(model.KIND_TITLES.get(s.kind, s.kind)),
                "available": euro(f.available), "allocated": euro(f.allocated),
                "remaining": euro(f.remaining), "over": f.remaining < 0}
               for s, f in budget.by_source(plan, cells)]
    ordinary, other = budget.ordinary_total(plan, cells), budget.other_total(plan, cells)
    rows = budget.by_intervention(plan)
    interventions = [{"code": i.code, "title": i.title,
                      "level": translate(model.LEVEL_TITLES.get(i.level, i.level)),
                      "amounts": [euro(rows.get(i.code, {}).get(s.code, 0))
                                  for s in plan.sources],
                      "total": euro(budget.intervention_total(plan, i.code))}
                     for i in plan.interventions]
    return {"sources": sources, "source_titles": [s.title for s in plan.sources],
            "ordinary": {"available": euro(ordinary.available),
                         "allocated": euro(ordinary.allocated),
                         "remaining": euro(ordinary.remaining)},
            "other": {"available": euro(other.available), "allocated": euro(other.allocated),
                      "remaining": euro(other.remaining)},
            "interventions": interventions,
            "problems": [{"section": translate(model.SECTION_TITLES.get(p.section, p.section)),
                          "message": translate(p.message)} for p in store.problems_of(version)]}


def review_page(context, request, *, confirm=False, values=None):
    translate = request.localizer.translate
    plan = store.plan_of(context)
    district = store.district_of(context)
    values = values or {}
    return {
        "page_title": translate(_("Esame del piano di zona ${period} — ${district}, versione "
                                  "${number}", mapping={"period": plan.period,
                                                        "district": district.title,
                                                        "number": context.number})),
        "version": context, "plan_url": request.resource_path(plan),
        "action_url": request.resource_path(context, "@@esame"),
        "state": context.state, "state_title": state_title(request, context.state),
        "submitted": format_date(context.submitted_at),
        "can_take": context.state == workflow.SUBMITTED,
        "under_review": context.state == workflow.UNDER_REVIEW,
        "confirm": confirm,
        "sections": [{"name": s, "field": f"note-{s}", "title": translate(model.SECTION_TITLES[s]),
                      "value": values.get(f"note-{s}", "")} for s in model.SECTIONS],
        "comment": values.get("commento", ""),
        "reviews": [{"when": format_date(r.get("when")), "who": r.get("who", ""),
                     "comment": r.get("comment", ""),
                     "notes": [(translate(model.SECTION_TITLES.get(s, s)), n)
                               for s, n in (r.get("notes") or {}).items()]}
                    for r in context.reviews],
        "figures": tables(context, translate) if context.state == workflow.UNDER_REVIEW else None,
        "list_url": request.resource_path(request.root["regione"], "@@piani"),
        "error": None,
    }


@view_config(context=PlanVersion, name="esame", permission=workflow.REVIEW,
             request_method="GET", renderer="portal:templates/plans/review.pt")
def review_form(context, request):
    """The Region's review of one version: take it in charge, then return it or approve it."""
    return review_page(context, request)


def fire_as(request):
    def fire(obj, name, comment=""):
        return workflows.fire(obj, request, name, comment)
    return fire


@view_config(context=PlanVersion, name="esame", permission=workflow.REVIEW,
             request_method="POST", renderer="portal:templates/plans/review.pt")
def review_post(context, request):
    sent = posted.posted(request, REVIEW_SCHEMA)
    action = sent["azione"]
    if action not in ACTIONS:
        raise BadRequest(_("Scegliere un'operazione: prendere in esame, restituire o approvare."),
                         {"azione": "non valida"})
    translate = request.localizer.translate
    fire = fire_as(request)
    plan = store.plan_of(context)
    if action == TAKE:
        fire(context, workflow.TAKE_IN_CHARGE)
        flash(request, _("Piano preso in esame: si possono ora scrivere le note o approvarlo."))
        return HTTPSeeOther(request.resource_path(context, "@@esame"))
    if action == APPROVE:
        # the engine says now why it may not be approved, before anyone confirms
        workflows.get_workflow(request.registry, workflow.NAME).check(
            context, request, workflow.APPROVE, "")
        try:
            review.check_approvable(context)
        except review.ApprovalRefused as exc:
            page = review_page(context, request)
            page["error"] = refuse(request, exc)
            return page
        if sent["conferma"] != "si":
            return review_page(context, request, confirm=True)
        fire(context, workflow.APPROVE)
        audit.log(request, "approvazione del piano di zona", context, version=context.number)
        flash(request, _("Piano approvato: la versione ${number} è ora pubblica e non si "
                         "modifica più.", mapping={"number": context.number}))
        return HTTPSeeOther(request.resource_path(request.root["regione"], "@@piani"))
    notes = {s: sent[f"note-{s}"] for s in model.SECTIONS}

    def default_comment(sections):
        return translate(_("Restituito con note sulle sezioni: ${sections}.", mapping={
            "sections": "; ".join(translate(model.SECTION_TITLES[s]) for s in sections)}))
    try:
        review.return_plan(context, notes, sent["commento"], who=request.authenticated_userid,
                           fire=fire, default_comment=default_comment)
    except review.ReviewRefused as exc:  # the form comes back with what was typed
        page = review_page(context, request, values=sent)
        page["error"] = refuse(request, exc)
        return page
    audit.log(request, "restituzione del piano di zona", context, version=context.number,
              sections=",".join(sorted(context.section_notes)))
    flash(request, _("Piano restituito all'Ambito per modifiche: ${district}, ${period}.",
                     mapping={"district": store.district_of(context).title,
                              "period": plan.period}))
    return HTTPSeeOther(request.resource_path(request.root["regione"], "@@piani"))
