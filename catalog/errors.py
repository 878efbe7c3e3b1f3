"""Exception root of the catalog package; ``portal`` maps these to HTTP via ``http_status``."""
from content_types.errors import ErrorBase
from content_types.i18n import _


class CatalogError(ErrorBase):
    """Base for catalog errors; ``code`` is for machines, ``message`` (Italian) for users."""

    code = "catalog_error"
    http_status = 500
    default_message = _("La ricerca non è riuscita.")


class InvalidQuery(CatalogError):
    """A query names an unknown field, sort or facet, or has a bad value."""

    code = "invalid_query"
    http_status = 400


class SearchUnavailable(CatalogError):
    """The search server cannot answer now (content edits still succeed)."""

    code = "search_unavailable"
    http_status = 503
    retry_after = 30


class ConfigurationError(CatalogError):
    """Catalog settings are wrong (unknown backend, missing URL)."""

    code = "catalog_configuration"
