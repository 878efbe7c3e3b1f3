"""Helpers of the case tests: the object at a path, the audit entries of an object."""
from pyramid.traversal import find_resource

from portal.audit import AUDIT_KEY
from portal.notifications.store import get_store
from tests.conftest import csrf_token
from tests.functional.applications.conftest import run_in_app


def at(portal, path):
    return find_resource(portal, path)


def audit_of(app, path, limit=200):
    """The audit entries about the object at ``path``, newest first."""
    def work(portal):
        log = portal._p_jar.root()[AUDIT_KEY]
        return [dict(e) for e in log.for_object(at(portal, path).uid, limit)]
    return run_in_app(app, work)


def latest_audit(app, limit=50):
    return run_in_app(app, lambda portal: [dict(e) for e in
                                           portal._p_jar.root()[AUDIT_KEY].latest(limit)])


def post(client, url, params=None, status=303, **kw):
    """A form POST with the session's CSRF token."""
    return client.post(url, {**(params or {}), "csrf_token": csrf_token(client)},
                       status=status, **kw)


def inbox_of(app, login):
    """The notes of ``login``'s inbox, newest first, as (kind, title msgid, details, path)."""
    def work(portal):
        store = get_store(portal._p_jar)
        inbox = store.inbox(login) if store is not None else None
        if inbox is None:
            return []
        return [(n.kind, n.title["msgid"] if isinstance(n.title, dict) else str(n.title),
                 n.details, n.target_path) for n in inbox.newest(0, 500)]
    return run_in_app(app, work)
