"""Zone plans: the ATS drafts and submits, the Region reviews, approves or returns it."""
from zope.interface import Interface

from content_types.i18n import N_
from content_types.security import ATS_OFFICER, DELETE, EDIT, REGION_OFFICER, VIEW
from workflows.engine import State, Transition, Workflow
from workflows.errors import GuardFailed

NAME = "zone_plan"

SUBMIT = "submit"    # send the plan to the Region
REVIEW = "review"    # the Region's review: take in charge, approve, return

MANAGED = (VIEW, EDIT, DELETE, SUBMIT, REVIEW)

# state ids (English identifiers; users see the Italian titles in STATES)
DRAFT, SUBMITTED, UNDER_REVIEW, APPROVED, RETURNED = (
    "draft", "submitted", "under_review", "approved", "returned",
)
#: the Italian ids stored before evolve step 9, still accepted in URL filters
FORMER_STATE_IDS = {
    "bozza": DRAFT, "inviato": SUBMITTED, "in_esame": UNDER_REVIEW, "approvato": APPROVED,
    "restituito": RETURNED,
}

# transition ids; SUBMIT is named like its permission
TAKE_IN_CHARGE = "take_in_charge"
APPROVE = "approve"
RETURN = "return"



class ISubmissionCheck(Interface):
    """A utility ``check(plan) -> reason or None`` the feature registers (``portal.plans``).

    The workflow cannot know the budget rules; the feature that owns them answers whether a
    plan may be sent (every invariant holds) and, when not, why.
    """


def plan_is_complete(obj, request):
    """A plan is sent to the Region only while every invariant holds."""
    registry = getattr(request, "registry", None)
    check = registry.queryUtility(ISubmissionCheck) if registry is not None else None
    reason = check(obj) if check is not None else None
    if reason:
        raise GuardFailed(reason)


STATES = (
    State(DRAFT, N_("Bozza"), {
        ATS_OFFICER: (VIEW, EDIT, DELETE, SUBMIT),
    }),
    State(SUBMITTED, N_("Inviato alla Regione"), {
        ATS_OFFICER: (VIEW,),
        REGION_OFFICER: (VIEW, REVIEW),
    }),
    State(UNDER_REVIEW, N_("In esame regionale"), {
        ATS_OFFICER: (VIEW,),
        REGION_OFFICER: (VIEW, REVIEW),
    }),
    # an approved plan is a public document
    State(APPROVED, N_("Approvato"), {
        "Everyone": (VIEW,),
        ATS_OFFICER: (VIEW,),
        REGION_OFFICER: (VIEW,),
    }),
    State(RETURNED, N_("Restituito per modifiche"), {
        ATS_OFFICER: (VIEW, EDIT, SUBMIT),
        REGION_OFFICER: (VIEW,),
    }),
)

TRANSITIONS = (
    Transition(SUBMIT, N_("Invia alla Regione"), (DRAFT, RETURNED), SUBMITTED, SUBMIT,
               guards=(plan_is_complete,)),
    Transition(TAKE_IN_CHARGE, N_("Prendi in esame"), (SUBMITTED,), UNDER_REVIEW, REVIEW),
    Transition(APPROVE, N_("Approva"), (UNDER_REVIEW,), APPROVED, REVIEW),
    Transition(RETURN, N_("Restituisci per modifiche"), (UNDER_REVIEW,), RETURNED, REVIEW,
               comment_required=True),
)

WORKFLOW = Workflow(NAME, N_("Piano sociale di zona"), STATES, TRANSITIONS, DRAFT, MANAGED)
