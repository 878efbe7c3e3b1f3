"""The ATS officer's validation of attestations: every rule re-checked, then validate or return.

No request: the views (one attestation, or many from the queue) pass ``fire`` (the
workflow transition as the officer) and ``who``/``when``/``today``. A refusal raises
before anything is written, and each attestation runs in its own savepoint, so a
refused one changes nothing (not the ledger, not its state) even in a bulk.
"""
from dataclasses import dataclass

from portal.db import savepoint_for
from portal.errors import StaleForm
from portal.i18n import _
from portal.payments import attestations as service
from portal.payments.commitments import cover
from portal.payments.rules import monthly
from portal.payments.rules.errors import PaymentError
from workflows.attestation import REJECT, SENT, VALIDATE
from workflows.errors import WorkflowError

VALIDATED_OUTCOME = "validata"
RETURNED_OUTCOME = "restituita"
#: the stored amounts compared with the recomputed ones: field -> (attribute, Italian name)
AMOUNTS = (("tariffa", "tariff", _("la tariffa")), ("retta", "fee", _("la retta considerata")),
           ("quota_famiglia", "family_share", _("la quota a carico della famiglia")),
           ("quota_buono", "voucher_share", _("la quota del buono")))
MAX_REASON = 2000


class ValidationRefused(PaymentError):
    """A re-check failed: ``fields`` names each rule broken, the message the first one."""

    code = "validation_refused"
    default_message = _("L'attestazione non supera le verifiche: non è stata validata.")


class NotSent(PaymentError):
    """Only an attestation sent to the ATS (and not yet decided) is validated or returned."""

    code = "attestation_not_sent"
    http_status = 409
    default_message = _("L'attestazione non è in attesa di validazione.")


class ReasonRequired(PaymentError):
    code = "reason_required"
    default_message = _("Indicare il motivo per cui l'attestazione è restituita all'ente "
                        "gestore.")


@dataclass(frozen=True)
class Outcome:
    """What a bulk validation did: the attestations validated, and ``(attestation, message)``."""

    validated: tuple
    refused: tuple


def version_of(attestation):
    """Changes on every write or transition: the page sends it back to detect a stale form."""
    modified = attestation.modified.isoformat() if attestation.modified else ""
    return f"{attestation.state}|{modified}|{len(attestation.workflow_history or ())}"


def check_version(attestation, token):
    if token != version_of(attestation):
        raise StaleForm


def check_sent(attestation):
    if attestation.state != SENT:
        raise NotSent(_("L'attestazione ${month} della domanda ${protocol} non è in attesa di "
                        "validazione: non si valida né si restituisce.",
                        mapping={"month": attestation.month, "protocol": attestation.protocol}))


def duplicates(attestation):
    """Other attestations of the same application for the same month (never allowed)."""
    return [other for other in service.attestations_of(attestation.application)
            if other is not attestation and other.month == attestation.month]


def failures(attestation, today, context=None):
    """``{rule: Italian message}`` of every rule the stored attestation breaks now (empty: ok)."""
    found = {}
    try:
        month = monthly.parse_month(attestation.month)
        context = context or service.context_of(attestation.application)
    except PaymentError as exc:
        return {"attestazione": exc.message}
    attendance = service.attendance_of(attestation)
    try:
        amounts = service.amounts_for(context, month, attendance)
    except (PaymentError, ArithmeticError, ValueError, TypeError):
        amounts = None
    taken = (attestation.month,) if duplicates(attestation) else ()
    found.update(monthly.failures(attendance, month, funded=context.funded, today=today,
                                  taken=taken))
    if amounts is not None:
        expected = {"tariff": amounts.tariff, "fee": amounts.fee, "family_share": amounts.family,
                    "voucher_share": amounts.voucher}
        for field, attribute, title in AMOUNTS:
            stored = getattr(attestation, attribute, None)
            if stored != expected[attribute]:
                found[field] = _("Importo non conforme alle regole dell'avviso: ${what} "
                                 "registrata è ${stored}, quella calcolata è ${expected}.",
                                 mapping={"what": title, "stored": _euro(stored),
                                          "expected": _euro(expected[attribute])})
    if not service.invoice_complete(attestation):
        found["fattura"] = _("La fattura è incompleta: servono numero, data e un importo uguale "
                             "alla quota del buono.")
    return found


def _euro(value):
    from content_types.values import euro  # noqa: PLC0415 - only for refused amounts

    try:
        return euro(value)
    except (TypeError, ValueError, ArithmeticError):
        return "—"


def check(attestation, today):
    """Raise ``ValidationRefused`` naming every broken rule (the first one as the message)."""
    check_sent(attestation)
    found = failures(attestation, today)
    if found:
        raise ValidationRefused(next(iter(found.values())), found)


def validate(attestation, *, who, when, today, fire):
    """Re-check, cover a dearer month in the ledger, fire VALIDATE; refused: nothing changed."""
    savepoint = savepoint_for(attestation)
    try:
        check(attestation, today)
        cover(attestation, who=who, when=when)
        fire(attestation, VALIDATE, "")
        attestation.review = {"outcome": VALIDATED_OUTCOME, "who": who, "when": when}
    except (PaymentError, WorkflowError):
        savepoint.rollback()
        raise
    return attestation


def give_back(attestation, reason, *, who, when, fire):
    """Return a sent attestation to the provider with its reason (REJECT)."""
    check_sent(attestation)
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(fields={"motivo": "obbligatorio"})
    if len(reason) > MAX_REASON:
        raise ReasonRequired(_("Il motivo è troppo lungo (massimo ${count} caratteri).",
                               mapping={"count": MAX_REASON}), {"motivo": "troppo lungo"})
    savepoint = savepoint_for(attestation)
    try:
        fire(attestation, REJECT, reason)
        attestation.review = {"outcome": RETURNED_OUTCOME, "reason": reason, "who": who,
                              "when": when}
    except (PaymentError, WorkflowError):
        savepoint.rollback()
        raise
    return attestation


def validate_many(attestations, *, who, when, today, fire):
    """Validate each attestation on its own; one refusal never hides or undoes another."""
    validated, refused = [], []
    for attestation in attestations:
        try:
            validate(attestation, who=who, when=when, today=today, fire=fire)
        except (PaymentError, WorkflowError) as exc:
            refused.append((attestation, exc.message))
        else:
            validated.append(attestation)
    return Outcome(tuple(validated), tuple(refused))
