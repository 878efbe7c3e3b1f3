"""Permission and role names, and the local-role data every package shares.

Permissions and roles are named constants so that views, workflows and the
catalog agree on spelling; a typo fails at import time, not at runtime.
"""
from pyramid.authorization import ACLHelper, Allow, Authenticated, Deny, Everyone

from content_types.i18n import _

# -- permissions -------------------------------------------------------------
VIEW = "view"
EDIT = "edit"
DELETE = "delete"
ADD_CONTENT = "add_content"
MANAGE = "manage"  # the management area (tree, properties, roles, audit)
MANAGE_USERS = "manage_users"
CHANGE_LOCAL_ROLES = "change_local_roles"
VIEW_AUDIT = "view_audit"
VIEW_PERSONAL_DATA = "view_personal_data"  # reading it is audited (GDPR)
ADD_EDITORIAL = "add_editorial"  # pages, news and service pages (editors hold it, not ADD_CONTENT)
# -- the social-services side (issue 16) --
REGISTER_PEOPLE = "register_people"  # write the anagrafica: people, households, front-desk contacts
OPEN_CASE = "open_case"  # open a case file and take charge (social workers in scope)
VIEW_CASE = "view_case"  # read a case file: assessment, PAI, notes (the case team and office only)
EDIT_CASE = "edit_case"  # write in a case file (the case team only)
GRANT_BENEFIT = "grant_benefit"  # record a benefit in the register (officers, municipal operators)
EXPORT_SIUSS = "export_siuss"  # build and send the SIUSS flow of an ATS

ALL_PERMISSIONS_NAMES = (
    VIEW, EDIT, DELETE, ADD_CONTENT, MANAGE, MANAGE_USERS,
    CHANGE_LOCAL_ROLES, VIEW_AUDIT, VIEW_PERSONAL_DATA, ADD_EDITORIAL,
    REGISTER_PEOPLE, OPEN_CASE, VIEW_CASE, EDIT_CASE, GRANT_BENEFIT, EXPORT_SIUSS,
)

# -- roles -------------------------------------------------------------------
CITIZEN = "citizen"
DELEGATE = "delegate"
PROVIDER = "provider"
ATS_OFFICER = "ats_officer"
REGION_OFFICER = "region_officer"
ADMIN = "admin"
EDITOR = "editor"  # granted locally on /regione or an ATS: writes its editorial content
OWNER = "owner"  # granted locally to the creator of an object
MUNICIPAL_OPERATOR = "municipal_operator"  # local on a municipality or on a whole ATS
SOCIAL_WORKER = "social_worker"  # assistente sociale: local on a municipality or on a whole ATS

#: role name -> Italian title shown in the UI (a message: translated where it is shown)
ROLES = {
    CITIZEN: _("Cittadino"),
    DELEGATE: _("Delegato (CAF/patronato)"),
    PROVIDER: _("Operatore ente gestore"),
    ATS_OFFICER: _("Funzionario d'Ambito (RUP)"),
    REGION_OFFICER: _("Funzionario regionale"),
    ADMIN: _("Amministratore"),
    EDITOR: _("Redattore"),
    OWNER: _("Proprietario"),
    MUNICIPAL_OPERATOR: _("Operatore comunale"),
    SOCIAL_WORKER: _("Assistente sociale"),
}

ROLE_PREFIX = "role:"
USER_PREFIX = "user:"
GROUP_PREFIX = "group:"

__all__ = [
    "Allow",
    "Authenticated",
    "Deny",
    "Everyone",
    "get_local_roles",
    "group_principal",
    "local_roles_blocked",
    "principals_allowed",
    "read_by",
    "role",
    "set_local_roles",
    "user_principal",
]


def role(name):
    """The principal a role becomes once granted (``role:ats_officer``)."""
    if name not in ROLES:
        raise ValueError(f"unknown role {name!r}")
    return ROLE_PREFIX + name


def user_principal(login):
    return USER_PREFIX + login


def read_by(login):
    """The ACL of a record its data subject reads (nothing when no account is linked)."""
    return ((Allow, user_principal(login), (VIEW,)),) if login else ()


def group_principal(name):
    return GROUP_PREFIX + name


def get_local_roles(obj):
    """principal -> frozenset(roles) granted on ``obj`` itself (not inherited)."""
    return dict(getattr(obj, "__local_roles__", None) or {})


def set_local_roles(obj, principal, roles):
    """Grant exactly ``roles`` to ``principal`` on ``obj`` (empty removes)."""
    for name in roles:
        role(name)  # validates
    current = dict(getattr(obj, "__local_roles__", None) or {})
    if roles:
        current[principal] = frozenset(roles)
    else:
        current.pop(principal, None)
    # a fresh dict assignment marks the persistent object changed
    obj.__local_roles__ = current


def local_roles_blocked(obj):
    return bool(getattr(obj, "__local_roles_block__", False))


def lineage(obj):
    while obj is not None:
        yield obj
        obj = getattr(obj, "__parent__", None)


def local_role_principals(obj, principals):
    """Role principals that ``principals`` hold on ``obj`` through local roles."""
    found = set()
    for node in lineage(obj):
        granted = getattr(node, "__local_roles__", None)
        if granted:
            for principal in principals:
                for name in granted.get(principal, ()):
                    found.add(ROLE_PREFIX + name)
        if local_roles_blocked(node):
            break
    return found


def principals_allowed(obj, permission):
    """Principals (users, groups, roles) that may ``permission`` on ``obj``.

    The catalog stores this per entry, like Plone's ``allowedRolesAndUsers``:
    role principals from the ACL are expanded to the users and groups that hold
    the role locally, so a query only needs the searcher's plain principals.
    """
    allowed = set(ACLHelper().principals_allowed_by_permission(obj, permission))
    for node in lineage(obj):
        granted = getattr(node, "__local_roles__", None) or {}
        for principal, names in granted.items():
            if any(ROLE_PREFIX + n in allowed for n in names):
                allowed.add(principal)
        if local_roles_blocked(node):
            break
    return allowed
