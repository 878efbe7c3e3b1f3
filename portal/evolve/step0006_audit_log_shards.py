"""Distribuisce il registro di audit su più alberi (scritture concorrenti senza conflitti)."""
from portal.db import AUDIT_KEY


def evolve(zodb_root, portal):
    log = zodb_root.get(AUDIT_KEY)
    if log is not None:
        log.upgrade()
