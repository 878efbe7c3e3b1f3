"""Choosing the backend from settings and finding the catalog of a root or request."""
from pyramid.interfaces import ISecurityPolicy
from pyramid.traversal import find_root
from zope.interface import Interface

from catalog.embedded import EmbeddedCatalog
from catalog.settings import backend_name
from content_types.registry import get_content_registry
from content_types.security import Authenticated, Everyone


class ICatalogFactory(Interface):
    """Marks the utility ``factory(root) -> Catalog`` of the configured backend."""


class CatalogFactory:
    """Builds the configured backend's ``Catalog`` for a portal root (chosen once, at startup)."""

    def __init__(self, registry):
        self.registry = registry
        self.backend = backend_name(registry)

    def __call__(self, root):
        content_registry = get_content_registry(self.registry)
        if self.backend == "elasticsearch":
            # the Elasticsearch client costs 0.2 s to import: only when chosen
            from catalog.elastic import ElasticCatalog  # noqa: PLC0415 (0.2 s, only when chosen)
            return ElasticCatalog(root, content_registry, self.registry)
        return EmbeddedCatalog(root, content_registry)


def get_catalog(root, registry):
    """The configured ``Catalog`` of a portal root, through ``registry``'s factory utility."""
    factory = registry.queryUtility(ICatalogFactory) or CatalogFactory(registry)
    return factory(root)


def request_catalog(request):
    """``request.catalog``: the catalog of the request's portal root."""
    return get_catalog(request.root, request.registry)


def catalog_for_object(obj, registry):
    """The catalog of the portal ``obj`` lives in, or None if it is not in one."""
    root = find_root(obj)
    if getattr(root, "type_name", None) != "Portal":
        return None
    return get_catalog(root, registry)


def search_principals(request):
    """The requester's principals for catalog queries (global ones only).

    Local roles need not be added: entries already list the users and groups
    holding a local role that grants view. Uses the security policy's
    ``effective_principals(request)`` when it has one.
    """
    policy = request.registry.queryUtility(_security_policy_iface())
    finder = getattr(policy, "effective_principals", None)
    if finder is not None:
        return list(finder(request))
    principals = [Everyone]
    userid = request.authenticated_userid
    if userid is not None:
        principals += [Authenticated, f"user:{userid}"]
    return principals


def _security_policy_iface():
    return ISecurityPolicy
