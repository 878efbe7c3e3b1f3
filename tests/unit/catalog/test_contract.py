"""The contract suite: every test runs against both backends."""
from datetime import UTC, datetime, timedelta

import pytest
import transaction

from catalog import Eq, In, InvalidQuery, Query, Range
from content_types.events import (
    ACLChanged,
    LocalRolesChanged,
    ObjectModified,
    StateChanged,
)
from content_types.security import ATS_OFFICER, VIEW, Allow, Everyone, set_local_roles
from tests.unit.catalog.conftest import ALICE, ANON, BOB, CAROL, RITA, build_tree


def notify(portal, event):
    portal.registry.notify(event)


@pytest.fixture
def tree(portal):
    objs = build_tree(portal.root, portal.registry)
    portal.commit()
    return objs


def test_added_objects_are_found_by_text_with_snippets(portal, tree):
    results = portal.search(ANON, text="anziani")
    assert [h.uid for h in results.items] == [tree["guida"].uid]
    hit = results.items[0]
    assert hit.path == "/documenti/guida"
    assert hit.type_name == "Page"
    assert "<mark>anziani</mark>" in hit.snippet
    assert results.total == 1


def test_italian_analysis_stems_folds_and_drops_stop_words(portal, tree):
    # "servizi" and "servizio" share a stem; "citta" matches "città"
    assert set(portal.uids(RITA, text="Servizi citta")) == {tree["alice-0"].uid,
                                                             tree["carol-0"].uid}
    assert portal.search(RITA, text="CITTÀ").total == 2
    # only stop words: no text condition at all
    assert portal.search(ANON, text="di la per").total == portal.search(ANON).total
    # every word must match
    assert portal.search(ANON, text="anziani privacy").total == 0
    assert portal.search(ANON, text="parolainesistente").total == 0


def test_pdf_text_attribute_is_searchable(portal, tree):
    app = tree["alice-1"]
    app.attachment_text = "Dichiarazione sostitutiva unica protocollata dal patronato"
    notify(portal, ObjectModified(app, ("attachment_text",)))
    portal.commit()
    assert portal.uids(ALICE, text="patronato") == [app.uid]
    assert "<mark>patronato</mark>" in portal.search(ALICE, text="patronato").items[0].snippet


def test_field_filters_sort_and_paging(portal, tree):
    apps = Eq("type_name", "TestApplication")
    assert portal.search(RITA, filters=(apps,)).total == 4
    assert portal.search(RITA, filters=(apps, Eq("district", "BA-01"))).total == 2
    assert portal.search(RITA, filters=(In("state", ("draft", "submitted")),)).total == 4
    assert portal.search(RITA, filters=(Eq("state", "draft"),
                                        Eq("municipality", "Modugno"))).total == 1
    folder = Eq("ancestors", "/ambiti/ba-02")
    assert set(portal.uids(RITA, filters=(folder,))) == {  # descendants only
        tree["carol-0"].uid, tree["carol-1"].uid,
        get_domande(tree, "BA-02").uid}
    assert portal.search(RITA, filters=(Eq("parent", "/ambiti/ba-01/domande"),)).total == 2
    year = datetime.now(UTC).year
    assert portal.search(RITA, filters=(apps, Eq("year", year))).total == 4
    now = datetime.now(UTC)
    assert portal.search(RITA, filters=(apps, Range("created", now - timedelta(hours=1),
                                                    now + timedelta(hours=1)))).total == 4
    assert portal.search(RITA, filters=(apps, Range("created", max=now - timedelta(days=1))
                                        )).total == 0
    by_title = portal.search(RITA, filters=(apps,), sort="title")
    titles = [h.title for h in by_title.items]
    assert titles == sorted(titles, key=str.casefold)
    newest = portal.uids(RITA, filters=(apps,), sort="created", reverse=True)
    assert newest == [tree[k].uid for k in ("carol-1", "carol-0", "alice-1", "alice-0")]
    page = portal.search(RITA, filters=(apps,), sort="created", reverse=True, start=1, limit=2)
    assert page.total == 4
    assert [h.uid for h in page.items] == newest[1:3]


def test_uid_filters_find_exactly_those_visible_objects(portal, tree):
    alice, carol = tree["alice-0"].uid, tree["carol-1"].uid
    assert portal.uids(RITA, filters=(Eq("uid", alice),)) == [alice]
    assert set(portal.uids(RITA, filters=(In("uid", (alice, carol, "nessuno")),))) == {
        alice, carol}
    assert portal.uids(ALICE, filters=(In("uid", (alice, carol)),)) == [alice]
    assert portal.search(RITA, filters=(Eq("uid", "nessuno"),)).total == 0


def get_domande(tree, code):
    return tree[code]["domande"]


def test_facets_count_only_visible_entries(portal, tree):
    facets = ("type_name", "state", "district", "municipality", "year")
    mine = portal.search(ALICE, facets=facets).facets
    assert dict(mine["type_name"])["TestApplication"] == 2
    assert dict(mine["district"]) == {"BA-01": 4, "BA-02": 2}  # ATS folders are public
    apps = portal.search(ALICE, facets=facets, filters=(Eq("type_name", "TestApplication"),))
    assert dict(apps.facets["district"]) == {"BA-01": 2}
    assert "Modugno" not in dict(mine["municipality"])
    assert dict(mine["state"]) == {"draft": 1, "submitted": 1}
    everything = portal.search(RITA, facets=facets).facets
    assert dict(everything["district"]) == {"BA-01": 4, "BA-02": 4}
    assert everything["type_name"][0] == ("TestApplication", 4)
    assert everything["type_name"][1:3] == [("District", 2), ("Folder", 2)] or \
        everything["type_name"][1:4] == [("Folder", 3), ("District", 2), ("Page", 2)]


def test_permissions_citizens_never_see_each_other(portal, tree):
    carol_uids = {tree["carol-0"].uid, tree["carol-1"].uid}
    for kw in ({}, {"text": "domanda"}, {"text": "carol"}, {"text": "anziani"},
               {"filters": (Eq("district", "BA-02"),)}):
        results = portal.search(ALICE, facets=("district", "municipality"), **kw)
        assert not carol_uids & {h.uid for h in results.items}
        assert "carol" not in " ".join(h.snippet + h.title for h in results.items)
        assert "Modugno" not in dict(results.facets["municipality"])
    assert portal.search(ALICE, text="carol").total == 0
    assert portal.search(ANON, filters=(Eq("type_name", "TestApplication"),)).total == 0
    # the ATS officer of BA-01 sees BA-01 applications only
    bob = set(portal.uids(BOB, filters=(Eq("type_name", "TestApplication"),)))
    assert bob == {tree["alice-0"].uid, tree["alice-1"].uid}
    assert portal.search(RITA, filters=(Eq("type_name", "TestApplication"),)).total == 4
    assert portal.search(CAROL, text="domanda", filters=(Eq("type_name", "TestApplication"),)
                         ).total == 2


def test_edit_rename_and_delete_are_followed(portal, tree):
    page = tree["privacy"]
    page.body = "Regolamento sulla protezione dei dati e trasparenza"
    notify(portal, ObjectModified(page, ("body",)))
    portal.commit()
    assert portal.uids(ANON, text="trasparenza") == [page.uid]
    portal.root["documenti"].rename("privacy", "riservatezza", registry=portal.registry)
    portal.commit()
    assert portal.search(ANON, text="trasparenza").items[0].path == "/documenti/riservatezza"
    # moving a container re-paths its subtree
    portal.root["ambiti"].rename("ba-01", "bari", registry=portal.registry)
    portal.commit()
    paths = {h.path for h in portal.search(RITA, filters=(Eq("ancestors", "/ambiti/bari"),)
                                           ).items}
    assert "/ambiti/bari/domande/alice-0" in paths
    assert portal.search(RITA, filters=(Eq("ancestors", "/ambiti/ba-01"),)).total == 0
    # removing a container unindexes its subtree
    portal.root["ambiti"].remove("bari", registry=portal.registry)
    portal.commit()
    assert portal.search(RITA, text="alice").total == 0
    assert portal.search(RITA, filters=(Eq("district", "BA-01"),)).total == 0


def test_workflow_state_and_acl_changes(portal, tree):
    app = tree["alice-0"]
    old = app.state
    app.state = "approved"
    app.__acl__ = ((Allow, Everyone, VIEW),)  # the state's permission map made it public
    notify(portal, StateChanged(app, "domanda", "approve", old, "approved"))
    portal.commit()
    assert portal.uids(ANON, filters=(Eq("state", "approved"),)) == [app.uid]
    del app.__acl__
    notify(portal, ACLChanged(app))
    portal.commit()
    assert portal.search(ANON, filters=(Eq("state", "approved"),)).total == 0
    assert portal.uids(ALICE, filters=(Eq("state", "approved"),)) == [app.uid]


def test_local_role_change_reindexes_the_subtree(portal, tree):
    dave = ("system.Everyone", "system.Authenticated", "user:dave")
    apps = (Eq("type_name", "TestApplication"),)
    assert portal.search(dave, filters=apps).total == 0
    district = tree["BA-02"]
    set_local_roles(district, "user:dave", {ATS_OFFICER})
    notify(portal, LocalRolesChanged(district))
    portal.commit()
    assert set(portal.uids(dave, filters=apps)) == {tree["carol-0"].uid, tree["carol-1"].uid}
    set_local_roles(district, "user:dave", ())
    notify(portal, LocalRolesChanged(district))
    portal.commit()
    assert portal.search(dave, filters=apps).total == 0


def test_abort_leaves_the_catalog_untouched(portal, tree):
    page = tree["guida"]
    page.body = "contenuto provvisorio mai confermato"
    notify(portal, ObjectModified(page))
    transaction.abort()
    portal.catalog.flush()
    assert portal.search(ANON, text="provvisorio").total == 0
    assert portal.search(ANON, text="domiciliare").total == 1


def test_invalid_queries_are_rejected(portal):
    with pytest.raises(InvalidQuery) as info:
        Query(sort="colour")
    assert info.value.code == "invalid_query"
    with pytest.raises(InvalidQuery):
        Query(filters=(Eq("nope", 1),))
    with pytest.raises(InvalidQuery):
        Query(filters=(Range("state", "a", "b"),))
    with pytest.raises(InvalidQuery):
        Query(facets=("title",))
    assert portal.search(ANON, text="qualcosa").total == 0  # empty catalog is fine
