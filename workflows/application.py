"""Voucher applications (domain.md §3): from the family's draft to the end of the service.

State ids are the lowercase forms of domain.md's names. Transitions marked
"system" use ``SYSTEM``, granted to no role in any state: the engine fires them
for trusted callers (``request=None``: scheduled jobs, subscribers) and admins.
"""
from content_types.i18n import N_, _
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

# state ids (English identifiers; users see the Italian titles in STATES)
(DRAFT, SUBMITTED, AUTO_INELIGIBLE, MATCHED, LAPSED, UNDER_REVIEW, AWAITING_INTEGRATION,
 ELIGIBLE, INELIGIBLE, FUNDED, ADMITTED_UNFUNDED, ACTIVE, CONCLUDED, REVOKED, WITHDRAWN,
 ANNULLED) = (
    "draft", "submitted", "auto_ineligible", "matched", "lapsed", "under_review",
    "awaiting_integration", "eligible", "ineligible", "funded", "admitted_unfunded",
    "active", "concluded", "revoked", "withdrawn", "annulled",
)
#: the Italian ids stored before evolve step 9, still accepted in URL filters
FORMER_STATE_IDS = dict(zip(
    ("bozza", "inviata", "non_ammissibile_auto", "abbinata", "decaduta", "in_istruttoria",
     "sospesa_integrazione", "ammissibile", "non_ammissibile", "ammessa_finanziata",
     "ammessa_non_finanziata", "attiva", "conclusa", "revocata", "rinunciata", "annullata"),
    (DRAFT, SUBMITTED, AUTO_INELIGIBLE, MATCHED, LAPSED, UNDER_REVIEW, AWAITING_INTEGRATION,
     ELIGIBLE, INELIGIBLE, FUNDED, ADMITTED_UNFUNDED, ACTIVE, CONCLUDED, REVOKED, WITHDRAWN,
     ANNULLED), strict=True))

# transition ids; where a transition is named like the permission that fires it
# (SUBMIT, WITHDRAW, MATCH, INTEGRATE, ACTIVATE, ANNUL above) the one constant serves both
REJECT_AUTO = "reject_auto"
LAPSE = "lapse"
DECLINE_MATCH = "decline_match"
START_REVIEW = "start_review"
REQUEST_INTEGRATION = "request_integration"
DECLARE_ELIGIBLE = "declare_eligible"
DECLARE_INELIGIBLE = "declare_ineligible"
FUND = "fund"
ADMIT_UNFUNDED = "admit_unfunded"
SCROLL = "scroll"
CONCLUDE = "conclude"
REVOKE = "revoke"

#: states whose application holds its voucher money: funded, then active, then concluded;
#: every later ranking version keeps it funded with the same amount
HOLDS_FUNDING = (FUNDED, ACTIVE, CONCLUDED)
#: states whose applications are listed in a ranking: waiting for funds, or holding them
RANKED = (ELIGIBLE, ADMITTED_UNFUNDED, *HOLDS_FUNDING)

#: states after which the same beneficiary may apply again under the same call
#: (a lapsed application was never matched: the family may choose another service;
#: an annulled registration counts as never filed)
REAPPLY_AFTER = (WITHDRAWN, AUTO_INELIGIBLE, LAPSED, ANNULLED)
#: states holding a place at the chosen provider: leaving them by RELEASE_ON frees it
HOLDS_PLACE = (MATCHED, UNDER_REVIEW, AWAITING_INTEGRATION, ELIGIBLE, FUNDED,
               ADMITTED_UNFUNDED, ACTIVE)
#: submitted applications not yet decided: a ranking published now would leave them out
AWAITING_DECISION = (SUBMITTED, MATCHED, UNDER_REVIEW, AWAITING_INTEGRATION)

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
    State(DRAFT, N_("Bozza"), {
        OWNER: READ + (EDIT, DELETE, SUBMIT, WITHDRAW),
        DELEGATE: READ + (EDIT, DELETE, SUBMIT),
    }),
    # the chosen provider sees the request (not personal data) to accept the match
    State(SUBMITTED, N_("Inviata"), {
        OWNER: READ + (WITHDRAW,),
        DELEGATE: READ,
        ATS_OFFICER: READ + (ANNUL,),
        PROVIDER: (VIEW, MATCH),
        REGION_OFFICER: (VIEW,),
    }),
    closed_state(AUTO_INELIGIBLE, N_("Non ammissibile (verifica automatica)")),
    open_state(MATCHED, N_("Abbinata"), provider=()),
    closed_state(LAPSED, N_("Decaduta")),
    open_state(UNDER_REVIEW, N_("In istruttoria"), provider=()),
    open_state(AWAITING_INTEGRATION, N_("Sospesa per integrazione"),
               owner=(INTEGRATE,), delegate=(INTEGRATE,), provider=()),
    open_state(ELIGIBLE, N_("Ammissibile"), provider=()),
    closed_state(INELIGIBLE, N_("Non ammissibile")),
    open_state(FUNDED, N_("Ammessa e finanziata"), provider=(ACTIVATE,)),
    open_state(ADMITTED_UNFUNDED, N_("Ammessa non finanziata"), provider=()),
    # monthly attestations are added under an active application by the provider
    open_state(ACTIVE, N_("Attiva"), provider=(ADD_CONTENT,)),
    # a concluded service has been paid: its record is final
    closed_state(CONCLUDED, N_("Conclusa"), annullable=False),
    closed_state(REVOKED, N_("Revocata")),
    closed_state(WITHDRAWN, N_("Rinunciata")),
    # an annulled registration stays in the register, with who annulled it and why
    closed_state(ANNULLED, N_("Annullata"), annullable=False),
)

BEFORE_END = (
    DRAFT, SUBMITTED, MATCHED, UNDER_REVIEW, AWAITING_INTEGRATION, ELIGIBLE,
    FUNDED, ADMITTED_UNFUNDED, ACTIVE,
)

#: the outcomes a published ranking writes on an application (``ranking_outcome["outcome"]``;
#: ``portal.applications.rules.ranking`` names them FUNDED and NOT_FUNDED: a test holds them equal)
RANKED_FUNDED, RANKED_NOT_FUNDED = "finanziata", "non_finanziata"


def _ranked(obj, outcome):
    found = (getattr(obj, "ranking_outcome", None) or {}).get("outcome")
    if found != outcome:
        return _("L'esito si decide solo pubblicando la graduatoria dell'Ambito: la domanda vi "
                 "riceve la sua posizione e il finanziamento, se i fondi bastano.")
    return None


def ranked_funded(obj, request):
    """Funding follows a published ranking that funds the application, never a click alone."""
    return _ranked(obj, RANKED_FUNDED)


def ranked_not_funded(obj, request):
    """«Admitted, not funded» follows a published ranking too."""
    return _ranked(obj, RANKED_NOT_FUNDED)


def registered(obj, request):
    """Only a registration can be annulled: a withdrawn draft never got a protocol number."""
    if not getattr(obj, "protocol", None):
        return _("La domanda non ha un numero di protocollo: non c'è una registrazione da annullare.")
    return None


#: states of a protocolled application whose registration may be annulled
ANNULLABLE = (
    SUBMITTED, AUTO_INELIGIBLE, MATCHED, LAPSED, UNDER_REVIEW, AWAITING_INTEGRATION,
    ELIGIBLE, INELIGIBLE, FUNDED, ADMITTED_UNFUNDED, ACTIVE,
    REVOKED, WITHDRAWN,
)

TRANSITIONS = (
    Transition(SUBMIT, N_("Invia la domanda"), (DRAFT,), SUBMITTED, SUBMIT),
    Transition(REJECT_AUTO, N_("Esito negativo delle verifiche automatiche"), (SUBMITTED,),
               AUTO_INELIGIBLE, SYSTEM, comment_required=True),
    Transition(MATCH, N_("Conferma l'abbinamento"), (SUBMITTED,), MATCHED, MATCH),
    Transition(LAPSE, N_("Decadenza per mancato abbinamento"), (SUBMITTED,), LAPSED, SYSTEM),
    # the chosen provider declines the abbinamento (with a reason): the application lapses
    Transition(DECLINE_MATCH, N_("Rifiuta l'abbinamento"), (SUBMITTED,), LAPSED, MATCH,
               comment_required=True),
    Transition(START_REVIEW, N_("Avvia l'istruttoria"), (MATCHED,), UNDER_REVIEW, REVIEW),
    Transition(REQUEST_INTEGRATION, N_("Richiedi integrazione"), (UNDER_REVIEW,),
               AWAITING_INTEGRATION, REVIEW, comment_required=True),
    Transition(INTEGRATE, N_("Invia l'integrazione"), (AWAITING_INTEGRATION,),
               UNDER_REVIEW, INTEGRATE),
    Transition(DECLARE_ELIGIBLE, N_("Dichiara ammissibile"), (UNDER_REVIEW,),
               ELIGIBLE, REVIEW),
    Transition(DECLARE_INELIGIBLE, N_("Dichiara non ammissibile"),
               (UNDER_REVIEW, AWAITING_INTEGRATION), INELIGIBLE, REVIEW,
               comment_required=True),
    Transition(FUND, N_("Ammetti e finanzia"), (ELIGIBLE,), FUNDED, REVIEW,
               guards=(ranked_funded,)),
    Transition(ADMIT_UNFUNDED, N_("Ammetti senza finanziamento"), (ELIGIBLE,),
               ADMITTED_UNFUNDED, REVIEW, guards=(ranked_not_funded,)),
    Transition(SCROLL, N_("Finanzia per scorrimento"), (ADMITTED_UNFUNDED,),
               FUNDED, REVIEW, guards=(ranked_funded,)),
    Transition(ACTIVATE, N_("Avvia il servizio"), (FUNDED,), ACTIVE, ACTIVATE),
    Transition(CONCLUDE, N_("Concludi"), (ACTIVE,), CONCLUDED, SYSTEM),
    Transition(REVOKE, N_("Revoca"), (ELIGIBLE, FUNDED,
                                    ADMITTED_UNFUNDED, ACTIVE),
               REVOKED, REVIEW, comment_required=True),
    Transition(WITHDRAW, N_("Rinuncia"), BEFORE_END, WITHDRAWN, WITHDRAW),
    # a protocolled application is never deleted: its registration is annulled, with a reason
    Transition(ANNUL, N_("Annulla la registrazione"), ANNULLABLE, ANNULLED, ANNUL,
               guards=(registered,), comment_required=True),
)

#: transitions that end an application and so release its provider place (HOLDS_PLACE)
RELEASE_ON = (WITHDRAW, REVOKE, DECLARE_INELIGIBLE, ANNUL)

WORKFLOW = Workflow(NAME, N_("Domanda di buono servizio"), STATES, TRANSITIONS, DRAFT, MANAGED)
