"""The four section pages of a plan version (``@@fonti``, ``@@cofinanziamento``,
``@@interventi``, ``@@allocazioni``): a form each, saved through ``store.SAVERS`` with the
section's conflict token (``_token``).

A refused save (``InvalidPlanData`` 422, ``SectionConflict`` 409) shows the form again with
what the user typed and each message next to its cell; nothing is stored. The POST is read
once into a plain dict (``posted.rows``): the allocation grid has 1,440 inputs.
"""
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from content_types.security import EDIT
from content_types.values import amount, euro
from content_types.zone_plan import PlanVersion
from portal import audit
from portal.i18n import _, translate
from portal.payments import spending
from portal.payments.rules.funds import FUNDS
from portal.plans import store
from portal.plans.rules import budget, model
from portal.plans.rules.errors import InvalidPlanData, SectionConflict
from portal.plans.rules.nomenclature import nomenclature
from portal.web import posted
from portal.web.errors import refuse
from portal.web.layout import flash

TOKEN = posted.schema(posted.text("_token", limit=20))
#: empty rows offered at the end of the sources and interventions (more after each save)
BLANK_ROWS = 2
SOURCE_INPUTS = (("code", "codice"), ("title", "titolo"), ("kind", "tipo"), ("fund", "fondo"),
                 ("remove", "rimuovi"))
INTERVENTION_INPUTS = (("code", "codice"), ("title", "titolo"), ("service", "servizio"),
                       ("area", "area"), ("objective", "obiettivo"), ("level", "valenza"),
                       ("description", "descrizione"), ("target", "destinatari"),
                       ("remove", "rimuovi"))
#: the repeated inputs of an intervention row (checkboxes and a multiple select)
INTERVENTION_LISTS = (("municipalities", "comuni"), ("voucher_series", "avvisi"))


# -- shared --------------------------------------------------------------------------------
def section_values(request, version, section, message=None, conflict=False, token=None):
    """What every section page shows: where it is, the Region's note, the token, the error."""
    return {
        "page_title": request.localizer.translate(model.SECTION_TITLES[section]),
        "version": version, "section": section, "years": version.years,
        "note": version.section_notes.get(section, ""),
        "token": store.token(version, section) if token is None else token,
        "action": request.resource_path(version, f"@@{section}"),
        "version_url": request.resource_path(version),
        "sections": [{"name": s, "title": request.localizer.translate(model.SECTION_TITLES[s]),
                      "url": request.resource_path(version, f"@@{s}"), "current": s == section}
                     for s in model.SECTIONS],
        "error": message, "conflict": conflict,
        "csrf_token": request.session.get_csrf_token(),
    }


def cell_errors(request, exc, section, keys):
    """{row key: {column: message}} from the fields ``<section>.<index>.<column>``."""
    found = {}
    for where, message in (exc.fields or {}).items():
        parts = str(where).split(".", 2)
        if len(parts) == 3 and parts[0] == section and parts[1].isdigit() \
                and int(parts[1]) < len(keys):
            found.setdefault(keys[int(parts[1])], {})[parts[2]] = translate(request, message)
    return found


def save(request, version, section, rows, keys, again):
    """Save ``rows`` through the section's saver; ``again(errors, message, conflict, token)``
    renders the form once more with what was typed when the save is refused."""
    sent = posted.posted(request, TOKEN)["_token"]
    try:
        store.SAVERS[section](version, rows, sent_token=sent, who=request.authenticated_userid)
    except InvalidPlanData as exc:
        return again(cell_errors(request, exc, section, keys), refuse(request, exc), False, sent)
    except SectionConflict as exc:
        return again({}, refuse(request, exc), True, sent)
    audit.log(request, "piano-di-zona-sezione", version, section=section, rows=len(rows))
    flash(request, _("Sezione salvata: ${title}.",
                     mapping={"title": model.SECTION_TITLES[section]}))
    return HTTPSeeOther(request.resource_path(version, f"@@{section}"))


def _blank(row, names):
    return not any((row.get(n) or "").strip() for n in names)


# -- fonti ---------------------------------------------------------------------------------
def posted_sources(request, years):
    """(rows for the store, every posted row with its key) — blank and removed rows left out."""
    inputs = SOURCE_INPUTS + tuple((str(y), str(y)) for y in years)
    shown, rows, keys = [], [], []
    for row in posted.rows(request, "fonte", inputs):
        shown.append(row)
        if row["remove"] or _blank(row, ("code", "title", *(str(y) for y in years))):
            continue
        keys.append(row["fonte"])
        rows.append({"code": row["code"], "title": row["title"], "kind": row["kind"],
                     "fund": row["fund"], "amounts": {str(y): row[str(y)] for y in years}})
    return rows, keys, shown


def source_form(request, version, sent=None, errors=None):
    """The rows of the form: the stored sources (or what was typed) and empty ones."""
    plan = store.as_plan(version)
    years = version.years
    if sent is None:
        sent = [{"fonte": str(i), "code": s["code"], "title": s["title"], "kind": s["kind"],
                 "fund": s["fund"], "remove": "",
                 **{str(y): amount(version.availability[s["code"], y])
                    if (s["code"], y) in version.availability else "" for y in years}}
                for i, s in enumerate(version.sources)]
        sent += [{"fonte": str(len(sent) + i), "code": "", "title": "", "kind": "",
                  "fund": "", "remove": "", **dict.fromkeys(map(str, years), "")}
                 for i in range(BLANK_ROWS)]
    errors = errors or {}
    shown = []
    for row in sent:
        key, code = row["fonte"], (row["code"] or "").strip().upper()
        municipal = row["kind"] == model.COMUNALE
        cells = []
        for year in years:
            if municipal:
                cells.append({"year": year, "readonly": True, "note": "comuni",
                              "value": euro(plan.available(code, year))})
            elif (code, year) in version.transfers:
                cells.append({"year": year, "readonly": True, "note": "regione",
                              "value": euro(version.transfers[code, year])})
            else:
                cells.append({"year": year, "readonly": False, "note": "",
                              "value": row.get(str(year), "")})
        shown.append({**row, "key": key, "cells": cells, "errors": errors.get(key, {})})
    return shown


def sources_values(request, version, sent=None, errors=None, message=None, conflict=False,
                   token=None):
    translate_ = request.localizer.translate
    return {**section_values(request, version, model.FONTI, message, conflict, token),
            "rows": source_form(request, version, sent, errors),
            "next_key": str(len(sent or version.sources) + BLANK_ROWS),
            "kinds": [(k, translate_(model.KIND_TITLES[k])) for k in model.SOURCE_KINDS],
            "funds": [(f.code, f"{f.code} — {translate_(f.title)}") for f in FUNDS]}


@view_config(context=PlanVersion, name=model.FONTI, permission=EDIT, request_method="GET",
             renderer="portal:templates/plans/editor_sources.pt")
def sources_page(context, request):
    return sources_values(request, context)


@view_config(context=PlanVersion, name=model.FONTI, permission=EDIT, request_method="POST",
             renderer="portal:templates/plans/editor_sources.pt")
def sources_save(context, request):
    rows, keys, shown = posted_sources(request, context.years)

    def again(errors, message, conflict, token):
        return sources_values(request, context, shown, errors, message, conflict, token)
    return save(request, context, model.FONTI, rows, keys, again)


# -- cofinanziamento -----------------------------------------------------------------------
def cofinancing_values(request, version, sent=None, errors=None, message=None, conflict=False,
                       token=None):
    plan = store.as_plan(version)
    years = version.years
    typed = {row["comune"]: row for row in (sent or ())}
    errors = errors or {}
    rows = []
    for municipality in plan.municipalities:
        minimum = budget.minimum_cofinancing(plan, municipality)
        row = typed.get(municipality.istat)
        rows.append({
            "istat": municipality.istat, "title": municipality.title,
            "inhabitants": municipality.inhabitants,
            "minimum": euro(minimum) if minimum is not None else "",
            "cells": [{"year": y, "value": row.get(str(y), "") if row is not None else (
                amount(version.cofinancing[municipality.istat, y])
                if (municipality.istat, y) in version.cofinancing else "")} for y in years],
            "errors": errors.get(municipality.istat, {}),
        })
    known = {m.istat for m in plan.municipalities}
    # what was sent for a municipality outside the ATS: shown with its message, never saved
    foreign = [{"istat": k, "errors": errors.get(k, {})} for k in typed if k not in known]
    minimum, _threshold = store.settings_of(version)
    return {**section_values(request, version, model.COFINANZIAMENTO, message, conflict, token),
            "rows": rows, "foreign": foreign,
            "per_head": euro(minimum) if minimum is not None else ""}


@view_config(context=PlanVersion, name=model.COFINANZIAMENTO, permission=EDIT,
             request_method="GET", renderer="portal:templates/plans/editor_cofinancing.pt")
def cofinancing_page(context, request):
    return cofinancing_values(request, context)


@view_config(context=PlanVersion, name=model.COFINANZIAMENTO, permission=EDIT,
             request_method="POST", renderer="portal:templates/plans/editor_cofinancing.pt")
def cofinancing_save(context, request):
    years = tuple(str(y) for y in context.years)
    sent = posted.rows(request, "comune", tuple((y, y) for y in years))
    rows = [{"istat": r["comune"], "amounts": {y: r[y] for y in years}} for r in sent]
    keys = [r["comune"] for r in sent]

    def again(errors, message, conflict, token):
        return cofinancing_values(request, context, sent, errors, message, conflict, token)
    return save(request, context, model.COFINANZIAMENTO, rows, keys, again)


# -- interventi ----------------------------------------------------------------------------
def posted_interventions(request):
    lists = posted.repeated(request, {label for _n, label in INTERVENTION_LISTS})
    shown, rows, keys = [], [], []
    for row in posted.rows(request, "intervento", INTERVENTION_INPUTS):
        for name, label in INTERVENTION_LISTS:
            row[name] = lists.get(f"{row['intervento']}.{label}", [])
        shown.append(row)
        if row["remove"] or _blank(row, ("code", "title", "description", "target")):
            continue
        keys.append(row["intervento"])
        rows.append({name: row[name] for name, _label in INTERVENTION_INPUTS + INTERVENTION_LISTS
                     if name != "remove"})
    return rows, keys, shown


def interventions_values(request, version, sent=None, errors=None, message=None,
                         conflict=False, token=None):
    translate_ = request.localizer.translate
    if sent is None:
        sent = [{"intervento": str(i), **i_, "municipalities": list(i_["municipalities"]),
                 "voucher_series": list(i_["voucher_series"]), "remove": ""}
                for i, i_ in enumerate(version.interventions)]
        sent += [{"intervento": str(len(sent) + i), "code": "", "title": "", "service": "",
                  "area": "", "objective": "", "level": model.AMBITO, "description": "",
                  "target": "", "municipalities": [], "voucher_series": [], "remove": ""}
                 for i in range(BLANK_ROWS)]
    errors = errors or {}
    table = nomenclature()
    calls = spending.calls_by_series(request.root)
    district = store.district_of(version)
    return {**section_values(request, version, model.INTERVENTI, message, conflict, token),
            "rows": [{**r, "key": r["intervento"], "errors": errors.get(r["intervento"], {})}
                     for r in sent],
            "services": [(e.code, f"{e.code} — {e.title}") for e in table.services],
            "areas": [(e.code, f"{e.code} — {e.title}") for e in table.areas],
            "objectives": [(e.code, f"{e.code} — {e.title}") for e in table.objectives],
            "levels": [(k, translate_(model.LEVEL_TITLES[k])) for k in model.LEVELS],
            "municipalities": store.municipalities_of(district),
            "calls": sorted(((series, " — ".join(spending.call_label(calls, series)))
                             for series in calls), key=lambda c: c[1])}


@view_config(context=PlanVersion, name=model.INTERVENTI, permission=EDIT, request_method="GET",
             renderer="portal:templates/plans/editor_interventions.pt")
def interventions_page(context, request):
    return interventions_values(request, context)


@view_config(context=PlanVersion, name=model.INTERVENTI, permission=EDIT,
             request_method="POST", renderer="portal:templates/plans/editor_interventions.pt")
def interventions_save(context, request):
    rows, keys, shown = posted_interventions(request)

    def again(errors, message, conflict, token):
        return interventions_values(request, context, shown, errors, message, conflict, token)
    return save(request, context, model.INTERVENTI, rows, keys, again)


# -- allocazioni ---------------------------------------------------------------------------
def allocation_inputs(version):
    """(field label, source, year) of every cell of an intervention's row."""
    return [(f"{s['code']}.{y}", s["code"], y) for s in version.sources for y in version.years]


def allocations_values(request, version, sent=None, errors=None, message=None, conflict=False,
                       token=None):
    plan = store.as_plan(version)
    cells = budget.by_source_year(plan)
    inputs = allocation_inputs(version)
    typed = {r["riga"]: r for r in sent} if sent is not None else None
    errors = errors or {}
    rows = []
    for intervention in version.interventions:
        code = intervention["code"]
        row = typed.get(code, {}) if typed is not None else None
        rows.append({"code": code, "title": intervention["title"], "cells": [{
            "name": f"{code}.{label}", "source": source, "year": year,
            "value": row.get(label, "") if row is not None else (
                amount(version.allocations[code, source, year])
                if (code, source, year) in version.allocations else ""),
            "error": errors.get((code, source, year), "")} for label, source, year in inputs]})
    return {**section_values(request, version, model.ALLOCAZIONI, message, conflict, token),
            "sources": version.sources, "rows": rows,
            "figures": [{"source": s, "year": y, "available": str(cells[s, y].available),
                         "available_text": euro(cells[s, y].available),
                         "left": euro(cells[s, y].remaining),
                         "over": cells[s, y].remaining < 0}
                        for _label, s, y in inputs]}


@view_config(context=PlanVersion, name=model.ALLOCAZIONI, permission=EDIT,
             request_method="GET", renderer="portal:templates/plans/editor_allocations.pt")
def allocations_page(context, request):
    return allocations_values(request, context)


@view_config(context=PlanVersion, name=model.ALLOCAZIONI, permission=EDIT,
             request_method="POST", renderer="portal:templates/plans/editor_allocations.pt")
def allocations_save(context, request):
    inputs = allocation_inputs(context)
    sent = posted.rows(request, "riga", tuple((label, label) for label, _s, _y in inputs))
    rows, keys = [], []
    for row in sent:
        for label, source, year in inputs:
            if row[label]:
                keys.append((row["riga"], source, year))
                rows.append({"intervention": row["riga"], "source": source, "year": year,
                             "amount": row[label]})

    def again(errors, message, conflict, token):
        by_cell = {key: next(iter(found.values())) for key, found in errors.items()}
        return allocations_values(request, context, sent, by_cell, message, conflict, token)
    return save(request, context, model.ALLOCAZIONI, rows, keys, again)
