"""The family's side of the monthly cycle: what waits for it, confirm, PDF, signed upload."""
from pyramid.httpexceptions import HTTPForbidden, HTTPSeeOther
from pyramid.response import Response
from pyramid.view import view_config

import workflows
from content_types.attestation import Attestation
from content_types.portal_root import Portal
from content_types.security import VIEW
from portal import audit
from portal.db import documents_registry
from portal.documents import layouts
from portal.documents.errors import UploadRefused
from portal.documents.uploads import read_posted
from portal.i18n import _
from portal.payments import family
from portal.payments.family_queries import to_confirm
from portal.web import posted as body
from portal.web.layout import flash
from workflows.attestation import DRAFT, SIGN

CONFIRM_TEMPLATE = "portal:templates/payments/family_confirm.pt"
#: the signed copy the family uploads
UPLOAD_FORM = body.schema(body.upload("file"))


@view_config(context=Portal, name="attestazioni-da-confermare", permission=VIEW,
             request_method="GET", renderer="portal:templates/payments/family_list.pt")
def pending_list(context, request):
    if request.authenticated_userid is None:
        raise HTTPForbidden(_("Accedere per vedere le attestazioni da confermare."))
    rows = [{"month": a.month, "beneficiary": a.beneficiary_name, "protocol": a.protocol,
             "provider": a.provider_title, "summary": family.summary(a),
             "url": request.resource_path(a, "@@conferma"),
             "pdf_url": request.resource_path(a, "@@pdf")} for a in to_confirm(request)]
    return {"page_title": request.localizer.translate(_("Attestazioni da confermare")),
            "rows": rows}


def _page(context, request):
    return {"page_title": request.localizer.translate(
                _("Conferma dell'attestazione ${month}", mapping={"month": context.month})),
            "attestation": context, "summary": family.summary(context),
            "open": context.state == DRAFT,
            "pdf_url": request.resource_path(context, "@@pdf"),
            "confirm_url": request.resource_path(context, "@@conferma"),
            "upload_url": request.resource_path(context, "@@carica-firmata"),
            "confirmation": context.family_confirmation}


@view_config(context=Attestation, name="conferma", permission=SIGN, request_method="GET",
             renderer=CONFIRM_TEMPLATE)
def confirm_page(context, request):
    return _page(context, request)


def _signed(context, request, method, upload=None, **extra):
    """Fire SIGN (its guard: not the author) and record the confirmation; then back to the page."""
    workflows.fire(context, request, SIGN, request.localizer.translate(
        _("Confermata dalla famiglia nell'area personale") if method == family.IN_PORTAL
        else _("Confermata dalla famiglia con PDF firmato")))
    if upload is not None:
        context.signed_upload = upload
    family.record(context, method, request.authenticated_userid, **extra)
    audit.log(request, "attestazione confermata dalla famiglia", context, metodo=method)
    flash(request, _("Attestazione del mese ${month} confermata.",
                     mapping={"month": context.month}))
    # the family no longer holds «sign» here: back to what still waits for it
    return HTTPSeeOther(request.resource_path(request.root, "@@attestazioni-da-confermare"))


@view_config(context=Attestation, name="conferma", permission=SIGN, request_method="POST")
def confirm(context, request):
    return _signed(context, request, family.IN_PORTAL)


@view_config(context=Attestation, name="pdf", permission=VIEW)
def attestation_pdf(context, request):
    """The attestation as a PDF to sign (a plain render: the family's signature is the one that counts)."""
    service = request.documents
    header = service.header(f"Attestazione mensile {context.month}", context.protocol,
                            subject=context.beneficiary_name)
    body = layouts.attestation(header, family.pdf_data(context))
    return Response(body=body, content_type="application/pdf",
                    content_disposition=f'inline; filename="attestazione-{context.month}.pdf"')


@view_config(context=Attestation, name="carica-firmata", permission=SIGN,
             request_method="GET", renderer=CONFIRM_TEMPLATE)
def upload_page(context, request):
    return _page(context, request)


@view_config(context=Attestation, name="carica-firmata", permission=SIGN,
             request_method="POST")
def upload_signed(context, request):
    """The family's signed copy: a PDF, within limits, validly signed, for THIS attestation."""
    posted = body.posted(request, UPLOAD_FORM)["file"]
    if posted is None:
        raise family.SignedPdfRefused(_("Allegare il PDF dell'attestazione firmato."),
                                      {"file": "obbligatorio"})
    service = request.documents
    try:
        data = read_posted(posted, service.settings.max_upload_bytes)
        upload = service.store_upload(data, filename=posted.filename,
                                      uploader=request.authenticated_userid,
                                      registry=documents_registry(request))
    except UploadRefused as exc:
        raise family.SignedPdfRefused(
            _("Il file caricato non è stato accettato: ${reason}",
              mapping={"reason": request.localizer.translate(exc.message)}),
            {"file": posted.filename}) from None
    verdict = family.check_signed_upload(context, upload)
    return _signed(context, request, family.SIGNED_PDF, upload,
                   document_uid=upload.sha256[:16],
                   sha256=upload.sha256, filename=posted.filename, **verdict)
