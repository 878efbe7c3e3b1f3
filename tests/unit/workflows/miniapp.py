"""A tiny Pyramid app over ZODB, so ``portal-workflow-update`` runs against a real .ini."""
from pyramid.config import Configurator
from pyramid_zodbconn import get_connection

from tests.unit.workflows.support import Box, Doc, sample_workflow
from workflows import State

#: the registries built by ``main`` (the test closes their databases)
REGISTRIES = []


def shrunk_workflow():
    """``wf_test`` after a release that dropped the ``submitted`` state."""
    base = sample_workflow()
    states = tuple(s for s in base.states if s.name != "submitted")
    transitions = tuple(t for t in base.transitions if t.name == "send_back")
    transitions = (transitions[0].__class__(
        "send_back", "Rinvia in bozza", ("published",), "draft", "review",
        comment_required=True),)
    return sample_workflow(states=states, transitions=transitions)


def widened_workflow():
    """``wf_test`` after a release that lets ATS officers read drafts."""
    base = sample_workflow()
    draft = base.states[0]
    states = (State("draft", draft.title_it, {**draft.permissions, "ats_officer": ("view",)}),)
    return sample_workflow(states=states + base.states[1:])


VARIANTS = {"base": sample_workflow, "shrunk": shrunk_workflow, "widened": widened_workflow}


def root_factory(request):
    return get_connection(request).root()["app"]


def main(global_config, **settings):
    config = Configurator(settings=settings, root_factory=root_factory)
    config.include("pyramid_tm")
    config.include("pyramid_zodbconn")
    config.include("content_types")
    config.include("workflows")
    config.add_content_type("wf_test_doc", Doc, title="Documento di prova", workflow="wf_test")
    config.add_content_type("wf_test_box", Box, title="Contenitore di prova")
    config.add_workflow(VARIANTS[settings.get("wf_test.variant", "base")]())
    app = config.make_wsgi_app()
    REGISTRIES.append(config.registry)
    return app
