"""Editorial content (pages, news, service pages): an editor writes, a reviewer publishes."""
from content_types.i18n import N_
from content_types.security import (
    ATS_OFFICER,
    DELETE,
    EDIT,
    EDITOR,
    OWNER,
    REGION_OFFICER,
    VIEW,
)
from workflows.engine import State, Transition, Workflow

NAME = "editorial"

# custom permissions; SUBMIT and RETRACT are also the names of their transitions
SUBMIT = "submit"    # send a draft to review
REVIEW = "review"    # a reviewer's decisions: publish, reject
RETRACT = "retract"  # take a pending or published item back to private

MANAGED = (VIEW, EDIT, DELETE, SUBMIT, REVIEW, RETRACT)

PRIVATE, PENDING, PUBLISHED = "private", "pending", "published"
#: none: these ids were English from the start
FORMER_STATE_IDS = {}

PUBLISH = "publish"
REJECT = "reject"

#: reviewers: the ATS officer where they hold the role, the Region's officers everywhere
#: (the Region already edits every ATS, see District's ACL). What is pending or published
#: changes only after a retraction: nobody edits under a reviewer's eyes or on the public site.
REVIEWERS = (REGION_OFFICER, ATS_OFFICER)
WRITERS = (EDITOR, OWNER)


def _grant(roles, permissions):
    return dict.fromkeys(roles, permissions)


STATES = (
    State(PRIVATE, N_("Privato"), {
        **_grant(WRITERS, (VIEW, EDIT, DELETE, SUBMIT)),
        **_grant(REVIEWERS, (VIEW, EDIT, DELETE, REVIEW)),
    }),
    State(PENDING, N_("In revisione"), {
        **_grant(WRITERS, (VIEW, RETRACT)),
        **_grant(REVIEWERS, (VIEW, REVIEW, RETRACT)),
    }),
    State(PUBLISHED, N_("Pubblicato"), {
        "Everyone": (VIEW,),
        **_grant(WRITERS, (VIEW, RETRACT)),
        **_grant(REVIEWERS, (VIEW, RETRACT)),
    }),
)

TRANSITIONS = (
    Transition(SUBMIT, N_("Invia in revisione"), (PRIVATE,), PENDING, SUBMIT),
    # a reviewer may publish their own draft without sending it to themselves first
    Transition(PUBLISH, N_("Pubblica"), (PRIVATE, PENDING), PUBLISHED, REVIEW),
    Transition(REJECT, N_("Rinvia al redattore"), (PENDING,), PRIVATE, REVIEW, comment_required=True),
    Transition(RETRACT, N_("Ritira"), (PENDING, PUBLISHED), PRIVATE, RETRACT),
)

WORKFLOW = Workflow(NAME, N_("Contenuto redazionale"), STATES, TRANSITIONS, PRIVATE, MANAGED)
