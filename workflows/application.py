"""Voucher applications (domain.md §3): from the family's draft to the end of the service.

State ids are the lowercase forms of domain.md's names. Transitions marked
"system" use ``SYSTEM``, granted to no role in any state: the engine fires them
for trusted callers (``request=None``: scheduled jobs, subscribers) and admins.
"""
from content_types.security import (
    ADD_CONTENT,
    ATS_OFFICER,
    DELEGATE,
    DELETE,
    EDIT,
    OWNER,
    PROVIDER,
    REGION_OFFICER,
    VIEW,
    VIEW_PERSONAL_DATA,
)
from workflows.engine import State, Transition, Workflow

NAME = "application"

SUBMIT = "submit"            # the family (or its delegate) sends the draft
WITHDRAW = "withdraw"        # rinuncia, by the family
MATCH = "match"              # the chosen provider accepts the abbinamento
INTEGRATE = "integrate"      # the family sends the documents the RUP asked for
REVIEW = "review"            # the ATS RUP: istruttoria, decisions, ranking, revocation
ACTIVATE = "activate"        # the provider starts the service
ANNUL = "annul"              # the ATS annuls a protocol registration (DPR 445/2000, art. 54)
SYSTEM = "system_transition"  # automatic checks and deadlines

MANAGED = (
    VIEW, EDIT, DELETE, VIEW_PERSONAL_DATA, ADD_CONTENT,
    SUBMIT, WITHDRAW, MATCH, INTEGRATE, REVIEW, ACTIVATE, ANNUL, SYSTEM,
)

(BOZZA, INVIATA, NON_AMMISSIBILE_AUTO, ABBINATA, DECADUTA, IN_ISTRUTTORIA,
 SOSPESA_INTEGRAZIONE, AMMISSIBILE, NON_AMMISSIBILE, AMMESSA_FINANZIATA,
 AMMESSA_NON_FINANZIATA, ATTIVA, CONCLUSA, REVOCATA, RINUNCIATA, ANNULLATA) = (
    "bozza", "inviata", "non_ammissibile_auto", "abbinata", "decaduta", "in_istruttoria",
    "sospesa_integrazione", "ammissibile", "non_ammissibile", "ammessa_finanziata",
    "ammessa_non_finanziata", "attiva", "conclusa", "revocata", "rinunciata", "annullata",
)
#: states whose application holds its voucher money: funded, then active, then concluded;
#: every later ranking version keeps it funded with the same amount
HOLDS_FUNDING = (AMMESSA_FINANZIATA, ATTIVA, CONCLUSA)
#: states whose applications are listed in a ranking: waiting for funds, or holding them
RANKED = (AMMISSIBILE, AMMESSA_NON_FINANZIATA, *HOLDS_FUNDING)

READ = (VIEW, VIEW_PERSONAL_DATA)


def open_state(name, title, owner=(), delegate=(), ats=(), provider=None):
    """A state after submission: everyone involved reads, the family may withdraw."""
    perms = {
        OWNER: READ + (WITHDRAW,) + tuple(owner),
        DELEGATE: READ + tuple(delegate),
        ATS_OFFICER: READ + (REVIEW, ANNUL) + tuple(ats),
        REGION_OFFICER: (VIEW,),  # monitoring, without personal data
    }
    if provider is not None:
        perms[PROVIDER] = READ + tuple(provider)
    return State(name, title, perms)


def closed_state(name, title, annullable=True):
    """A final state: whoever was involved may still read it; the ATS may annul it."""
    return State(name, title, {
        OWNER: READ, DELEGATE: READ, ATS_OFFICER: READ + ((ANNUL,) if annullable else ()),
        PROVIDER: READ, REGION_OFFICER: (VIEW,),
    })


STATES = (
    # the draft is private to the family and its delegate
    State(BOZZA, "Bozza", {
        OWNER: READ + (EDIT, DELETE, SUBMIT, WITHDRAW),
        DELEGATE: READ + (EDIT, DELETE, SUBMIT),
    }),
    # the chosen provider sees the request (not personal data) to accept the match
    State(INVIATA, "Inviata", {
        OWNER: READ + (WITHDRAW,),
        DELEGATE: READ,
        ATS_OFFICER: READ + (ANNUL,),
        PROVIDER: (VIEW, MATCH),
        REGION_OFFICER: (VIEW,),
    }),
    closed_state(NON_AMMISSIBILE_AUTO, "Non ammissibile (verifica automatica)"),
    open_state(ABBINATA, "Abbinata", provider=()),
    closed_state(DECADUTA, "Decaduta"),
    open_state(IN_ISTRUTTORIA, "In istruttoria", provider=()),
    open_state(SOSPESA_INTEGRAZIONE, "Sospesa per integrazione",
               owner=(INTEGRATE,), delegate=(INTEGRATE,), provider=()),
    open_state(AMMISSIBILE, "Ammissibile", provider=()),
    closed_state(NON_AMMISSIBILE, "Non ammissibile"),
    open_state(AMMESSA_FINANZIATA, "Ammessa e finanziata", provider=(ACTIVATE,)),
    open_state(AMMESSA_NON_FINANZIATA, "Ammessa non finanziata", provider=()),
    # monthly attestations are added under an active application by the provider
    open_state(ATTIVA, "Attiva", provider=(ADD_CONTENT,)),
    # a concluded service has been paid: its record is final
    closed_state(CONCLUSA, "Conclusa", annullable=False),
    closed_state(REVOCATA, "Revocata"),
    closed_state(RINUNCIATA, "Rinunciata"),
    # an annulled registration stays in the register, with who annulled it and why
    closed_state(ANNULLATA, "Annullata", annullable=False),
)

BEFORE_END = (
    BOZZA, INVIATA, ABBINATA, IN_ISTRUTTORIA, SOSPESA_INTEGRAZIONE, AMMISSIBILE,
    AMMESSA_FINANZIATA, AMMESSA_NON_FINANZIATA, ATTIVA,
)

def registered(obj, request):
    """Only a registration can be annulled: a withdrawn draft never got a protocol number."""
    if not getattr(obj, "protocol", None):
        return "La domanda non ha un numero di protocollo: non c'è una registrazione da annullare."
    return None


#: states of a protocolled application whose registration may be annulled
ANNULLABLE = (
    INVIATA, NON_AMMISSIBILE_AUTO, ABBINATA, DECADUTA, IN_ISTRUTTORIA, SOSPESA_INTEGRAZIONE,
    AMMISSIBILE, NON_AMMISSIBILE, AMMESSA_FINANZIATA, AMMESSA_NON_FINANZIATA, ATTIVA,
    REVOCATA, RINUNCIATA,
)

TRANSITIONS = (
    Transition("submit", "Invia la domanda", (BOZZA,), INVIATA, SUBMIT),
    Transition("reject_auto", "Esito negativo delle verifiche automatiche", (INVIATA,),
               NON_AMMISSIBILE_AUTO, SYSTEM, comment_required=True),
    Transition("match", "Conferma l'abbinamento", (INVIATA,), ABBINATA, MATCH),
    Transition("lapse", "Decadenza per mancato abbinamento", (INVIATA,), DECADUTA, SYSTEM),
    # the chosen provider declines the abbinamento (with a reason): the application lapses
    Transition("decline_match", "Rifiuta l'abbinamento", (INVIATA,), DECADUTA, MATCH,
               comment_required=True),
    Transition("start_review", "Avvia l'istruttoria", (ABBINATA,), IN_ISTRUTTORIA, REVIEW),
    Transition("request_integration", "Richiedi integrazione", (IN_ISTRUTTORIA,),
               SOSPESA_INTEGRAZIONE, REVIEW, comment_required=True),
    Transition("integrate", "Invia l'integrazione", (SOSPESA_INTEGRAZIONE,),
               IN_ISTRUTTORIA, INTEGRATE),
    Transition("declare_eligible", "Dichiara ammissibile", (IN_ISTRUTTORIA,),
               AMMISSIBILE, REVIEW),
    Transition("declare_ineligible", "Dichiara non ammissibile",
               (IN_ISTRUTTORIA, SOSPESA_INTEGRAZIONE), NON_AMMISSIBILE, REVIEW,
               comment_required=True),
    Transition("fund", "Ammetti e finanzia", (AMMISSIBILE,), AMMESSA_FINANZIATA, REVIEW),
    Transition("admit_unfunded", "Ammetti senza finanziamento", (AMMISSIBILE,),
               AMMESSA_NON_FINANZIATA, REVIEW),
    Transition("scroll", "Finanzia per scorrimento", (AMMESSA_NON_FINANZIATA,),
               AMMESSA_FINANZIATA, REVIEW),
    Transition("activate", "Avvia il servizio", (AMMESSA_FINANZIATA,), ATTIVA, ACTIVATE),
    Transition("conclude", "Concludi", (ATTIVA,), CONCLUSA, SYSTEM),
    Transition("revoke", "Revoca", (AMMISSIBILE, AMMESSA_FINANZIATA,
                                    AMMESSA_NON_FINANZIATA, ATTIVA),
               REVOCATA, REVIEW, comment_required=True),
    Transition("withdraw", "Rinuncia", BEFORE_END, RINUNCIATA, WITHDRAW),
    # a protocolled application is never deleted: its registration is annulled, with a reason
    Transition("annul", "Annulla la registrazione", ANNULLABLE, ANNULLATA, ANNUL,
               guards=(registered,), comment_required=True),
)

WORKFLOW = Workflow(NAME, "Domanda di buono servizio", STATES, TRANSITIONS, BOZZA, MANAGED)
