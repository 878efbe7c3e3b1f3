"""Catalogue entries: a provider drafts an offer, the Region accredits and publishes it."""
from content_types.i18n import N_
from content_types.security import (
    DELETE,
    EDIT,
    OWNER,
    PROVIDER,
    REGION_OFFICER,
    VIEW,
)
from workflows.engine import State, Transition, Workflow

NAME = "catalogue_entry"

# custom permissions (named constants so views and tests agree on spelling)
SUBMIT = "submit"          # send a draft for accreditation
ACCREDIT = "accredit"      # the Region's decisions: publish, send back, suspend, reinstate
WITHDRAW = "withdraw"      # take a published or suspended entry off the catalogue

MANAGED = (VIEW, EDIT, DELETE, SUBMIT, ACCREDIT, WITHDRAW)

DRAFT, SUBMITTED, PUBLISHED, SUSPENDED, WITHDRAWN = (
    "draft", "submitted", "published", "suspended", "withdrawn",
)
#: none: these ids were English from the start
FORMER_STATE_IDS = {}

# transition ids; SUBMIT and WITHDRAW are named like their permissions
PUBLISH = "publish"
SEND_BACK = "send_back"
SUSPEND = "suspend"
REINSTATE = "reinstate"

STATES = (
    State(DRAFT, N_("Bozza"), {
        PROVIDER: (VIEW, EDIT, DELETE, SUBMIT),
        OWNER: (VIEW, EDIT, DELETE, SUBMIT),
    }),
    State(SUBMITTED, N_("In attesa di accreditamento"), {
        PROVIDER: (VIEW,),
        OWNER: (VIEW,),
        REGION_OFFICER: (VIEW, ACCREDIT),
    }),
    State(PUBLISHED, N_("Pubblicata (accreditata)"), {
        "Everyone": (VIEW,),
        PROVIDER: (VIEW, WITHDRAW),
        OWNER: (VIEW, WITHDRAW),
        REGION_OFFICER: (VIEW, ACCREDIT, WITHDRAW),
    }),
    State(SUSPENDED, N_("Sospesa"), {
        PROVIDER: (VIEW, WITHDRAW),
        OWNER: (VIEW, WITHDRAW),
        REGION_OFFICER: (VIEW, ACCREDIT, WITHDRAW),
    }),
    State(WITHDRAWN, N_("Ritirata"), {
        PROVIDER: (VIEW,),
        OWNER: (VIEW,),
        REGION_OFFICER: (VIEW,),
    }),
)

TRANSITIONS = (
    Transition(SUBMIT, N_("Invia per l'accreditamento"), (DRAFT,), SUBMITTED, SUBMIT),
    Transition(PUBLISH, N_("Accredita e pubblica"), (SUBMITTED,), PUBLISHED, ACCREDIT),
    Transition(SEND_BACK, N_("Rinvia in bozza"), (SUBMITTED,), DRAFT, ACCREDIT,
               comment_required=True),
    Transition(SUSPEND, N_("Sospendi"), (PUBLISHED,), SUSPENDED, ACCREDIT,
               comment_required=True),
    Transition(REINSTATE, N_("Riattiva"), (SUSPENDED,), PUBLISHED, ACCREDIT),
    Transition(WITHDRAW, N_("Ritira dal catalogo"), (PUBLISHED, SUSPENDED), WITHDRAWN, WITHDRAW),
)

WORKFLOW = Workflow(NAME, N_("Voce del catalogo"), STATES, TRANSITIONS, DRAFT, MANAGED)
