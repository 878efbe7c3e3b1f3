"""The family's confirmation of a monthly attestation: in the portal, or by a PDF it signed.

Transaction-aware, no request: the views fire the workflow and call these to build the
PDF's data, check an uploaded signed PDF against *this* attestation and record who
confirmed, how and when (``attestation.family_confirmation``).
"""
import re

from pyramid.traversal import find_root

from content_types.values import cents, euro, format_date, utcnow
from portal.applications.services import resolve_path
from portal.i18n import _
from portal.payments.rules.errors import PaymentError

IN_PORTAL, SIGNED_PDF = "area_personale", "pdf_firmato"
#: the line of the PDF that ties a signed copy to its attestation
CODE_LABEL = "Codice attestazione"
_FISCAL_CODE = re.compile(r"(?:TINIT-)?([A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z]"
                          r"[0-9LMNPQRSTUV]{3}[A-Z])")


class SignedPdfRefused(PaymentError):
    """An uploaded PDF that does not confirm this attestation (unsigned, invalid, another one)."""

    code = "signed_pdf_refused"
    http_status = 422
    default_message = _("Il PDF caricato non conferma questa attestazione.")


def verification_code(attestation):
    """What the PDF prints and the upload must carry: the attestation's own uid."""
    return attestation.uid


def pdf_data(attestation):
    """The attestation layout's data: the monthly record as it stands."""
    entry = resolve_path(find_root(attestation), attestation.entry_path)
    unit = getattr(entry, "title", "") or attestation.entry_path
    return {
        "provider": attestation.provider_title, "unit": unit,
        "beneficiary": attestation.beneficiary_name,
        "beneficiary_fiscal_code": attestation.beneficiary_fiscal_code,
        "protocol": attestation.protocol, "month": attestation.month,
        "open_days": attestation.open_days, "attended_days": attestation.attended_days,
        "absences": attestation.absences, "full_time": attestation.full_time,
        "tariff": attestation.tariff, "family_share": attestation.family_share,
        "voucher_share": attestation.voucher_share,
        "invoice_number": attestation.invoice_number,
        "invoice_date": attestation.invoice_date, "invoice_amount": attestation.invoice_amount,
        "code": verification_code(attestation),
        "statement": ("La famiglia, firmando digitalmente questo documento, conferma le "
                      "presenze e gli importi del mese indicati sopra."),
    }


def _compact(text):
    return re.sub(r"\s+", "", text or "")


def fiscal_code_of(subject):
    """The Italian fiscal code in a certificate subject (serialNumber TINIT-…), if any."""
    found = _FISCAL_CODE.search((subject or "").upper())
    return found.group(1) if found else ""


def check_signed_upload(attestation, upload):
    """The verdict of ``upload`` (an UploadedDocument) for ``attestation``; refusals change nothing."""
    if verification_code(attestation) not in _compact(upload.text):
        raise SignedPdfRefused(_("Il PDF caricato non è quello di questa attestazione "
                                 "(${month}, domanda ${protocol}): scaricare il PDF "
                                 "dell'attestazione, firmarlo e caricarlo di nuovo.",
                                 mapping={"month": attestation.month,
                                          "protocol": attestation.protocol}),
                               {"file": "altra attestazione"})
    verification = upload.verification or {}
    if not upload.signed or not verification:
        raise SignedPdfRefused(_("Il PDF caricato non è firmato digitalmente: firmarlo con il "
                                 "proprio certificato e caricarlo di nuovo."),
                               {"file": "non firmato"})
    if not verification.get("valid"):
        raise SignedPdfRefused(_("La firma del PDF caricato non è valida: ${verdict}",
                                 mapping={"verdict": verification.get("verdict", "")}),
                               {"file": "firma non valida"})
    first = (verification.get("signatures") or [{}])[0]
    return {"valid": True, "verdict": verification.get("verdict", ""),
            "signer_name": first.get("signer_name", ""),
            "signer_fiscal_code": fiscal_code_of(first.get("signer_subject", "")),
            "signing_time": first.get("signing_time")}


def record(attestation, method, who, when=None, **extra):
    """Write who confirmed ``attestation``, how and when."""
    attestation.family_confirmation = {"method": method, "who": who,
                                       "when": when or utcnow(), **extra}
    attestation.touch()
    return attestation.family_confirmation


def summary(attestation):
    """(label, value) rows of what the family confirms, formatted for the page."""
    def money(value):
        return euro(cents(value)) if value is not None else "—"
    return [
        (_("Mese"), attestation.month),
        (_("Beneficiario"), attestation.beneficiary_name),
        (_("Domanda"), attestation.protocol),
        (_("Ente gestore"), attestation.provider_title),
        (_("Giorni di apertura"), str(attestation.open_days)),
        (_("Giorni di presenza"), str(attestation.attended_days)),
        (_("Assenze"), str(attestation.absences)),
        (_("Tariffa mensile"), money(attestation.tariff)),
        (_("Quota a carico della famiglia"), money(attestation.family_share)),
        (_("Quota del buono"), money(attestation.voucher_share)),
        (_("Fattura"), " — ".join(v for v in (
            attestation.invoice_number,
            format_date(attestation.invoice_date) if attestation.invoice_date else "",
            money(attestation.invoice_amount) if attestation.invoice_amount is not None
            else "") if v) or "—"),
    ]
