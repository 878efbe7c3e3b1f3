"""Crea il registro di audit (append-only) nella radice del database."""
from portal.audit import AuditLog
from portal.db import AUDIT_KEY


def evolve(zodb_root, portal):
    if AUDIT_KEY not in zodb_root:
        zodb_root[AUDIT_KEY] = AuditLog()
