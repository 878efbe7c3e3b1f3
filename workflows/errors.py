"""Exception root of the workflow package; ``portal`` maps these to HTTP via ``http_status``."""
from content_types.errors import ErrorBase
from content_types.i18n import _


class WorkflowError(ErrorBase):
    """Base for workflow errors: ``code`` is for machines, ``message`` (Italian) for users."""

    code = "workflow_error"
    http_status = 400
    default_message = _("Passaggio di stato non riuscito.")


class UnknownTransition(WorkflowError):
    code = "unknown_transition"
    http_status = 404


class WrongState(WorkflowError):
    code = "wrong_state"
    http_status = 409


class TransitionForbidden(WorkflowError):
    code = "transition_forbidden"
    http_status = 403


class CommentRequired(WorkflowError):
    code = "comment_required"
    http_status = 422


class GuardFailed(WorkflowError):
    code = "guard_failed"
    http_status = 422


class NoWorkflow(WorkflowError):
    """The object's type has no workflow (or the workflow is not registered)."""

    code = "no_workflow"
    http_status = 404


class StatesMissing(WorkflowError):
    """``update_all`` refused: objects sit in states their workflow no longer has."""

    code = "states_missing"
    http_status = 409

    def __init__(self, message=None, problems=()):
        super().__init__(message)
        #: tuple of (path, workflow name, state)
        self.problems = tuple(problems)


class DiagramUnavailable(WorkflowError):
    """Graphviz is missing or failed, so no diagram can be drawn."""

    code = "diagram_unavailable"
    http_status = 503
