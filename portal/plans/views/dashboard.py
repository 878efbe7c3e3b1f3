"""The Region's dashboard of the zone plans: every ATS compared, with charts drawn from their
accessible tables exactly as the fund dashboard's (``chart_macros.pt`` and
``static/js/charts.js``: the numbers live only in the tables' ``data-value`` attributes)."""
from pyramid.view import view_config

from content_types.region import Region
from content_types.security import EDIT
from content_types.values import euro
from portal.i18n import _
from portal.plans import dashboard
from portal.plans.rules.errors import PlanError
from portal.plans.rules.nomenclature import nomenclature
from portal.web import charts
from portal.web.errors import refuse
from portal.web.labels import workflow_state_title
from workflows import zone_plan as workflow

#: the chart macro the fund dashboard uses (a template, shared as is)
FNPS_FIGURES = ("allocated", "committed", "paid", "economia", "residuo")


def _label(r):
    return f"{r.district.code} — {r.district.title}"


def _plan_url(request, r):
    return request.resource_path(r.plan) if r.plan is not None else None


def _fnps_values(fnps):
    return [getattr(fnps, name) for name in FNPS_FIGURES]


def state_titles(request):
    translate = request.localizer.translate
    titles = {s.name: workflow_state_title(request, workflow.WORKFLOW, s.name)
              for s in workflow.STATES}
    titles[dashboard.NO_PLAN] = translate(_("Senza piano"))
    return titles


def charts_of(request, figures):
    """The three charts: budget, FNPS execution, ordinary allocation per user area."""
    translate = request.localizer.translate
    head = translate(_("Ambito"))
    budget = charts.chart(
        "grafico-piani-bilancio", translate(_("Bilancio ordinario dei piani per Ambito")),
        translate(_("Bilancio ordinario del periodo (fonti ordinarie, senza le altre "
                    "risorse) e per abitante")), head,
        [charts.column("ordinary", translate(_("Bilancio ordinario")), series=True),
         charts.column("per_inhabitant", translate(_("Per abitante")))],
        [charts.row(_label(r), [r.ordinary, r.per_inhabitant or 0], _plan_url(request, r))
         for r in figures.rows if r.version is not None],
        charts.row(translate(_("Totale regionale")), [figures.ordinary, figures.per_inhabitant or 0]))
    with_fnps = [r for r in figures.rows if r.fnps is not None]
    fnps = charts.chart(
        "grafico-piani-fnps", translate(_("FNPS assegnato, impegnato e pagato per Ambito")),
        translate(_("FNPS dei piani approvati: economia = assegnato − impegnato; residuo = "
                    "impegnato − pagato")), head,
        [charts.column("allocated", translate(_("Assegnato")), series=True),
         charts.column("committed", translate(_("Impegnato")), series=True),
         charts.column("paid", translate(_("Pagato")), series=True),
         charts.column("economia", translate(_("Economia"))),
         charts.column("residuo", translate(_("Residuo passivo")))],
        [charts.row(_label(r), _fnps_values(r.fnps), _plan_url(request, r)) for r in with_fnps],
        charts.row(translate(_("Totale regionale")), _fnps_values(figures.fnps)))
    table = nomenclature()
    areas = charts.chart(
        "grafico-piani-aree", translate(_("Risorse ordinarie per area di utenza")),
        translate(_("Allocazioni ordinarie del periodo per area di utenza e Ambito")), head,
        [charts.column(a, table.area(a).title if table.area(a) else a, series=True)
         for a in figures.areas],
        [charts.row(_label(r), [r.areas.get(a, 0) for a in figures.areas], _plan_url(request, r))
         for r in figures.rows if r.areas])
    return [budget, fnps, areas]


def _share(value):
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + " %"


@view_config(context=Region, name="piani-cruscotto", permission=EDIT, request_method="GET",
             renderer="portal:templates/plans/region_dashboard.pt")
def region_dashboard(context, request):
    """Every ATS's plan side by side: state, budget, per inhabitant, areas, FNPS, by state."""
    translate = request.localizer.translate
    period = (request.GET.get("periodo") or "").strip()[:20] or None
    error = None
    try:
        figures = dashboard.region_figures(request.root, period)
    except PlanError as exc:
        error, period = refuse(request, exc), None
        figures = dashboard.region_figures(request.root, None)
    titles = state_titles(request)
    rows = [{"code": r.district.code, "label": _label(r), "url": _plan_url(request, r),
             "state": r.state or "nessuno", "state_title": titles.get(r.state, r.state),
             "period": r.plan.period if r.plan is not None else "",
             "version": r.version.number if r.version is not None else "",
             "inhabitants": f"{r.inhabitants:,}".replace(",", "."),
             "ordinary": euro(r.ordinary),
             "per_inhabitant": euro(r.per_inhabitant) if r.per_inhabitant is not None else "—",
             "share": _share(r.fnps.committed_share) if r.fnps is not None else "—",
             "below": r.below}
            for r in figures.rows]
    return {
        "page_title": translate(_("Cruscotto regionale dei piani di zona")),
        "error": error, "period": period or "", "rows": rows,
        "charts": charts_of(request, figures), "chart_macros": charts.macros(),
        "states": [(titles[s], n, s or "nessuno") for s, n in figures.by_state.items()],
        "threshold": _share(figures.threshold) if figures.threshold is not None else None,
        "below_count": sum(1 for r in figures.rows if r.below),
        "action": request.resource_path(context, "@@piani-cruscotto"),
        "settings_url": request.resource_path(context, "@@piani-impostazioni"),
    }
