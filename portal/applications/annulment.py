"""An annulled registration (DPR 445/2000) stays in the register; the audit log says who and why."""
from pyramid.events import subscriber

from content_types.events import StateChanged
from portal import audit
from workflows.application import ANNULLED, NAME


@subscriber(StateChanged)
def application_annulled(event):
    """Record the annulment with its protocol and reason (the history keeps them too)."""
    if event.workflow != NAME or event.new_state != ANNULLED or event.request is None:
        return
    application = event.object
    audit.log(event.request, "annullamento registrazione", application,
              protocol=application.protocol, reason=event.comment,
              from_state=event.old_state)
