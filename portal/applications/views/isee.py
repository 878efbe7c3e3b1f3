"""The ATS officer's ISEE registry: CSV upload (all or nothing), manual entry with PDF, check."""
import csv

from BTrees.OOBTree import OOBTree
from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.response import Response
from pyramid.view import view_config

from content_types.application_folder import ApplicationFolder
from content_types.base import ensure_attr
from content_types.security import VIEW_PERSONAL_DATA
from content_types.values import parse_day
from portal import audit
from portal.applications import services
from portal.applications.rules.errors import BenefitError, IseeImportError
from portal.applications.rules.isee import (
    CSV_COLUMNS,
    CSV_OPTIONAL,
    ISEE_TYPES,
    IseeRegistry,
    make_attestation,
)
from portal.applications.rules.submission import check_attachment
from portal.db import documents_registry
from portal.documents.errors import UploadRefused
from portal.documents.uploads import read_posted
from portal.errors import BadRequest
from portal.i18n import _
from portal.web import posted
from portal.web.errors import refuse
from portal.web.layout import flash

MAX_CSV_BYTES = 5 * 1024 * 1024
FILE_MISSING = _("Scegliere il file CSV del registro ISEE da caricare.")
#: the fields of the manual entry form (the domain checks each value)
MANUAL_FIELDS = ("codice_fiscale", "protocollo_dsu", "tipo_isee", "valore_isee", "data_dsu")
CSV_UPLOAD = posted.schema(posted.upload())
MANUAL = posted.schema(*(posted.text(name, strip=False) for name in MANUAL_FIELDS),
                       posted.upload())
CHECK = posted.schema(posted.text("codice_fiscale", upper=True), posted.text("protocollo_dsu"))


class CsvRefused(BenefitError):
    """The uploaded file is not a readable CSV: nothing is stored."""

    code = "isee_csv_refused"


def csv_text(data):
    """The text of an uploaded CSV, or an Italian refusal (empty, not UTF-8, binary)."""
    if not data or not data.strip():
        raise CsvRefused(_("Il file caricato è vuoto: nessuna attestazione è stata caricata."),
                         {"file": "vuoto"})
    if len(data) > MAX_CSV_BYTES:
        raise CsvRefused(_("Il file supera i 5 MB ammessi: dividerlo in più file."),
                         {"file": "troppo grande"})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvRefused(_("Il file non è un testo in codifica UTF-8: salvarlo come «CSV UTF-8» "
                           "e caricarlo di nuovo. Nessuna attestazione è stata caricata."),
                         {"file": "codifica"}) from None
    if "\x00" in text:
        raise CsvRefused(_("Il file non è un CSV di testo: nessuna attestazione è stata "
                           "caricata."),
                         {"file": "formato"})
    return text


def pending_checks(registry):
    """Manual entries still waiting for an officer's check against their PDF."""
    found = [a for a in registry.entries() if a.needs_check]
    return sorted(found, key=lambda a: (a.fiscal_code, a.protocol))


def _registry(context):
    return ensure_attr(context, "isee_registry", IseeRegistry)


def _page(context, request, **values):
    registry = context.isee_registry
    translate = request.localizer.translate
    if values.get("error"):
        values["error"] = translate(values["error"])
    return {
        "page_title": translate(_("Registro ISEE — ${title}",
                                  mapping={"title": context.__parent__.title})),
        "folder": context,
        "count": len(registry) if registry is not None else 0,
        "pending": pending_checks(registry) if registry is not None else [],
        "columns": ";".join(CSV_COLUMNS + CSV_OPTIONAL), "types": ISEE_TYPES,
        "error": None, "row_errors": {}, "row_warnings": {}, "form": {}, **values,
    }


@view_config(context=ApplicationFolder, name="isee-registro", permission=VIEW_PERSONAL_DATA,
             renderer="portal:templates/applications/isee_registry.pt")
def isee_registry_view(context, request):
    """Upload the ATS's ISEE CSV: any bad row refuses the whole file, each one listed."""
    if request.method != "POST":
        return _page(context, request)
    upload = posted.posted(request, CSV_UPLOAD)["file"]
    try:
        if upload is None:
            raise CsvRefused(FILE_MISSING, {"file": "obbligatorio"})
        text = csv_text(upload.file.read(MAX_CSV_BYTES + 1))
        try:
            report = _registry(context).load_csv(text)
        except csv.Error as exc:
            raise CsvRefused(_("Il file non è un CSV leggibile (${detail}): nessuna "
                               "attestazione è stata caricata.", mapping={"detail": str(exc)}),
                             {"file": "formato"}) from None
    except IseeImportError as exc:
        rows = exc.fields if any(k.startswith("riga") for k in exc.fields) else {}
        return _page(context, request, error=refuse(request, exc), row_errors=rows)
    except CsvRefused as exc:
        return _page(context, request, error=refuse(request, exc))
    audit.log(request, "caricamento registro ISEE", context, loaded=report.loaded,
              warnings=len(report.warnings), filename=upload.filename)
    flash(request, _("Registro ISEE caricato: ${count} attestazioni dal file «${filename}».",
                     mapping={"count": report.loaded, "filename": upload.filename}))
    if report.warnings:
        return _page(context, request, loaded=report.loaded, row_warnings=report.warnings)
    return HTTPSeeOther(request.resource_path(context, "@@isee-registro"))


def _parse_day(text):
    try:
        return parse_day(text)
    except ValueError:
        raise BenefitError(_("Data della DSU non valida: «${text}» (usare GG/MM/AAAA).",
                             mapping={"text": (text or "").strip()}),
                           {"data_dsu": "non valida"}) from None


def add_manual_entry(request, context, params, upload):
    """Check every value and the PDF first; only then store the PDF and the attestation."""
    day = _parse_day(params.get("data_dsu"))
    if day > services.today():
        raise BenefitError(_("La data della DSU non può essere futura."), {"data_dsu": "futura"})
    fields = (params.get("codice_fiscale"), params.get("protocollo_dsu"),
              (params.get("tipo_isee") or "").strip(), (params.get("valore_isee") or "").strip(),
              day)
    make_attestation(*fields)  # raises on bad values before anything is stored
    if upload is None or not hasattr(upload, "file"):
        raise BenefitError(_("Per l'inserimento manuale dell'ISEE occorre allegare "
                             "l'attestazione INPS in PDF."), {"file": "obbligatorio"})

    service = request.documents
    try:
        data = read_posted(upload, service.settings.max_upload_bytes)
    except UploadRefused as exc:
        raise BenefitError(exc.message, {"file": upload.filename}) from None
    check_attachment(data, upload.filename)
    try:
        stored = service.store_upload(
            data, filename=upload.filename, uploader=request.authenticated_userid,
            registry=documents_registry(request))
    except UploadRefused as exc:
        raise BenefitError(_("L'allegato «${filename}» non è stato accettato: ${reason}",
                             mapping={"filename": upload.filename,
                                      "reason": request.localizer.translate(exc.message)}),
                           {"file": upload.filename}) from None
    uploads = ensure_attr(context, "isee_uploads", OOBTree)
    uid = stored.sha256[:16]
    uploads[uid] = stored
    return _registry(context).add_manual(*fields, entered_by=request.authenticated_userid,
                                         attachment_uid=uid)


@view_config(context=ApplicationFolder, name="isee-manuale", permission=VIEW_PERSONAL_DATA,
             renderer="portal:templates/applications/isee_manual.pt")
def isee_manual_view(context, request):
    """An officer enters an attestation by hand, with its PDF: it waits for a check."""
    if request.method != "POST":
        return _page(context, request)
    sent = posted.posted(request, MANUAL)
    try:
        attestation = add_manual_entry(request, context, sent, sent["file"])
    except BenefitError as exc:
        form = {k: sent[k] for k in MANUAL_FIELDS}
        return _page(context, request, error=refuse(request, exc), form=form)
    audit.log(request, "inserimento manuale ISEE", context, protocol=attestation.protocol)
    flash(request, _("Attestazione ${protocol} inserita: è da verificare sul PDF allegato.",
                     mapping={"protocol": attestation.protocol}))
    for warning in attestation.warnings:
        flash(request, warning, "warning")
    return HTTPSeeOther(request.resource_path(context, "@@isee-registro"))


@view_config(context=ApplicationFolder, name="isee-verifica", permission=VIEW_PERSONAL_DATA,
             request_method="POST")
def isee_check_view(context, request):
    """Mark a manual entry as checked against its PDF."""
    sent = posted.posted(request, CHECK)
    code, protocol = sent["codice_fiscale"], sent["protocollo_dsu"]
    registry = context.isee_registry
    if registry is None or not any(a.protocol == protocol and a.needs_check
                                   for a in registry.attestations(code)):
        raise BadRequest(_("Nessuna attestazione da verificare con questi dati."),
                         {"protocollo_dsu": protocol})
    registry.mark_checked(code, protocol)
    audit.log(request, "verifica ISEE manuale", context, protocol=protocol)
    flash(request, _("Attestazione ${protocol} segnata come verificata.",
                     mapping={"protocol": protocol}))
    return HTTPSeeOther(request.resource_path(context, "@@isee-registro"))


@view_config(context=ApplicationFolder, name="isee-allegato", permission=VIEW_PERSONAL_DATA)
def isee_attachment_view(context, request):
    """The PDF attached to a manual entry, for the officer's check."""
    uploads = getattr(context, "isee_uploads", None)
    stored = uploads.get(request.GET.get("uid", "")) if uploads is not None else None
    if stored is None:
        raise HTTPNotFound("Allegato non trovato.")
    audit.log_read(request, context, what="attestazione ISEE")
    return Response(body=stored.read(), content_type="application/pdf",
                    content_disposition='inline; filename="attestazione-isee.pdf"')
