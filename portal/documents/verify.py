"""Verification of a PDF's signatures, with a verdict in plain Italian (translatable).

``verify_pdf`` is pure: bytes (or a file) in, ``VerificationResult`` out.
The HTTP views, the upload path and the tests all go through it.
"""
import io
import logging
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from translationstring import TranslationString

from content_types.values import format_datetime, utcnow
from portal.documents import changes
from portal.documents.errors import UploadRefused
from portal.documents.render import INFORMATION_SHEET
from portal.documents.signing import subject_name
from portal.documents.uploads import inspect_pdf, read_limited
from portal.i18n import _, joined

log = logging.getLogger(__name__)

_EXPIRED = {AdESIndeterminate.OUT_OF_BOUNDS_NO_POE, AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED}
_REVOKED = {AdESIndeterminate.REVOKED_NO_POE, AdESIndeterminate.REVOKED_CA_NO_POE}
_NO_CHAIN = {AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND}
_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[")


@dataclass(frozen=True)
class SignatureReport:
    """One signature's facts, in terms a citizen can read."""

    field_name: str
    kind: str = "signature"  # "signature" or "timestamp" (a PAdES document timestamp)
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
    additions: tuple = ()  # Italian phrases: what was added after signing beyond PAdES
    level: str = ""
    problem: str = ""

    @property
    def ok(self):
        return (self.intact and self.valid and self.trusted and not self.revoked
                and not self.modified_after_signing)

    @property
    def extended(self):
        """True when later revisions hold only what PAdES allows (DSS, timestamps, signatures)."""
        return self.ok and not self.whole_document

    def sentence(self):
        """One sentence about this signature (a message: Italian unless translated)."""
        if self.kind == "timestamp":
            return self._timestamp_sentence()
        who = self.signer_name or _("firmatario sconosciuto")
        if self.signer_organization:
            who = _("${name} (${organization})",
                    mapping={"name": who, "organization": self.signer_organization})
        mapping = {"who": who, "when": format_datetime(self.signing_time)}
        if not self.signing_time:
            base = _("Firmato da ${who}", mapping=mapping)
        elif self.timestamped:
            base = _("Firmato da ${who} il ${when} (orario certificato da marca temporale)",
                     mapping=mapping)
        else:
            base = _("Firmato da ${who} il ${when} (orario dichiarato dal firmatario, "
                     "non certificato)", mapping=mapping)
        if self.problem:
            return _("${signature}: ${problem}", mapping={"signature": base,
                                                          "problem": self.problem})
        return _("${signature}: firma valida.", mapping={"signature": base})

    def _timestamp_sentence(self):
        who = self.signer_name or _("autorità sconosciuta")
        mapping = {"who": who, "when": format_datetime(self.signing_time)}
        base = (_("Marca temporale sul documento del ${when} rilasciata da ${who}",
                  mapping=mapping) if self.signing_time
                else _("Marca temporale sul documento rilasciata da ${who}", mapping=mapping))
        if self.problem:
            return _("${signature}: ${problem}", mapping={"signature": base,
                                                          "problem": self.problem})
        return _("${signature}: valida.", mapping={"signature": base})


@dataclass(frozen=True)
class VerificationResult:
    """The outcome of checking one file."""

    status: str  # "valid", "invalid", "unsigned" or "refused"
    verdict: str  # the Italian text of ``message`` (API, logs)
    message: TranslationString | None = None  # the verdict, for a page in the reader's language
    sha256: str = ""
    size: int = 0
    pages: int = 0
    signatures: tuple = ()
    issued: dict | None = None  # registry facts when the portal issued this exact file
    refusal_code: str = ""
    checked_at: datetime = field(default_factory=utcnow)

    @property
    def valid(self):
        return self.status == "valid"

    def to_json(self):
        """A JSON-ready dict (datetimes as ISO strings)."""
        def convert(value):
            if isinstance(value, TranslationString):  # a problem: its Italian text
                return str(value)
            if isinstance(value, datetime):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: convert(v) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return [convert(v) for v in value]
            return value
        data = asdict(self)
        del data["message"]
        data["valid"] = self.valid
        for report, obj in zip(data["signatures"], self.signatures, strict=True):
            report["ok"] = obj.ok
            report["sentence"] = str(obj.sentence())
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
        return VerificationResult(status="refused", **_verdict(exc.message),
                                  refusal_code=exc.code)
    issued = None
    if registry is not None:
        record = registry.by_hash(inspection.sha256)
        if record is not None:
            issued = record.summary()
    try:
        reports = _check_signatures(data, trust_roots, allow_fetching, revocation_mode,
                                    other_certs)
    except Exception as exc:  # noqa: BLE001 - a file pypdf accepted but pyhanko cannot parse
        log.info("signature parsing failed: %r", exc)
        return VerificationResult(
            status="invalid", sha256=inspection.sha256, size=inspection.size,
            pages=inspection.pages, issued=issued, refusal_code="unreadable_signature",
            **_verdict(_("Le firme del documento non possono essere lette: il file è stato "
                         "alterato o non è un PDF firmato correttamente.")))
    return _result(inspection, reports, issued, data)


def _verdict(*parts):
    """The ``verdict`` (Italian) and ``message`` (translatable) of the sentences ``parts``."""
    message = joined([part for part in parts if part])
    return {"verdict": str(message), "message": message}


def _issued_message(issued):
    """The sentence recognising a document of this portal (None for any other file)."""
    if not issued:
        return None
    mapping = {"title": issued["title"], "when": format_datetime(issued["issued_at"]),
               "protocol": issued.get("protocol")}
    if issued.get("protocol"):
        return _("Il file coincide con il documento «${title}» emesso da questo portale il "
                 "${when} (protocollo ${protocol}).", mapping=mapping)
    return _("Il file coincide con il documento «${title}» emesso da questo portale il "
             "${when}.", mapping=mapping)


def _result(inspection, reports, issued, data=b""):
    common = {"sha256": inspection.sha256, "size": inspection.size, "pages": inspection.pages,
                  "signatures": tuple(reports), "issued": issued}
    issued_text = _issued_message(issued)
    if not reports and _BYTE_RANGE.search(data):
        # a signature dictionary is there but no signature can be read from it
        return VerificationResult(
            status="invalid", refusal_code="unreadable_signature",
            **_verdict(_("Attenzione: il file contiene una firma digitale che non può essere "
                         "letta. Il file è stato alterato dopo la firma o è danneggiato: non "
                         "è integro."), issued_text), **common)
    if not reports and INFORMATION_SHEET in inspection.keywords:
        return VerificationResult(
            status="unsigned", refusal_code="information_sheet",
            **_verdict(_("È una scheda informativa del catalogo, stampata dal portale senza "
                         "firma digitale: riporta i dati del servizio alla data di stampa, non "
                         "è un documento rilasciato dall'amministrazione e non se ne può "
                         "attestare l'autenticità. I dati aggiornati sono nella pagina del "
                         "servizio indicata in fondo alla scheda."), issued_text), **common)
    if not reports:
        return VerificationResult(
            status="unsigned",
            **_verdict(_("Il documento non contiene firme digitali: non è possibile "
                         "attestarne l'autenticità."), issued_text), **common)
    if all(r.ok for r in reports):
        first = reports[0]
        parts = [_("Documento integro: non è stato modificato dopo la firma."),
                 *(r.sentence() for r in reports)]
        if any(r.extended for r in reports):
            parts.append(_("Dopo la firma sono state aggiunte soltanto firme, marche temporali "
                           "o informazioni per la verifica nel tempo (DSS), come previsto "
                           "dallo standard PAdES."))
        if not issued:
            parts.append(_("Il file non risulta tra i documenti emessi da questo portale."))
        if not first.timestamped:
            parts.append(_("Nota: la data della firma è dichiarata dal firmatario e non è "
                           "certificata da una marca temporale."))
        return VerificationResult(status="valid", **_verdict(*parts, issued_text), **common)
    if any(r.modified_after_signing for r in reports):
        head = _("Attenzione: il documento è stato modificato dopo la firma e non è integro.")
    else:
        head = _("Attenzione, firma non valida.")
    return VerificationResult(
        status="invalid", **_verdict(head, *(r.sentence() for r in reports), issued_text),
        **common)


def _contexts(trust_roots, allow_fetching, revocation_mode, other_certs):
    """Fresh validation contexts (signer, timestamp): they cache what they fetch."""
    return tuple(ValidationContext(trust_roots=list(trust_roots), allow_fetching=allow_fetching,
                                   revocation_mode=revocation_mode,
                                   other_certs=list(other_certs)) for _ in range(2))


def _check_signatures(data, trust_roots, allow_fetching, revocation_mode, other_certs):
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    strays = changes.stray_bytes(data, reader)
    embedded_all = list(reader.embedded_signatures)
    reports = []
    for embedded in embedded_all:
        context, ts_context = _contexts(trust_roots, allow_fetching, revocation_mode,
                                        other_certs)
        later = [e for e in embedded_all if e.signed_revision > embedded.signed_revision]
        facts = _Later(data=data, strays=strays, fields={e.field_name for e in later},
                       timestamped=any(e.sig_object_type == "/DocTimeStamp" for e in later))
        if embedded.sig_object_type == "/DocTimeStamp":
            reports.append(_timestamp_report(embedded, ts_context, facts))
        else:
            reports.append(_report(embedded, context, ts_context, facts))
    return reports


@dataclass(frozen=True)
class _Later:
    """The file's bytes and what they hold after one signature: stray bytes, later fields."""

    data: bytes
    strays: list
    fields: set
    timestamped: bool


def _additions(embedded, status, later):
    """Italian phrases for what was added after ``embedded`` beyond PAdES (empty: nothing)."""
    _, len1, start2, len2 = embedded.byte_range
    signed_end = start2 + len2
    phrases = []
    hex_field = later.data[len1 + 1:start2 - 1]
    padding = changes.reserved_space_changes(hex_field, embedded.pkcs7_content)
    if padding:
        phrases.append(f"alterati {padding} byte nello spazio riservato alla firma, fuori "
                       "dai dati firmati")
    for stray in later.strays:
        after = stray.offset + stray.length - max(signed_end, stray.offset)
        if after > 0:
            phrases.append(f"aggiunti {after} byte dopo la fine del documento firmato, "
                           "fuori da ogni revisione del PDF")
    coverage = status.coverage
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return phrases
    if coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        return phrases + ["la firma copre solo una parte del file (intervallo non standard)"]
    diff = status.diff_result
    level = diff.modification_level if isinstance(diff, DiffResult) else ModificationLevel.OTHER
    allowed = level <= ModificationLevel.LTA_UPDATES or (
        level == ModificationLevel.FORM_FILLING and diff.changed_form_fields <= later.fields)
    if not allowed or status.docmdp_ok is False:  # None: not judged (document timestamps)
        try:
            described = changes.describe_revisions(embedded.reader, embedded.signed_revision)
        except Exception as exc:  # noqa: BLE001 - the verdict stands; only its details are lost
            log.info("could not describe the changes after %s: %r", embedded.field_name, exc)
            described = []
        phrases += described or [
            "modificata la struttura del file in modo non ammesso dopo una firma"]
    return phrases


def _modification_problem(additions):
    return _("dopo la firma il file è stato modificato (${changes}): la firma copre solo una "
             "versione precedente e il documento mostrato NON è quello firmato.",
             mapping={"changes": "; ".join(additions)})


def _validate(function, embedded, **kwargs):
    try:
        return function(embedded, diff_policy=changes.STRICT_DIFF_POLICY, **kwargs), None
    except Exception as exc:  # noqa: BLE001 - an untrusted file: any failure is a verdict
        log.info("signature %s could not be validated: %r", embedded.field_name, exc)
        return None, SignatureReport(
            field_name=embedded.field_name or "",
            kind="timestamp" if function is validate_pdf_timestamp else "signature",
            problem=_("la firma è alterata o illeggibile e non può essere verificata."))


#: the trust problems of a signer's certificate and of a timestamping authority's
_TRUST_PROBLEMS = {
    False: {
        "revoked_on": _("il certificato del firmatario è stato revocato il ${when}."),
        "revoked": _("il certificato del firmatario è stato revocato."),
        "expired": _("il certificato del firmatario era scaduto al momento della verifica "
                     "della firma."),
        "no_chain": _("il certificato del firmatario non è rilasciato da un'autorità di "
                      "certificazione riconosciuta da questo portale."),
        "unconfirmed": _("non è stato possibile confermare l'affidabilità del certificato "
                         "del firmatario (${indication})."),
    },
    True: {
        "revoked_on": _("il certificato dell'autorità di marcatura temporale è stato revocato "
                        "il ${when}."),
        "revoked": _("il certificato dell'autorità di marcatura temporale è stato revocato."),
        "expired": _("il certificato dell'autorità di marcatura temporale era scaduto al "
                     "momento della verifica della firma."),
        "no_chain": _("il certificato dell'autorità di marcatura temporale non è rilasciato "
                      "da un'autorità di certificazione riconosciuta da questo portale."),
        "unconfirmed": _("non è stato possibile confermare l'affidabilità del certificato "
                         "dell'autorità di marcatura temporale (${indication})."),
    },
}


def _trust_problem(status, indic, revoked, expired, timestamp=False):
    problems = _TRUST_PROBLEMS[timestamp]
    if revoked:
        when = status.revocation_details.revocation_date if status.revocation_details else None
        if when:
            return _(problems["revoked_on"], mapping={"when": format_datetime(when)})
        return problems["revoked"]
    if expired:
        return problems["expired"]
    if indic in _NO_CHAIN or (indic is None and status.validation_path is None):
        return problems["no_chain"]
    if indic is not None:
        return _(problems["unconfirmed"], mapping={"indication": indic.name})
    return ""


def _report(embedded, context, ts_context, later):
    name = embedded.field_name or ""
    status, failed = _validate(validate_pdf_signature, embedded,
                               signer_validation_context=context,
                               ts_validation_context=ts_context)
    if failed:
        return failed
    cert = status.signing_cert
    ts = status.timestamp_validity
    timestamped = ts is not None and ts.intact and ts.valid and ts.trusted
    signing_time = ts.timestamp if timestamped else status.signer_reported_dt
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    additions = tuple(_additions(embedded, status, later)) if status.intact else ()
    modified = bool(additions)
    indic = status.trust_problem_indic
    revoked = status.revoked or indic in _REVOKED
    expired = indic in _EXPIRED
    if later.timestamped:
        level = "B-LTA"
    elif _has_dss(embedded):
        level = "B-LT"
    else:
        level = "B-T" if ts is not None else "B-B"
    if not status.intact:
        problem = _("il contenuto è stato modificato dopo la firma: il documento NON è "
                    "quello firmato.")
    elif not status.valid:
        problem = _("il valore della firma non corrisponde: la firma è alterata.")
    elif modified:
        problem = _modification_problem(additions)
    else:
        problem = _trust_problem(status, indic, revoked, expired)
    return SignatureReport(
        field_name=name,
        signer_name=subject_name(cert) if cert is not None else "",
        signer_organization=_organization(cert),
        signer_subject=cert.subject.human_friendly if cert is not None else "",
        signing_time=signing_time, timestamped=bool(timestamped),
        intact=bool(status.intact), valid=bool(status.valid),
        trusted=bool(status.trusted), revoked=bool(revoked),
        revocation_date=(status.revocation_details.revocation_date
                         if status.revocation_details else None),
        expired=expired, whole_document=whole, modified_after_signing=modified,
        additions=additions, level=level, problem=problem)


def _timestamp_report(embedded, context, later):
    """A PAdES document timestamp: who certified the time, and whether it still covers."""
    status, failed = _validate(validate_pdf_timestamp, embedded, validation_context=context)
    if failed:
        return failed
    cert = status.signing_cert
    additions = tuple(_additions(embedded, status, later)) if status.intact else ()
    indic = status.trust_problem_indic
    revoked = status.revoked or indic in _REVOKED
    expired = indic in _EXPIRED
    if not status.intact:
        problem = _("il contenuto è stato modificato dopo la marca temporale.")
    elif not status.valid:
        problem = _("il valore della marca temporale non corrisponde: è alterata.")
    elif additions:
        problem = _modification_problem(additions)
    else:
        problem = _trust_problem(status, indic, revoked, expired, timestamp=True)
    return SignatureReport(
        field_name=embedded.field_name or "", kind="timestamp",
        signer_name=subject_name(cert) if cert is not None else "",
        signer_organization=_organization(cert),
        signer_subject=cert.subject.human_friendly if cert is not None else "",
        signing_time=status.timestamp, timestamped=True,
        intact=bool(status.intact), valid=bool(status.valid), trusted=bool(status.trusted),
        revoked=bool(revoked), expired=expired,
        whole_document=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        modified_after_signing=bool(additions), additions=additions, level="LTA",
        problem=problem)


def _organization(cert):
    """The subject's organization, unless it is already the signer's name (a long CN)."""
    if cert is None:
        return ""
    organization = cert.subject.native.get("organization_name", "") or ""
    return "" if organization == subject_name(cert) else organization


def _has_dss(embedded):
    try:
        return "/DSS" in embedded.reader.root
    except Exception:  # noqa: BLE001 - a damaged file has no readable DSS
        return False
