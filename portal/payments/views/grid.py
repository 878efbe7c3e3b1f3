"""The provider's monthly grid (``catalogo/<provider>/@@attestazioni``) and «Invia all'Ambito».

The plain form posts every row at once (all or nothing). The script
``static/js/attestation-grid.js`` posts the same fields in chunks to
``@@attestazioni-blocco`` (JSON): first every chunk only checked, then saved with a
progress bar, so a refused row is reported before anything is stored.
"""
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

import workflows
from content_types.provider import Provider
from content_types.security import ADD_CONTENT, EDIT, VIEW_PERSONAL_DATA
from content_types.values import amount, euro, rome_today
from portal import audit
from portal.i18n import _
from portal.payments import grid
from portal.payments.rules import grid as grid_rules
from portal.payments.rules import monthly
from portal.payments.rules.errors import PaymentError
from portal.web import posted
from portal.web.errors import json_error, refuse
from portal.web.labels import workflow_state_title
from portal.web.layout import flash

#: the posted field of each row input: ``<uid>.<name>``
INPUTS = (("open_days", "giorni_apertura"), ("attended_days", "presenze"),
          ("absences", "assenze"), ("full_time", "tempo_pieno"),
          ("invoice_number", "numero_fattura"), ("invoice_date", "data_fattura"),
          ("invoice_amount", "importo_fattura"))
CHUNK = 100


#: what a grid POST sends besides its rows
GRID_FORM = posted.schema(posted.text("mese", limit=7), posted.text("verifica", limit=1))


def chosen_month(request, today):
    """The month asked for (``mese``, in the query or the form), the current one by default."""
    month = request.GET.get("mese", "")
    if not month and request.method == "POST":
        month = posted.posted(request, GRID_FORM)["mese"]
    return month.strip() or monthly.month_key(today)


def posted_rows(request):
    """The rows of the POST: one per ``riga`` (the application uid), with its inputs."""
    return [{"uid": row.pop("riga"), **row} for row in posted.rows(request, "riga", INPUTS)]


def may_attest(request):
    """The check each row's application must pass: the user attests for this provider there."""
    def allowed(application):
        existing_or_new = request.has_permission(ADD_CONTENT, application)
        return bool(existing_or_new)
    return allowed


def row_view(request, row, workflow, posted=None, errors=None):
    """What the template shows of one grid row (``posted``: the values sent back on error)."""
    application, stored = row.application, row.attestation
    attendance, amounts = row.attendance, row.amounts
    number, day, invoice_amount = row.invoice
    values = {
        "giorni_apertura": attendance.open_days if attendance else "",
        "presenze": attendance.attended_days if attendance else "",
        "assenze": attendance.absences if attendance else "",
        "tempo_pieno": bool(attendance.full_time) if attendance else True,
        "numero_fattura": number or "",
        "data_fattura": day.isoformat() if day else "",
        "importo_fattura": amount(invoice_amount) if invoice_amount is not None else "",
    }
    if posted:
        values.update({label: posted.get(name, "") for name, label in INPUTS})
        values["tempo_pieno"] = grid_rules.parse_flag(posted.get("full_time"))
    personal = bool(request.has_permission(VIEW_PERSONAL_DATA, application))
    return {
        "uid": application.uid, "protocol": application.protocol,
        "beneficiary": application.beneficiary_name if personal else "",
        "application_url": request.resource_path(application),
        "state": stored.state if stored is not None else "",
        "state_title": (workflow_state_title(request, workflow, stored.state)
                        if stored is not None else request.localizer.translate(_("Da attestare"))),
        "url": request.resource_path(stored) if stored is not None else "",
        "editable": row.editable, "blocked": request.localizer.translate(row.blocked)
        if row.blocked else "",
        "fields": values,
        "tariff": euro(amounts.tariff) if amounts else "—",
        "family": euro(amounts.family) if amounts else "—",
        "voucher": euro(amounts.voucher) if amounts else "—",
        "errors": {k: request.localizer.translate(v) for k, v in (errors or {}).items()},
    }


def grid_values(request, provider, month_text, today, posted=None, errors=None, error=None,
                sent=None):
    month, rows = grid.month_rows(provider, month_text, registry=request.registry, today=today)
    key = monthly.month_key(month)
    workflow = workflows.get_workflow(request.registry, "attestation")
    by_uid = {r["uid"]: r for r in (posted or ())}
    shown = [row_view(request, row, workflow, by_uid.get(row.application.uid),
                      (errors or {}).get(row.application.uid)) for row in rows]
    if any(r["beneficiary"] for r in shown):
        audit.log_read(request, provider, what=f"beneficiari della griglia {key}")
    translate = request.localizer.translate
    return {
        "page_title": translate(_("Attestazioni mensili — ${title}",
                                  mapping={"title": provider.title})),
        "provider": provider, "month": key,
        "months": grid_rules.selectable_months(today),
        "rows": shown, "editable": sum(1 for r in shown if r["editable"]),
        "signed": sum(1 for r in shown if r["state"] == "signed"),
        "error": error, "sent": sent, "chunk": CHUNK,
        "action": request.resource_path(provider, "@@attestazioni", query={"mese": key}),
        "chunk_url": request.resource_path(provider, "@@attestazioni-blocco"),
        "send_url": request.resource_path(provider, "@@invia-attestazioni"),
        "csrf_token": request.session.get_csrf_token(),
        "labels": {"giorni_apertura": translate(_("Giorni di apertura")),
                   "presenze": translate(_("Presenze")), "assenze": translate(_("Assenze"))},
    }


@view_config(context=Provider, name="attestazioni", permission=EDIT, request_method="GET",
             renderer="portal:templates/payments/grid.pt")
def grid_page(context, request):
    today = rome_today()
    return grid_values(request, context, chosen_month(request, today), today)


@view_config(context=Provider, name="attestazioni", permission=EDIT, request_method="POST",
             renderer="portal:templates/payments/grid.pt")
def grid_save(context, request):
    """The no-script path: every row in one POST, all saved or none."""
    today = rome_today()
    month = chosen_month(request, today)
    rows = posted_rows(request)
    try:
        result = grid.save_month(context, month, rows, who=request.authenticated_userid,
                                 registry=request.registry, today=today,
                                 allowed=may_attest(request))
    except grid.GridRefused as exc:
        return grid_values(request, context, month, today, posted=rows, errors=exc.rows,
                           error=refuse(request, exc))
    audit.log(request, "griglia-attestazioni", context, month=month,
              created=len(result.created), updated=len(result.updated))
    flash(request, _("Attestazioni salvate: ${created} nuove, ${updated} corrette, "
                     "${unchanged} invariate.",
                     mapping={"created": len(result.created), "updated": len(result.updated),
                              "unchanged": len(result.unchanged)}))
    return HTTPSeeOther(request.resource_path(context, "@@attestazioni", query={"mese": month}))


@view_config(context=Provider, name="attestazioni-blocco", permission=EDIT,
             request_method="POST", renderer="json")
def grid_chunk(context, request):
    """One chunk of the grid from the script: ``verifica=1`` only checks; JSON either way."""
    today = rome_today()
    month = chosen_month(request, today)
    rows = posted_rows(request)
    check_only = posted.posted(request, GRID_FORM)["verifica"] == "1"
    try:
        result = grid.save_month(context, month, rows, who=request.authenticated_userid,
                                 registry=request.registry, today=today,
                                 allowed=may_attest(request), dry_run=check_only)
    except PaymentError as exc:
        return json_error(request, exc.http_status, exc.code, exc.message, exc.fields)
    if not check_only:
        audit.log(request, "griglia-attestazioni", context, month=month,
                  created=len(result.created), updated=len(result.updated))
    return {"checked": len(rows), "saved": 0 if check_only else result.saved,
            "created": len(result.created), "updated": len(result.updated)}


@view_config(context=Provider, name="invia-attestazioni", permission=EDIT,
             request_method="POST", renderer="portal:templates/payments/grid.pt")
def grid_send(context, request):
    """«Invia all'Ambito»: every signed attestation of the month with a complete invoice."""
    today = rome_today()
    month = chosen_month(request, today)

    def fire(attestation, name):
        workflows.fire(attestation, request, name, registry=request.registry)
    result = grid.send_month(context, month, registry=request.registry, today=today, fire=fire)
    translate = request.localizer.translate
    sent = {
        "count": len(result.sent),
        "incomplete": [{"protocol": a.protocol, "url": request.resource_path(a),
                        "missing": ", ".join(translate(m) for m in missing)}
                       for a, missing in result.incomplete],
    }
    audit.log(request, "invio-attestazioni", context, month=month, sent=len(result.sent))
    if not result.incomplete:
        flash(request, _("Attestazioni inviate all'Ambito: ${count}.",
                         mapping={"count": len(result.sent)}))
        return HTTPSeeOther(request.resource_path(context, "@@attestazioni",
                                                  query={"mese": month}))
    return grid_values(request, context, month, today, sent=sent)

