"""The one security policy: session identity, ACLs, local roles and groups."""
from pyramid.authorization import ACLHelper, Authenticated, Everyone

from content_types.security import (
    GROUP_PREFIX,
    ROLE_PREFIX,
    USER_PREFIX,
    local_role_principals,
)
from portal.db import app_root
from portal.security import sessions
from portal.security.client import agent_summary, client_address

SESSION_KEY = "auth"


def load_user(request):
    """The logged-in ``User``, or None (request.user is this, reified).

    The cookie names a server-side session record; without a live record
    (logged out, revoked, expired) the cookie is worth nothing.
    """
    auth = request.session.get(SESSION_KEY) if has_session(request) else None
    if not auth or len(auth) != 2:
        return None
    login, sid = auth
    users = app_root(request).get("utenti")
    user = users.get(login) if users is not None and isinstance(login, str) else None
    if user is None or not user.active:
        return None
    if sessions.valid_record(request, login, sid, user) is None:
        return None
    return user


def current_session_id(request):
    """The id of this request's login session, or None."""
    auth = request.session.get(SESSION_KEY) if has_session(request) else None
    return auth[1] if auth and len(auth) == 2 and isinstance(auth[1], str) else None


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
        store = sessions.get_store(request)
        now = sessions.now(request.registry)
        self._end_current(request, store)
        store.purge_user(userid, sessions.lifetimes(request.registry), now)
        sid = store.create(userid, user.auth_token, now, client_address(request),
                           agent_summary(request.user_agent))
        session = request.session
        session.invalidate()  # new session on login: no fixation
        session[SESSION_KEY] = (userid, sid)
        request.session.new_csrf_token()
        request.__dict__.pop("user", None)
        request.__dict__.pop("base_principals", None)
        return []

    def forget(self, request, **kw):
        """End the session on the server too: a copy of the cookie stops working."""
        self._end_current(request, sessions.get_store(request))
        request.session.invalidate()
        request.__dict__.pop("user", None)
        request.__dict__.pop("base_principals", None)
        return []

    @staticmethod
    def _end_current(request, store):
        auth = request.session.get(SESSION_KEY) if has_session(request) else None
        if auth and len(auth) == 2 and store is not None and all(isinstance(a, str) for a in auth):
            store.revoke(auth[0], auth[1])
