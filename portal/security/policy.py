"""The one security policy: session identity, ACLs, local roles and groups."""
from pyramid.authorization import ACLHelper, Authenticated, Everyone

from content_types.security import (
    GROUP_PREFIX, ROLE_PREFIX, USER_PREFIX, local_role_principals,
)

from ..db import app_root

SESSION_KEY = "auth"


def load_user(request):
    """The logged-in ``User``, or None (request.user is this, reified)."""
    auth = request.session.get(SESSION_KEY) if has_session(request) else None
    if not auth:
        return None
    login, token = auth
    users = app_root(request).get("utenti")
    user = users.get(login) if users is not None else None
    if user is None or not user.active or user.auth_token != token:
        return None
    return user


def has_session(request):
    # anonymous requests without a cookie never create a session
    name = request.registry.settings.get("portal.session_cookie_name", "portale_sessione")
    return name in request.cookies or "session" in request.__dict__


def base_principals(request):
    """Principals that do not depend on the context (reified on the request)."""
    user = request.user
    principals = {Everyone}
    if user is not None:
        principals.add(Authenticated)
        principals.add(USER_PREFIX + user.login)
        principals.update(GROUP_PREFIX + g for g in user.groups)
        principals.update(ROLE_PREFIX + r for r in user.roles)
    return frozenset(principals)


def effective_principals(request, context):
    base = request.base_principals
    if len(base) == 1:
        return base  # anonymous users hold no local roles
    return base | local_role_principals(context, base)


class PortalSecurityPolicy:
    """ACLs on resources, global roles on users, local roles on the tree."""

    def __init__(self):
        self.helper = ACLHelper()

    def identity(self, request):
        return request.user

    def effective_principals(self, request):
        """Context-free principals; the catalog expands local roles into its entries."""
        return request.base_principals

    def authenticated_userid(self, request):
        user = request.user
        return user.login if user is not None else None

    def permits(self, request, context, permission):
        return self.helper.permits(context, effective_principals(request, context), permission)

    def remember(self, request, userid, **kw):
        user = app_root(request)["utenti"][userid]
        session = request.session
        session.invalidate()  # new session on login: no fixation
        session[SESSION_KEY] = (userid, user.auth_token)
        request.session.new_csrf_token()
        request.__dict__.pop("user", None)
        request.__dict__.pop("base_principals", None)
        return []

    def forget(self, request, **kw):
        request.session.invalidate()
        return []
