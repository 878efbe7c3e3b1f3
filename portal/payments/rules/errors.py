"""Exception root of the payments feature: ``code`` for machines, ``message`` in Italian.

Like ``BenefitError``: 409 when the state forbids the operation (paid twice, a signed act),
422 when the data is well formed but breaks the rules (attendance above open days),
400 for malformed input.
"""
from portal.errors import PortalError
from portal.i18n import _


class PaymentError(PortalError):
    code = "payment_error"
    http_status = 422
    default_message = _("Operazione sui pagamenti non riuscita.")


class UnknownFund(PaymentError):
    code = "unknown_fund"
    default_message = _("Fonte di finanziamento sconosciuta.")


class NotEnoughFunds(PaymentError):
    """A commitment would go beyond what is left of the budget."""

    code = "not_enough_funds"
    http_status = 409
    default_message = _("Fondi insufficienti: l'impegno supera la disponibilità residua.")


class BudgetBelowCommitted(PaymentError):
    code = "budget_below_committed"
    http_status = 409
    default_message = _("Il budget non può scendere sotto le somme già impegnate.")


class OverPayment(PaymentError):
    """A payment would go beyond what is committed (and not yet paid) for the application."""

    code = "over_payment"
    http_status = 409
    default_message = _("Il pagamento supera le somme impegnate per la domanda.")


class OverRelease(PaymentError):
    code = "over_release"
    http_status = 409
    default_message = _("Non si può liberare più di quanto è impegnato e non ancora pagato.")


class InvalidAmount(PaymentError):
    code = "invalid_amount"
    http_status = 400
    default_message = _("Importo non valido.")


class AttestationRefused(PaymentError):
    """An attestation breaks the rules; ``fields`` maps each input to its problem."""

    code = "attestation_invalid"
    default_message = _("L'attestazione non rispetta le regole dell'avviso.")


class DuplicateAttestation(PaymentError):
    code = "duplicate_attestation"
    http_status = 409
    default_message = _("Esiste già un'attestazione per questo mese.")


class NotPayable(PaymentError):
    """Only validated, not yet paid attestations go into a payment act."""

    code = "not_payable"
    http_status = 409
    default_message = _("L'attestazione non è validata o è già stata liquidata.")


class ActSigned(PaymentError):
    code = "act_signed"
    http_status = 409
    default_message = _("L'atto di liquidazione è firmato e non si modifica: per correggerlo "
                        "emettere un nuovo atto di rettifica che lo richiami.")


class NothingSelected(PaymentError):
    code = "nothing_selected"
    http_status = 400
    default_message = _("Nessuna attestazione validata da liquidare per la selezione indicata.")


class ReasonRequired(PaymentError):
    code = "reason_required"
    http_status = 400
    default_message = _("Indicare la motivazione della rettifica.")
