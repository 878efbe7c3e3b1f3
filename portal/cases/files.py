"""Documents of a case: PDFs checked by the document service, kept inside the case only.

Transaction-aware, no request. A refused upload raises before anything is stored; the bytes
live in the case's ``uploads`` (never in the public document registry), so the case's ACL
covers them.
"""
import uuid

from BTrees.OOBTree import OOBTree

from portal.cases.rules.errors import CaseError, InvalidCaseData
from portal.cases.store import _log
from portal.documents.errors import UploadRefused
from portal.documents.uploads import read_limited
from portal.i18n import _

TITLE_MAX = 200


class DocumentRefused(CaseError):
    """The document service refused the PDF (its Italian reason is the message)."""

    code = "case_upload_refused"


class UnknownDocument(CaseError):
    code = "unknown_case_document"
    http_status = 404
    default_message = _("Documento della cartella non trovato.")


def add_document(case, data, filename, *, title, who, service, documents_registry=None):
    """Store one PDF in the case; returns its info dict."""
    title = " ".join((title or "").split())[:TITLE_MAX]
    problems = {}
    if not title:
        problems["title"] = _("Indicare il titolo del documento.")
    if data is None:
        problems["file"] = _("Allegare il documento in PDF.")
    if problems:
        raise InvalidCaseData(None, problems)
    try:
        body = read_limited(data, service.settings.max_upload_bytes)
        upload = service.store_upload(body, filename=filename, uploader=who,
                                      registry=documents_registry)
    except UploadRefused as exc:
        raise DocumentRefused(exc.message, {"file": exc.message}, code=exc.code) from None
    if case.uploads is None:
        case.uploads = OOBTree()
    uid = uuid.uuid4().hex
    case.uploads[uid] = upload
    info = {"uid": uid, "filename": (filename or "documento.pdf")[:200], "title": title,
            "who": who, "when": upload.uploaded_at, "size": upload.size,
            "pages": upload.pages, "sha256": upload.sha256}
    case.documents = (*case.documents, info)
    _log(case, who, "document", title=title)
    return info


def document_of(case, uid):
    """(info, UploadedDocument) of one document of the case."""
    info = next((d for d in case.documents if d["uid"] == uid), None)
    if info is None or case.uploads is None or uid not in case.uploads:
        raise UnknownDocument
    return info, case.uploads[uid]
