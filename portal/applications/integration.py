"""The integration deadline is written on the application when the ATS asks for an integration."""
from pyramid.events import subscriber

import workflows
import workflows.application as wf
from content_types.application import Application
from content_types.events import StateChanged
from content_types.values import format_date, utcnow
from portal.applications import services
from portal.applications.rules import integration


@subscriber(StateChanged)
def integration_requested(event):
    """Store the end of the call's integration window, counted from the request."""
    application = event.object
    if (event.transition != wf.REQUEST_INTEGRATION or event.workflow != wf.NAME
            or not isinstance(application, Application)):
        return
    asked = [h for h in workflows.history(application)
             if h.get("transition") == wf.REQUEST_INTEGRATION]
    when = asked[-1]["when"] if asked else utcnow()
    call = services.call_of(application)
    application.integration_deadline = integration.deadline(
        when, integration.integration_days(call))


def integration_until(application):
    """While an integration is awaited: its last day (dd/mm/yyyy, Rome), else ""."""
    deadline_at = getattr(application, "integration_deadline", None)
    if application.state != wf.AWAITING_INTEGRATION or deadline_at is None:
        return ""
    return format_date(integration.last_day(deadline_at))


def check_integration_open(application, now):
    """Refuse (IntegrationClosed) once the application's integration deadline has passed."""
    integration.check_open(getattr(application, "integration_deadline", None), now)
