"""The JSON API's refusals: bad bodies and failed preconditions (mapped by ``http_status``)."""
from portal.errors import PortalError
from portal.i18n import _


class InvalidJSON(PortalError):
    """The body is not JSON we accept (syntax, encoding, NaN, nesting, size of numbers)."""

    code = "invalid_json"
    http_status = 400
    default_message = _("Il corpo della richiesta non è JSON valido.")


class JSONObjectRequired(PortalError):
    code = "json_object_required"
    http_status = 400
    default_message = _("Il corpo della richiesta deve essere un oggetto JSON.")


class UnsupportedMediaType(PortalError):
    code = "unsupported_media_type"
    http_status = 415
    default_message = _("Il corpo della richiesta deve essere JSON (Content-Type: "
                        "application/json, codifica UTF-8).")


class PayloadTooLarge(PortalError):
    code = "payload_too_large"
    http_status = 413
    default_message = _("Il corpo della richiesta è troppo grande.")


class PreconditionFailed(PortalError):
    """``If-Match`` names a version the resource no longer has: nothing was written."""

    code = "precondition_failed"
    http_status = 412
    default_message = _("L'elemento è stato modificato dopo la lettura: nessuna modifica è "
                        "stata salvata.")
