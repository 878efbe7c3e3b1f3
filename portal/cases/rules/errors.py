"""Exception root of case management: ``code`` for machines, ``message`` in Italian."""
from portal.errors import PortalError
from portal.i18n import _


class CaseError(PortalError):
    code = "case_error"
    http_status = 422
    default_message = _("Operazione sulla cartella sociale non riuscita.")


class InvalidCaseData(CaseError):
    code = "invalid_case_data"
    default_message = _("Alcuni dati della cartella non sono validi: nessuna modifica è stata "
                        "salvata. Correggere i campi indicati.")


class CaseAlreadyOpen(CaseError):
    code = "case_already_open"
    http_status = 409
    default_message = _("Per questa persona è già aperta una cartella sociale: chiedere al "
                        "case manager di essere aggiunti all'équipe invece di aprirne un'altra.")


class CaseStatusError(CaseError):
    code = "case_status"
    http_status = 409
    default_message = _("Lo stato della cartella non consente questa operazione.")
