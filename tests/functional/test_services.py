"""The document service, the catalog and the mailer: registered utilities, request methods.

Views reach them as ``request.documents``, ``request.catalog``, ``request.mailer``; code
without a request (scripts, the clock thread, after-commit work) asks the registry. Neither
path reads Pyramid's thread-local stack, which these tests leave empty.
"""
import threading

import transaction
from pyramid.scripting import prepare
from pyramid.threadlocal import get_current_registry

from catalog import Eq, ICatalogFactory, Query, get_catalog
from catalog.embedded import EmbeddedCatalog
from content_types.page import Page
from content_types.security import ADMIN, Everyone, role
from portal.db import ROOT_KEY, get_database
from portal.documents import DocumentService, IDocumentService, get_service
from portal.mail import IMailer, Mailer, get_mailer

ADMINS = (Everyone, role(ADMIN))


def titles(catalog, text):
    # as the administrator: a new page is private (editorial workflow) until published
    return [hit.title for hit in catalog.search(Query(text=text, snippets=False), ADMINS).items]


def test_each_service_is_one_registered_utility(wsgi_app):
    registry = wsgi_app.registry
    service = registry.getUtility(IDocumentService)
    assert isinstance(service, DocumentService)
    assert get_service(registry) is service
    assert not hasattr(registry, "documents_service")  # no longer an attribute
    mailer = registry.getUtility(IMailer)
    assert isinstance(mailer, Mailer)
    assert get_mailer(registry) is mailer
    assert mailer.settings.host == "127.0.0.1"
    assert mailer.settings.port == 25
    assert registry.getUtility(ICatalogFactory).backend == "embedded"


def test_views_get_the_same_services_as_request_methods(wsgi_app):
    registry = wsgi_app.registry
    env = prepare(registry=registry)
    try:
        request = env["request"]
        with request.tm:
            request.root = env["root"]
            assert request.documents is get_service(registry)
            assert request.mailer is get_mailer(registry)
            catalog = request.catalog
            assert isinstance(catalog, EmbeddedCatalog)
            assert catalog.root is env["root"]
            assert request.catalog is catalog  # reified: one per request
            assert request.documents_registry is request.documents_registry is not None
    finally:
        env["closer"]()


def script_pass(registry, title):
    """What a script or the clock thread does: its own connection, the registry, no request."""
    tm = transaction.TransactionManager()
    conn = get_database(registry).open(transaction_manager=tm)
    try:
        with tm:
            root = conn.root()[ROOT_KEY]
            root["documenti"].add("nota-di-servizio", Page(title=title, creator="admin"),
                                  registry=registry)
            root["documenti"].add("nota-muta", Page(title="Nota muta", creator="admin"))
        with tm:
            found = titles(get_catalog(conn.root()[ROOT_KEY], registry), "servizio")
            silent = titles(get_catalog(conn.root()[ROOT_KEY], registry), "muta")
            return found, silent, get_current_registry(), get_service(registry), get_mailer(registry)
    finally:
        conn.close()


def test_a_script_without_a_request_finds_the_services_through_the_registry(wsgi_app):
    registry = wsgi_app.registry
    seen = {}
    # a fresh thread, as the clock's: nothing was ever pushed on its thread-local stack
    worker = threading.Thread(target=lambda: seen.update(
        result=script_pass(registry, "Nota di servizio sulle aperture")))
    worker.start()
    worker.join(60)
    found, silent, current, service, mailer = seen["result"]
    assert current is not registry  # the global registry: the pass never relied on it
    # the add went through the registry: its subscribers (workflow, catalog) ran
    assert "Nota di servizio sulle aperture" in found
    # content is data: an add without a registry sends no event, so nothing indexes it
    assert silent == []
    assert service is registry.getUtility(IDocumentService)
    assert mailer is registry.getUtility(IMailer)


def test_the_admin_finds_what_the_script_added_through_the_catalog_utility(wsgi_app):
    registry = wsgi_app.registry
    script_pass(registry, "Nota di servizio per gli uffici")
    conn = get_database(registry).open()
    try:
        catalog = registry.getUtility(ICatalogFactory)(conn.root()[ROOT_KEY])
        # the demo's own pages speak of offices too: only what the script added, in /documenti
        query = Query(filters=(Eq("parent", "/documenti"),), text="uffici", snippets=False)
        results = catalog.search(query, (role(ADMIN),))
        assert [hit.path for hit in results.items] == ["/documenti/nota-di-servizio"]
    finally:
        conn.close()


def test_forms_speak_the_language_of_their_own_request(testapp):
    """deform renders with the request's localizer (``RequestRenderer``), not a global guess."""
    from tests.conftest import login  # noqa: PLC0415

    login(testapp, "rup-ba01")
    pages = {}
    for locale in ("it", "en", "it"):
        form = testapp.get("/ambiti/ba-01/@@aggiungi", {"tipo": "Municipality",
                                                       "_LOCALE_": locale}).forms["form-portale"]
        form["title"] = "Comune senza codice"
        pages.setdefault(locale, []).append(form.submit("aggiungi", status=400).text)
    assert all("Richiesto" in page and ">Required<" not in page for page in pages["it"])
    assert "Required" in pages["en"][0]
    assert "Richiesto" not in pages["en"][0]
