"""Fixtures for the workflow unit tests: a Pyramid config with test types and policy."""
import pytest
from pyramid import testing

from tests.unit.workflows.support import Box, Doc, RolePolicy, make_request, sample_workflow


class Recorder:
    """Collects the events a subscriber receives."""

    def __init__(self):
        self.events = []

    def __call__(self, event):
        self.events.append(event)

    def of(self, cls):
        return [e for e in self.events if isinstance(e, cls)]


@pytest.fixture
def config():
    """Use for engine tests with a registry: an autocommitting Configurator with test types and policy."""
    config = testing.setUp()
    config.include("content_types")
    config.include("workflows")
    config.add_content_type("wf_test_doc", Doc, title="Documento di prova", workflow="wf_test")
    config.add_content_type("wf_test_box", Box, title="Contenitore di prova")
    config.add_workflow(sample_workflow())
    config.set_security_policy(RolePolicy())
    yield config
    testing.tearDown()


@pytest.fixture
def events(config):
    """Use to assert which events a transition notified: every event through the registry, in order."""
    recorder = Recorder()
    config.add_subscriber(recorder, object)
    return recorder


@pytest.fixture
def request_for(config):
    """Use to act as a user with global roles: ``request_for("anna", "owner")`` builds the request."""

    def build(user=None, *roles):
        return make_request(config.registry, user, roles)

    return build
