"""Append-only audit log in ZODB: who did what, when, to which object.

Entries live in a ``LOBTree`` keyed by a time-based integer, with a per-object
index, so the log grows without rewriting old buckets and concurrent writers
rarely conflict.
"""
import random
import time
from datetime import datetime, timezone

import transaction
from BTrees.LLBTree import LLTreeSet
from BTrees.LOBTree import LOBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from pyramid.traversal import resource_path
from pyramid_zodbconn import get_connection

from .db import AUDIT_KEY

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class AuditLog(Persistent):
    def __init__(self):
        self.entries = LOBTree()
        self.by_uid = OOBTree()

    def append(self, userid, action, path="", uid=None, details=None, when=None):
        when = when or datetime.now(timezone.utc)
        key = time.time_ns() + random.randrange(1000)
        while key in self.entries:
            key += 1
        entry = {
            "when": when.isoformat(), "user": userid or "anonimo", "action": action,
            "path": path, "uid": uid, "details": dict(details or {}),
        }
        self.entries[key] = entry
        if uid:
            keys = self.by_uid.get(uid)
            if keys is None:
                keys = self.by_uid[uid] = LLTreeSet()
            keys.add(key)
        return entry

    def for_object(self, uid, limit=100):
        keys = self.by_uid.get(uid)
        if keys is None:
            return []
        selected = list(keys)[-limit:]
        return [self.entries[k] for k in reversed(selected)]

    def latest(self, limit=100):
        items = self.entries.values()
        n = len(self.entries)
        return list(items[max(0, n - limit):n])[::-1]

    def __len__(self):
        return len(self.entries)


def get_audit_log(request):
    return get_connection(request).root()[AUDIT_KEY]


def _describe(obj):
    if obj is None or not hasattr(obj, "__name__"):
        return "", None
    try:
        return resource_path(obj), getattr(obj, "uid", None)
    except Exception:  # an object being removed may have lost its parent
        return getattr(obj, "__name__", "") or "", getattr(obj, "uid", None)


def log(request, action, obj=None, **details):
    """Append an entry inside the request's transaction."""
    path, uid = _describe(obj if obj is not None else getattr(request, "context", None))
    return get_audit_log(request).append(
        request.authenticated_userid, action, path, uid, details
    )


def log_read(request, obj, what="dati personali"):
    """GDPR accountability: an officer read someone's personal data."""
    return log(request, "lettura", obj, what=what)


def _action_name(request):
    view = request.view_name or "visualizza"
    return f"{request.method} {view}"


def audit_tween_factory(handler, registry):
    """Inside the transaction: log every successful unsafe request."""

    def audit_tween(request):
        response = handler(request)
        if (
            request.method not in SAFE_METHODS
            and response.status_code < 400
            and getattr(request, "exception", None) is None
            and not getattr(request, "skip_audit", False)
        ):
            log(request, _action_name(request), status=response.status_code)
        return response

    return audit_tween


def denied_tween_factory(handler, registry):
    """Outside the (aborted) transaction: record refused attempts on their own."""

    def denied_tween(request):
        response = handler(request)
        if response.status_code == 403 and request.authenticated_userid:
            db = registry._zodb_databases[""]
            tm = transaction.TransactionManager()
            conn = db.open(transaction_manager=tm)
            try:
                with tm:
                    path, uid = _describe(getattr(request, "context", None))
                    conn.root()[AUDIT_KEY].append(
                        request.authenticated_userid, f"NEGATO {_action_name(request)}",
                        path, uid, {"url": request.path},
                    )
            finally:
                conn.close()
        return response

    return denied_tween
