"""Exception root of the document service; the portal's error mapper reads ``http_status``."""
from portal.errors import PortalError
from portal.i18n import _


class DocumentError(PortalError):
    """Base for document errors: ``code`` for machines, ``message`` in Italian."""

    code = "document_error"
    http_status = 400
    default_message = _("Operazione sul documento non riuscita.")


class ConfigurationProblem(DocumentError):
    code = "documents_misconfigured"
    http_status = 500


class SigningFailed(DocumentError):
    """The signing device or time-stamp service failed: trying later may work."""

    code = "signing_failed"
    http_status = 503


class UploadRefused(DocumentError):
    """An uploaded file is not acceptable; ``code`` says why."""

    code = "upload_refused"


class NotAPdf(UploadRefused):
    code = "not_a_pdf"


class DamagedPdf(UploadRefused):
    code = "damaged_pdf"


class TooLarge(UploadRefused):
    code = "file_too_large"
    http_status = 413


class EncryptedPdf(UploadRefused):
    code = "encrypted_pdf"


class ActiveContent(UploadRefused):
    code = "active_content"


class ResourceLimit(UploadRefused):
    code = "pdf_too_complex"


class EmptyUpload(UploadRefused):
    code = "empty_upload"


class AlreadyRegistered(DocumentError):
    code = "already_registered"
    http_status = 409


class UnknownDocument(DocumentError):
    code = "unknown_document"
    http_status = 404
