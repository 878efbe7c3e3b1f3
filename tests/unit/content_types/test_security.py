from pyramid.authorization import ACLHelper, Authenticated, Everyone

from content_types.base import Container
from content_types.folder import Folder
from content_types.security import (
    ATS_OFFICER,
    EDIT,
    VIEW,
    Allow,
    Deny,
    local_role_principals,
    principals_allowed,
    role,
    set_local_roles,
)


def tree():
    root = Container(title="root")
    root.__acl__ = ((Allow, Everyone, VIEW),)
    district = root.add("ba-01", Folder(title="BA-01"), send_events=False)
    district.__acl__ = ((Allow, role(ATS_OFFICER), (EDIT,)),)
    app = district.add("domanda", Folder(title="Domanda"), send_events=False)
    return root, district, app


def test_local_roles_are_inherited_down_the_tree():
    _, district, app = tree()
    set_local_roles(district, "user:rup", {ATS_OFFICER})
    principals = {Everyone, Authenticated, "user:rup"}
    assert local_role_principals(app, principals) == {role(ATS_OFFICER)}
    assert ACLHelper().permits(app, principals | local_role_principals(app, principals), EDIT)
    assert not ACLHelper().permits(app, {Everyone, Authenticated, "user:other"}, EDIT)


def test_groups_receive_local_roles_too():
    _, district, app = tree()
    set_local_roles(district, "group:ufficio-piano", {ATS_OFFICER})
    assert local_role_principals(app, {"group:ufficio-piano"}) == {role(ATS_OFFICER)}


def test_blocking_stops_inheritance():
    _, district, app = tree()
    set_local_roles(district, "user:rup", {ATS_OFFICER})
    app.__local_roles_block__ = True
    assert local_role_principals(app, {"user:rup"}) == set()


def test_principals_allowed_expands_local_roles_for_the_catalog():
    _, district, app = tree()
    set_local_roles(district, "user:rup", {ATS_OFFICER})
    app.__acl__ = ((Allow, role(ATS_OFFICER), (VIEW,)), (Deny, Everyone, (VIEW,)))
    allowed = principals_allowed(app, VIEW)
    assert "user:rup" in allowed
    assert role(ATS_OFFICER) in allowed
    assert Everyone not in allowed


def test_unknown_roles_are_refused():
    _, district, _ = tree()
    try:
        set_local_roles(district, "user:x", {"superuser"})
    except ValueError:
        pass
    else:
        raise AssertionError("an unknown role was accepted")
    assert not getattr(district, "__local_roles__", None)
