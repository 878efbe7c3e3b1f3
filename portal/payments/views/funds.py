"""The fund dashboards: one ATS per call and fund, and the Region's view of every ATS.

Both read only the ledgers' kept totals (``portal.payments.spending.figures_of``): a
lookup per call and fund, never a walk of the movements or of the applications.
"""
from pyramid.renderers import get_renderer
from pyramid.view import view_config

from content_types.district import District
from content_types.region import Region
from content_types.security import EDIT
from content_types.values import rome_today
from portal.i18n import _
from portal.payments import spending
from portal.payments.rules import funds as fund_table
from portal.payments.rules.ledger import Totals, total
from portal.web import charts

#: who reads the figures: on an ATS its officers (local role) and the Region's officers,
#: on the Region its officers; EDIT is the permission both ACLs give exactly them
FUNDS_PERMISSION = EDIT
FIGURES = ("budget", "committed", "paid", "remaining", "unpaid")


def funds_macros():
    """The filter form and export links both dashboards share (``funds_macros.pt``)."""
    return get_renderer("portal:templates/payments/funds_macros.pt").implementation().macros


def figure_columns(translate):
    """Budget, committed and paid are drawn; remaining and unpaid are in the table only."""
    return [charts.column("budget", translate(_("Budget")), series=True),
            charts.column("committed", translate(_("Impegnato")), series=True),
            charts.column("paid", translate(_("Pagato")), series=True),
            charts.column("remaining", translate(_("Residuo da impegnare"))),
            charts.column("unpaid", translate(_("Impegnato da pagare")))]


def values(totals):
    return [getattr(totals, name) for name in FIGURES]


def filters(request, calls):
    """The ``avviso`` (call code) and ``fondo`` filters: (series or None, fund or None, sent)."""
    call_code = (request.GET.get("avviso") or "").strip()
    fund_code = (request.GET.get("fondo") or "").strip()
    series = spending.series_for(calls, call_code) if call_code else None
    fund = spending.check_fund(fund_code) if fund_code else None
    return series, fund, {"avviso": call_code, "fondo": fund_code}


def filter_choices(request, calls):
    translate = request.localizer.translate
    call_choices = sorted({(c.code, c.title) for c in calls.values()})
    fund_choices = [(f.code, f"{f.code} — {translate(f.title)}") for f in fund_table.FUNDS]
    return call_choices, fund_choices


def export_links(request, context, sent):
    """The four exports with the page's filters."""
    query = {k: v for k, v in sent.items() if v}
    return {name: request.resource_path(context, f"@@{name}", query=query)
            for name in ("fondi-spesa.csv", "fondi-spesa.xlsx", "fondi-pagamenti.csv",
                         "fondi-pagamenti.xlsx")}


def fund_title(request, code):
    return f"{code} — {request.localizer.translate(fund_table.fund(code).title)}"


@view_config(context=District, name="fondi", permission=FUNDS_PERMISSION, request_method="GET",
             renderer="portal:templates/payments/funds_district.pt")
def district_funds(context, request):
    """Budget, committed, paid, remaining and unpaid per call and fund of one ATS, live."""
    translate = request.localizer.translate
    calls = spending.calls_by_series(request.root)
    series, fund, sent = filters(request, calls)
    scopes = spending.figures_of(context, calls, call=series, fund=fund)
    by_fund = {}
    for scope in scopes:
        by_fund[scope.fund] = by_fund.get(scope.fund, Totals()) + scope.totals
    overall = total(s.totals for s in scopes)
    columns = figure_columns(translate)
    chart = charts.chart(
        "grafico-fondi", translate(_("Budget, impegnato e pagato per fondo")),
        translate(_("Spesa per fondo dell'Ambito ${code}", mapping={"code": context.code})),
        translate(_("Fondo")), columns,
        [charts.row(fund_title(request, code), values(by_fund[code]))
         for code in fund_table.ordered(by_fund)],
        charts.row(translate(_("Totale")), values(overall)))
    detail = [{"call": s.call_title, "fund": fund_title(request, s.fund),
               "cells": [charts.money_cell(v) for v in values(s.totals)]} for s in scopes]
    call_choices, fund_choices = filter_choices(request, calls)
    return {
        "page_title": translate(_("Monitoraggio della spesa per fondo — ${title}",
                                  mapping={"title": context.title})),
        "district": context, "chart": chart, "chart_macros": charts.macros(),
        "funds_macros": funds_macros(),
        "columns": columns, "detail": detail, "total": charts.row("", values(overall)),
        "sent": sent, "call_choices": call_choices, "fund_choices": fund_choices,
        "exports": export_links(request, context, sent),
        "form_url": request.resource_path(context, "@@fondi"),
    }


def default_period():
    """The feed form's default: the current month up to today (Rome)."""
    today = rome_today()
    return {"dal": today.replace(day=1).isoformat(), "al": today.isoformat()}


def region_figures(root, calls, series=None, fund=None):
    """(district, Totals) for every ATS, from the kept totals (the Region's dashboard)."""
    return [(d, total(s.totals for s in spending.figures_of(d, calls, call=series, fund=fund)))
            for d in spending.districts(root)]


@view_config(context=Region, name="fondi", permission=FUNDS_PERMISSION, request_method="GET",
             renderer="portal:templates/payments/funds_region.pt")
def region_funds(context, request):
    """Every ATS side by side (budget, committed, paid, remaining), filtered by call and fund."""
    translate = request.localizer.translate
    calls = spending.calls_by_series(request.root)
    series, fund, sent = filters(request, calls)
    figures = region_figures(request.root, calls, series, fund)
    columns = figure_columns(translate)
    query = {k: v for k, v in sent.items() if v}
    chart = charts.chart(
        "grafico-ambiti", translate(_("Budget, impegnato e pagato per Ambito")),
        translate(_("Spesa per Ambito territoriale sociale")), translate(_("Ambito")), columns,
        [charts.row(f"{d.code} — {d.title}", values(t),
                    url=request.resource_path(d, "@@fondi", query=query))
         for d, t in figures],
        charts.row(translate(_("Totale regionale")), values(total(t for _d, t in figures))))
    call_choices, fund_choices = filter_choices(request, calls)
    return {
        "page_title": translate(_("Monitoraggio della spesa per fondo — Regione")),
        "chart": chart, "chart_macros": charts.macros(),
        "funds_macros": funds_macros(), "sent": sent,
        "call_choices": call_choices, "fund_choices": fund_choices,
        "exports": export_links(request, context, sent),
        "form_url": request.resource_path(context, "@@fondi"),
        "monitoring_url": request.resource_path(context, "@@monitoraggio"),
        "period": default_period(),
    }
