"""The engine: initial state, firing, every failure leaving the object untouched, events."""
from datetime import UTC

import pytest
from pyramid.authorization import ALL_PERMISSIONS, Allow, Deny, Everyone

import workflows
from content_types.events import ACLChanged, StateChanged
from content_types.security import (
    ATS_OFFICER,
    EDIT,
    MANAGE,
    OWNER,
    VIEW,
    set_local_roles,
    user_principal,
)
from tests.unit.workflows.support import SUBMIT, Box, Doc
from workflows import (
    CommentRequired,
    GuardFailed,
    NoWorkflow,
    TransitionForbidden,
    UnknownTransition,
    WorkflowError,
    WrongState,
    get_workflow,
    history,
    workflow_for,
)


@pytest.fixture
def tree(config):
    """A box whose ACL grants everything to everyone, holding one initialized doc."""
    box = Box("Contenitore")
    box.__acl__ = [(Allow, Everyone, ALL_PERMISSIONS)]
    doc = box.add("doc", Doc("Domanda", creator="anna"), registry=config.registry)
    set_local_roles(doc, user_principal("anna"), {OWNER})
    return box, doc


def snapshot(obj):
    return (obj.state, list(obj.__acl__), history(obj), obj.modified)


def test_added_object_enters_initial_state(config, tree):
    _box, doc = tree
    wf = get_workflow(config.registry, "wf_test")
    assert doc.state == "draft"
    assert doc.__acl__ == [
        (Allow, "role:admin", ALL_PERMISSIONS),
        (Allow, "role:owner", (VIEW, EDIT, SUBMIT)),
        (Deny, Everyone, wf.managed_permissions),
    ]
    (entry,) = history(doc)
    assert entry["transition"] == "created"
    assert entry["who"] == "anna"  # no request: the creator
    assert entry["to_state"] == "draft"
    assert entry["from_state"] is None
    assert entry["when"].tzinfo is UTC


def test_initialize_sends_acl_and_state_events(config, events):
    box = Box("Contenitore")
    doc = box.add("doc", Doc("Domanda"), registry=config.registry)
    changed = events.of(StateChanged)
    assert [e.object for e in events.of(ACLChanged)] == [doc]
    assert [(e.workflow, e.transition, e.old_state, e.new_state) for e in changed] == [
        ("wf_test", None, None, "draft")
    ]


def test_types_without_workflow_and_objects_with_state_are_left_alone(config):
    box = Box("Contenitore")
    inner = box.add("inner", Box("Interno"), registry=config.registry)
    assert inner.state is None
    assert inner.__acl__ == ()
    doc = Doc("Importato")
    doc.state = "submitted"
    box.add("doc", doc, registry=config.registry)
    assert doc.state == "submitted"
    assert history(doc) == ()


def test_managed_permissions_are_not_inherited_unmanaged_are(tree, request_for):
    _box, doc = tree
    stranger = request_for("bruno")
    assert not stranger.has_permission(VIEW, doc)
    assert not stranger.has_permission(EDIT, doc)
    assert stranger.has_permission(MANAGE, doc)  # unmanaged: inherited from the box
    owner = request_for("anna")  # owner through the local role only
    assert owner.has_permission(EDIT, doc)
    assert request_for("root", "admin").has_permission("anything", doc)


def test_fire_changes_state_acl_history_and_notifies(tree, request_for, events):
    _box, doc = tree
    before = doc.modified
    tr = workflows.fire(doc, request_for("anna"), "submit", comment="  eccola ")
    assert tr.name == "submit"
    assert doc.state == "submitted"
    assert (Allow, "role:ats_officer", (VIEW, "review")) in doc.__acl__
    assert doc.modified > before
    entry = history(doc)[-1]
    assert entry["who"] == "anna"
    assert entry["transition"] == "submit"
    assert entry["title"] == "Invia"
    assert (entry["from_state"], entry["to_state"]) == ("draft", "submitted")
    assert entry["comment"] == "eccola"
    assert entry["when"].tzinfo is UTC
    assert len(history(doc)) == 2
    assert [type(e) for e in events.events] == [ACLChanged, StateChanged]
    event = events.events[-1]
    assert (event.workflow, event.transition, event.old_state, event.new_state,
            event.comment) == ("wf_test", "submit", "draft", "submitted", "eccola")
    assert event.request is not None
    # the owner lost edit; an officer may now act
    assert not request_for("anna").has_permission(EDIT, doc)
    assert request_for("carla", ATS_OFFICER).has_permission("review", doc)


FAILURES = [
    # columns: why, user, roles, state, transition, comment, ready, title, error, code, status
    ("unknown", "anna", (), "draft", "fly", "", True, "x", UnknownTransition,
     "unknown_transition", 404),
    ("unknown before state", None, (), "published", "fly", "", True, "x", UnknownTransition,
     "unknown_transition", 404),
    ("wrong state", "carla", (ATS_OFFICER,), "draft", "publish", "", True, "x", WrongState,
     "wrong_state", 409),
    ("state before permission", None, (), "draft", "publish", "", True, "x", WrongState,
     "wrong_state", 409),
    ("forbidden", "bruno", (), "draft", "submit", "", True, "x", TransitionForbidden,
     "transition_forbidden", 403),
    ("permission before comment", "anna", (), "submitted", "send_back", "", True, "x",
     TransitionForbidden, "transition_forbidden", 403),
    ("comment required", "carla", (ATS_OFFICER,), "submitted", "send_back", "", True, "x",
     CommentRequired, "comment_required", 422),
    ("blank comment", "carla", (ATS_OFFICER,), "submitted", "send_back", "  \n", True, "x",
     CommentRequired, "comment_required", 422),
    ("guard raises", "anna", (), "draft", "submit", "", False, "x", GuardFailed,
     "guard_failed", 422),
    ("guard returns text", "anna", (), "draft", "submit", "", True, "", GuardFailed,
     "guard_failed", 422),
    ("permission before guard", "bruno", (), "draft", "submit", "", False, "",
     TransitionForbidden, "transition_forbidden", 403),
]


@pytest.mark.parametrize(
    ("why", "user", "roles", "state", "name", "comment", "ready", "title", "error", "code",
     "status"),
    FAILURES,
    ids=[f[0] for f in FAILURES],
)
def test_every_failure_changes_nothing(config, tree, request_for, why, user, roles, state,
                                       name, comment, ready, title, error, code, status):
    _box, doc = tree
    wf = get_workflow(config.registry, "wf_test")
    doc.state = state
    wf.apply_acl(doc, registry=config.registry)
    doc.ready, doc.title = ready, title
    before = snapshot(doc)
    seen = []
    config.add_subscriber(seen.append, object)
    with pytest.raises(error) as info:
        workflows.fire(doc, request_for(user, *roles), name, comment)
    assert isinstance(info.value, WorkflowError)
    assert info.value.code == code
    assert info.value.http_status == status == type(info.value).http_status
    assert str(info.value.message)
    assert str(info.value) == str(info.value.message)
    assert snapshot(doc) == before
    assert seen == []


def test_wrong_state_message_names_current_state(tree, request_for):
    _box, doc = tree
    workflows.fire(doc, request_for("anna"), "submit")
    with pytest.raises(WrongState) as info:
        workflows.fire(doc, request_for("anna"), "submit")
    assert str(info.value.message) == (
        'La pratica è già stata modificata: ora è nello stato "Inviata".'
    )


def test_guard_messages_are_the_guards_own(tree, request_for):
    _box, doc = tree
    doc.ready = False
    with pytest.raises(GuardFailed, match=r"La pratica non è completa\."):
        workflows.fire(doc, request_for("anna"), "submit")
    doc.ready, doc.title = True, ""
    with pytest.raises(GuardFailed, match=r"Manca il titolo\."):
        workflows.fire(doc, request_for("anna"), "submit")


def test_transitions_for_lists_permitted_ones_with_guard_verdicts(tree, request_for):
    _box, doc = tree
    assert workflows.transitions_for(doc, request_for("bruno")) == []
    assert workflows.transitions_for(doc, request_for(None)) == []
    (option,) = workflows.transitions_for(doc, request_for("anna"))
    assert (option.transition.name, option.allowed, option.reason) == ("submit", True, None)
    doc.ready = False
    (option,) = workflows.transitions_for(doc, request_for("anna"))
    assert (option.allowed, option.reason) == (False, "La pratica non è completa.")
    doc.ready = True
    workflows.fire(doc, request_for("anna"), "submit")
    names = [o.transition.name for o in workflows.transitions_for(doc, request_for("c", ATS_OFFICER))]
    assert names == ["publish", "send_back"]


def test_system_caller_without_request_skips_permission(config, tree, events):
    _box, doc = tree
    wf = workflow_for(config.registry, doc)
    wf.fire(doc, None, "submit", registry=config.registry)
    wf.fire(doc, None, "send_back", comment="Documenti mancanti", registry=config.registry)
    assert doc.state == "draft"
    assert [e["who"] for e in history(doc)] == ["anna", None, None]
    assert len(events.of(StateChanged)) == 2  # through the registry passed
    wf.fire(doc, None, "submit", registry=config.registry)
    with pytest.raises(CommentRequired):  # a system caller still gives its reasons
        wf.fire(doc, None, "send_back", registry=config.registry)


def test_objects_without_workflow(config, request_for):
    box = Box("Contenitore")
    assert workflow_for(config.registry, box) is None
    assert workflows.transitions_for(box, request_for("anna")) == []
    assert workflows.initialize(box, registry=config.registry) is None
    with pytest.raises(NoWorkflow) as info:
        workflows.fire(box, request_for("anna"), "submit")
    assert info.value.code == "no_workflow"
    with pytest.raises(NoWorkflow):
        get_workflow(config.registry, "missing")


def test_initialize_helper_uses_request_user(config, request_for):
    doc = Doc("Nuova", creator="anna")
    wf = workflows.initialize(doc, request_for("delegato"))
    assert wf.name == "wf_test"
    assert doc.state == "draft"
    assert history(doc)[0]["who"] == "delegato"


def test_apply_acl_reports_only_real_changes(config, tree, events):
    _box, doc = tree
    wf = workflow_for(config.registry, doc)
    assert wf.apply_acl(doc, registry=config.registry) is False
    assert events.events == []
    doc.__acl__ = []
    assert wf.apply_acl(doc, registry=config.registry) is True
    assert events.of(ACLChanged)


def test_error_root_accepts_code_override():
    error = WorkflowError("Messaggio", code="custom")
    assert (error.code, str(error.message), error.http_status) == ("custom", "Messaggio", 400)
    assert WorkflowError("x").code == "workflow_error"


def test_a_system_caller_must_name_the_registry(config, tree, events):
    """No request and no registry: refused before anything changes (no thread-local guess)."""
    _box, doc = tree
    before = snapshot(doc)
    events.events.clear()
    with pytest.raises(TypeError):
        workflows.fire(doc, None, "submit")
    assert snapshot(doc) == before
    assert events.events == []


def test_the_engine_refuses_a_system_caller_without_registry_before_changing(config, tree):
    _box, doc = tree
    wf = workflow_for(config.registry, doc)
    before = snapshot(doc)
    for attempt in (lambda: wf.fire(doc, None, "submit"), lambda: wf.initialize(doc),
                    lambda: wf.apply_acl(doc)):
        with pytest.raises(TypeError):
            attempt()
        assert snapshot(doc) == before
