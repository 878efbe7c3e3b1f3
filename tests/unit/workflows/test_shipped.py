"""Journeys through the shipped workflows, with real local roles and the policy."""
import pytest
from pyramid.authorization import ALL_PERMISSIONS, Allow, Everyone
from pyramid.exceptions import ConfigurationError

from content_types.security import (
    ATS_OFFICER,
    OWNER,
    PROVIDER,
    REGION_OFFICER,
    VIEW,
    VIEW_PERSONAL_DATA,
    set_local_roles,
    user_principal,
)
from tests.unit.workflows.support import Box, Case, Doc, make_request
from workflows import CommentRequired, GuardFailed, TransitionForbidden, get_workflow, history
from workflows.engine import Workflow


@pytest.fixture
def district(config):
    """/ambito with ATS officer «rup» granted locally; «altro» is an ATS officer elsewhere."""
    root = Box("Portale")
    root.__acl__ = [(Allow, Everyone, ALL_PERMISSIONS)]
    ambito = root.add("ambito", Box("Ambito"), send_events=False)
    set_local_roles(ambito, user_principal("rup"), {ATS_OFFICER})
    return ambito


def req(config, user):
    return make_request(config.registry, user)


def placed(config, parent, name, workflow_name, creator, factory=Doc):
    obj = parent.add(name, factory("Pratica", creator=creator), send_events=False)
    set_local_roles(obj, user_principal(creator), {OWNER})
    get_workflow(config.registry, workflow_name).initialize(obj, registry=config.registry)
    return obj


def test_application_journey_with_local_roles(config, district):
    wf = get_workflow(config.registry, "application")
    app = placed(config, district, "domanda", "application", "famiglia")
    def fire(user, name, comment=""):
        return wf.fire(app, req(config, user), name, comment)

    assert not req(config, "rup").has_permission(VIEW, app)  # a draft is private
    fire("famiglia", "submit")
    assert req(config, "rup").has_permission(VIEW_PERSONAL_DATA, app)
    assert not req(config, "altro").has_permission(VIEW, app)  # role not granted here
    set_local_roles(app, user_principal("girasole"), {PROVIDER})  # the chosen provider
    assert not req(config, "girasole").has_permission(VIEW_PERSONAL_DATA, app)
    fire("girasole", "match")
    assert req(config, "girasole").has_permission(VIEW_PERSONAL_DATA, app)
    fire("rup", "start_review")
    with pytest.raises(CommentRequired):
        fire("rup", "request_integration")
    fire("rup", "request_integration", "Manca il PAI")
    fire("famiglia", "integrate")
    fire("rup", "declare_eligible")
    # the outcomes come from a published ranking (its publication writes them first)
    with pytest.raises(GuardFailed):
        fire("rup", "admit_unfunded")
    app.ranking_outcome = {"version": 1, "outcome": "non_finanziata"}
    fire("rup", "admit_unfunded")
    with pytest.raises(GuardFailed):
        fire("rup", "scroll")
    app.ranking_outcome = {"version": 2, "outcome": "finanziata"}
    fire("rup", "scroll")
    with pytest.raises(TransitionForbidden):
        fire("famiglia", "activate")
    fire("girasole", "activate")
    with pytest.raises(CommentRequired):
        fire("rup", "revoke")
    fire("famiglia", "withdraw")
    assert app.state == "withdrawn"
    assert [e["transition"] for e in history(app)] == [
        "created", "submit", "match", "start_review", "request_integration", "integrate",
        "declare_eligible", "admit_unfunded", "scroll", "activate", "withdraw"]


def test_attestation_author_cannot_sign_for_the_family(config, district):
    application = placed(config, district, "domanda", "application", "famiglia", Case)
    set_local_roles(application, user_principal("operatore"), {PROVIDER})
    folder = application.add("attestazioni", Box("Attestazioni"), send_events=False)
    att = placed(config, folder, "2025-01", "attestation", "operatore")
    wf = get_workflow(config.registry, "attestation")
    (option,) = wf.transitions_for(att, req(config, "operatore"))
    assert option.transition.name == "sign"
    assert not option.allowed
    with pytest.raises(GuardFailed, match="confermata dalla famiglia"):
        wf.fire(att, req(config, "operatore"), "sign")
    wf.fire(att, req(config, "famiglia"), "sign")  # owner inherited from the application
    wf.fire(att, req(config, "operatore"), "send")
    with pytest.raises(CommentRequired):
        wf.fire(att, req(config, "rup"), "reject")
    wf.fire(att, req(config, "rup"), "reject", "Ore non corrispondenti")
    wf.fire(att, req(config, "operatore"), "revise")
    assert att.state == "draft"


def test_zone_plan_and_catalogue_need_granted_roles(config, district):
    plan = placed(config, district, "piano", "zone_plan", "rup")
    wf = get_workflow(config.registry, "zone_plan")
    wf.fire(plan, req(config, "rup"), "submit")
    regional = make_request(config.registry, "regione", (REGION_OFFICER,))
    wf.fire(plan, regional, "take_in_charge")
    with pytest.raises(CommentRequired):
        wf.fire(plan, regional, "return")
    wf.fire(plan, regional, "approve")
    assert req(config, None).has_permission(VIEW, plan)  # published for everyone

    entry = placed(config, district, "voce", "catalogue_entry", "girasole")
    cat = get_workflow(config.registry, "catalogue_entry")
    cat.fire(entry, req(config, "girasole"), "submit")
    with pytest.raises(CommentRequired):
        cat.fire(entry, regional, "send_back")
    cat.fire(entry, regional, "publish")
    assert req(config, None).has_permission(VIEW, entry)


def test_objects_without_touch_get_modified_set(config):
    class Plain:
        state = "draft"
        modified = None
        ready = True
        title = "Semplice"

    obj = Plain()
    get_workflow(config.registry, "wf_test").fire(obj, None, "submit", registry=config.registry)
    assert obj.modified is not None
    assert obj.state == "submitted"


def test_validate_rejects_an_empty_name():
    with pytest.raises(ConfigurationError, match="empty name"):
        Workflow("", "Senza nome", (), (), "x", ()).validate()


def test_only_a_protocolled_application_is_annulled_and_only_with_a_reason(config, district):
    wf = get_workflow(config.registry, "application")
    draft = placed(config, district, "draft", "application", "famiglia")
    wf.fire(draft, req(config, "famiglia"), "withdraw")  # a withdrawn draft: no protocol
    with pytest.raises(GuardFailed, match="numero di protocollo"):
        wf.fire(draft, req(config, "rup"), "annul", "Errore")
    app = placed(config, district, "domanda", "application", "famiglia")
    wf.fire(app, req(config, "famiglia"), "submit")
    app.protocol = "BA-01/2026/0000001"  # what portal.applications.rules.submission writes
    with pytest.raises(CommentRequired):
        wf.fire(app, req(config, "rup"), "annul")
    with pytest.raises(TransitionForbidden):
        wf.fire(app, req(config, "famiglia"), "annul", "Errore")
    with pytest.raises(TransitionForbidden):
        wf.fire(app, req(config, "altro"), "annul", "Errore")  # an ATS officer elsewhere
    wf.fire(app, req(config, "rup"), "annul", "Registrata due volte")
    assert app.state == "annulled"
    assert app.protocol == "BA-01/2026/0000001"
    assert history(app)[-1]["comment"] == "Registrata due volte"
    assert wf.transitions_for(app, req(config, "rup")) == []  # final
