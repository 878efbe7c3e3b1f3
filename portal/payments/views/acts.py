"""Payment act pages: ``<ats>/@@liquidazioni`` (list, selection, preview, confirmation),
an act's page, its ``@@pdf`` and ``@@rettifica`` (a new act cancelling some of its lines).
"""
from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound, HTTPSeeOther
from pyramid.response import Response
from pyramid.view import view_config

from content_types.district import District
from content_types.payment_act import PaymentAct
from content_types.security import ADD_CONTENT, VIEW, VIEW_PERSONAL_DATA
from content_types.values import euro, format_datetime
from portal import audit
from portal.db import documents_registry
from portal.documents.registry import lookup
from portal.i18n import _
from portal.payments import acts
from portal.payments.rules import funds as fund_table
from portal.payments.rules.errors import NothingSelected
from portal.web import posted
from portal.web.layout import flash

SELECT = posted.schema(posted.text("azione"), posted.text("ente", limit=300),
                       posted.text("mese", limit=7), posted.texts("uid"),
                       posted.text("conferma"))
CORRECT = posted.schema(posted.texts("riga"), posted.text("motivo", limit=2000),
                        posted.text("conferma"))


def may_issue(request, district):
    """Only who may add to the ATS's acts folder issues an act (ATS officers, not the Region)."""
    folder = acts.folder_of(district, request.registry, create=True)
    if not request.has_permission(ADD_CONTENT, folder):
        raise HTTPForbidden(_("Solo gli uffici dell'Ambito emettono atti di liquidazione."))
    return folder


def fund_title(request, code):
    found = fund_table.BY_CODE.get(code)
    return f"{code} — {request.localizer.translate(found.title)}" if found else code


def common(request):
    return {"euro": euro, "when": format_datetime,
            "fund_title": lambda code: fund_title(request, code)}


@view_config(context=District, name="liquidazioni", permission=VIEW_PERSONAL_DATA,
             renderer="portal:templates/payments/acts.pt")
def acts_list(context, request):
    """The ATS's acts and the form for a new one: select → preview → confirm → issue."""
    providers, months = acts.choices(context)
    chosen = {"ente": request.GET.get("ente", ""), "mese": request.GET.get("mese", "")}
    preview = error = None
    if request.method == "POST":
        may_issue(request, context)
        sent = posted.posted(request, SELECT)
        chosen = {"ente": sent["ente"], "mese": sent["mese"]}
        if sent["azione"] == "emetti":
            if sent["conferma"] != "si":
                error = _("Confermare l'emissione: l'atto firmato non si potrà modificare.")
                preview = acts.preview(context, sent["ente"], sent["mese"])
            else:
                act = acts.issue(context, sent["uid"], who=request.authenticated_userid,
                                 registry=request.registry, service=request.documents,
                                 selection={"provider_path": sent["ente"],
                                            "month": sent["mese"]},
                                 actor=request, documents=documents_registry(request))
                audit.log(request, "atto di liquidazione emesso", act, document=act.document_id)
                flash(request, _("Atto di liquidazione ${number} emesso e firmato: "
                                 "${count} attestazioni liquidate.",
                                 mapping={"number": act.protocol, "count": len(act.lines)}))
                return HTTPSeeOther(request.resource_path(act))
        else:
            try:
                preview = acts.preview(context, sent["ente"], sent["mese"])
            except NothingSelected as exc:
                error = exc.message
    return {"district": context, "acts": acts.acts_of(context), "providers": providers,
            "months": months, "chosen": chosen, "preview": preview, "error": error,
            **common(request)}


@view_config(context=PaymentAct, permission=VIEW, renderer="portal:templates/payments/act.pt")
def act_view(context, request):
    """The act as issued: lines, totals, protocol, the corrections that reference it."""
    district = acts.application_services.district_of(context)
    corrected = [a for a in acts.acts_of(district) if a.uid == context.corrects_uid]
    return {"act": context, "corrections": acts.corrections_of(context),
            "corrected": corrected[0] if corrected else None,
            "personal": request.has_permission(VIEW_PERSONAL_DATA, context),
            "may_correct": (not context.corrects_uid
                            and request.has_permission(VIEW_PERSONAL_DATA, context)
                            and request.has_permission(ADD_CONTENT, context.__parent__)),
            "verify_url": (f"{request.documents.settings.verify_base_url.rstrip('/')}/"
                           f"{context.document_id}" if context.document_id else ""),
            **common(request)}


@view_config(context=PaymentAct, name="pdf", permission=VIEW_PERSONAL_DATA)
def act_pdf(context, request):
    if not context.document_id:
        raise HTTPNotFound(_("Il PDF dell'atto non è disponibile."))
    record = lookup(documents_registry(request), context.document_id)
    return Response(body=record.read(), content_type="application/pdf",
                    content_disposition=f'inline; filename="{record.filename}"')


@view_config(context=PaymentAct, name="rettifica", permission=VIEW_PERSONAL_DATA,
             renderer="portal:templates/payments/acts_correct.pt")
def act_correct(context, request):
    """Pick lines to cancel, give the reason, confirm: a new signed act references this one."""
    if not request.has_permission(ADD_CONTENT, context.__parent__):
        raise HTTPForbidden(_("Solo gli uffici dell'Ambito emettono atti di rettifica."))
    error, chosen, reason = None, (), ""
    if request.method == "POST":
        sent = posted.posted(request, CORRECT)
        chosen, reason = tuple(sent["riga"]), sent["motivo"]
        if sent["conferma"] != "si":
            error = _("Confermare la rettifica: il nuovo atto firmato non si potrà modificare.")
        else:
            correction = acts.correct(context, chosen, reason, who=request.authenticated_userid,
                                      registry=request.registry, service=request.documents,
                                      documents=documents_registry(request))
            audit.log(request, "atto di rettifica emesso", correction,
                      document=correction.document_id, corrects=context.protocol)
            flash(request, _("Atto di rettifica ${number} emesso e firmato.",
                             mapping={"number": correction.protocol}))
            return HTTPSeeOther(request.resource_path(correction))
    return {"act": context, "lines": acts.cancellable(context), "chosen": chosen,
            "reason": reason, "error": error, **common(request)}
