"""Catalogue entries: a provider drafts an offer, the Region accredits and publishes it."""
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
    State(DRAFT, "Bozza", {
        PROVIDER: (VIEW, EDIT, DELETE, SUBMIT),
        OWNER: (VIEW, EDIT, DELETE, SUBMIT),
    }),
    State(SUBMITTED, "In attesa di accreditamento", {
        PROVIDER: (VIEW,),
        OWNER: (VIEW,),
        REGION_OFFICER: (VIEW, ACCREDIT),
    }),
    State(PUBLISHED, "Pubblicata (accreditata)", {
        "Everyone": (VIEW,),
        PROVIDER: (VIEW, WITHDRAW),
        OWNER: (VIEW, WITHDRAW),
        REGION_OFFICER: (VIEW, ACCREDIT, WITHDRAW),
    }),
    State(SUSPENDED, "Sospesa", {
        PROVIDER: (VIEW, WITHDRAW),
        OWNER: (VIEW, WITHDRAW),
        REGION_OFFICER: (VIEW, ACCREDIT, WITHDRAW),
    }),
    State(WITHDRAWN, "Ritirata", {
        PROVIDER: (VIEW,),
        OWNER: (VIEW,),
        REGION_OFFICER: (VIEW,),
    }),
)

TRANSITIONS = (
    Transition(SUBMIT, "Invia per l'accreditamento", (DRAFT,), SUBMITTED, SUBMIT),
    Transition(PUBLISH, "Accredita e pubblica", (SUBMITTED,), PUBLISHED, ACCREDIT),
    Transition(SEND_BACK, "Rinvia in bozza", (SUBMITTED,), DRAFT, ACCREDIT,
               comment_required=True),
    Transition(SUSPEND, "Sospendi", (PUBLISHED,), SUSPENDED, ACCREDIT,
               comment_required=True),
    Transition(REINSTATE, "Riattiva", (SUSPENDED,), PUBLISHED, ACCREDIT),
    Transition(WITHDRAW, "Ritira dal catalogo", (PUBLISHED, SUSPENDED), WITHDRAWN, WITHDRAW),
)

WORKFLOW = Workflow(NAME, "Voce del catalogo", STATES, TRANSITIONS, DRAFT, MANAGED)
