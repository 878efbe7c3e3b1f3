"""A plan version's page: the budget by source and by intervention, what is left to fix,
the Region's notes, and «Invia alla Regione»."""
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

import workflows
from content_types.security import EDIT, VIEW
from content_types.values import euro, format_when
from content_types.zone_plan import PlanVersion
from portal import audit
from portal.i18n import _
from portal.plans import store
from portal.plans.rules import budget, model
from portal.plans.rules.nomenclature import nomenclature
from portal.web.errors import refuse
from portal.web.labels import state_title
from portal.web.layout import flash
from workflows import zone_plan as workflow
from workflows.errors import GuardFailed


def figure(value):
    return {"available": euro(value.available), "allocated": euro(value.allocated),
            "left": euro(value.remaining), "over": value.remaining < 0}


def source_table(request, plan):
    """Per source: available, allocated and left each year and over the period."""
    translate = request.localizer.translate
    cells = budget.by_source_year(plan)
    rows = [{"code": s.code, "title": s.title, "ordinary": s.ordinary,
             "kind": translate(model.KIND_TITLES.get(s.kind, s.kind)),
             "years": [figure(cells[s.code, y]) for y in plan.years], "total": figure(total)}
            for s, total in budget.by_source(plan, cells)]
    def totals(ordinary, period):
        chosen = [s.code for s in plan.sources if s.ordinary == ordinary]
        years = [figure(sum((cells[c, y] for c in chosen), budget.Figure())) for y in plan.years]
        return [*years, figure(period)]
    return {"ordinary": [r for r in rows if r["ordinary"]],
            "other": [r for r in rows if not r["ordinary"]],
            "ordinary_total": totals(True, budget.ordinary_total(plan, cells)),
            "other_total": totals(False, budget.other_total(plan, cells))}


def _title(entry, code):
    return f"{entry.code} — {entry.title}" if entry is not None else (code or "—")


def intervention_table(request, plan):
    """Per intervention: its classification and what each source gives it over the period."""
    translate, table = request.localizer.translate, nomenclature()
    amounts = budget.by_intervention(plan)
    names = {m.istat: m.title for m in plan.municipalities}
    return [{
        "code": i.code, "title": i.title,
        "service": _title(table.service(i.service), i.service),
        "area": _title(table.area(i.area), i.area),
        "objective": _title(table.objective(i.objective), i.objective),
        "level": translate(model.LEVEL_TITLES.get(i.level, i.level)),
        "municipalities": ", ".join(names.get(m, m) for m in i.municipalities),
        "target": i.target,
        "amounts": [euro(amounts.get(i.code, {}).get(s.code, 0)) for s in plan.sources],
        "total": euro(budget.intervention_total(plan, i.code)),
        "ordinary": euro(budget.intervention_total(plan, i.code, ordinary_only=True)),
    } for i in plan.interventions]


def problems_by_section(request, version, found):
    """The broken rules grouped by the section to open to fix them."""
    translate = request.localizer.translate
    groups = []
    for section in model.SECTIONS:
        messages = [translate(p.message) for p in found if p.section == section]
        if messages:
            groups.append({"section": section, "title": translate(model.SECTION_TITLES[section]),
                           "url": request.resource_path(version, f"@@{section}"),
                           "messages": messages})
    return groups


def version_values(request, version, error=None):
    translate = request.localizer.translate
    plan = store.as_plan(version)
    found = budget.problems(plan)
    editable = (version.state in store.EDITABLE_STATES
                and bool(request.has_permission(EDIT, version)))
    return {
        "page_title": version.title, "version": version, "plan": plan,
        "state_title": state_title(request, version, version.state),
        "modified": format_when(version.modified) if version.modified else "",
        "submitted": format_when(version.submitted_at) if version.submitted_at else "",
        "approved": format_when(version.approved_at) if version.approved_at else "",
        "plan_url": request.resource_path(version.__parent__),
        "sources": source_table(request, plan),
        "interventions": intervention_table(request, plan),
        "problems": problems_by_section(request, version, found),
        "problem_count": len(found),
        "sections": [{"name": s, "title": translate(model.SECTION_TITLES[s]),
                      "url": request.resource_path(version, f"@@{s}"),
                      "note": version.section_notes.get(s, "")} for s in model.SECTIONS],
        "editable": editable,
        "may_submit": editable and bool(request.has_permission(workflow.SUBMIT, version)),
        "submit_url": request.resource_path(version, "@@invia"),
        "review_url": (request.resource_path(version, "@@esame")
                       if request.has_permission(workflow.REVIEW, version) else ""),
        "outputs": [{"url": request.resource_path(version, name), "title": translate(title)}
                    for name, title in (("@@riepilogo.pdf", _("Riepilogo in PDF")),
                                        ("@@piano.csv", _("Esporta in CSV")),
                                        ("@@piano.xlsx", _("Esporta in Excel (XLSX)")))],
        "error": error, "csrf_token": request.session.get_csrf_token(),
    }


@view_config(context=PlanVersion, permission=VIEW,
             renderer="portal:templates/plans/editor_version.pt")
def version_page(context, request):
    return version_values(request, context)


@view_config(context=PlanVersion, name="invia", permission=workflow.SUBMIT,
             request_method="POST", renderer="portal:templates/plans/editor_version.pt")
def submit(context, request):
    """«Invia alla Regione»: refused (422, nothing changed) with every problem listed."""
    try:
        workflows.fire(context, request, workflow.SUBMIT, registry=request.registry)
    except GuardFailed as exc:
        return version_values(request, context, refuse(request, exc))
    audit.log(request, "invio-piano-di-zona", context, version=context.number)
    flash(request, _("Piano inviato alla Regione per l'esame."))
    return HTTPSeeOther(request.resource_path(context))
