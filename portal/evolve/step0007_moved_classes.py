"""Riscrive i record che nominano moduli spostati (portal.benefits, portal.catalogue)."""
from portal import moved


def evolve(zodb_root, portal):
    moved.rewrite(zodb_root._p_jar)
