"""Registration: definitions are checked at startup, duplicates conflict."""
import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationConflictError, ConfigurationError

import workflows
from content_types.events import ObjectAdded
from content_types.security import ATS_OFFICER, MANAGE, OWNER, VIEW
from tests.unit.workflows.support import SUBMIT, sample_workflow
from workflows import State, Transition, get_workflow, get_workflows

GOOD_STATES = (
    State("draft", "Bozza", {OWNER: (VIEW, SUBMIT)}),
    State("done", "Fatto", {"Everyone": (VIEW,), "Authenticated": (VIEW,)}),
)
GOOD_TRANSITIONS = (Transition("submit", "Invia", ("draft",), "done", SUBMIT),)

BAD = {
    "unknown role": {"states": (
        State("draft", "Bozza", {"janitor": (VIEW,)}), GOOD_STATES[1])},
    "permission not managed": {"states": (
        State("draft", "Bozza", {OWNER: (VIEW, MANAGE)}), GOOD_STATES[1])},
    "permissions given as a string": {"states": (
        State("draft", "Bozza", {OWNER: VIEW}), GOOD_STATES[1])},
    "duplicate state": {"states": GOOD_STATES + (State("done", "Ancora", {}),)},
    "duplicate transition": {"transitions": GOOD_TRANSITIONS * 2},
    "to unknown state": {"transitions": (
        Transition("submit", "Invia", ("draft",), "nowhere", SUBMIT),)},
    "from unknown state": {"transitions": (
        Transition("submit", "Invia", ("limbo",), "done", SUBMIT),)},
    "from_states as a string": {"transitions": (
        Transition("submit", "Invia", "draft", "done", SUBMIT),)},
    "unknown initial state": {"initial": "limbo"},
    "transition permission not managed": {"transitions": (
        Transition("submit", "Invia", ("draft",), "done", MANAGE),)},
    "guard not callable": {"transitions": (
        Transition("submit", "Invia", ("draft",), "done", SUBMIT, guards=("yes",)),)},
}


def build(**overrides):
    kw = {"states": GOOD_STATES, "transitions": GOOD_TRANSITIONS, "initial": "draft",
              "managed": (VIEW, SUBMIT)}
    kw.update(overrides)
    return sample_workflow("checked", **kw)


def test_a_good_definition_registers(config):
    config.add_workflow(build())
    assert get_workflow(config.registry, "checked").initial_state == "draft"


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_definitions_fail_at_registration(config, case):
    with pytest.raises(ConfigurationError):
        config.add_workflow(build(**BAD[case]))
    assert "checked" not in get_workflows(config.registry)


def test_error_names_the_problem(config):
    with pytest.raises(ConfigurationError, match="unknown role 'janitor'"):
        config.add_workflow(build(**BAD["unknown role"]))


def test_duplicate_registration_conflicts_at_commit():
    config = Configurator()
    config.include("workflows")
    config.add_workflow(sample_workflow("twice"))
    config.add_workflow(sample_workflow("twice"))
    with pytest.raises(ConfigurationConflictError):
        config.commit()


def test_the_including_app_may_override_a_shipped_workflow():
    """Pyramid's rule: the includer's action wins over an included one, no conflict."""
    config = Configurator()
    config.include("workflows")
    replacement = sample_workflow("application")
    config.add_workflow(replacement)
    config.commit()
    assert get_workflow(config.registry, "application") is replacement


def test_includeme_registers_the_shipped_workflows_and_subscriber():
    config = Configurator()
    config.include("workflows")
    config.commit()
    names = set(get_workflows(config.registry))
    assert names == {"catalogue_entry", "application", "attestation", "zone_plan", "editorial"}
    assert [w.name for w in workflows.shipped_workflows()] == [
        "catalogue_entry", "application", "attestation", "zone_plan", "editorial"]
    handlers = [r for r in config.registry.registeredHandlers()
                if r.required[0].implementedBy(ObjectAdded)]
    assert len(handlers) == 1


@pytest.mark.parametrize("workflow", workflows.shipped_workflows(), ids=lambda w: w.name)
def test_shipped_workflows_validate(workflow):
    assert workflow.validate() is workflow
    assert all(s.title_it for s in workflow.states)
    assert all(t.title_it for t in workflow.transitions)
    assert ATS_OFFICER  # the role constants the maps use exist
