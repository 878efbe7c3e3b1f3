"""Checks on PDFs coming from outside: size (streamed), real PDF, encryption, active content.

Everything here is bounded: the size is checked while reading (a 2 GB upload
costs at most ``limit`` bytes of memory), pypdf runs with tightened
decompression and structure limits, the object walk stops after a fixed
number of objects and text extraction after a fixed number of characters.
"""
import hashlib
import io
import logging
import tempfile
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf._configuration import apply_configuration
from pypdf.errors import FileNotDecryptedError, LimitReachedError, PdfReadError, PyPdfError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from portal.documents.errors import (
    ActiveContent,
    DamagedPdf,
    EmptyUpload,
    EncryptedPdf,
    NotAPdf,
    ResourceLimit,
    TooLarge,
)
from portal.i18n import _

CHUNK = 1024 * 1024
#: pypdf limits while we look inside untrusted PDFs (its defaults are ~75 MB)
PYPDF_LIMITS = {
    "zlib_maximum_output_length": 32_000_000,
    "maximum_declared_stream_length": 32_000_000,
    "lzw_maximum_output_length": 32_000_000,
    "run_length_maximum_output_length": 32_000_000,
    "array_based_stream_maximum_output_length": 32_000_000,
    "brotli_maximum_output_length": 32_000_000,
    "image_maximum_buffer_size": 32_000_000,
    "stream_decoding_work_maximum_length": 64_000_000,
    "array_maximum_element_count": 50_000,
    "dictionary_maximum_element_count": 50_000,
}
MAX_OBJECTS = 100_000
#: all streams of a file together may not inflate to more than this
MAX_TOTAL_DECODED = 256_000_000
MAX_DEPTH = 64
#: actions that run code or leave the document
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMediaExecute",
                   "/Rendition"}
_ACTIVE_KEYS = {"/JS": "JavaScript", "/JavaScript": "JavaScript",
                "/EmbeddedFiles": "file incorporati", "/EF": "file incorporati",
                "/RichMedia": "contenuti multimediali attivi", "/XFA": "moduli XFA"}

log = logging.getLogger(__name__)


def read_limited(source, limit):
    """All bytes of ``source`` (bytes or a binary file), refusing more than ``limit``.

    A file is first copied in chunks to a temporary file and refused as soon as
    it passes ``limit``, so a refused upload costs one chunk of memory, not its size.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if len(data) > limit:
            raise _too_large(limit)
    else:
        with spool_limited(source, limit) as spooled:
            data = spooled.read()
    if not data:
        raise EmptyUpload(_("Il file caricato è vuoto."))
    return data


def read_posted(upload, limit):
    """The bytes of a posted form file, from its start (a replayed request reads it again)."""
    source = upload.file
    if source.seekable():
        source.seek(0)
    return read_limited(source, limit)


def spool_limited(source, limit):
    """A temporary file (rewound) with the bytes of ``source``; ``TooLarge`` past ``limit``.

    Refuses at once when the declared or seekable length is over the limit,
    otherwise copies ``CHUNK`` bytes at a time and stops at the first byte too many.
    """
    declared = _declared_length(source)
    if declared is not None and declared > limit:
        raise _too_large(limit)
    spooled = tempfile.TemporaryFile()  # noqa: SIM115 - the caller closes it; closed here on error
    try:
        copied = 0
        while True:
            chunk = source.read(min(CHUNK, limit + 1 - copied))
            if not chunk:
                break
            copied += len(chunk)
            if copied > limit:
                raise _too_large(limit)
            spooled.write(chunk)
        spooled.seek(0)
    except BaseException:
        spooled.close()
        raise
    return spooled


def _declared_length(source):
    for attr in ("length", "content_length"):
        value = getattr(source, attr, None)
        if isinstance(value, int):
            return value
    if hasattr(source, "seekable") and source.seekable():
        try:
            here = source.tell()
            end = source.seek(0, io.SEEK_END)
            source.seek(here)
            return end - here
        except (OSError, ValueError):
            return None
    return None


def _too_large(limit):
    mb = limit / (1024 * 1024)
    return TooLarge(_("Il file supera la dimensione massima consentita di ${mb} MB.",
                      mapping={"mb": format(mb, ".0f")}),
                    {"max_bytes": limit})


@dataclass(frozen=True)
class PdfInspection:
    """What we learned about an accepted PDF."""

    sha256: str
    size: int
    pages: int
    text: str
    signature_fields: tuple = field(default_factory=tuple)
    title: str = ""
    keywords: str = ""

    @property
    def signed(self):
        return bool(self.signature_fields)


def check_header(data):
    """Refuse non-PDFs and truncated PDFs by looking at the first and last bytes."""
    head = data[:1024]
    if b"%PDF-" not in head:
        raise NotAPdf(_("Il file non è un PDF (il contenuto non corrisponde al formato PDF, qualunque sia "
                        "la sua estensione)."))
    if b"%%EOF" not in data[-2048:]:
        raise DamagedPdf(_("Il PDF è incompleto o danneggiato (manca la fine del file): probabilmente il "
                           "caricamento si è interrotto."))


def inspect_pdf(data, *, max_pages=500, text_max_chars=200_000, extract_text=True):
    """Check an uploaded PDF and return its inspection; raises an ``UploadRefused``."""
    check_header(data)
    try:
        with apply_configuration(**PYPDF_LIMITS):
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise EncryptedPdf(
                    _("Il PDF è protetto da password o cifrato: caricare una copia non protetta."))
            pages = len(reader.pages)
            if pages == 0:
                raise DamagedPdf(_("Il PDF non contiene pagine."))
            if pages > max_pages:
                raise ResourceLimit(
                    _("Il PDF ha ${pages} pagine: il massimo consentito è ${max_pages}.",
                      mapping={"pages": pages, "max_pages": max_pages}))
            _refuse_active_content(reader)
            signature_fields = _signature_fields(reader)
            text = _extract_text(reader, text_max_chars) if extract_text else ""
            title = keywords = ""
            try:
                meta = reader.metadata
                title = str(meta.title or "") if meta else ""
                keywords = str(meta.get("/Keywords") or "") if meta else ""
            except PyPdfError:
                title = keywords = ""
    except (EncryptedPdf, ResourceLimit, ActiveContent, DamagedPdf):
        raise
    except FileNotDecryptedError as exc:
        raise EncryptedPdf(_("Il PDF è cifrato: caricare una copia non protetta.")) from exc
    except (LimitReachedError, RecursionError, MemoryError) as exc:
        raise ResourceLimit(
            _("Il PDF è troppo complesso da analizzare in sicurezza (struttura annidata o contenuti "
              "compressi oltre i limiti): non è stato accettato.")) from exc
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError,
            IndexError, AssertionError, OSError, NotImplementedError) as exc:
        # NotImplementedError: pypdf's answer to a filter name it does not know (a damaged
        # or tampered «/ASCII85Decode», say)
        raise DamagedPdf(_("Il PDF è danneggiato e non può essere letto.")) from exc
    return PdfInspection(sha256=hashlib.sha256(data).hexdigest(), size=len(data), pages=pages,
                         text=text, signature_fields=signature_fields, title=title[:500],
                         keywords=keywords[:500])


def _refuse_active_content(reader):
    """Walk every object once (bounded) looking for scripts, launch actions, attachments."""
    seen = set()
    budget = [MAX_OBJECTS]
    decoded = [0]

    def visit(obj, depth):
        if depth > MAX_DEPTH:
            raise ResourceLimit(_("Il PDF contiene strutture annidate troppo in profondità."))
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                return
            seen.add(key)
            budget[0] -= 1
            if budget[0] < 0:
                raise ResourceLimit(_("Il PDF contiene troppi oggetti."))
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            for name, label in _ACTIVE_KEYS.items():
                if name in obj:
                    raise ActiveContent(
                        _("Il PDF contiene ${label}: per sicurezza non è accettato. Salvarlo di nuovo come "
                          "PDF semplice (es. «Stampa su PDF») e riprovare.", mapping={"label": label}))
            action = obj.get("/S")
            if isinstance(action, NameObject) and action in _ACTIVE_ACTIONS:
                kind = "JavaScript" if action == "/JavaScript" else f"azioni {action[1:]}"
                raise ActiveContent(
                    _("Il PDF contiene ${kind}: per sicurezza non è accettato.", mapping={"kind": kind}))
            for key, value in obj.items():
                if key in ("/Parent", "/P"):
                    continue  # back-pointers: reached from the other side anyway
                visit(value, depth + 1)
            if isinstance(obj, StreamObject):
                # decode now, under pypdf's limits: a decompression bomb in any
                # stream (content, font, image, object stream) is refused here
                # instead of exploding later in a viewer or in text extraction
                decoded[0] += len(obj.get_data())
                if decoded[0] > MAX_TOTAL_DECODED:
                    raise ResourceLimit(_("Il PDF contiene troppi dati compressi."))
        elif isinstance(obj, ArrayObject):
            for value in obj:
                visit(value, depth + 1)

    visit(reader.trailer.raw_get("/Root"), 0)
    info = reader.trailer.get("/Info")
    if info is not None:
        visit(reader.trailer.raw_get("/Info"), 0)


def _signature_fields(reader):
    try:
        fields = reader.get_fields() or {}
    except PyPdfError:
        return ()
    return tuple(name for name, spec in fields.items() if spec.get("/FT") == "/Sig")


def _extract_text(reader, limit):
    parts, total = [], 0
    for page in reader.pages:
        try:
            text = page.extract_text() or ""
        except LimitReachedError:
            raise
        except (PyPdfError, ValueError, KeyError, TypeError, RecursionError,
                NotImplementedError) as exc:
            log.info("text extraction failed on a page: %s", exc)
            continue
        parts.append(text)
        total += len(text)
        if total >= limit:
            break
    return "\n".join(parts)[:limit]
