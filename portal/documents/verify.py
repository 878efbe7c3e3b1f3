"""Verification of a PDF's signatures, with a verdict in plain Italian.

``verify_pdf`` is pure: bytes (or a file) in, ``VerificationResult`` out.
The HTTP views, the upload path and the tests all go through it.
"""
import io
import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from .errors import UploadRefused
from .render import format_datetime
from .signing import subject_name
from .uploads import inspect_pdf, read_limited

log = logging.getLogger(__name__)

_EXPIRED = {AdESIndeterminate.OUT_OF_BOUNDS_NO_POE, AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED}
_REVOKED = {AdESIndeterminate.REVOKED_NO_POE, AdESIndeterminate.REVOKED_CA_NO_POE}
_NO_CHAIN = {AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND}


@dataclass(frozen=True)
class SignatureReport:
    """One signature's facts, in terms a citizen can read."""

    field_name: str
    signer_name: str = ""
    signer_organization: str = ""
    signer_subject: str = ""
    signing_time: datetime | None = None
    timestamped: bool = False  # True when the time comes from an RFC 3161 timestamp
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    revoked: bool = False
    revocation_date: datetime | None = None
    expired: bool = False
    whole_document: bool = False
    modified_after_signing: bool = False
    level: str = ""
    problem: str = ""

    @property
    def ok(self):
        return (self.intact and self.valid and self.trusted and not self.revoked
                and not self.modified_after_signing)

    def sentence(self):
        """One Italian sentence about this signature."""
        who = self.signer_name or "firmatario sconosciuto"
        if self.signing_time:
            when = format_datetime(self.signing_time)
            source = ("orario certificato da marca temporale" if self.timestamped
                      else "orario dichiarato dal firmatario, non certificato")
            when_text = f" il {when} ({source})"
        else:
            when_text = ""
        base = f"Firmato da {who}" + (f" ({self.signer_organization})"
                                       if self.signer_organization else "") + when_text
        if self.problem:
            return f"{base}: {self.problem}"
        return f"{base}: firma valida."


@dataclass(frozen=True)
class VerificationResult:
    """The outcome of checking one file."""

    status: str  # "valid", "invalid", "unsigned" or "refused"
    verdict: str
    sha256: str = ""
    size: int = 0
    pages: int = 0
    signatures: tuple = ()
    issued: dict | None = None  # registry facts when the portal issued this exact file
    refusal_code: str = ""
    checked_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    @property
    def valid(self):
        return self.status == "valid"

    def to_json(self):
        """A JSON-ready dict (datetimes as ISO strings)."""
        def convert(value):
            if isinstance(value, datetime):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: convert(v) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return [convert(v) for v in value]
            return value
        data = asdict(self)
        data["valid"] = self.valid
        for report, obj in zip(data["signatures"], self.signatures, strict=True):
            report["ok"] = obj.ok
            report["sentence"] = obj.sentence()
        return convert(data)


def verify_pdf(source, trust_roots=(), registry=None, *, max_bytes=20 * 1024 * 1024,
               max_pages=500, allow_fetching=False, revocation_mode="soft-fail",
               other_certs=()):
    """Check ``source`` (bytes or binary file) and return a ``VerificationResult``.

    ``trust_roots``: asn1crypto certificates the portal trusts; ``registry``: a
    ``DocumentRegistry`` (or None) to recognise documents this portal issued.
    """
    try:
        data = read_limited(source, max_bytes)
        inspection = inspect_pdf(data, max_pages=max_pages, extract_text=False)
    except UploadRefused as exc:
        return VerificationResult(status="refused", verdict=exc.message,
                                  refusal_code=exc.code)
    issued = None
    if registry is not None:
        from .registry import lookup_hash
        record = lookup_hash(registry, inspection.sha256)
        if record is not None:
            issued = record.summary()
    try:
        reports = _check_signatures(data, trust_roots, allow_fetching, revocation_mode,
                                    other_certs)
    except Exception as exc:  # a file pypdf accepted but pyhanko cannot parse
        log.info("signature parsing failed: %r", exc)
        return VerificationResult(
            status="invalid", sha256=inspection.sha256, size=inspection.size,
            pages=inspection.pages, issued=issued, refusal_code="unreadable_signature",
            verdict="Le firme del documento non possono essere lette: il file è stato "
                    "alterato o non è un PDF firmato correttamente.")
    return _result(inspection, reports, issued)


def _result(inspection, reports, issued):
    common = dict(sha256=inspection.sha256, size=inspection.size, pages=inspection.pages,
                  signatures=tuple(reports), issued=issued)
    issued_text = ""
    if issued:
        issued_text = (f" Il file coincide con il documento «{issued['title']}» emesso da "
                       f"questo portale il {format_datetime(issued['issued_at'])}"
                       + (f" (protocollo {issued['protocol']})" if issued.get("protocol")
                          else "") + ".")
    if not reports:
        return VerificationResult(
            status="unsigned",
            verdict="Il documento non contiene firme digitali: non è possibile "
                    "attestarne l'autenticità." + issued_text, **common)
    if all(r.ok for r in reports):
        first = reports[0]
        text = ("Documento integro: non è stato modificato dopo la firma. "
                + " ".join(r.sentence() for r in reports))
        if not issued:
            text += " Il file non risulta tra i documenti emessi da questo portale."
        if not first.timestamped:
            text += (" Nota: la data della firma è dichiarata dal firmatario e non è "
                     "certificata da una marca temporale.")
        return VerificationResult(status="valid", verdict=text + issued_text, **common)
    problems = " ".join(r.sentence() for r in reports)
    return VerificationResult(status="invalid",
                              verdict="Attenzione, firma non valida. " + problems + issued_text,
                              **common)


def _check_signatures(data, trust_roots, allow_fetching, revocation_mode, other_certs):
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    reports = []
    for embedded in reader.embedded_signatures:
        context = ValidationContext(trust_roots=list(trust_roots),
                                    allow_fetching=allow_fetching,
                                    revocation_mode=revocation_mode,
                                    other_certs=list(other_certs))
        ts_context = ValidationContext(trust_roots=list(trust_roots),
                                       allow_fetching=allow_fetching,
                                       revocation_mode=revocation_mode,
                                       other_certs=list(other_certs))
        reports.append(_report(embedded, context, ts_context))
    return reports


def _report(embedded, context, ts_context):
    name = embedded.field_name or ""
    try:
        status = validate_pdf_signature(embedded, signer_validation_context=context,
                                        ts_validation_context=ts_context)
    except Exception as exc:
        log.info("signature %s could not be validated: %r", name, exc)
        return SignatureReport(field_name=name, problem=(
            "la firma è alterata o illeggibile e non può essere verificata."))
    cert = status.signing_cert
    subject = cert.subject.native if cert is not None else {}
    ts = status.timestamp_validity
    timestamped = ts is not None and ts.intact and ts.valid and ts.trusted
    signing_time = ts.timestamp if timestamped else status.signer_reported_dt
    coverage = status.coverage
    whole = coverage == SignatureCoverageLevel.ENTIRE_FILE
    # later revisions may add signatures, form values or validation data
    # (pyhanko's diff analysis says which); anything else counts as tampering
    modified = not whole and not (
        coverage == SignatureCoverageLevel.ENTIRE_REVISION and status.docmdp_ok
        and status.modification_level is not None
        and status.modification_level.name in ("NONE", "LTA_UPDATES", "FORM_FILLING"))
    indic = status.trust_problem_indic
    revoked = status.revoked or indic in _REVOKED
    expired = indic in _EXPIRED
    level = "B-LT" if embedded.sig_object.get("/Contents") is not None and \
        _has_dss(embedded) else ("B-T" if ts is not None else "B-B")
    problem = ""
    if not status.intact:
        problem = ("il contenuto è stato modificato dopo la firma: il documento NON è "
                   "quello firmato.")
    elif not status.valid:
        problem = "il valore della firma non corrisponde: la firma è alterata."
    elif modified:
        problem = ("dopo la firma il file è stato modificato con aggiunte non consentite: "
                   "la firma copre solo una versione precedente.")
    elif revoked:
        when = status.revocation_details.revocation_date if status.revocation_details else None
        problem = ("il certificato del firmatario è stato revocato"
                   + (f" il {format_datetime(when)}" if when else "") + ".")
    elif expired:
        problem = "il certificato del firmatario era scaduto al momento della verifica della firma."
    elif indic in _NO_CHAIN or (indic is None and status.validation_path is None):
        problem = ("il certificato del firmatario non è rilasciato da un'autorità di "
                   "certificazione riconosciuta da questo portale.")
    elif indic is not None:
        problem = ("non è stato possibile confermare l'affidabilità del certificato del "
                   f"firmatario ({indic.name}).")
    return SignatureReport(
        field_name=name,
        signer_name=subject_name(cert) if cert is not None else "",
        signer_organization=subject.get("organization_name", "") or "",
        signer_subject=cert.subject.human_friendly if cert is not None else "",
        signing_time=signing_time, timestamped=bool(timestamped),
        intact=bool(status.intact), valid=bool(status.valid),
        trusted=bool(status.trusted), revoked=bool(revoked),
        revocation_date=(status.revocation_details.revocation_date
                         if status.revocation_details else None),
        expired=expired, whole_document=whole, modified_after_signing=modified,
        level=level, problem=problem)


def _has_dss(embedded):
    try:
        return "/DSS" in embedded.reader.root
    except Exception:
        return False
