"""The plan's sections over the JSON API: the same readers, tokens and states as the editor.

``GET /api/<version>/sezioni`` gives every section with its conflict token, the figures by
source and the problems; ``PUT /api/<version>/<section>`` with ``{"token": "…", "rows": […]}``
saves one section all or nothing (422 naming every wrong cell, 409 for a stale token, an
approved or sent version). Amounts are strings in either Italian or dot notation, or JSON
numbers; they come back as dot-decimal strings.
"""
from decimal import Decimal

from pyramid.view import view_config

from content_types.security import EDIT, VIEW
from content_types.zone_plan import PlanVersion
from portal.errors import ValidationFailed
from portal.i18n import _
from portal.plans import store
from portal.plans.rules import budget, model
from portal.web.api.body import json_body
from workflows import zone_plan as workflow

MAX_ROWS = 5000


def money(value):
    return f"{value:.2f}"


def _years(version, amounts):
    return {str(y): money(amounts[y]) for y in version.years if y in amounts}


def sections_of(version):
    """Every section as the API gives it (the rows a PUT accepts back)."""
    by_source = {}
    for (code, year), value in version.availability.items():
        by_source.setdefault(code, {})[year] = value
    by_municipality = {}
    for (istat, year), value in version.cofinancing.items():
        by_municipality.setdefault(istat, {})[year] = value
    return {
        model.FONTI: [dict(s, amounts=_years(version, by_source.get(s["code"], {})))
                      for s in version.sources],
        model.COFINANZIAMENTO: [{"istat": istat, "amounts": _years(version, amounts)}
                                for istat, amounts in sorted(by_municipality.items())],
        model.INTERVENTI: [{**i, "municipalities": list(i.get("municipalities", ())),
                            "voucher_series": list(i.get("voucher_series", ()))}
                           for i in version.interventions],
        model.ALLOCAZIONI: [{"intervention": i, "source": s, "year": y, "amount": money(v)}
                            for (i, s, y), v in sorted(version.allocations.items())],
    }


def document(request, version):
    plan = store.as_plan(version)
    cells = budget.by_source_year(plan)
    ordinary = budget.ordinary_total(plan, cells)
    translate = request.localizer.translate
    rows = sections_of(version)
    return {
        "number": version.number, "state": version.state, "years": list(version.years),
        "editable": version.state in store.EDITABLE_STATES,
        "sections": {name: {"token": store.token(version, name), "rows": rows[name]}
                     for name in model.SECTIONS},
        "figures": {
            "sources": [{"source": s, "year": y, "available": money(f.available),
                         "allocated": money(f.allocated), "left": money(f.remaining)}
                        for (s, y), f in cells.items()],
            "ordinary": {"available": money(ordinary.available),
                         "allocated": money(ordinary.allocated),
                         "left": money(ordinary.remaining)},
        },
        "problems": [{"section": p.section, "code": p.code, "message": translate(p.message),
                      "key": [str(k) for k in p.key]} for p in budget.problems(plan)],
    }


@view_config(route_name="api", context=PlanVersion, name="sezioni", request_method="GET",
             permission=VIEW, renderer="json")
def read_sections(context, request):
    return document(request, context)


def _text(value):
    """A cell as the readers take it: strings as sent, JSON numbers as their decimal text."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return format(Decimal(str(value)), "f")
    return value if isinstance(value, str) else ""


def _row(raw):
    row = {k: (_text(v) if k not in ("amounts", "municipalities", "voucher_series") else v)
           for k, v in raw.items()}
    if isinstance(raw.get("amounts"), dict):
        row["amounts"] = {str(k): _text(v) for k, v in raw["amounts"].items()}
    for name in ("municipalities", "voucher_series"):
        if name in raw:
            values = raw[name] if isinstance(raw[name], list) else []
            row[name] = [v for v in values if isinstance(v, str)]
    return row


def rows_of(body):
    """``body["rows"]``: a list of objects (at most MAX_ROWS), else a 400 naming the field."""
    rows = body.get("rows")
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ValidationFailed(_("«rows» deve essere un elenco di oggetti."),
                               {"rows": "non valido"})
    if len(rows) > MAX_ROWS:
        raise ValidationFailed(_("Al massimo ${max} righe per sezione.",
                                 mapping={"max": MAX_ROWS}), {"rows": "troppe"})
    token = body.get("token")
    if token is not None and not isinstance(token, str | int):
        raise ValidationFailed(_("«token» è il testo ricevuto con la sezione."),
                               {"token": "non valido"})
    return [_row(r) for r in rows], (None if token is None else str(token))


def _sections(permission, **predicates):
    """Stack one PUT view per section on the decorated function."""
    def decorate(function):
        for name in model.SECTIONS:
            function = view_config(route_name="api", context=PlanVersion, name=name,
                                   request_method="PUT", permission=permission,
                                   renderer="json", **predicates)(function)
        return function
    return decorate


@_sections(EDIT)
def save_section(context, request):
    body = json_body(request)
    rows, token = rows_of(body)
    store.SAVERS[request.view_name](context, rows, sent_token=token,
                                    who=request.authenticated_userid)
    return document(request, context)


@_sections(VIEW, plan_state=(workflow.APPROVED, workflow.SUBMITTED, workflow.UNDER_REVIEW))
def section_not_editable(context, request):
    """An approved or sent version: the store's 409 says why, not a bare 403."""
    store.check_editable(context)
