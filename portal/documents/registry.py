"""Persistent registry of issued PDFs and the upload record; plain ZODB objects.

``DocumentRegistry`` is meant to sit at a fixed place of the portal tree (e.g.
``root["documenti"]``); everything here takes the registry as an argument and
depends on nothing else of the application.
"""
import hashlib
import uuid

from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from ZODB.blob import Blob

from content_types.values import utcnow
from portal.documents.errors import AlreadyRegistered, UnknownDocument
from portal.documents.uploads import inspect_pdf, read_limited
from portal.documents.verify import verify_pdf
from portal.i18n import _


def new_document_id():
    """A random, unguessable id: it appears in the QR code of the PDF."""
    return uuid.uuid4().hex


def _blob_with(data):
    blob = Blob()
    with blob.open("w") as fh:
        fh.write(data)
    return blob


class StoredPdf(Persistent):
    """A PDF kept as a blob with its SHA-256 and plain attributes (issued or received)."""

    filename = ""
    size = 0

    def __init__(self, sha256, blob, **attrs):
        self.sha256 = sha256
        self.blob = blob
        for key, value in attrs.items():
            setattr(self, key, value)

    def open(self):
        """The stored bytes, as a read-only file."""
        return self.blob.open("r")

    def read(self):
        with self.open() as fh:
            return fh.read()


class IssuedDocument(StoredPdf):
    """One issued, signed PDF; its blob is written once and never replaced."""

    __name__ = None
    __parent__ = None
    kind = ""
    title = ""
    protocol = ""
    object_uid = None
    object_path = ""
    version = 1
    signer_name = ""
    level = ""
    signed_at = None
    issued_at = None
    superseded_by = None  # doc_id of the next version, once there is one

    def __init__(self, doc_id, sha256, blob, **attrs):
        super().__init__(sha256, blob, **attrs)
        self.doc_id = doc_id

    def summary(self):
        """Public, non-personal facts (the verification page shows these)."""
        return {
            "doc_id": self.doc_id, "sha256": self.sha256, "kind": self.kind,
            "title": self.title, "protocol": self.protocol, "version": self.version,
            "signer": self.signer_name, "level": self.level, "issued_at": self.issued_at,
            "superseded_by": self.superseded_by, "size": self.size,
        }


class UploadedDocument(StoredPdf):
    """A PDF received from outside: checked, hashed, stored, verified on arrival."""

    pages = 0
    text = ""
    uploader = None
    uploaded_at = None
    signed = False
    verification = None  # VerificationResult.to_json() taken on arrival


class DocumentRegistry(Persistent):
    """Issued documents by id, by SHA-256 and by (object uid, kind) version list."""

    __name__ = None
    __parent__ = None
    title = "Documenti emessi"

    def __init__(self, title=None):
        if title:
            self.title = title
        self._by_id = OOBTree()
        self._by_hash = OOBTree()
        self._versions = OOBTree()  # (object_uid, kind) -> tuple of doc_ids
        self._count = Length()

    # traversal: /documenti/<doc_id>
    def __getitem__(self, doc_id):
        return self._by_id[doc_id]

    def get(self, doc_id, default=None):
        return self._by_id.get(doc_id, default)

    def __contains__(self, doc_id):
        return doc_id in self._by_id

    def __len__(self):
        return self._count()

    def values(self):
        return self._by_id.values()

    def by_hash(self, sha256):
        """The record whose file has this SHA-256 hex digest, or None."""
        doc_id = self._by_hash.get(sha256)
        return self._by_id[doc_id] if doc_id is not None else None


def register(registry, data, *, doc_id=None, kind="", title="", protocol="",
             object_uid=None, object_path="", signer_name="", level="", signed_at=None,
             filename=None, now=None):
    """Store signed ``data`` as a new IssuedDocument (a new version for its object)."""
    now = now or utcnow()
    doc_id = doc_id or new_document_id()
    sha256 = hashlib.sha256(data).hexdigest()
    if doc_id in registry._by_id:
        raise AlreadyRegistered(_("Il documento ${doc_id} è già registrato.", mapping={"doc_id": doc_id}))
    if sha256 in registry._by_hash:
        raise AlreadyRegistered(_("Un documento identico è già registrato."),
                                {"sha256": sha256})
    key = (object_uid or "", kind)
    previous = registry._versions.get(key, ())
    record = IssuedDocument(
        doc_id, sha256, _blob_with(data), kind=kind, title=title, protocol=protocol,
        object_uid=object_uid, object_path=object_path, version=len(previous) + 1,
        signer_name=signer_name, level=level, signed_at=signed_at or now, issued_at=now,
        size=len(data), filename=filename or f"{kind or 'documento'}-{doc_id[:8]}.pdf")
    record.__name__ = doc_id
    record.__parent__ = registry
    if previous:
        registry._by_id[previous[-1]].superseded_by = doc_id
    registry._by_id[doc_id] = record
    registry._by_hash[sha256] = doc_id
    registry._versions[key] = previous + (doc_id,)
    registry._count.change(1)
    return record


def lookup(registry, doc_id):
    """The record for ``doc_id`` or for a SHA-256 hex digest; raises UnknownDocument."""
    record = registry._by_id.get(doc_id)
    if record is None and len(doc_id or "") == 64:
        record = lookup_hash(registry, doc_id.lower())
    if record is None:
        raise UnknownDocument(_("Nessun documento emesso da questo portale corrisponde al codice indicato."))
    return record


def lookup_hash(registry, sha256):
    return registry.by_hash(sha256)


def versions(registry, object_uid, kind):
    """All versions issued for an object and kind, oldest first."""
    return [registry._by_id[d] for d in registry._versions.get((object_uid or "", kind), ())]


def latest(registry, object_uid, kind):
    ids = registry._versions.get((object_uid or "", kind), ())
    return registry._by_id[ids[-1]] if ids else None


def issue_document(registry, signer, render, *, kind, title, verify_base_url,
                   object_uid=None, object_path="", protocol="", filename=None, now=None):
    """Render, sign and register a document; regenerating issues a new version.

    ``render(verify_url)`` returns the unsigned PDF; the URL (with the new
    document id) is what the QR code in the footer points to.
    """
    doc_id = new_document_id()
    pdf = render(f"{verify_base_url.rstrip('/')}/{doc_id}")
    signed = signer.sign(pdf)
    return register(registry, signed.data, doc_id=doc_id, kind=kind, title=title,
                    protocol=protocol, object_uid=object_uid, object_path=object_path,
                    signer_name=signed.signer_name, level=signed.level, filename=filename,
                    now=now)


def store_upload(source, *, max_bytes, max_pages=500, text_max_chars=200_000,
                 filename="", uploader=None, trust_roots=(), registry=None,
                 allow_fetching=False, revocation_mode="soft-fail", now=None):
    """Check an uploaded PDF, verify its signatures if any, and wrap it for storage.

    Raises an ``UploadRefused`` subclass (with an Italian message) when the file
    is not acceptable.
    """
    data = read_limited(source, max_bytes)
    inspection = inspect_pdf(data, max_pages=max_pages, text_max_chars=text_max_chars)
    verification = None
    if inspection.signed:
        verification = verify_pdf(data, trust_roots, registry, max_bytes=max_bytes,
                                  max_pages=max_pages, allow_fetching=allow_fetching,
                                  revocation_mode=revocation_mode).to_json()
    return UploadedDocument(
        inspection.sha256, _blob_with(data), filename=filename, size=inspection.size,
        pages=inspection.pages, text=inspection.text, uploader=uploader,
        uploaded_at=now or utcnow(), signed=inspection.signed, verification=verification)
