"""Exception root of the document service; ``portal`` maps these to HTTP."""


class DocumentError(Exception):
    """Base for document errors: ``code`` for machines, ``message`` in Italian."""

    code = "document_error"
    #: suggested HTTP status for the portal's single error mapper
    status = 400

    def __init__(self, message, fields=None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ConfigurationProblem(DocumentError):
    code = "documents_misconfigured"
    status = 500


class SigningFailed(DocumentError):
    code = "signing_failed"
    status = 500


class UploadRefused(DocumentError):
    """An uploaded file is not acceptable; ``code`` says why."""

    code = "upload_refused"


class NotAPdf(UploadRefused):
    code = "not_a_pdf"


class DamagedPdf(UploadRefused):
    code = "damaged_pdf"


class TooLarge(UploadRefused):
    code = "file_too_large"
    status = 413


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
    status = 409


class UnknownDocument(DocumentError):
    code = "unknown_document"
    status = 404
