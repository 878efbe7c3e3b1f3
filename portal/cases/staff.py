"""Who may be on a case: the social workers in scope of the person, existing logins, offices."""
from pyramid.traversal import find_root

from content_types.security import SOCIAL_WORKER, USER_PREFIX, get_local_roles, lineage
from portal.cases.rules.errors import InvalidCaseData
from portal.i18n import _


def social_workers(person):
    """Logins holding the social worker's role on the person's municipality or ATS."""
    found = []
    for node in lineage(person):
        for principal, roles in (get_local_roles(node) or {}).items():
            if SOCIAL_WORKER in roles and principal.startswith(USER_PREFIX):
                found.append(principal.removeprefix(USER_PREFIX))
    return tuple(sorted(dict.fromkeys(found)))


def users(root):
    return root.get("utenti") if hasattr(root, "get") else None


def groups_of(root, login):
    user = users(root).get(login) if users(root) is not None and login else None
    return tuple(getattr(user, "groups", ()) or ())


def check_manager(person, manager):
    if manager not in social_workers(person):
        raise InvalidCaseData(None, {"manager": _(
            "Il case manager deve essere un'assistente sociale del Comune o dell'Ambito "
            "della persona.")})
    return manager


def check_team(obj, logins):
    """The team's logins as typed (comma, space or newline separated): each must exist."""
    known = users(find_root(obj))
    team = [login for login in dict.fromkeys(logins) if login]
    unknown = [login for login in team if known is None or login not in known]
    if unknown:
        raise InvalidCaseData(None, {"team": _("Utenti inesistenti: ${logins}.",
                                               mapping={"logins": ", ".join(unknown)})})
    return team


def check_office(office, allowed):
    """An office is one of ``allowed`` (the groups of whoever sets it), or none."""
    if office and office not in allowed:
        raise InvalidCaseData(None, {"office": _("L'ufficio deve essere uno dei propri gruppi.")})
    return office
