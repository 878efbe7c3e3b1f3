"""Exception root of the portal package."""


class PortalError(Exception):
    code = "portal_error"

    def __init__(self, message, fields=None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class DatabaseLocked(PortalError):
    code = "database_locked"


class StaleForm(PortalError):
    """The object changed after the form was loaded: nothing was overwritten."""

    code = "stale_form"


class BadRequest(PortalError):
    code = "bad_request"


class ValidationFailed(PortalError):
    code = "validation_failed"
