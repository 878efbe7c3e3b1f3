"""The map of needs of an ATS and of the Region: an SVG map and its table, small counts hidden.

Who sees it: ``EDIT`` on the District and on the Region, the permission both ACLs give exactly
the officers (as ``@@fondi`` does): an ATS's officers see their ATS (not its social workers or
municipal operators, nobody of another ATS), the Region's officers every ATS and the Region.
Only counters are read (``portal.register.needs_map``), never the people; every number goes
through ``portal.register.rules.needs_map`` first.
"""
from pyramid.view import view_config

from content_types.district import District
from content_types.region import Region
from content_types.security import EDIT
from content_types.values import rome_today
from portal.i18n import _
from portal.register import needs_map as service
from portal.register.rules import needs_map as rules

MEASURES = {service.CARE: _("Persone prese in carico"),
            service.BENEFITS: _("Prestazioni attive nell'anno")}
#: the measure's name in the address (Italian) -> the counters' key
MEASURE_PARAMS = {"presi-in-carico": service.CARE, "prestazioni": service.BENEFITS}
WIDTH, HEIGHT = 640, 420
#: ATS officers on their District, Region officers on every District and the Region
MAP_PERMISSION = EDIT
YEARS_BACK = 10


def choices(request):
    """The measure, year and area asked for; anything unexpected falls back to the default."""
    today = rome_today()
    measure = MEASURE_PARAMS.get(request.GET.get("misura", ""), service.CARE)
    try:
        year = int(request.GET.get("anno", ""))
    except ValueError:
        year = today.year
    if not today.year - YEARS_BACK <= year <= today.year + 1:
        year = today.year
    area = request.GET.get("area", "")
    if area not in {code for code, _title in service.areas()}:
        area = ""
    return measure, year, area


def area_titles(request):
    translate = request.localizer.translate
    titles = {code: translate(_(title)) for code, title in service.areas()}
    titles[service.NO_AREA] = translate(_("Area non indicata"))
    return titles


def table_rows(table, towns):
    """The table as the template shows it: one row per municipality, labels only."""
    return [{"istat": town.istat_code, "title": town.title,
             "cells": [table.value(town.istat_code, c) for c in table.columns],
             "total": table.row_totals[town.istat_code]} for town in towns]


def circles(request, groups, area):
    """SVG circles for ``groups`` ([(district, table, towns)]), the shown counts only."""
    points = {town.istat_code: (town.latitude, town.longitude)
              for _d, _t, towns in groups for town in towns
              if town.latitude is not None and town.longitude is not None}
    where = rules.project(points, WIDTH, HEIGHT)
    shown = {}
    for _district, table, towns in groups:
        for town in towns:
            value = table.row_totals[town.istat_code] if not area else (
                table.value(town.istat_code, area) if area in table.columns
                else rules.Shown(rules.EXACT, 0))
            shown[town.istat_code] = (town, value)
    largest = max((v.value for _t, v in shown.values() if v.exact), default=0)
    translate = request.localizer.translate
    found, missing = [], []
    for istat, (town, value) in sorted(shown.items(), key=lambda item: item[1][0].title):
        if istat not in where:
            missing.append(town.title)
            continue
        x, y = where[istat]
        label = (value.label if value.kind != rules.HIDDEN
                 else translate(_("non indicato per riservatezza")))
        found.append({"x": x, "y": y, "r": rules.radius(value, largest), "kind": value.kind,
                      "title": f"{town.title}: {label}", "name": town.title,
                      "label_y": round(y + rules.radius(value, largest) + 12, 1)})
    return found, missing


def page(request, context, groups, measure, year, area, region_line=None):
    translate = request.localizer.translate
    titles = area_titles(request)
    dots, missing = circles(request, groups, area)
    return {
        "page_title": translate(_("Mappa dei bisogni")),
        "context_title": context.title,
        "measure": measure, "measure_title": translate(MEASURES[measure]),
        "measure_param": {v: k for k, v in MEASURE_PARAMS.items()}[measure],
        "measures": [(k, translate(MEASURES[v]), v == measure) for k, v in MEASURE_PARAMS.items()],
        "year": year, "area": area, "areas": service.areas(), "titles": titles,
        "years": list(range(rome_today().year + 1, rome_today().year - YEARS_BACK - 1, -1)),
        "groups": [{"district": d, "table": t, "rows": table_rows(t, towns),
                    "columns": t.columns} for d, t, towns in groups],
        "region_line": region_line,
        "dots": dots, "missing": missing, "width": WIDTH, "height": HEIGHT,
        "small_label": rules.SMALL_LABEL, "hidden_label": rules.HIDDEN_LABEL,
        "action": request.resource_path(context, "@@mappa-bisogni"),
    }


@view_config(context=District, name="mappa-bisogni", permission=MAP_PERMISSION,
             renderer="portal:templates/register/needs_map.pt")
def district_map(context, request):
    measure, year, area = choices(request)
    table, towns = service.district_table(context, measure, year)
    return page(request, context, [(context, table, towns)], measure, year, area)


@view_config(context=Region, name="mappa-bisogni", permission=MAP_PERMISSION,
             renderer="portal:templates/register/needs_map.pt")
def region_map(context, request):
    measure, year, area = choices(request)
    groups, codes, line, total = service.region_tables(request.root, measure, year)
    return page(request, context, groups, measure, year, area,
                region_line={"columns": codes, "cells": [line[c] for c in codes],
                             "total": total})
