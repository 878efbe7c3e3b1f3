"""Monthly attestations: the provider drafts, the family signs, the ATS validates and pays.

The family is the ``owner`` of the application the attestation lives under (local
roles are inherited down the tree); the provider operator acts through the
``provider`` role granted on the matched application. The operator who drafted
an attestation may hold ``owner`` on it too, so a guard stops them signing it.
"""
from content_types.i18n import N_, _
from content_types.security import (
    ATS_OFFICER,
    DELETE,
    EDIT,
    OWNER,
    PROVIDER,
    VIEW,
    VIEW_PERSONAL_DATA,
)
from workflows.engine import State, Transition, Workflow
from workflows.errors import GuardFailed

NAME = "attestation"

SIGN = "sign"            # the family confirms the month
SUBMIT = "submit"        # the provider sends the signed attestation to the ATS
VALIDATE = "validate"    # the ATS RUP validates or rejects
REVISE = "revise"        # the provider reopens a rejected attestation
PAY = "pay"              # the ATS records the payment (liquidazione)

MANAGED = (VIEW, EDIT, DELETE, VIEW_PERSONAL_DATA, SIGN, SUBMIT, VALIDATE, REVISE, PAY)

# state ids (English identifiers; users see the Italian titles in STATES)
DRAFT, SIGNED, SENT, VALIDATED, REJECTED, PAID = (
    "draft", "signed", "sent", "validated", "rejected", "paid",
)
#: the Italian ids stored before evolve step 9, still accepted in URL filters
FORMER_STATE_IDS = {
    "bozza": DRAFT, "firmata_famiglia": SIGNED, "inviata_rup": SENT, "validata": VALIDATED,
    "respinta": REJECTED, "liquidata": PAID,
}

# transition ids; SIGN, VALIDATE, REVISE and PAY are named like their permissions
SEND = "send"
REJECT = "reject"
#: a correcting payment act cancels a line: the attestation is payable again
CANCEL_PAYMENT = "cancel_payment"

READ = (VIEW, VIEW_PERSONAL_DATA)


def signer_is_not_author(obj, request):
    """The family, not the operator who drafted it, confirms an attestation."""
    userid = getattr(request, "authenticated_userid", None)
    if userid is not None and userid == getattr(obj, "creator", None):
        raise GuardFailed(
            _("L'attestazione deve essere confermata dalla famiglia, non da chi l'ha redatta.")
        )


def signer_is_the_family(obj, request):
    """Only the family the attestation is about confirms it (not an administrator for it)."""
    userid = getattr(request, "authenticated_userid", None)
    family = getattr(obj, "data_subject", None)
    if userid is not None and family is not None and userid != family:
        raise GuardFailed(_("L'attestazione è confermata soltanto dalla famiglia che ha "
                            "presentato la domanda."))


def only_by_correction_act(obj, request):
    """A payment is undone only by a correcting act (a system call), never by hand."""
    if request is not None:
        raise GuardFailed(_("La liquidazione si annulla solo con un atto di rettifica."))


STATES = (
    State(DRAFT, N_("Bozza"), {
        PROVIDER: READ + (EDIT, DELETE),
        OWNER: READ + (SIGN,),
    }),
    State(SIGNED, N_("Firmata dalla famiglia"), {
        PROVIDER: READ + (SUBMIT,),
        OWNER: READ,
    }),
    State(SENT, N_("Inviata all'Ambito"), {
        PROVIDER: READ,
        OWNER: READ,
        ATS_OFFICER: READ + (VALIDATE,),
    }),
    State(VALIDATED, N_("Validata"), {
        PROVIDER: READ,
        OWNER: READ,
        ATS_OFFICER: READ + (PAY,),
    }),
    State(REJECTED, N_("Respinta"), {
        PROVIDER: READ + (REVISE,),
        OWNER: READ,
        ATS_OFFICER: READ,
    }),
    State(PAID, N_("Liquidata"), {
        PROVIDER: READ,
        OWNER: READ,
        ATS_OFFICER: READ,
    }),
)

TRANSITIONS = (
    Transition(SIGN, N_("Conferma della famiglia"), (DRAFT,), SIGNED, SIGN,
               guards=(signer_is_not_author, signer_is_the_family)),
    Transition(SEND, N_("Invia all'Ambito"), (SIGNED,), SENT, SUBMIT),
    Transition(VALIDATE, N_("Valida"), (SENT,), VALIDATED, VALIDATE),
    Transition(REJECT, N_("Respingi all'ente gestore"), (SENT,), REJECTED, VALIDATE,
               comment_required=True),
    Transition(REVISE, N_("Riapri per correzione"), (REJECTED,), DRAFT, REVISE),
    Transition(PAY, N_("Registra liquidazione"), (VALIDATED,), PAID, PAY),
    Transition(CANCEL_PAYMENT, N_("Liquidazione annullata da un atto di rettifica"), (PAID,),
               VALIDATED, PAY, comment_required=True, guards=(only_by_correction_act,)),
)

WORKFLOW = Workflow(NAME, N_("Attestazione mensile"), STATES, TRANSITIONS, DRAFT, MANAGED)
