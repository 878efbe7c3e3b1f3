"""The Region's review of the zone plans: every ATS's plans by state, returning a version with
notes per section, and the versions a person may compare.

Transaction-aware, never request-aware: the views pass who acts and a ``fire`` that runs the
workflow engine with the request, so the workflow's permissions hold.
"""
from typing import NamedTuple

from content_types.district import District
from portal.i18n import _
from portal.plans import store
from portal.plans.rules import model
from portal.plans.rules.errors import PlanError
from workflows import zone_plan as workflow

#: the review queue: what waits for the Region
QUEUE_STATES = (workflow.SUBMITTED, workflow.UNDER_REVIEW)
#: the order of the Region's list: the queue first, then what the ATS holds, then the approved
STATE_ORDER = (workflow.SUBMITTED, workflow.UNDER_REVIEW, workflow.RETURNED, workflow.DRAFT,
               workflow.APPROVED)
#: the longest general comment of a return (the workflow history keeps it)
MAX_COMMENT = 4000


class ReviewRefused(PlanError):
    """A decision the page refuses with its form shown again (what was typed kept)."""


class NotesRequired(ReviewRefused):
    code = "notes_required"
    default_message = _("Per restituire il piano scrivere almeno una nota su una sezione o un "
                        "commento generale: l'Ambito deve sapere che cosa correggere.")


class CommentTooLong(ReviewRefused):
    code = "comment_too_long"
    default_message = _("Il commento generale è troppo lungo: al massimo 4000 caratteri.")


class Entry(NamedTuple):
    """One plan of one ATS with its latest version (what the Region's list shows)."""

    district: object
    plan: object
    version: object

    @property
    def state(self):
        return self.version.state if self.version is not None else ""


def _order(entry):
    state = entry.state
    rank = STATE_ORDER.index(state) if state in STATE_ORDER else len(STATE_ORDER)
    waiting = entry.version.submitted_at if state in QUEUE_STATES else None
    # the queue: the longest waiting first; the rest by ATS code, the latest period first
    return (rank, waiting is None, waiting or 0, entry.district.code, -entry.plan.start_year)


def overview(root):
    """Every ATS's plans with their latest version: the queue first, the longest waiting first."""
    found = []
    for district in root["ambiti"].values():
        if not isinstance(district, District):
            continue
        for plan in store.plans_of(district):
            found.append(Entry(district, plan, store.latest(plan)))
    return sorted(found, key=_order)


def counts(entries):
    """{state: how many plans are in it} (states with none left out)."""
    found = {}
    for entry in entries:
        found[entry.state] = found.get(entry.state, 0) + 1
    return found


def waiting(root):
    """How many plans wait for the Region (sent, or taken in charge and not yet decided)."""
    return sum(1 for entry in overview(root) if entry.state in QUEUE_STATES)


def clean_notes(notes):
    """The notes per section the Region wrote (blank ones left out), in section order."""
    return {s: (notes.get(s) or "").strip() for s in model.SECTIONS
            if (notes.get(s) or "").strip()}


def return_plan(version, notes, comment, *, who, fire, default_comment):
    """Return ``version`` to the ATS with its notes; refused (nothing stored) without any note.

    ``default_comment(sections)`` words the workflow's comment when only sections have notes.
    """
    kept = clean_notes(notes)
    comment = (comment or "").strip()
    if not kept and not comment:
        raise NotesRequired(fields={"commento": "obbligatorio"})
    if len(comment) > MAX_COMMENT:
        raise CommentTooLong(fields={"commento": "troppo lungo"})
    # a refused transition raises: the request's transaction, notes included, is aborted
    store.set_section_notes(version, kept)
    store.record_review(version, who=who, comment=comment)
    return fire(version, workflow.RETURN, comment or default_comment(tuple(kept)))


class ApprovalRefused(ReviewRefused):
    """The plan breaks an invariant (the Region's settings may have changed since it was sent)."""

    code = "approval_refused"
    default_message = _("Il piano non rispetta tutti i vincoli del bilancio (vedere i problemi "
                        "elencati): restituirlo all'Ambito perché li corregga, poi approvarlo.")


def check_approvable(version):
    """Raise unless every invariant of the plan holds: an approved plan is frozen as it is."""
    found = store.problems_of(version)
    if found:
        raise ApprovalRefused(fields={"problemi": str(len(found))})
