"""The accredited provider catalogue: public pages, search, open data, onboarding, revisions.

``config.include("portal.providers")`` adds traversal views on ``/catalogo`` and
its providers, units and entries, and the subscribers that keep tariff history
and the search index right. Including it twice is harmless.
"""


def includeme(config):
    registry = config.registry
    if getattr(registry, "catalogue_included", False):
        return
    registry.catalogue_included = True
    config.include(".subscribers")
    config.scan("portal.providers.views.catalogue")
    config.scan("portal.providers.views.entry")
    config.scan("portal.providers.onboarding")
