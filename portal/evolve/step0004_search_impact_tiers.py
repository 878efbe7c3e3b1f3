"""Ordina per impatto le parole frequenti dell'indice di ricerca (ricerca testuale più rapida)."""
from catalog.embedded import upgrade_store


def evolve(zodb_root, portal):
    upgrade_store(portal)
