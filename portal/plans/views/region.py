"""The Region's settings for the zone plans and its pre-fill of every ATS's transfers."""
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from content_types.region import Region
from content_types.security import EDIT
from content_types.values import euro
from portal import audit
from portal.i18n import _
from portal.plans import region as service
from portal.plans import store
from portal.plans.rules import transfers
from portal.plans.rules.errors import InvalidPlanData, PlanError
from portal.plans.rules.settings import MIN_FIELD, THRESHOLD_FIELD, read_settings
from portal.web import posted
from portal.web.errors import refuse
from portal.web.layout import flash

SETTINGS = posted.schema(posted.text(MIN_FIELD, limit=40), posted.text(THRESHOLD_FIELD, limit=40))
#: the largest CSV accepted (45 ATS × 4 sources × 3 years is a few kilobytes)
MAX_CSV_BYTES = 512 * 1024
DEFAULT_PERIOD = "2025-2027"
PERIOD_FIELD = posted.schema(posted.text("periodo", 20))
SPLIT, CSV = "ripartizione", "csv"


def decimal_input(value, places=2):
    """A stored Decimal as the form shows it («5,00»); None is blank."""
    return "" if value is None else f"{value:.{places}f}".replace(".", ",")


def field_errors(request, exc):
    translate = request.localizer.translate
    return {name: translate(message) for name, message in exc.fields.items()}


@view_config(context=Region, name="piani-impostazioni", permission=EDIT,
             renderer="portal:templates/plans/region_settings.pt")
def settings_view(context, request):
    """The minimum municipal co-financing and the FNPS commitment threshold (both optional)."""
    translate = request.localizer.translate
    error, errors = None, {}
    if request.method == "POST":
        sent = posted.posted(request, SETTINGS)
        try:
            minimum, threshold = read_settings(sent[MIN_FIELD], sent[THRESHOLD_FIELD])
        except InvalidPlanData as exc:
            error, errors = refuse(request, exc), field_errors(request, exc)
        else:
            service.save_settings(context, minimum, threshold)
            audit.log(request, "impostazioni dei piani di zona", context,
                      min_cofinancing=str(minimum), fnps_threshold=str(threshold))
            flash(request, _("Impostazioni dei piani di zona salvate."))
            return HTTPSeeOther(request.resource_path(context, "@@piani-impostazioni"))
    else:
        sent = {MIN_FIELD: decimal_input(context.plan_min_cofinancing),
                THRESHOLD_FIELD: decimal_input(context.plan_fnps_threshold, 1)}
    return {"page_title": translate(_("Impostazioni dei piani di zona")),
            "error": error, "errors": errors, "form": sent,
            "min_field": MIN_FIELD, "threshold_field": THRESHOLD_FIELD,
            "action": request.resource_path(context, "@@piani-impostazioni")}


# -- the pre-fill ------------------------------------------------------------------------
def _period(request, text):
    """(period, years) of ``text``, else of the default period; an error message if bad."""
    try:
        start, end = store.parse_period(text or DEFAULT_PERIOD)
    except PlanError as exc:
        return None, (), refuse(request, exc)
    return f"{start}-{end}", tuple(range(start, end + 1)), None


def _cells(codes, years):
    return [(code, year, f"totale.{code}.{year}") for code in codes for year in years]


def _csv_text(request, sent):
    """The CSV to read: the uploaded file, else the text carried by the preview."""
    upload = sent.get("file")
    if upload is None:
        return sent.get("csv_testo", "")
    data = upload.file.read(MAX_CSV_BYTES + 1)
    if len(data) > MAX_CSV_BYTES:
        raise InvalidPlanData(_("Il file è troppo grande per un elenco di trasferimenti."),
                              {"file": "troppo grande"})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _amounts(request, mode, period, years, sent):
    """{ats code: {(source, year): Decimal}} from the form (split or CSV)."""
    codes = service.transfer_codes()
    if mode == CSV:
        text = _csv_text(request, sent)
        sent["csv_testo"] = text
        found = transfers.read_csv(text, [d.code for d in service.districts(request.root)],
                                   codes, years)
        return found, {}
    cells = {(code, year): sent.get(name, "") for code, year, name in _cells(codes, years)}
    totals = transfers.read_totals(cells, codes, years)
    return service.split_by_inhabitants(request.root, totals), totals


def _form_schema(codes, years):
    nodes = [posted.text("periodo", 20), posted.text("modo", 20),
             posted.text("csv_testo", MAX_CSV_BYTES, strip=False), posted.upload("file"),
             posted.text("anteprima"), posted.text("conferma")]
    nodes += [posted.text(name, 40) for _c, _y, name in _cells(codes, years)]
    return posted.schema(*nodes)


def _preview_rows(request, found, codes, years):
    translate = request.localizer.translate
    return [{"code": t.district.code, "title": t.district.title,
             "inhabitants": f"{t.inhabitants:,}".replace(",", "."),
             "cells": [euro(t.amounts[c, y]) if (c, y) in t.amounts else "—"
                       for c in codes for y in years],
             "total": euro(t.total), "action": t.action,
             "version": t.version, "missing": ", ".join(t.missing),
             "reason": translate(t.reason) if t.reason is not None else ""}
            for t in found]


@view_config(context=Region, name="piani-trasferimenti", permission=EDIT,
             renderer="portal:templates/plans/region_transfers.pt")
def transfers_view(context, request):
    """Every ATS's national and regional transfers in one action: split a regional total by
    inhabitants or upload per-ATS amounts; a preview first, then «Conferma» writes them."""
    translate = request.localizer.translate
    codes = service.transfer_codes()
    raw_period = posted.posted(request, PERIOD_FIELD)["periodo"] if request.method == "POST" \
        else request.GET.get("periodo", "")[:20]
    period, years, error = _period(request, raw_period)
    sent, errors, preview, mode = {}, {}, None, SPLIT
    if period is not None and request.method == "POST":
        sent = posted.posted(request, _form_schema(codes, years))
        mode = CSV if sent["modo"] == CSV else SPLIT
        try:
            amounts, _totals = _amounts(request, mode, period, years, sent)
            found = service.targets(request.root, period, amounts)
            if sent["conferma"]:
                done = service.prefill(request.root, period, amounts,
                                       who=request.authenticated_userid,
                                       registry=request.registry)
                return _confirmed(context, request, period, done)
            preview = _preview_rows(request, found, codes, years)
        except InvalidPlanData as exc:
            error, errors = refuse(request, exc), field_errors(request, exc)
    sources = service.transfer_sources()
    return {
        "page_title": translate(_("Trasferimenti statali e regionali ai piani di zona")),
        "period": period or (raw_period or ""), "years": years, "mode": mode,
        "sources": [(s["code"], s["title"]) for s in sources],
        "cells": _cells(codes, years), "sent": sent, "error": error, "errors": errors,
        "line_errors": sorted(((int(k.split(".")[1]), v) for k, v in errors.items()
                               if k.startswith("riga.")), key=lambda item: item[0]),
        "preview": preview, "columns": [(c, y) for c in codes for y in years],
        "action": request.resource_path(context, "@@piani-trasferimenti"),
        "csv_columns": ";".join(transfers.CSV_COLUMNS),
    }


def _confirmed(context, request, period, done):
    written = [t for t in done if t.action != service.SKIP]
    skipped = [t for t in done if t.action == service.SKIP]
    audit.log(request, "precompilazione dei trasferimenti", context, period=period,
              written=[t.district.code for t in written],
              skipped=[t.district.code for t in skipped])
    flash(request, _("Trasferimenti del piano ${period} precompilati per ${count} Ambiti.",
                     mapping={"period": period, "count": len(written)}))
    for target in skipped:
        flash(request, _("${code} non aggiornato: ${reason}",
                         mapping={"code": target.district.code, "reason": target.reason}),
              "warning")
    return HTTPSeeOther(request.resource_path(context, "@@piani-trasferimenti",
                                              query={"periodo": period}))
