"""Evolve step 11: a catalog built before the queue fields gets them, and the queue finds by them."""
import transaction

from catalog import Eq, Query, get_catalog
from catalog.embedded import FIELD_INDEXES, KEYWORD_INDEXES, get_store
from content_types.security import ROLE_PREFIX
from portal import evolve
from portal.evolve import step0011_application_queue_fields
from tests.functional.applications.conftest import client
from tests.functional.applications.test_state_names_evolve import in_transaction

NEW_INDEXES = ("protocol", "beneficiary_fiscal_code", "service_paths", "beneficiary_words",
               "actors", "allowed_personal")
GALLO = "/ambiti/ba-01/domande/buoni-minori-2026/domanda-famiglia-gallo"
QUEUE = "/ambiti/ba-01/@@istruttoria"
ADMIN = [ROLE_PREFIX + "admin"]


def make_it_old(root, portal):
    """The store as schema 4 left it: none of the queue indexes, the database at step 10."""
    store = get_store(portal)
    for name in NEW_INDEXES:
        del store.indexes[name]
    store.schema = 4
    portal.db_version = 10


def by_fiscal_code(app, code):
    def search(root, portal):
        return [hit.path for hit in get_catalog(portal, app.registry).search(
            Query(filters=(Eq("beneficiary_fiscal_code", code),), personal=True), ADMIN).items]
    return in_transaction(app, search)


def test_the_new_indexes_are_the_ones_the_old_store_lacks():
    assert set(NEW_INDEXES) <= set(FIELD_INDEXES) | set(KEYWORD_INDEXES)


def test_step_11_indexes_the_applications_of_an_old_catalog(applications_app, codes):
    app = applications_app
    in_transaction(app, make_it_old)
    assert by_fiscal_code(app, codes["gallo"]) == []
    officer = client(app, "rup-ba01")
    assert "domanda-famiglia-gallo" not in officer.get(QUEUE).text  # nothing found, no error

    def run(root, portal):
        assert [n for n, _ in evolve.pending(portal)] == list(
            range(11, evolve.latest_version() + 1))
        evolve.run_pending(root, portal, app.registry, commit=lambda note: transaction.commit())
        return portal.db_version
    assert in_transaction(app, run) == evolve.latest_version()
    assert step0011_application_queue_fields.__doc__.strip()
    assert by_fiscal_code(app, codes["gallo"]) == [GALLO]
    page = officer.get(QUEUE, {"cerca": codes["gallo"]})
    assert "domanda-famiglia-gallo" in page.text
    assert "domanda-famiglia-rossi" not in page.text
