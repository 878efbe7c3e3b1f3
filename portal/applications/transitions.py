"""Which of an application's transitions a user is offered, and why one is refused now."""
import workflows
from portal.i18n import _
from workflows.errors import WrongState


def workflow_of(request):
    return workflows.get_workflow(request.registry, "application")


def offered(request, application):
    """``{transition name: Option}`` the user may fire in the current state (guards may object)."""
    return {o.transition.name: o for o in workflow_of(request).transitions_for(application, request)}


def check_still_possible(request, application, name):
    """Raise ``WrongState`` saying the state it is in now when ``name`` cannot leave it.

    A double-submitted form, or a page opened before someone else moved the
    application on, names the action that is no longer possible instead of a
    generic "modified" message.
    """
    workflow = workflow_of(request)
    transition = workflow.transition(name)
    if transition is None or application.state in transition.from_states:
        return
    raise WrongState(_("La domanda è ora «${state}»: l'azione «${action}» non è più possibile.",
                       mapping={"state": _(workflow.state_title(application.state)),
                                "action": _(transition.title_it)}))
