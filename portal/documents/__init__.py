"""Document service: PDFs rendered with reportlab, signed (PAdES) with pyhanko, verified.

``config.include("portal.documents")`` reads the ``documents.*`` settings,
puts a ``DocumentService`` on the registry and adds the public verification
page (/verifica) and API (POST /api/verify).
"""
from .errors import DocumentError  # noqa: F401
from .service import DocumentService, get_service  # noqa: F401
from .settings import DocumentSettings


def includeme(config):
    settings = DocumentSettings.from_settings(config.registry.settings)
    config.registry.documents_service = DocumentService(settings)
    registry_name = config.registry.settings.get("documents.registry_name_in_root",
                                                 "documenti")
    config.registry.documents_registry_name = registry_name
    config.add_route("documents.verify", "/verifica")
    config.add_route("documents.record", "/verifica/{doc_id}")
    config.add_route("documents.api_verify", "/api/verify")
    config.include(".views")
