"""The plan's document archive: PDFs through the document service, versions never overwritten.

Transaction-aware, never request-aware: views pass who acts, the document service and the
registries. A refused upload raises before anything is attached to the tree.
"""
from content_types.events import ObjectModified
from content_types.values import utcnow
from content_types.zone_plan import ArchiveDocument, ArchiveFolder
from portal.documents.errors import UploadRefused
from portal.documents.uploads import read_limited
from portal.i18n import _
from portal.plans.rules.errors import PlanError

ORIGIN_ATS = "ambito"
ORIGIN_REGION = "regione"
MAX_TITLE = 200
MAX_DESCRIPTION = 2000
MAX_NOTE = 500
#: the verification statuses a version can show (``unsigned``: no signature at all)
UNSIGNED = "unsigned"


class ArchiveError(PlanError):
    code = "archive_error"
    default_message = _("Operazione sull'archivio del piano non riuscita.")


class DocumentRefused(ArchiveError):
    """The document service refused the PDF (its Italian reason is the message)."""

    code = "archive_upload_refused"


class MissingField(ArchiveError):
    code = "archive_missing_field"


class UnknownVersion(ArchiveError):
    code = "unknown_version"
    http_status = 404
    default_message = _("Questa versione del documento non esiste.")


class BadVersionNumber(ArchiveError):
    code = "bad_version_number"
    http_status = 400
    default_message = _("Il numero di versione deve essere un numero intero positivo.")


class OfficialDocument(ArchiveError):
    """Official documents stay: a correction is a new version, never a deletion."""

    code = "official_document"
    http_status = 409
    default_message = _("I documenti ufficiali dell'archivio non si eliminano: per "
                        "correggerne uno, caricarne una nuova versione.")


# -- reading -----------------------------------------------------------------------------
def folders(archive):
    """The archive's folders with their number of documents, in their order."""
    return [(f, sum(1 for d in f.values() if isinstance(d, ArchiveDocument)))
            for f in archive.values() if isinstance(f, ArchiveFolder)]


def documents(folder):
    """The folder's documents, the newest first."""
    found = [d for d in folder.values() if isinstance(d, ArchiveDocument)]
    return sorted(found, key=lambda d: d.created, reverse=True)


def version_of(document, text):
    """(number, UploadedDocument) of ``?versione=<text>`` (empty: the current one)."""
    text = (text or "").strip()
    if not text:
        number = len(document.versions)
    elif not text.isdigit() or int(text) < 1:
        raise BadVersionNumber(fields={"versione": text[:20]})
    else:
        number = int(text)
    if not 1 <= number <= len(document.versions):
        raise UnknownVersion(fields={"versione": str(number)})
    return number, document.versions[number - 1]


def status_of(info):
    """The verification status of a version: valid, invalid, refused or unsigned."""
    return info.get("status") or UNSIGNED


# -- changing ----------------------------------------------------------------------------
def _checked(service, data, filename, who, documents_registry):
    """The document service's UploadedDocument, or ``DocumentRefused`` with its reason."""
    try:
        body = read_limited(data, service.settings.max_upload_bytes)
        return service.store_upload(body, filename=filename, uploader=who,
                                    registry=documents_registry)
    except UploadRefused as exc:
        raise DocumentRefused(exc.message, {"file": exc.message}, code=exc.code) from None


def _info(number, upload, who, note):
    verification = upload.verification or {}
    return {"number": number, "filename": upload.filename, "sha256": upload.sha256,
            "size": upload.size, "pages": upload.pages, "signed": upload.signed,
            "status": verification.get("status", UNSIGNED) if upload.signed else UNSIGNED,
            "verdict": verification.get("verdict", ""),
            "sentences": tuple(s.get("sentence", "")
                               for s in verification.get("signatures", ())),
            "who": who, "when": upload.uploaded_at or utcnow(), "note": note}


def _require(value, field, message):
    if not value:
        raise MissingField(message, [field])


def add_document(folder, data, filename, *, title, description, who, origin, service,
                 documents_registry=None, registry=None):
    """A new ArchiveDocument in ``folder`` with its first version; raises before storing."""
    title = (title or "").strip()[:MAX_TITLE]
    _require(title, "title", _("Indicare il titolo del documento."))
    _require(data, "file", _("Allegare il documento in PDF."))
    upload = _checked(service, data, filename, who, documents_registry)
    document = ArchiveDocument(
        title=title, creator=who, description=(description or "").strip()[:MAX_DESCRIPTION],
        origin=origin, text=upload.text, versions=(upload,),
        version_info=(_info(1, upload, who, ""),))
    folder.add(folder.choose_name(title), document, registry=registry)
    return document


def add_version(document, data, filename, *, note, who, service, documents_registry=None,
                registry=None):
    """Append a version (the older ones stay downloadable); the text becomes the new one's."""
    _require(data, "file", _("Allegare la nuova versione in PDF."))
    upload = _checked(service, data, filename, who, documents_registry)
    number = len(document.versions) + 1
    document.versions = (*document.versions, upload)
    document.version_info = (*document.version_info,
                             _info(number, upload, who, (note or "").strip()[:MAX_NOTE]))
    document.text = upload.text
    document.touch()
    if registry is not None:
        registry.notify(ObjectModified(document, ("text", "versions")))
    return number


def check_deletable(document):
    """Only working material may go; official documents are kept for good."""
    folder = document.__parent__
    if getattr(folder, "official", True):
        raise OfficialDocument


def delete_document(document, registry=None):
    check_deletable(document)
    folder = document.__parent__
    folder.remove(document.__name__, registry=registry)
