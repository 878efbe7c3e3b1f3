"""``portal.documents`` registers one DocumentService utility and two request methods."""
import pytest
from pyramid import testing
from pyramid.request import apply_request_extensions

from portal.documents import DocumentService, IDocumentService, get_service, query_service
from portal.documents.registry import DocumentRegistry


@pytest.fixture
def registry():
    config = testing.setUp(settings={"documents.max_upload_bytes": "1234"})
    config.include("portal.documents")
    config.commit()
    yield config.registry
    testing.tearDown()


def test_the_service_is_a_utility_built_from_the_settings(registry):
    service = registry.getUtility(IDocumentService)
    assert isinstance(service, DocumentService)
    assert service.settings.max_upload_bytes == 1234
    assert get_service(registry) is service is query_service(registry)


def test_requests_reach_the_service_and_the_registry_under_the_root(registry):
    documents = DocumentRegistry()
    request = testing.DummyRequest(registry=registry)
    request.root = {"documenti": documents}
    apply_request_extensions(request)
    assert request.documents is get_service(registry)
    assert request.documents_registry is documents
    bare = testing.DummyRequest(registry=registry)
    bare.root = {}
    apply_request_extensions(bare)
    assert bare.documents_registry is None


def test_without_the_include_there_is_no_service():
    config = testing.setUp()
    try:
        assert query_service(config.registry) is None
    finally:
        testing.tearDown()
