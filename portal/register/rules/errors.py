"""Exception root of the register of benefits: ``code`` for machines, ``message`` in Italian."""
from portal.errors import PortalError
from portal.i18n import _


class RegisterError(PortalError):
    code = "register_error"
    http_status = 422
    default_message = _("Operazione sul registro delle prestazioni non riuscita.")


class InvalidBenefit(RegisterError):
    """A field of the benefit is wrong: nothing was saved."""

    code = "invalid_benefit"
    default_message = _("Alcuni dati della prestazione non sono validi: nessuna modifica è "
                        "stata salvata. Correggere i campi indicati.")


class UnknownBenefitCode(InvalidBenefit):
    code = "unknown_benefit_code"
    default_message = _("Il codice della prestazione non è nella tabella delle prestazioni "
                        "SIUSS.")


class DatesInverted(InvalidBenefit):
    code = "dates_inverted"
    default_message = _("La data di fine della prestazione è precedente a quella di inizio.")


class DuplicateBenefit(RegisterError):
    """Overlapping benefits exist: the officer must see them and give a reason to go on."""

    code = "duplicate_benefit"
    http_status = 409
    default_message = _("La persona riceve già una prestazione della stessa categoria nello "
                        "stesso periodo: verificare le prestazioni elencate e, per procedere "
                        "comunque, indicare il motivo.")

    def __init__(self, message=None, fields=None, *, overlaps=(), **details):
        super().__init__(message, fields, **details)
        self.overlaps = tuple(overlaps)


class BenefitStatusError(RegisterError):
    code = "benefit_status"
    http_status = 409
    default_message = _("Lo stato attuale della prestazione non consente questa operazione.")
