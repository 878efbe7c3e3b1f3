"""The accredited provider catalogue: public pages, search, open data, onboarding, revisions.

``config.include("portal.providers")`` adds traversal views on ``/catalogo`` and
its providers, units and entries, and the subscribers that keep tariff history
and the search index right.
"""


def includeme(config):
    config.include(".subscribers")
    config.scan("portal.providers.views.catalogue")
    config.scan("portal.providers.views.entry")
    config.scan("portal.providers.views.onboarding")
