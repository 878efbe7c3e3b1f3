"""The SIUSS export of an ATS: ``prestazioni/@@siuss`` (period, «Anteprima», «Genera e
trasmetti», the history of transmissions) and the downloads of a transmission: the XML
(``@@siuss-flusso?n=``), the signed receipt (``@@siuss-ricevuta?n=``) and the error report
(``@@siuss-errori?n=``, or for a preview ``?anno=`` / ``?da=&a=``). File names carry the
ATS code and the transmission number, never personal data.
"""
from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.response import Response
from pyramid.view import view_config

from content_types.benefit import BenefitFolder
from content_types.security import EXPORT_SIUSS
from content_types.values import format_date, format_datetime, parse_day, rome_today, utcnow
from portal import audit
from portal.db import documents_registry
from portal.documents.registry import lookup
from portal.documents.service import query_service
from portal.i18n import _
from portal.people import store as people
from portal.register import siuss
from portal.register.rules.errors import RegisterError
from portal.web import posted
from portal.web.layout import flash

PERIOD = posted.schema(posted.text("anno", limit=4), posted.text("da", limit=10),
                       posted.text("a", limit=10), posted.text("conferma", limit=2))


def chosen_period(values):
    """The period asked (``anno`` or ``da``/``a``); ``RegisterError`` for what cannot be read."""
    year, start, end = values.get("anno", ""), values.get("da", ""), values.get("a", "")
    if start or end:
        try:
            return siuss.period_of(start=parse_day(start), end=parse_day(end))
        except ValueError:
            raise siuss.SiussError(_("Indicare le date del periodo come 31/01/2025."),
                                   {"da": _("Data non valida.")}) from None
    if not (year.isdigit() and len(year) == 4 and 2000 <= int(year) <= 2100):
        raise siuss.SiussError(_("Indicare l'anno del periodo (4 cifre) oppure le date di "
                                 "inizio e fine."), {"anno": _("Anno non valido.")})
    return siuss.period_of(year=int(year))


def operator_of(request):
    return (getattr(request.user, "fiscal_code", "") or "").strip().upper()


def _values(request):
    if request.method == "POST":
        return posted.posted(request, PERIOD)
    return {name: (request.GET.get(name) or "").strip()[:10] for name in ("anno", "da", "a")}


@view_config(context=BenefitFolder, name="siuss", permission=EXPORT_SIUSS,
             renderer="portal:templates/register/siuss.pt")
def siuss_page(context, request):
    """Choose the period, see what goes and what does not, then generate and send."""
    district = people.district_of(context)
    values = _values(request)
    if not any(values.get(n) for n in ("anno", "da", "a")):
        values = {"anno": str(rome_today().year), "da": "", "a": ""}
    preview = error = None
    if request.method == "POST" or "anteprima" in request.GET:
        try:
            period = chosen_period(values)
            now = utcnow()
            preview = siuss.prepare(district, period, operator_of(request), request.registry,
                                    now)
            if request.method == "POST":
                if values.get("conferma") != "si":
                    raise siuss.SiussError(_("Confermare la trasmissione: il flusso firmato "
                                             "non si potrà modificare."))
                if not preview.records:
                    raise siuss.NothingToSend
                sent = siuss.transmit(
                    district, period, request.authenticated_userid, operator_of(request),
                    request.registry, query_service(request.registry),
                    documents_registry(request),
                    now=now, operator_name=getattr(request.user, "title", "") or "",
                    export=preview)
                audit.log(request, "flusso SIUSS trasmesso", context, flow=sent.name,
                          number=sent.number, sent=sent.sent, not_sent=sent.not_sent,
                          sha256=sent.sha256, receipt=sent.receipt_uid)
                flash(request, _("Flusso ${name} generato, validato e firmato: ${sent} "
                                 "prestazioni trasmesse, ${not_sent} non trasmesse.",
                                 mapping={"name": sent.name, "sent": sent.sent,
                                          "not_sent": sent.not_sent}))
                return HTTPSeeOther(request.resource_path(context, "@@siuss"))
            audit.log(request, "lettura", context, what="anteprima del flusso SIUSS")
        except RegisterError as exc:  # raised before anything is written
            error = exc.message
    return {"district": context, "ats": district, "values": values, "preview": preview,
            "error": error, "transmissions": siuss.transmissions_of(district),
            "operator": operator_of(request), "when": format_datetime, "day": format_date}


def transmission_of(context, request):
    number = request.GET.get("n", "")
    found = None
    if number.isdigit():
        found = {t.number: t for t in siuss.transmissions_of(people.district_of(context))}.get(
            int(number))
    if found is None:
        raise HTTPNotFound(_("Trasmissione SIUSS non trovata."))
    return found


def _file_name(context, transmission, suffix):
    code = (people.district_of(context).code or "ambito").lower()
    return f"siuss-{code}-{transmission.number}{suffix}"


@view_config(context=BenefitFolder, name="siuss-flusso", permission=EXPORT_SIUSS,
             request_method="GET")
def siuss_xml(context, request):
    found = transmission_of(context, request)
    audit.log(request, "lettura", context, what="flusso SIUSS", number=found.number)
    return Response(body=found.read_xml(), content_type="application/xml",
                    content_disposition=f'attachment; filename="{_file_name(context, found, ".xml")}"')


@view_config(context=BenefitFolder, name="siuss-ricevuta", permission=EXPORT_SIUSS,
             request_method="GET")
def siuss_receipt(context, request):
    found = transmission_of(context, request)
    record = lookup(documents_registry(request), found.receipt_uid)
    name = _file_name(context, found, "-ricevuta.pdf")
    return Response(body=record.read(), content_type="application/pdf",
                    content_disposition=f'inline; filename="{name}"')


@view_config(context=BenefitFolder, name="siuss-errori", permission=EXPORT_SIUSS,
             request_method="GET")
def siuss_errors(context, request):
    """The error report as CSV: of a transmission (``n``) or of a preview (the period)."""
    if request.GET.get("n"):
        found = transmission_of(context, request)
        rows, name = found.errors, _file_name(context, found, "-errori.csv")
    else:
        district = people.district_of(context)
        export = siuss.prepare(district, chosen_period(_values(request)), operator_of(request),
                               request.registry)
        rows = siuss.error_rows(export.rejected)
        name = f"siuss-{(district.code or 'ambito').lower()}-anteprima-errori.csv"
    audit.log(request, "lettura", context, what="rapporto errori SIUSS")
    response = Response(siuss.errors_csv(rows), content_type="text/csv", charset="utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@view_config(context=BenefitFolder, name="siuss-trasmissione", permission=EXPORT_SIUSS,
             request_method="GET", renderer="portal:templates/register/siuss_transmission.pt")
def siuss_transmission(context, request):
    """One transmission: what was sent, its files, and the records left out with the reasons."""
    found = transmission_of(context, request)
    if found.errors:
        audit.log(request, "lettura", context, what="rapporto errori SIUSS", number=found.number)
    return {"district": context, "ats": people.district_of(context), "t": found,
            "when": format_datetime, "day": format_date}
