"""The catalog's settings and their defaults: read by the API and by each backend."""
from catalog.errors import ConfigurationError
from content_types.i18n import _

BACKENDS = ("embedded", "elasticsearch")
DEFAULTS = {
    "catalog.backend": "embedded",
    "catalog.elasticsearch.url": "http://127.0.0.1:9200",
    "catalog.elasticsearch.index_prefix": "portal",
    "catalog.elasticsearch.worker": "thread",
    "catalog.elasticsearch.batch_size": "500",
    "catalog.elasticsearch.poll_interval": "5",
    "catalog.elasticsearch.timeout": "10",
}


def setting(settings, key):
    value = (settings or {}).get(key)
    return DEFAULTS[key] if value in (None, "") else value


def backend_name(registry):
    name = setting(registry.settings, "catalog.backend")
    if name not in BACKENDS:
        raise ConfigurationError(
            _("Motore di ricerca sconosciuto: «${name}».", mapping={"name": name}), setting="catalog.backend")
    return name
