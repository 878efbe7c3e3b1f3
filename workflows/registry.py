"""Registering workflows with Pyramid and finding the one that governs an object."""
from content_types.events import ObjectAdded
from content_types.i18n import _
from content_types.registry import get_content_registry
from workflows.errors import NoWorkflow


def get_workflows(registry):
    """name -> Workflow, stored on the Pyramid registry (created on demand)."""
    workflows = getattr(registry, "workflows", None)
    if workflows is None:
        workflows = registry.workflows = {}
    return workflows


def get_workflow(registry, name):
    """The workflow registered as ``name``; raises ``NoWorkflow`` if there is none."""
    try:
        return get_workflows(registry)[name]
    except KeyError:
        raise NoWorkflow(_("Flusso di lavoro non registrato: «${name}».", mapping={"name": name})) from None


def workflow_for(registry, obj):
    """The workflow of ``obj``'s content type, or None if the type declares none."""
    info = get_content_registry(registry).info_for(obj)
    name = getattr(info, "workflow", None)
    if not name:
        return None
    return get_workflow(registry, name)


def add_workflow(config, workflow):
    """Pyramid directive: validate now, register at commit (duplicates conflict)."""
    workflow.validate()

    def register():
        get_workflows(config.registry)[workflow.name] = workflow

    config.action(("workflow", workflow.name), register)
    return workflow


def initialize_added(registry):
    """An ObjectAdded subscriber putting new workflow-governed objects in their initial state."""

    def object_added(event):
        obj = event.object
        if getattr(obj, "state", None) is not None:
            return
        workflow = workflow_for(registry, obj)
        if workflow is not None:
            workflow.initialize(obj, event.request, registry=registry)

    return object_added


def subscribe(config):
    config.add_subscriber(initialize_added(config.registry), ObjectAdded)
