"""Search: one backend-neutral interface over hypatia (embedded) or Elasticsearch.

Public API: ``get_catalog(root, registry)`` (``request.catalog`` in views) -> ``Catalog`` with ``index``,
``reindex``, ``unindex``, ``search(Query, principals)``; query objects
``Query``, ``Eq``, ``In``, ``Range``; results ``Results``/``Hit``;
``search_principals(request)``. Nothing outside this package talks to hypatia
or Elasticsearch.
"""
from catalog.api import CatalogFactory, ICatalogFactory, get_catalog, request_catalog, search_principals  # noqa: F401
from catalog.errors import CatalogError, InvalidQuery, SearchUnavailable  # noqa: F401
from catalog.interface import Catalog  # noqa: F401
from catalog.query import FACETS, SORTS, Eq, Hit, In, Query, Range, Results  # noqa: F401
from catalog.settings import DEFAULTS, backend_name  # noqa: F401


def includeme(config):
    """Subscribers that keep the catalog current, the ES worker (the search pages are portal.web.search)."""
    # the backend is chosen once (unknown backends fail at startup)
    config.registry.registerUtility(CatalogFactory(config.registry), ICatalogFactory)
    config.add_request_method(request_catalog, "catalog", reify=True)
    config.include(".subscribers")
    if backend_name(config.registry) == "elasticsearch":
        config.include(".elastic")
