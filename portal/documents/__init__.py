"""Document service: PDFs rendered with reportlab, signed (PAdES) with pyhanko, verified.

``config.include("portal.documents")`` reads the ``documents.*`` settings and registers
one ``DocumentService`` utility (``IDocumentService``), reached as ``request.documents`` in
views and ``get_service(registry)`` elsewhere, and ``request.documents_registry``, the
registry of issued documents; the public verification page (/verifica) and API
(POST /api/verify) are web code, in ``portal.web.documents``.
"""
from portal.documents.errors import DocumentError  # noqa: F401
from portal.documents.service import DocumentService, IDocumentService, get_service, query_service  # noqa: F401
from portal.documents.settings import DocumentSettings

#: where the registry of issued documents sits under the traversal root by default
REGISTRY_NAME_SETTING = "documents.registry_name_in_root"


def request_documents(request):
    """``request.documents``: the registered DocumentService."""
    return get_service(request.registry)


def registry_in_root(request):
    """``request.documents_registry``: the DocumentRegistry under the root, if any.

    The portal stores its registry beside the tree and overrides this request
    method (``portal.db.documents_registry``).
    """
    name = request.registry.settings.get(REGISTRY_NAME_SETTING, "documenti")
    root = getattr(request, "root", None)
    try:
        return root[name] if root is not None else None
    except (KeyError, TypeError):
        return None


def includeme(config):
    settings = DocumentSettings.from_settings(config.registry.settings)
    config.registry.registerUtility(DocumentService(settings), IDocumentService)
    config.add_request_method(request_documents, "documents", reify=True)
    config.add_request_method(registry_in_root, "documents_registry", reify=True)
