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
    Transition("submit", "Invia per l'accreditamento", (DRAFT,), SUBMITTED, SUBMIT),
    Transition("publish", "Accredita e pubblica", (SUBMITTED,), PUBLISHED, ACCREDIT),
    Transition("send_back", "Rinvia in bozza", (SUBMITTED,), DRAFT, ACCREDIT,
               comment_required=True),
    Transition("suspend", "Sospendi", (PUBLISHED,), SUSPENDED, ACCREDIT,
               comment_required=True),
    Transition("reinstate", "Riattiva", (SUSPENDED,), PUBLISHED, ACCREDIT),
    Transition("withdraw", "Ritira dal catalogo", (PUBLISHED, SUSPENDED), WITHDRAWN, WITHDRAW),
)

WORKFLOW = Workflow(NAME, "Voce del catalogo", STATES, TRANSITIONS, DRAFT, MANAGED)
