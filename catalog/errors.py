"""Exception root of the catalog package; ``portal`` maps these to HTTP."""


class CatalogError(Exception):
    """Base for catalog errors; ``code`` is for machines, ``message`` (Italian) for users."""

    code = "catalog_error"

    def __init__(self, message, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidQuery(CatalogError):
    """A query names an unknown field, sort or facet, or has a bad value."""

    code = "invalid_query"


class SearchUnavailable(CatalogError):
    """The search server cannot answer now (content edits still succeed)."""

    code = "search_unavailable"


class ConfigurationError(CatalogError):
    """Catalog settings are wrong (unknown backend, missing URL)."""

    code = "catalog_configuration"
