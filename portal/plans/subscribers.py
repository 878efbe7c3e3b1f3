"""A plan's workflow stamps when it was sent and approved; submission asks the budget rules."""
from content_types.events import StateChanged
from content_types.values import utcnow
from content_types.zone_plan import PlanVersion
from portal.plans import store
from workflows import zone_plan as workflow


def submission_check(obj):
    """``ISubmissionCheck``: the reason a version may not be sent (None: every rule holds)."""
    if not isinstance(obj, PlanVersion):
        return None
    found = store.problems_of(obj)
    return store.submission_message(found) if found else None


def plan_changed(event):
    version = event.object
    if event.workflow != workflow.NAME or not isinstance(version, PlanVersion):
        return
    if event.transition == workflow.SUBMIT:
        version.submitted_at = utcnow()
        version.section_notes = {}  # the Region's notes were answered by this submission
    elif event.transition == workflow.APPROVE:
        version.approved_at = utcnow()


def includeme(config):
    config.registry.registerUtility(submission_check, workflow.ISubmissionCheck)
    config.add_subscriber(plan_changed, StateChanged)
