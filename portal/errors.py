"""Exception root of the portal package (it shares ``ErrorBase``'s shape with every other root)."""
from content_types.errors import ErrorBase
from portal.i18n import _


class PortalError(ErrorBase):
    code = "portal_error"
    http_status = 400
    default_message = _("Operazione non riuscita.")


class DatabaseLocked(PortalError):
    code = "database_locked"
    http_status = 503
    default_message = _("Il database è in uso da un altro processo.")


class StaleForm(PortalError):
    """The object changed after the form was loaded: nothing was overwritten."""

    code = "stale_form"
    http_status = 409
    default_message = _("Il contenuto è stato modificato da un'altra persona dopo "
                        "l'apertura di questo modulo: nessuna modifica è stata salvata. "
                        "Ricaricare la pagina per vedere la versione aggiornata.")


class BadRequest(PortalError):
    code = "bad_request"
    default_message = _("Richiesta non valida.")


class ValidationFailed(PortalError):
    code = "validation_failed"
    default_message = _("Dati non validi.")


class ConflictRetry(PortalError):
    """Concurrent writes kept conflicting until the retries ran out: nothing was saved."""

    code = "conflict_retry"
    http_status = 503
    #: seconds a client should wait before trying again (``Retry-After``)
    retry_after = 2
    default_message = _("Il portale è molto occupato in questo momento e l'operazione non è "
                        "stata eseguita: nessuna modifica è stata salvata. Riprovare tra "
                        "qualche secondo.")
