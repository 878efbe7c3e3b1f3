"""Workflows: states, transitions and per-state permission maps, plus a checked engine.

``config.include("workflows")`` adds the ``config.add_workflow`` directive, the
subscriber that initializes new objects, and the workflows the portal ships.
"""
from importlib import import_module

from content_types.i18n import _
from workflows.engine import CREATED, Option, State, Transition, Workflow, history, registry_of
from workflows.errors import (
    CommentRequired,
    DiagramUnavailable,
    GuardFailed,
    NoWorkflow,
    StatesMissing,
    TransitionForbidden,
    UnknownTransition,
    WorkflowError,
    WrongState,
)
from workflows.registry import add_workflow, get_workflow, get_workflows, subscribe, workflow_for

__all__ = [
    "CREATED", "CommentRequired", "DiagramUnavailable", "GuardFailed", "NoWorkflow", "Option", "State",
    "StatesMissing", "Transition", "TransitionForbidden", "UnknownTransition", "Workflow", "WorkflowError",
    "WrongState", "add_workflow", "get_workflow", "get_workflows", "history", "registry_of", "workflow_for",
]

#: modules defining one shipped workflow each (module.WORKFLOW)
SHIPPED = (
    "workflows.catalogue_entry",
    "workflows.application",
    "workflows.attestation",
    "workflows.zone_plan",
    "workflows.editorial",
)


def former_state_ids():
    """``{Italian id stored before evolve step 9: English id}`` over the shipped workflows."""

    merged = {}
    for name in SHIPPED:
        merged.update(import_module(name).FORMER_STATE_IDS)
    return merged


def current_state_id(value):
    """``value`` with a former Italian state id (old links, bookmarks) read as today's id."""
    return former_state_ids().get(value, value)


def shipped_workflows():
    """The portal's own workflow definitions."""
    return [import_module(name).WORKFLOW for name in SHIPPED]


def initialize(obj, request=None, registry=None):
    """Put a new object in its type's initial state (no-op for types without workflow)."""
    workflow = workflow_for(registry_of(request, registry), obj)
    if workflow is not None:
        workflow.initialize(obj, request, registry=registry)
    return workflow


def transitions_for(obj, request):
    """Transitions the current user may fire on ``obj`` now (empty without workflow)."""
    workflow = workflow_for(request.registry, obj)
    return workflow.transitions_for(obj, request) if workflow is not None else []


def fire(obj, request, name, comment="", registry=None):
    """Fire transition ``name`` on ``obj`` with its type's workflow."""
    workflow = workflow_for(registry_of(request, registry), obj)
    if workflow is None:
        raise NoWorkflow(_("Questo elemento non ha un flusso di lavoro."))
    return workflow.fire(obj, request, name, comment, registry=registry)


def includeme(config):
    config.add_directive("add_workflow", add_workflow)
    subscribe(config)
    for workflow in shipped_workflows():
        config.add_workflow(workflow)
