"""One attestation: its page (the default view), the provider's edit form, «Invia all'Ambito»."""
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

import workflows
from content_types.attestation import Attestation
from content_types.security import EDIT, VIEW, VIEW_PERSONAL_DATA
from content_types.values import amount, euro, format_date, rome_today
from portal import audit
from portal.errors import StaleForm
from portal.i18n import _
from portal.payments import attestations, grid
from portal.payments.rules.errors import AttestationRefused, PaymentError
from portal.web import posted as body
from portal.web.content_ops import audit_personal_read, workflow_panel
from portal.web.display import local_time
from portal.web.errors import refuse
from portal.web.layout import flash
from workflows.attestation import DRAFT, REVISE, SEND, SIGNED, SUBMIT, VALIDATE

#: the inputs of the edit form (the grid's names)
FIELDS = (("open_days", "giorni_apertura"), ("attended_days", "presenze"),
          ("absences", "assenze"), ("full_time", "tempo_pieno"),
          ("invoice_number", "numero_fattura"), ("invoice_date", "data_fattura"),
          ("invoice_amount", "importo_fattura"))
#: the edit form: its fields and the version it was loaded with
EDIT_FORM = body.schema(*(body.text(label, limit=60) for _name, label in FIELDS),
                        body.text("_version", strip=False))


def money(value):
    return euro(value) if value is not None else "—"


def version_of(attestation):
    """Changes on every write: the edit form sends it back to detect a stale form."""
    return attestation.modified.isoformat() if attestation.modified else ""


def step(record, request):
    """A stored step (confirmation, review, payment) for the page: its when in Rome time."""
    if not record:
        return None
    shown = dict(record)
    if shown.get("when") is not None:
        shown["when"] = local_time(shown["when"])
    return shown


@view_config(context=Attestation, permission=VIEW,
             renderer="portal:templates/payments/attestation.pt")
def attestation_view(context, request):
    personal = bool(request.has_permission(VIEW_PERSONAL_DATA, context))
    if personal:
        audit_personal_read(request, context)
    application = context.application
    missing = grid.invoice_missing(context)
    translate = request.localizer.translate
    panel = workflow_panel(request, context)
    return {
        "page_title": translate(_("Attestazione ${month} — ${protocol}",
                                  mapping={"month": context.month,
                                           "protocol": context.protocol})),
        "attestation": context, "personal": personal, "money": money,
        "application_url": request.resource_path(application) if application is not None else "",
        "invoice_date": format_date(context.invoice_date) if context.invoice_date else "",
        "missing": ", ".join(translate(m) for m in missing),
        "confirmation": step(context.family_confirmation, request),
        "review": step(context.review, request),
        "payment": step(context.payment, request),
        "workflow": panel,
        "edit_url": (request.resource_path(context, "@@modifica")
                     if context.state == DRAFT and request.has_permission(EDIT, context)
                     else ""),
        "sign_url": (request.resource_path(context, "@@conferma")
                     if request.has_permission("sign", context) else ""),
        "validate_url": (request.resource_path(context, "@@valida")
                         if request.has_permission(VALIDATE, context) else ""),
        "can_send": context.state == SIGNED and bool(request.has_permission(SUBMIT, context)),
        "send_url": request.resource_path(context, "@@invia"),
        "pdf_url": request.resource_path(context, "@@pdf"),
        "csrf_token": request.session.get_csrf_token(),
        # a returned attestation is reopened here (the generic transition view)
        "revise": [t for t in (panel or {}).get("transitions", ()) if t["name"] == REVISE],
        "transition_url": request.resource_path(context, "@@transizione"),
    }


def form_values(attestation, posted=None):
    values = {
        "giorni_apertura": attestation.open_days, "presenze": attestation.attended_days,
        "assenze": attestation.absences, "tempo_pieno": bool(attestation.full_time),
        "numero_fattura": attestation.invoice_number or "",
        "data_fattura": attestation.invoice_date.isoformat() if attestation.invoice_date else "",
        "importo_fattura": (amount(attestation.invoice_amount)
                            if attestation.invoice_amount is not None
                            else amount(attestation.voucher_share)
                            if attestation.voucher_share is not None else ""),
    }
    if posted is not None:
        values.update({label: posted.get(label, "") for _name, label in FIELDS})
        values["tempo_pieno"] = bool(posted.get("tempo_pieno"))
    return values


def edit_values(request, attestation, posted=None, error=None, errors=None):
    translate = request.localizer.translate
    return {
        "page_title": translate(_("Modifica l'attestazione ${month} — ${protocol}",
                                  mapping={"month": attestation.month,
                                           "protocol": attestation.protocol})),
        "attestation": attestation, "values": form_values(attestation, posted),
        "error": error, "errors": {k: translate(v) for k, v in (errors or {}).items()},
        "version": version_of(attestation), "money": money,
        "csrf_token": request.session.get_csrf_token(),
        "cancel_url": request.resource_path(attestation),
        "labels": (("giorni_apertura", translate(_("Giorni di apertura"))),
                   ("presenze", translate(_("Presenze"))), ("assenze", translate(_("Assenze")))),
    }


def draft_only(attestation):
    """Only a draft is corrected (a returned one is reopened as a draft first)."""
    if attestation.state != DRAFT:
        raise AttestationRefused(_("L'attestazione non è in bozza: non si modifica più."))


@view_config(context=Attestation, name="modifica", permission=EDIT, request_method="GET",
             renderer="portal:templates/payments/attestation_edit.pt")
def attestation_edit_form(context, request):
    draft_only(context)
    return edit_values(request, context)


@view_config(context=Attestation, name="modifica", permission=EDIT, request_method="POST",
             renderer="portal:templates/payments/attestation_edit.pt")
def attestation_edit(context, request):
    """Correct a draft: every rule checked again, nothing stored on a refusal."""
    draft_only(context)
    sent = body.posted(request, EDIT_FORM)
    if sent["_version"] != version_of(context):
        return edit_values(request, context, sent, error=refuse(request, StaleForm()))
    row = {name: sent[label] for name, label in FIELDS}
    attendance, invoice, found = grid.read_row(row)
    try:
        if found:
            raise AttestationRefused(next(iter(found.values())), found)
        attestations.update(context, attendance, invoice, who=request.authenticated_userid,
                            registry=request.registry, today=rome_today())
    except PaymentError as exc:
        return edit_values(request, context, sent, error=refuse(request, exc),
                           errors=exc.fields)
    flash(request, _("Attestazione aggiornata."))
    return HTTPSeeOther(request.resource_path(context))


@view_config(context=Attestation, name="invia", permission=SUBMIT, request_method="POST")
def attestation_send(context, request):
    """«Invia all'Ambito» of one signed attestation: only with a complete invoice."""
    missing = grid.invoice_missing(context)
    if missing or not attestations.invoice_complete(context):
        translate = request.localizer.translate
        raise AttestationRefused(_("La fattura è incompleta: manca ${missing}.",
                                   mapping={"missing": ", ".join(translate(m) for m in missing)}),
                                 {"fattura": "incompleta"})
    workflows.fire(context, request, SEND, registry=request.registry)
    audit.log(request, "invio-attestazione", context)
    flash(request, _("Attestazione inviata all'Ambito."))
    return HTTPSeeOther(request.resource_path(context))
