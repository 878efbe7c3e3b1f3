"""Who may read and write a case, over random sequences of team changes (the case's ACL)."""
from hypothesis import given, settings
from hypothesis import strategies as st
from pyramid.authorization import ACLHelper, Authenticated, Everyone

from content_types.case_file import CaseFile, CaseNote
from content_types.security import (
    ADMIN,
    ATS_OFFICER,
    EDIT_CASE,
    SOCIAL_WORKER,
    VIEW_CASE,
    group_principal,
    role,
    user_principal,
)
from portal.cases import store
from portal.cases.rules.errors import CaseError

LOGINS = ("as-bari", "as-modugno", "comune-bari", "rup-ba01", "admin", "collega")
GROUPS = ("ss-bari", "ss-modugno")
#: each login's groups and global roles (the tree's roles never open a case)
PRINCIPALS = {
    login: {Everyone, Authenticated, user_principal(login), role(SOCIAL_WORKER),
            role(ATS_OFFICER), role(ADMIN), *(group_principal(g) for g in GROUPS
                                             if g.endswith(login.split("-")[-1]))}
    for login in LOGINS}
actions = st.lists(st.one_of(
    st.tuples(st.just("team"), st.lists(st.sampled_from(LOGINS), max_size=4),
              st.one_of(st.none(), st.sampled_from(("", *GROUPS)))),
    st.tuples(st.just("charge"), st.sampled_from(LOGINS), st.sampled_from(("", *GROUPS))),
    st.tuples(st.just("close"), st.just("motivo"), st.none()),
), max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(LOGINS), actions)
def test_only_the_team_writes_and_only_team_and_office_read(opener, steps):
    case = CaseFile(title="c", team=(opener,), office="")
    note = CaseNote(title="n", text="t")
    note.__parent__, note.__name__ = case, "nota-1"
    helper = ACLHelper()
    for action, value, office in steps:
        try:
            if action == "team":
                store.set_team(case, value, "x", office=office)
            elif action == "charge":
                store.take_charge(case, value, "x", office=office)
            else:
                store.close(case, "x", value)
        except CaseError:
            pass  # refused: nothing changes
        assert case.manager is None or case.manager in case.team
        for login, principals in PRINCIPALS.items():
            in_team = login in case.team
            in_office = bool(case.office) and group_principal(case.office) in principals
            for obj in (case, note):
                assert bool(helper.permits(obj, principals, EDIT_CASE)) == in_team
                assert bool(helper.permits(obj, principals, VIEW_CASE)) == (in_team or in_office)
