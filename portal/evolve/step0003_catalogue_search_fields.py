"""Reindicizza le voci del catalogo con i nuovi filtri (servizio, età, posti liberi, ATS)."""
from catalog.api import get_catalog
from catalog.entry import descendants


def evolve(zodb_root, portal, registry):
    catalog = get_catalog(portal, registry)
    for obj in descendants(portal):
        if getattr(obj, "type_name", None) == "CatalogueEntry":
            catalog.reindex(obj)
