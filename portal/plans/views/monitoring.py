"""«Monitoraggio» of an approved zone plan (figures, the FNPS block, the form recording
commitments and payments, the CSV of the movements) and the Region's FNPS page.

Reading: the ATS's officers and the Region's officers (EDIT, which both hold through the
district); recording: the ATS's officers only (RECORD_SPENDING).
"""
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.response import Response
from pyramid.view import view_config

from content_types.region import Region
from content_types.security import EDIT
from content_types.values import euro, format_datetime, percent, to_local
from content_types.zone_plan import RECORD_SPENDING, ZonePlan
from portal import audit, csvfile
from portal.i18n import _
from portal.plans import fnps as fnps_service
from portal.plans import movements as service
from portal.plans.rules import model
from portal.plans.rules.errors import PlanError
from portal.web import posted
from portal.web.errors import refuse
from portal.web.layout import flash

MONITORING_PERMISSION = EDIT
RECORD = posted.schema(*(posted.text(name, limit=300) for name in (
    "tipo", "intervento", "fonte", "anno", "importo", "atto")),
    posted.text("_version", strip=False))
FIELDS = ("tipo", "intervento", "fonte", "anno", "importo", "atto")
KIND_TITLES = {model.IMPEGNO: _("Impegno"), model.LIQUIDAZIONE: _("Liquidazione")}
VOUCHER_TITLE = _("Buoni servizio (automatico)")
CSV_HEADER = ("data", "tipo", "intervento", "fonte", "anno", "importo", "atto", "operatore")


def share_text(figures):
    share = figures.committed_share
    return "—" if share is None else percent(share)


def cells_of(figures):
    """The shown cells of an Execution, in the tables' column order."""
    return [{"value": str(v), "text": euro(v)} for v in (
        figures.allocated, figures.committed, figures.paid, figures.economia,
        figures.residuo)] + [{"value": str(figures.committed_share or ""),
                              "text": share_text(figures)}]


def warning(request, figures, threshold, below):
    """The Italian warning naming the committed share and the Region's threshold."""
    if not below:
        return None
    return request.localizer.translate(_(
        "Attenzione: la quota impegnata delle risorse FNPS allocate è ${share}, sotto la "
        "soglia del ${threshold} fissata dalla Regione.",
        mapping={"share": share_text(figures), "threshold": percent(threshold)}))


def movement_rows(request, figures):
    """The recorded movements (newest first), then the vouchers counted from the ledger."""
    translate = request.localizer.translate
    titles = {i.code: i.title for i in figures.plan.interventions}
    sources = {s.code: s.title for s in figures.plan.sources}
    rows = [{"when": format_datetime(m.get("when")), "kind": translate(KIND_TITLES[m["kind"]]),
             "intervention": f"{m['intervention']} — {titles.get(m['intervention'], '')}",
             "source": f"{m['source']} — {sources.get(m['source'], '')}",
             "year": str(m["year"]), "amount": euro(m["amount"]), "act": m.get("act", ""),
             "who": m.get("who", ""), "automatic": False}
            for m in reversed(figures.movements)]
    rows += [{"when": "", "kind": translate(KIND_TITLES[m.kind]),
              "intervention": f"{m.intervention} — {titles.get(m.intervention, '')}",
              "source": f"{m.source} — {sources.get(m.source, '')}",
              "year": translate(_("intero periodo")), "amount": euro(m.amount),
              "act": translate(VOUCHER_TITLE), "who": "", "automatic": True}
             for m in figures.vouchers]
    return rows


def page(context, request, *, error=None, sent=None):
    """The monitoring page's values (also re-rendered with a refused form)."""
    translate = request.localizer.translate
    figures = service.monitoring_of(context)
    values = {
        "page_title": translate(_("Monitoraggio della spesa — ${title}",
                                  mapping={"title": context.title})),
        "plan": context, "figures": figures, "error": error, "rows": [], "movements": [],
        "fnps": None, "fnps_warning": None, "can_record": False,
        "sent": {name: (sent or {}).get(name, "") for name in FIELDS},
        "csv_url": request.resource_path(context, "@@monitoraggio.csv"),
        "form_url": request.resource_path(context, "@@monitoraggio"),
    }
    if figures is None:
        return values
    values.update({
        "version_url": request.resource_path(figures.version),
        "rows": [{"intervention": f"{c.intervention.code} — {c.intervention.title}",
                  "source": f"{c.source.code} — {c.source.title}", "cells": cells_of(c.figures),
                  "vouchers": ((euro(c.vouchers.committed), euro(c.vouchers.paid))
                               if c.vouchers.committed or c.vouchers.paid else None)}
                 for c in figures.cells],
        "total": cells_of(figures.total),
        "fnps": cells_of(figures.fnps),
        "fnps_share": share_text(figures.fnps),
        "threshold": percent(figures.threshold) if figures.threshold is not None else None,
        "fnps_warning": warning(request, figures.fnps, figures.threshold, figures.below),
        "movements": movement_rows(request, figures),
        "can_record": bool(request.has_permission(RECORD_SPENDING, context)),
        "interventions": [(i.code, f"{i.code} — {i.title}")
                          for i in figures.plan.interventions],
        "sources": [(s.code, f"{s.code} — {s.title}") for s in figures.plan.sources],
        "years": [str(y) for y in context.years],
        "kinds": [(k, translate(t)) for k, t in KIND_TITLES.items()],
        "token": service.token(context),
    })
    return values


@view_config(context=ZonePlan, name="monitoraggio", permission=MONITORING_PERMISSION,
             request_method="GET", renderer="portal:templates/plans/monitoring.pt")
def monitoring_page(context, request):
    """Allocated, committed and paid per intervention × source of the approved version."""
    return page(context, request)


@view_config(context=ZonePlan, name="monitoraggio", permission=RECORD_SPENDING,
             request_method="POST", renderer="portal:templates/plans/monitoring.pt")
def record_movement(context, request):
    """Record a commitment or a payment; refused (nothing stored) with the reason."""
    sent = posted.posted(request, RECORD)
    try:
        movement = service.record_typed(context, sent, sent_token=sent["_version"],
                                        who=request.authenticated_userid)
    except PlanError as exc:
        return page(context, request, error=refuse(request, exc), sent=sent)
    audit.log(request, "movimento del piano di zona", context, kind=movement.kind,
              intervention=movement.intervention, source=movement.source, year=movement.year,
              amount=str(movement.amount), act=movement.act)
    kind = request.localizer.translate(KIND_TITLES[movement.kind])
    flash(request, _("Registrato: ${kind} di ${amount} (${act}).",
                     mapping={"kind": kind.lower(), "amount": euro(movement.amount),
                              "act": movement.act}))
    return HTTPSeeOther(request.resource_path(context, "@@monitoraggio"))


@view_config(context=ZonePlan, name="monitoraggio.csv", permission=MONITORING_PERMISSION,
             request_method="GET")
def movements_csv(context, request):
    """Every movement of the plan: the recorded ones, then the vouchers of the ledger."""
    figures = service.monitoring_of(context)
    rows = []
    if figures is not None:
        rows = [(to_local(m["when"]).isoformat(timespec="seconds") if m.get("when") else "",
                 m["kind"], m["intervention"], m["source"], m["year"], f"{m['amount']:.2f}",
                 m.get("act", ""), m.get("who", "")) for m in figures.movements]
        rows += [("", m.kind, m.intervention, m.source, "", f"{m.amount:.2f}",
                  request.localizer.translate(VOUCHER_TITLE), "") for m in figures.vouchers]
    response = Response(csvfile.write(CSV_HEADER, rows), content_type="text/csv",
                        charset="utf-8")
    name = f"movimenti-{context.district_code.lower()}-{context.period}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@view_config(context=Region, name="piani-fnps", permission=EDIT, request_method="GET",
             renderer="portal:templates/plans/monitoring_fnps.pt")
def region_fnps(context, request):
    """Every ATS's FNPS allocated, committed and paid, with the warning, and the total."""
    translate = request.localizer.translate
    period = (request.GET.get("periodo") or "").strip() or None
    found = fnps_service.fnps_by_district(request.root, period)
    if period is not None and period not in found.periods:
        period = None
        found = fnps_service.fnps_by_district(request.root)
    rows = [{"district": f"{r.district.code} — {r.district.title}",
             "plan": r.plan.period if r.plan is not None else None,
             "url": (request.resource_path(r.plan, "@@monitoraggio")
                     if r.plan is not None and r.approved else None),
             "approved": r.approved, "cells": cells_of(r.figures),
             "warning": warning(request, r.figures, found.threshold, r.below)}
            for r in found.rows]
    return {
        "page_title": translate(_("Monitoraggio FNPS dei piani di zona")),
        "rows": rows, "total": cells_of(found.total),
        "total_warning": warning(request, found.total, found.threshold, found.below),
        "threshold": percent(found.threshold) if found.threshold is not None else None,
        "periods": found.periods, "period": period or "",
        "form_url": request.resource_path(context, "@@piani-fnps"),
    }
