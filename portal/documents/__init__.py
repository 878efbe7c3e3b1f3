"""Document service: PDFs rendered with reportlab, signed (PAdES) with pyhanko, verified.

``config.include("portal.documents")`` reads the ``documents.*`` settings,
puts a ``DocumentService`` on the registry; the public verification page (/verifica)
and API (POST /api/verify) are web code, in ``portal.web.documents``.
"""
from portal.documents.errors import DocumentError  # noqa: F401
from portal.documents.service import DocumentService, get_service  # noqa: F401
from portal.documents.settings import DocumentSettings


def includeme(config):
    settings = DocumentSettings.from_settings(config.registry.settings)
    config.registry.documents_service = DocumentService(settings)
    registry_name = config.registry.settings.get("documents.registry_name_in_root",
                                                 "documenti")
    config.registry.documents_registry_name = registry_name
