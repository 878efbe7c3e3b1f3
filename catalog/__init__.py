"""Search: one backend-neutral interface over hypatia (embedded) or Elasticsearch.

Public API: ``get_catalog(root_or_request)`` -> ``Catalog`` with ``index``,
``reindex``, ``unindex``, ``search(Query, principals)``; query objects
``Query``, ``Eq``, ``In``, ``Range``; results ``Results``/``Hit``;
``search_principals(request)``. Nothing outside this package talks to hypatia
or Elasticsearch.
"""
from .api import get_catalog, search_principals  # noqa: F401
from .errors import CatalogError, InvalidQuery, SearchUnavailable  # noqa: F401
from .interface import Catalog  # noqa: F401
from .query import FACETS, SORTS, Eq, Hit, In, Query, Range, Results  # noqa: F401
from .settings import DEFAULTS, backend_name  # noqa: F401


def includeme(config):
    """Subscribers that keep the catalog current, the search views, the ES worker."""
    backend_name(config.registry)  # unknown backends fail at startup
    config.include(".subscribers")
    config.include(".views")
    if backend_name(config.registry) == "elasticsearch":
        config.include(".elastic")
