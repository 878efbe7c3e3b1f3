"""The ATS's plans (``<ats>/@@piani``, with «Nuovo piano di zona») and a plan's page."""
from pyramid.httpexceptions import HTTPForbidden, HTTPSeeOther
from pyramid.view import view_config

import workflows
from content_types.district import District
from content_types.security import ADD_CONTENT, ATS_OFFICER, EDIT, VIEW, role
from content_types.values import format_when
from content_types.zone_plan import ARCHIVE_NAME, PlanFolder, ZonePlan
from portal import audit
from portal.i18n import _
from portal.plans import store
from portal.plans.rules.errors import InvalidPeriod, PlanExists
from portal.security.policy import effective_principals
from portal.web import posted
from portal.web.errors import refuse
from portal.web.labels import workflow_state_title
from portal.web.layout import flash
from workflows import zone_plan as workflow

NEW_PLAN = posted.schema(posted.text("periodo", limit=20))


def may_create(request, district):
    """Only the ATS's own officers start a plan (the Region reviews, it does not draft)."""
    return (bool(request.has_permission(ADD_CONTENT, district))
            and role(ATS_OFFICER) in effective_principals(request, district))


def state_title(request, version):
    engine = workflows.get_workflow(request.registry, workflow.NAME)
    return workflow_state_title(request, engine, version.state)


def plan_row(request, plan):
    last = store.latest(plan)
    return {
        "period": plan.period, "title": plan.title, "url": request.resource_path(plan),
        "version": last.number if last is not None else "",
        "state": state_title(request, last) if last is not None else "",
        "version_url": request.resource_path(last) if last is not None else "",
        "modified": format_when(last.modified) if last is not None and last.modified else "",
    }


def plans_values(request, district, period="", error=None):
    translate = request.localizer.translate
    return {
        "page_title": translate(_("Piani sociali di zona — ${title}",
                                  mapping={"title": district.title})),
        "district": district,
        "plans": [plan_row(request, p) for p in store.plans_of(district)
                  if request.has_permission(VIEW, p)],
        "may_create": may_create(request, district), "period": period, "error": error,
        "action": request.resource_path(district, "@@piani"),
        "csrf_token": request.session.get_csrf_token(),
    }


@view_config(context=District, name="piani", permission=EDIT, request_method="GET",
             renderer="portal:templates/plans/editor_plans.pt")
def district_plans(context, request):
    return plans_values(request, context)


@view_config(context=District, name="piani", permission=ADD_CONTENT, request_method="POST",
             renderer="portal:templates/plans/editor_plans.pt")
def create_plan(context, request):
    """«Nuovo piano di zona»: the period, then the first draft version."""
    if not may_create(request, context):
        raise HTTPForbidden(request.localizer.translate(
            _("Solo gli operatori dell'Ambito possono creare il suo piano di zona.")))
    period = posted.posted(request, NEW_PLAN)["periodo"]
    try:
        plan = store.create_plan(context, period, who=request.authenticated_userid,
                                 registry=request.registry)
    except (InvalidPeriod, PlanExists) as exc:
        return plans_values(request, context, period, refuse(request, exc))
    audit.log(request, "nuovo-piano-di-zona", plan, period=plan.period)
    flash(request, _("Piano di zona ${period} creato: compilare le sezioni della versione 1.",
                     mapping={"period": plan.period}))
    return HTTPSeeOther(request.resource_path(store.latest(plan)))


@view_config(context=PlanFolder, permission=VIEW,
             renderer="portal:templates/plans/public_plans.pt")
def plan_folder(context, request):
    """``<ats>/piani``: the ATS's and the Region's officers go to the plans page; everyone
    else (the district page lists it) reads the approved plans, which are public."""
    district = context.__parent__
    if request.has_permission(EDIT, district):
        return HTTPSeeOther(request.resource_path(district, "@@piani"))
    translate = request.localizer.translate
    rows = []
    for plan in store.plans_of(district):
        approved = store.approved(plan)
        if approved is not None and request.has_permission(VIEW, approved):
            rows.append({"period": plan.period, "url": request.resource_path(approved),
                         "number": approved.number,
                         "approved": format_when(approved.approved_at)
                         if approved.approved_at else "",
                         "pdf": request.resource_path(approved, "@@riepilogo.pdf")})
    return {"page_title": translate(_("Piani sociali di zona approvati — ${title}",
                                      mapping={"title": district.title})),
            "district": district, "plans": rows}


def version_row(request, version):
    return {
        "number": version.number, "url": request.resource_path(version),
        "state": version.state, "state_title": state_title(request, version),
        "created": format_when(version.created) if version.created else "",
        "modified": format_when(version.modified) if version.modified else "",
        "submitted": format_when(version.submitted_at) if version.submitted_at else "",
        "approved": format_when(version.approved_at) if version.approved_at else "",
        "based_on": version.based_on,
    }


@view_config(context=ZonePlan, permission=VIEW, renderer="portal:templates/plans/editor_plan.pt")
def plan_page(context, request):
    """The versions (only those the visitor may see), and where to go from here."""
    versions = [v for v in store.versions_of(context) if request.has_permission(VIEW, v)]
    last = store.latest(context)
    archive = context.get(ARCHIVE_NAME)
    return {
        "page_title": context.title, "plan": context,
        "versions": [version_row(request, v) for v in versions],
        "archive_url": (request.resource_path(archive)
                        if archive is not None and request.has_permission(VIEW, archive)
                        else ""),
        "monitoring_url": (request.resource_path(context, "@@monitoraggio")
                           if store.approved(context) is not None
                           and request.has_permission(EDIT, context.__parent__) else ""),
        "compare_url": request.resource_path(context, "@@confronta"),
        "new_version_url": (request.resource_path(context, "@@nuova-versione")
                            if last is not None and last.state == workflow.APPROVED
                            and may_create(request, store.district_of(context)) else ""),
        "district_url": request.resource_path(store.district_of(context), "@@piani"),
        "csrf_token": request.session.get_csrf_token(),
    }
