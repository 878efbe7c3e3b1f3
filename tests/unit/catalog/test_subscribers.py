"""The catalog subscribers on objects outside a portal and on dangling references."""
import pytest

from catalog.query import Eq
from content_types.events import ACLChanged, ObjectModified, StateChanged
from content_types.folder import Folder
from tests.unit.catalog.conftest import ANON, RITA, Application, make_harness


@pytest.fixture
def portal(request, db):
    return make_harness(request, db, "embedded")


def _detached_subtree(portal):
    """A folder with an application, built before it is put in the portal."""
    outside = Folder(title="Bozze fuori dal portale")
    app = Application(title="Domanda preparata altrove", creator="user:alice", state="submitted")
    app.__acl__ = ()
    outside.add("a", app, registry=portal.registry)
    page = Folder(title="Pagina pubblica preparata")
    outside.add("pubblica", page, registry=portal.registry)
    return outside, page


def test_events_on_objects_outside_a_portal_leave_the_catalog_alone(portal):
    outside, page = _detached_subtree(portal)
    portal.registry.notify(ObjectModified(page))
    portal.registry.notify(ACLChanged(page))
    portal.registry.notify(StateChanged(page, None, "publish", "draft", "published"))
    outside.rename("pubblica", "pubblicata", registry=portal.registry)
    outside.remove("pubblicata", registry=portal.registry)
    portal.commit()
    assert portal.uids(ANON, text="preparata") == []
    assert portal.uids(RITA, text="preparata") == []


def test_a_subtree_built_outside_is_indexed_when_it_is_added(portal):
    outside, page = _detached_subtree(portal)
    portal.root.add("bozze", outside, registry=portal.registry)
    portal.commit()
    assert portal.uids(ANON, text="pubblica preparata") == [page.uid]


@pytest.mark.parametrize("path", ["/non-esiste/voce", "/bozze/a/oltre", "relativo", None])
def test_a_transition_naming_a_missing_or_bad_entry_path_still_indexes_the_object(portal, path):
    folder = portal.root.add("bozze", Folder(title="Bozze"), registry=portal.registry)
    app = folder.add("a", Application(title="Domanda con servizio", creator="user:alice",
                                      state="draft"), registry=portal.registry)
    app.catalogue_entry_path = path
    portal.commit()
    app.state = "submitted"
    portal.registry.notify(StateChanged(app, None, "submit", "draft", "submitted"))
    portal.commit()
    assert portal.uids(RITA, filters=(Eq("state", "submitted"),)) == [app.uid]


def test_a_transition_outside_a_portal_reindexes_nothing(portal):
    outside = Folder(title="Fuori")
    page = outside.add("p", Folder(title="Voce del catalogo fuori"), registry=portal.registry)
    app = outside.add("a", Application(title="Domanda fuori"), registry=portal.registry)
    app.catalogue_entry_path = "/p"
    portal.registry.notify(StateChanged(app, None, "submit", "draft", "submitted"))
    portal.commit()
    assert portal.uids(ANON, text="voce catalogo fuori") == []
    assert page.title == "Voce del catalogo fuori"
