"""The JSON API's refusals: bad bodies and failed preconditions (mapped by ``http_status``)."""
from ..errors import PortalError


class InvalidJSON(PortalError):
    """The body is not JSON we accept (syntax, encoding, NaN, nesting, size of numbers)."""

    code = "invalid_json"
    http_status = 400


class JSONObjectRequired(PortalError):
    code = "json_object_required"
    http_status = 400


class UnsupportedMediaType(PortalError):
    code = "unsupported_media_type"
    http_status = 415


class PayloadTooLarge(PortalError):
    code = "payload_too_large"
    http_status = 413


class PreconditionFailed(PortalError):
    """``If-Match`` names a version the resource no longer has: nothing was written."""

    code = "precondition_failed"
    http_status = 412
