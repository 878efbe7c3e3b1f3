"""Choosing the backend from settings and finding the catalog of a root or request."""
from pyramid.threadlocal import get_current_registry
from pyramid.traversal import find_root

from catalog.embedded import EmbeddedCatalog
from catalog.settings import backend_name
from content_types.registry import get_content_registry
from content_types.security import Authenticated, Everyone


def get_catalog(root_or_request, registry=None):
    """The configured ``Catalog`` for a portal root or a request (``request.root``)."""
    request = root_or_request if hasattr(root_or_request, "registry") else None
    if request is not None:
        registry = request.registry
        root = request.root
    else:
        root = root_or_request
        registry = registry or get_current_registry()
    content_registry = get_content_registry(registry)
    if backend_name(registry) == "elasticsearch":
        # the Elasticsearch client costs 0.2 s to import: only when chosen
        from catalog.elastic import ElasticCatalog
        return ElasticCatalog(root, content_registry, registry)
    return EmbeddedCatalog(root, content_registry)


def catalog_for_object(obj, registry=None):
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
    from pyramid.interfaces import ISecurityPolicy
    return ISecurityPolicy
