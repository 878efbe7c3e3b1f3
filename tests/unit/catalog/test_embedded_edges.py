"""Embedded catalog edge cases: principals allowed nothing, a field index added after the store."""
import pytest

from catalog.embedded import get_store
from catalog.query import Eq
from tests.unit.catalog.conftest import ANON, RITA, build_tree, make_harness


@pytest.fixture
def portal(request, db):
    harness = make_harness(request, db, "embedded")
    harness.objs = build_tree(harness.root, harness.registry)
    harness.commit()
    return harness


def test_principals_that_no_entry_allows_find_nothing(portal):
    assert portal.uids(ANON, text="guida") == [portal.objs["guida"].uid]
    assert portal.uids(("user:nessuno",), text="guida") == []
    assert portal.search(("user:nessuno",)).total == 0


def test_a_filter_on_a_field_the_store_has_no_index_for_finds_nothing_until_upgraded(portal):
    store = get_store(portal.root)
    assert portal.uids(RITA, filters=(Eq("municipality", "Bari"),))
    del store.indexes["municipality"]
    assert portal.uids(RITA, filters=(Eq("municipality", "Bari"),)) == []
    store.upgrade()
    assert "municipality" in store.indexes
