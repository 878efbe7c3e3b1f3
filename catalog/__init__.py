"""Search: one backend-neutral interface over hypatia (embedded) or Elasticsearch.

Public API: ``get_catalog(root_or_request)`` -> ``Catalog`` with ``index``,
``reindex``, ``unindex``, ``search(Query, principals)``; query objects
``Query``, ``Eq``, ``In``, ``Range``; results ``Results``/``Hit``;
``search_principals(request)``. Nothing outside this package talks to hypatia
or Elasticsearch.
"""
from catalog.api import get_catalog, search_principals  # noqa: F401
from catalog.errors import CatalogError, InvalidQuery, SearchUnavailable  # noqa: F401
from catalog.interface import Catalog  # noqa: F401
from catalog.query import FACETS, SORTS, Eq, Hit, In, Query, Range, Results  # noqa: F401
from catalog.settings import DEFAULTS, backend_name  # noqa: F401


def includeme(config):
    """Subscribers that keep the catalog current, the ES worker (the search pages are portal.web.search)."""
    backend_name(config.registry)  # unknown backends fail at startup
    config.include(".subscribers")
    if backend_name(config.registry) == "elasticsearch":
        config.include(".elastic")
