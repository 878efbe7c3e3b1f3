"""Finding the catalog: the factory utility chosen at startup, ``request.catalog`` in views."""
import pytest
from pyramid import testing
from pyramid.interfaces import IRequestExtensions
from pyramid.registry import Registry
from pyramid.request import apply_request_extensions

from catalog import CatalogFactory, ICatalogFactory, get_catalog
from catalog.embedded import EmbeddedCatalog
from catalog.errors import ConfigurationError
from content_types.portal_root import Portal


@pytest.fixture
def config():
    config = testing.setUp(settings={})
    config.include("content_types")
    config.include("catalog")
    config.commit()
    yield config
    testing.tearDown()


def test_includeme_registers_the_factory_and_the_request_method(config):
    factory = config.registry.getUtility(ICatalogFactory)
    assert isinstance(factory, CatalogFactory)
    assert factory.backend == "embedded"
    assert "catalog" in config.registry.getUtility(IRequestExtensions).descriptors
    request = testing.DummyRequest(registry=config.registry)
    request.root = Portal(title="Portale")
    apply_request_extensions(request)
    assert isinstance(request.catalog, EmbeddedCatalog)
    assert request.catalog.root is request.root
    assert request.catalog is request.catalog


def test_get_catalog_asks_the_registered_factory(config):
    built = []

    class Recording(CatalogFactory):
        def __call__(self, root):
            built.append(root)
            return super().__call__(root)

    config.registry.registerUtility(Recording(config.registry), ICatalogFactory)
    root = Portal(title="Portale")
    assert get_catalog(root, config.registry).root is root
    assert built == [root]


def test_a_bare_registry_gets_the_configured_backend_and_a_bad_one_is_refused():
    registry = Registry("bare")
    registry.settings = {}
    assert isinstance(get_catalog(Portal(title="P"), registry), EmbeddedCatalog)
    registry.settings = {"catalog.backend": "solr"}
    with pytest.raises(ConfigurationError):
        get_catalog(Portal(title="P"), registry)
