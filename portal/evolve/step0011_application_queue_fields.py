"""Indicizza le domande per le code di lavoro (protocollo, codice fiscale, nome, servizio scelto)."""
from catalog.api import get_catalog
from catalog.embedded import upgrade_store
from catalog.entry import descendants


def evolve(zodb_root, portal, registry):
    catalog = get_catalog(portal, registry)
    if catalog.name == "elasticsearch":
        # the mapping gained fields: a new index built from ZODB, swapped in without downtime
        catalog.rebuild()
        return
    upgrade_store(portal)  # the new (empty) indexes, before the entries fill them
    for obj in descendants(portal):
        # the fields are read from applications (and whatever holds personal data)
        if getattr(obj, "personal_data", False) is True or getattr(obj, "protocol", None):
            catalog.reindex(obj)
