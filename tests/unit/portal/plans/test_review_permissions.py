"""Who may move a zone plan and who may see or edit it, over random sequences of attempts.

The expected answers are written out here (not read from the workflow's data), and every
attempt runs the real engine with the real ACLs, local roles included.
"""
from hypothesis import given, settings
from hypothesis import strategies as st
from pyramid.authorization import ACLHelper, Authenticated, Everyone
from pyramid.registry import Registry

from content_types.district import District
from content_types.security import (
    ADD_CONTENT,
    ATS_OFFICER,
    EDIT,
    VIEW,
    local_role_principals,
    set_local_roles,
)
from content_types.zone_plan import PlanFolder, PlanVersion, ZonePlan
from workflows import zone_plan as wf
from workflows.errors import WorkflowError

ATS, OTHER, REGION, ANON = "ats", "other", "region", "anonymous"
PRINCIPALS = {
    ATS: {Everyone, Authenticated, "user:ats"},
    OTHER: {Everyone, Authenticated, "user:other"},  # an officer of another ATS
    REGION: {Everyone, Authenticated, "user:region", "role:region_officer"},
    ANON: {Everyone},
}
ACTIONS = (wf.SUBMIT, wf.TAKE_IN_CHARGE, wf.APPROVE, wf.RETURN)
#: (who, transition): the states it may start from
MAY = {(ATS, wf.SUBMIT): {wf.DRAFT, wf.RETURNED},
       (REGION, wf.TAKE_IN_CHARGE): {wf.SUBMITTED},
       (REGION, wf.APPROVE): {wf.UNDER_REVIEW},
       (REGION, wf.RETURN): {wf.UNDER_REVIEW}}
AFTER = {wf.SUBMIT: wf.SUBMITTED, wf.TAKE_IN_CHARGE: wf.UNDER_REVIEW, wf.APPROVE: wf.APPROVED,
         wf.RETURN: wf.RETURNED}


def sees(who, state):
    return who == ATS or (who == REGION and state != wf.DRAFT) or state == wf.APPROVED


def edits(who, state):
    return who == ATS and state in (wf.DRAFT, wf.RETURNED)


class Person:
    """The little of a request the engine asks: who, the registry, a permission check."""

    def __init__(self, who, registry):
        self.who, self.registry = who, registry
        self.authenticated_userid = None if who == ANON else who

    def principals(self, obj):
        base = frozenset(PRINCIPALS[self.who])
        return base | local_role_principals(obj, base)

    def has_permission(self, permission, obj):
        return ACLHelper().permits(obj, self.principals(obj), permission)


def a_version(registry):
    district = District(title="Ambito di prova", code="BA-01")
    set_local_roles(district, "user:ats", {ATS_OFFICER})
    folder = district.add("piani", PlanFolder(title="Piani"), registry=registry)
    plan = folder.add("2025-2027", ZonePlan(title="Piano", start_year=2025, end_year=2027),
                      registry=registry)
    version = plan.add("versione-1", PlanVersion(title="Versione 1"), registry=registry)
    wf.WORKFLOW.initialize(version, registry=registry)
    return version


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from((ATS, OTHER, REGION, ANON)),
                          st.sampled_from(ACTIONS)), max_size=25))
def test_only_the_right_person_moves_the_plan_and_an_approved_one_is_frozen(attempts):
    registry = Registry("review-permissions")
    version = a_version(registry)
    state = wf.DRAFT
    for who, action in attempts:
        person = Person(who, registry)
        allowed = state in MAY.get((who, action), ())
        try:
            wf.WORKFLOW.fire(version, person, action, "nota della Regione", registry=registry)
        except WorkflowError:
            assert not allowed, (who, action, state)
        else:
            assert allowed, (who, action, state)
            state = AFTER[action]
        assert version.state == state
        for someone in PRINCIPALS:
            viewer = Person(someone, registry)
            assert viewer.has_permission(VIEW, version) == sees(someone, state), (someone, state)
            assert viewer.has_permission(EDIT, version) == edits(someone, state), (someone, state)
            assert viewer.has_permission(wf.REVIEW, version) == (
                someone == REGION and state in (wf.SUBMITTED, wf.UNDER_REVIEW))
        # a revision is the ATS's only, whatever the state
        plan = version.__parent__
        assert [s for s in PRINCIPALS
                if Person(s, registry).has_permission(ADD_CONTENT, plan)] == [ATS]
