"""Test content types, a sample workflow and a security policy like the portal's."""
from pyramid.authorization import ACLHelper, Authenticated, Everyone
from pyramid.testing import DummyRequest

from content_types.base import Container, Content
from content_types.security import (
    ATS_OFFICER,
    EDIT,
    OWNER,
    ROLE_PREFIX,
    VIEW,
    local_role_principals,
)
from workflows import GuardFailed, State, Transition, Workflow


class Doc(Content):
    """A workflow-governed test object."""

    type_name = "wf_test_doc"
    ready = True


class Box(Container):
    """A container without a workflow."""

    type_name = "wf_test_box"


SUBMIT = "submit"
REVIEW = "review"


def must_be_ready(obj, request):
    if not obj.ready:
        raise GuardFailed("La pratica non è completa.")


def has_title(obj, request):
    return None if obj.title else "Manca il titolo."


def sample_workflow(name="wf_test", states=None, transitions=None, initial="draft",
                    managed=(VIEW, EDIT, SUBMIT, REVIEW)):
    states = states if states is not None else (
        State("draft", "Bozza", {OWNER: (VIEW, EDIT, SUBMIT)}),
        State("submitted", "Inviata", {OWNER: (VIEW,), ATS_OFFICER: (VIEW, REVIEW)}),
        State("published", "Pubblicata", {"Everyone": (VIEW,), ATS_OFFICER: (VIEW, REVIEW)}),
    )
    transitions = transitions if transitions is not None else (
        Transition("submit", "Invia", ("draft",), "submitted", SUBMIT,
                   guards=(must_be_ready, has_title)),
        Transition("publish", "Pubblica", ("submitted",), "published", REVIEW),
        Transition("send_back", "Rinvia in bozza", ("submitted", "published"), "draft",
                   REVIEW, comment_required=True),
    )
    return Workflow(name, "Flusso di prova", states, transitions, initial, managed)


class RolePolicy:
    """The portal's rule: global roles from the request, local roles from the tree."""

    def identity(self, request):
        return getattr(request, "test_user", None)

    def authenticated_userid(self, request):
        return getattr(request, "test_user", None)

    def principals(self, request, context):
        user = getattr(request, "test_user", None)
        found = [Everyone]
        if user:
            found += [Authenticated, "user:" + user]
            found += [ROLE_PREFIX + r for r in getattr(request, "test_roles", ())]
        found += sorted(local_role_principals(context, found))
        return found

    def permits(self, request, context, permission):
        return ACLHelper().permits(context, self.principals(request, context), permission)

    def remember(self, request, userid, **kw):
        return []

    def forget(self, request, **kw):
        return []


def make_request(registry, user=None, roles=()):
    request = DummyRequest()
    request.registry = registry
    request.test_user = user
    request.test_roles = tuple(roles)
    return request


class Case(Container):
    """A workflow-governed container (an application holding its attestations)."""

    type_name = "wf_test_case"
