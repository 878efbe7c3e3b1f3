"""State and transition ids: English identifiers, exported as constants, former Italian ids mapped."""
import importlib

import pytest

import content_types.application
import workflows
import workflows.application as application_workflow
from workflows import SHIPPED, current_state_id, former_state_ids

MODULES = [importlib.import_module(name) for name in SHIPPED]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.NAME)
def test_every_state_and_transition_is_an_exported_constant(module):
    exported = {value for name, value in vars(module).items()
                if name.isupper() and isinstance(value, str)}
    workflow = module.WORKFLOW
    assert {s.name for s in workflow.states} <= exported
    assert {t.name for t in workflow.transitions} <= exported


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.NAME)
def test_former_ids_lead_to_states_of_the_same_workflow(module):
    states = {s.name for s in module.WORKFLOW.states}
    assert set(module.FORMER_STATE_IDS.values()) <= states
    assert not set(module.FORMER_STATE_IDS) & states


def test_former_ids_are_no_current_id_anywhere_and_map_to_one_id_each():
    current = {s.name for m in MODULES for s in m.WORKFLOW.states}
    merged = former_state_ids()
    assert not set(merged) & current
    for module in MODULES:
        for old, new in module.FORMER_STATE_IDS.items():
            assert merged[old] == new


def test_current_state_id_reads_old_links_and_keeps_the_rest():
    assert current_state_id("abbinata") == application_workflow.MATCHED
    assert current_state_id("bozza") == application_workflow.DRAFT
    assert current_state_id(application_workflow.FUNDED) == application_workflow.FUNDED
    assert current_state_id("no-such-state") == "no-such-state"
    assert current_state_id("") == ""


def test_content_types_draft_is_the_workflow_initial_state():
    # content_types may not import workflows, so it spells the id itself
    assert content_types.application.DRAFT == application_workflow.DRAFT
    assert application_workflow.WORKFLOW.initial_state == application_workflow.DRAFT


def test_place_and_reapply_tuples_are_states():
    states = {s.name for s in application_workflow.WORKFLOW.states}
    for group in (application_workflow.REAPPLY_AFTER, application_workflow.HOLDS_PLACE,
                  application_workflow.AWAITING_DECISION, application_workflow.RANKED):
        assert set(group) <= states
    names = {t.name for t in application_workflow.WORKFLOW.transitions}
    assert set(application_workflow.RELEASE_ON) <= names
    # a transition that releases a place must leave every state that holds one
    for name in application_workflow.RELEASE_ON:
        transition = application_workflow.WORKFLOW.transition(name)
        assert transition.to_state not in application_workflow.HOLDS_PLACE
    assert workflows.engine.CREATED == "created"
