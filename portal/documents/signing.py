"""PAdES signing of issued PDFs with pyhanko (B-B, B-T with a TSA, B-LT with revocation info).

A ``DocumentSigner`` is built once (from settings or explicitly) and reused:
loading the key, parsing the chain and building the pyhanko objects are the
expensive parts, the RSA signature itself is well under a millisecond.
"""
import io
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass

from asn1crypto import cms, pem, tsp, x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko_certvalidator import ValidationContext

from portal.documents.errors import ConfigurationProblem, SigningFailed
from portal.documents.settings import read_secret
from portal.i18n import _

FIELD_NAME = "FirmaUfficio"
#: Fallback room for the CMS blob, in hex digits as pyhanko counts it, when
#: the chain cannot be measured up front.
DEFAULT_BYTES_RESERVED = 32 * 1024
#: With embedded CRLs/OCSP responses the blob can grow a lot.
LT_BYTES_RESERVED = 96 * 1024


def _estimate_reserved(signer, timestamped, with_revocation):
    """Room for the CMS blob from the actual chain: no dry-run signature needed.

    Certificates + signer info + signature fit in the chain size plus 2 KiB
    (twice that in hex digits);
    a timestamp token brings its own chain (8 KiB allowance); embedded
    revocation info can be large.
    """
    if with_revocation:
        return LT_BYTES_RESERVED
    try:
        certs = list(signer.cert_registry or ()) + [signer.signing_cert]
        size = sum(len(c.dump()) for c in certs) + 2048
    except Exception:  # noqa: BLE001 - a token that cannot list its certificates yet
        return DEFAULT_BYTES_RESERVED
    if timestamped:
        size += 8192
    size *= 2  # pyhanko counts the reserved room in hex digits
    return max(8192, size + (-size % 1024))


def load_certificates(paths):
    """asn1crypto certificates from PEM or DER files (a PEM file may hold several)."""
    certs = []
    for path in paths:
        with open(path, "rb") as fh:
            data = fh.read()
        if pem.detect(data):
            for _, _, der in pem.unarmor(data, multiple=True):
                certs.append(x509.Certificate.load(der))
        else:
            certs.append(x509.Certificate.load(data))
    return certs


def subject_name(cert):
    """The human name of a certificate's subject (CN, else the whole DN).

    X.509 caps the CN at 64 characters (RFC 5280 ub-common-name), so a long office name
    arrives cut there; when the organization name carries it whole, that is the name."""
    subject = cert.subject.native
    common = subject.get("common_name") or ""
    if isinstance(common, list):
        common = common[0] if common else ""
    organization = subject.get("organization_name") or ""
    if isinstance(organization, list):
        organization = organization[0] if organization else ""
    cut = common.rstrip(" .…")
    if cut and len(organization) > len(common) and organization.startswith(cut):
        return organization
    return common or cert.subject.human_friendly


#: signed attributes whose DER is fully determined by the signer and the digest
_DETERMINISTIC_ATTRS = frozenset({
    "content_type", "message_digest", "signing_certificate_v2", "cms_algorithm_protection",
})


@dataclass(frozen=True)
class _CMSTemplate:
    der: bytes
    attrs_start: int  # where the [0] IMPLICIT signed attributes start in ``der``
    attrs_end: int
    digest_offset: int  # of the message digest, relative to attrs_start
    sig_offset: int
    sig_len: int


class TemplateCMSMixin:
    """Reuse the CMS structure of the first signature for the following ones.

    For a PAdES B-B signature everything in the CMS blob except the message
    digest and the signature value is fixed by the signer's certificate: the
    signed attributes are content-type, message-digest, signing-certificate-v2
    and cms-algorithm-protection.  pyhanko rebuilds that whole structure with
    asn1crypto for every document (~15 ms); here pyhanko builds it once, the
    template is checked to vary only in those two places, and later
    signatures patch the digest in, sign the re-tagged attributes with the same
    key and patch the signature in: the bytes are exactly what pyhanko would
    have produced.  Anything else (timestamps, dry runs, other attributes,
    variable-length signatures such as ECDSA) takes pyhanko's normal path.
    """

    _cms_templates = None

    async def async_sign(self, data_digest, digest_algorithm, dry_run=False,
                         use_pades=False, timestamper=None, signed_attr_settings=None,
                         is_pdf_sig=True, encap_content_info=None):
        plain = (use_pades and not dry_run and timestamper is None and is_pdf_sig
                 and encap_content_info is None)
        if not plain:
            return await super().async_sign(
                data_digest, digest_algorithm, dry_run=dry_run, use_pades=use_pades,
                timestamper=timestamper, signed_attr_settings=signed_attr_settings,
                is_pdf_sig=is_pdf_sig, encap_content_info=encap_content_info)
        if self._cms_templates is None:
            self._cms_templates = {}
        key = digest_algorithm.lower()
        template = self._cms_templates.get(key)
        if template is None:
            content_info = await super().async_sign(
                data_digest, digest_algorithm, use_pades=True,
                signed_attr_settings=signed_attr_settings)
            self._cms_templates[key] = await self._make_template(
                content_info, data_digest, digest_algorithm, signed_attr_settings) or False
            return content_info
        if template is False:
            return await super().async_sign(
                data_digest, digest_algorithm, use_pades=True,
                signed_attr_settings=signed_attr_settings)
        return await self._sign_with_template(template, data_digest, digest_algorithm)

    async def _sign_with_template(self, template, data_digest, digest_algorithm):
        der = template.der
        attrs = bytearray(der[template.attrs_start:template.attrs_end])
        attrs[template.digest_offset:template.digest_offset + len(data_digest)] = data_digest
        signature = await self.async_sign_raw(b"\x31" + bytes(attrs[1:]), digest_algorithm)
        if len(signature) != template.sig_len:
            raise SigningFailed(_("Lunghezza della firma inattesa."))
        out = b"".join((der[:template.attrs_start], bytes(attrs),
                        der[template.attrs_end:template.sig_offset], signature,
                        der[template.sig_offset + template.sig_len:]))
        return cms.ContentInfo.load(out)

    async def _make_template(self, content_info, data_digest, digest_algorithm,
                             signed_attr_settings):
        """A template if a second signature differs only in digest and signature."""
        signer_info = content_info["content"]["signer_infos"][0]
        attr_types = {attr["type"].native for attr in signer_info["signed_attrs"]}
        if not attr_types <= _DETERMINISTIC_ATTRS:
            return None
        der = content_info.dump()
        attrs_der = signer_info["signed_attrs"].dump()
        signature = signer_info["signature"].native
        if der.count(attrs_der) != 1 or der.count(signature) != 1 \
                or attrs_der.count(data_digest) != 1:
            return None
        attrs_start = der.index(attrs_der)
        template = _CMSTemplate(
            der=der, attrs_start=attrs_start, attrs_end=attrs_start + len(attrs_der),
            digest_offset=attrs_der.index(data_digest), sig_offset=der.index(signature),
            sig_len=len(signature))
        # prove it: a pyhanko signature over another digest must match the template
        other_digest = bytes(b ^ 0xFF for b in data_digest)
        expected = (await super().async_sign(
            other_digest, digest_algorithm, use_pades=True,
            signed_attr_settings=signed_attr_settings)).dump()
        patched = (await self._sign_with_template(
            template, other_digest, digest_algorithm)).dump()
        if patched != expected and not self._same_but_signature(patched, expected, template):
            return None
        return template

    @staticmethod
    def _same_but_signature(a, b, template):
        # randomised schemes (PSS) give a different value each time
        cut = template.sig_offset
        end = cut + template.sig_len
        return len(a) == len(b) and a[:cut] == b[:cut] and a[end:] == b[end:]


class CachedKeySigner(TemplateCMSMixin, signers.SimpleSigner):
    """SimpleSigner that parses its private key once.

    pyhanko's SimpleSigner re-imports the key from DER for every signature;
    with current pyca/cryptography that import validates the RSA key and costs
    ~40 ms, a hundred times the signature itself.
    """

    _pyca_key = None

    def sign_raw(self, data, digest_algorithm):
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if self._pyca_key is None:
            self._pyca_key = serialization.load_der_private_key(
                self.signing_key.dump(), password=None)
        if (mechanism["algorithm"].native in ("sha256_rsa", "sha384_rsa", "sha512_rsa",
                                               "rsassa_pkcs1v15")
                and isinstance(self._pyca_key, RSAPrivateKey)):
            return self._pyca_key.sign(data, PKCS1v15(),
                                       get_pyca_cryptography_hash(digest_algorithm))
        return super().sign_raw(data, digest_algorithm)  # other key types: pyhanko's path

    @classmethod
    def from_simple(cls, simple):
        """Re-wrap a SimpleSigner loaded by pyhanko's helpers."""
        return cls(signing_cert=simple.signing_cert, signing_key=simple.signing_key,
                   cert_registry=simple.cert_registry,
                   signature_mechanism=simple.signature_mechanism)


def _fast_pkcs11_class():
    from pyhanko.sign.pkcs11 import PKCS11Signer  # noqa: PLC0415 - needs python-pkcs11, installed only where an HSM signs

    class _FastPKCS11Signer(TemplateCMSMixin, PKCS11Signer):
        """PKCS#11 signer with the CMS template fast path (one token call per document)."""

    return _FastPKCS11Signer


def FastPKCS11Signer(*args, **kwargs):  # noqa: N802 - a class factory: python-pkcs11 is optional
    return _fast_pkcs11_class()(*args, **kwargs)


@dataclass(frozen=True)
class SignedPdf:
    """The result of signing: bytes plus what the registry records about it."""

    data: bytes
    signer_name: str
    level: str  # "B-B", "B-T" or "B-LT"


class DocumentSigner:
    """A reusable PAdES signer for the office's documents (thread-safe)."""

    def __init__(self, signer, *, timestamper=None, validation_context=None,
                 embed_validation_info=False, reason="Documento emesso dal portale",
                 location="", field_name=FIELD_NAME, bytes_reserved=None):
        if embed_validation_info and validation_context is None:
            raise ConfigurationProblem(
                _("Per incorporare le informazioni di revoca serve un contesto di validazione."))
        self.signer = signer
        self.timestamper = timestamper
        self.embed_validation_info = embed_validation_info
        self.validation_context = validation_context
        self.field_name = field_name
        if bytes_reserved is None:
            bytes_reserved = _estimate_reserved(signer, timestamper is not None,
                                                embed_validation_info)
        self.bytes_reserved = bytes_reserved
        self.meta = PdfSignatureMetadata(
            field_name=field_name,
            md_algorithm="sha256",
            subfilter=SigSeedSubFilter.PADES,
            reason=reason,
            location=location or None,
            embed_validation_info=embed_validation_info,
            validation_context=validation_context,
            use_pades_lta=False,
        )
        self.pdf_signer = PdfSigner(self.meta, signer=signer, timestamper=timestamper)
        # PKCS#11 sessions are not safe for concurrent use; PKCS#12 keys are,
        # but serialising costs nothing measurable at our volumes.
        self._lock = threading.Lock()

    @property
    def signing_cert(self):
        return self.signer.signing_cert

    @property
    def signer_name(self):
        return subject_name(self.signer.signing_cert)

    @property
    def level(self):
        if self.embed_validation_info:
            return "B-LT"
        return "B-T" if self.timestamper is not None else "B-B"

    def sign(self, pdf_bytes):
        """Sign ``pdf_bytes`` (an unsigned or already signed PDF) incrementally."""
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
            out = io.BytesIO()
            with self._lock:
                self.pdf_signer.sign_pdf(writer, bytes_reserved=self.bytes_reserved,
                                         output=out)
        except SigningFailed:
            raise
        except Exception as exc:  # pyhanko raises many types; callers need one
            raise SigningFailed(
                _("La firma digitale del documento non è riuscita: ${error}.",
                  mapping={"error": type(exc).__name__})) from exc
        return SignedPdf(out.getvalue(), self.signer_name, self.level)

    # -- constructors ----------------------------------------------------------------
    @classmethod
    def from_pkcs12(cls, path, password, **kwargs):
        """Load a PKCS#12 file (``password`` as str or bytes, or None)."""
        if isinstance(password, str):
            password = password.encode("utf-8")
        try:
            signer = signers.SimpleSigner.load_pkcs12(path, passphrase=password)
        except OSError as exc:
            raise ConfigurationProblem(
                _("Impossibile leggere il file PKCS#12 ${path}.", mapping={"path": path})) from exc
        if signer is None:
            raise ConfigurationProblem(
                _("Il file PKCS#12 ${path} non si apre: password errata o file non valido.",
                  mapping={"path": path}))
        return cls(CachedKeySigner.from_simple(signer), **kwargs)

    @classmethod
    def from_pkcs11(cls, module, token_label, pin, key_label, cert_label=None, ca_chain=(),
                    **kwargs):
        """Sign with a key held in a PKCS#11 token (HSM, smart card, SoftHSM).

        ``ca_chain``: intermediate certificates to embed (asn1crypto objects),
        for tokens that hold only the signer's own certificate.
        """
        from pyhanko.config.pkcs11 import TokenCriteria  # noqa: PLC0415 - needs python-pkcs11, installed only where an HSM signs
        from pyhanko.sign.pkcs11 import open_pkcs11_session  # noqa: PLC0415 - needs python-pkcs11, installed only where an HSM signs
        try:
            session = open_pkcs11_session(
                module, token_criteria=TokenCriteria(label=token_label), user_pin=pin)
            signer = FastPKCS11Signer(session, key_label=key_label,
                                      cert_label=cert_label or key_label,
                                      ca_chain=list(ca_chain) or None)
            # load the certificate now: a wrong label must fail at startup
            signer.signing_cert  # noqa: B018
        except Exception as exc:
            raise ConfigurationProblem(
                _("Impossibile usare il token PKCS#11 «${token_label}»: ${error}: ${detail}",
                  mapping={"token_label": token_label, "error": type(exc).__name__, "detail": exc})) from exc
        signer_obj = cls(signer, **kwargs)
        signer_obj.pkcs11_session = session
        return signer_obj

    @classmethod
    def from_settings(cls, settings):
        """Build the portal's signer from ``DocumentSettings``; None if signing is off."""
        kwargs = {"location": settings.office_name}
        if settings.tsa_url:
            kwargs["timestamper"] = UrllibTimeStamper(settings.tsa_url,
                                                      timeout=settings.tsa_timeout)
        if settings.embed_revocation_info:
            kwargs["embed_validation_info"] = True
            kwargs["validation_context"] = make_validation_context(
                settings.trust_roots, allow_fetching=True,
                revocation_mode=settings.revocation_mode)
        if settings.signer == "pkcs12":
            password = read_secret(settings.pkcs12_password_env,
                                   settings.pkcs12_password_file, "la password PKCS#12")
            return cls.from_pkcs12(settings.pkcs12_file, password, **kwargs)
        if settings.signer == "pkcs11":
            pin = read_secret(settings.pkcs11_pin_env, settings.pkcs11_pin_file,
                              "il PIN PKCS#11")
            return cls.from_pkcs11(settings.pkcs11_module, settings.pkcs11_token_label, pin,
                                   settings.pkcs11_key_label,
                                   settings.pkcs11_cert_label or None,
                                   ca_chain=load_certificates(settings.pkcs11_chain),
                                   **kwargs)
        return None


class UrllibTimeStamper(HTTPTimeStamper):
    """RFC 3161 client over urllib: no aiohttp session to build per request.

    pyhanko runs each signature in a fresh event loop, so its aiohttp client
    opens and closes a session every time (~20 ms locally); a blocking POST
    is fine here because nothing else runs in that loop.
    """

    async def async_request_tsa_response(self, req):
        headers = {"Content-Type": "application/timestamp-query"}
        headers.update(self.headers or {})
        request = urllib.request.Request(self.url, data=req.dump(), headers=headers,  # noqa: S310
                                         method="POST")
        try:
            # S310 (here and above): the TSA URL comes from the settings, not from a user;
            # ASYNC210: see the docstring
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310, ASYNC210
                if response.headers.get("Content-Type") != "application/timestamp-reply":
                    raise TimestampRequestError("Risposta della TSA non valida.")
                return tsp.TimeStampResp.load(response.read())
        except (urllib.error.URLError, OSError) as exc:
            raise TimestampRequestError("Errore nel contattare la TSA.") from exc


def make_validation_context(trust_root_paths=(), trust_roots=(), allow_fetching=False,
                            revocation_mode="soft-fail", other_certs=(), moment=None):
    """A pyhanko-certvalidator context trusting exactly the given roots."""
    roots = list(trust_roots) + load_certificates(trust_root_paths)
    kwargs = {}
    if moment is not None:
        kwargs["moment"] = moment
    return ValidationContext(trust_roots=roots, allow_fetching=allow_fetching,
                             revocation_mode=revocation_mode,
                             other_certs=list(other_certs), **kwargs)


def read_signed_revisions(pdf_bytes):
    """Names of the signature fields in a PDF (helper for tests and the registry)."""
    reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
    return [s.field_name for s in reader.embedded_signatures]
