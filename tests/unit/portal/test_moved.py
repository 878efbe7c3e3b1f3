"""The table of moved modules: every old name reads as a class that exists today."""
import importlib

import pytest
from ZODB import DB
from ZODB.MappingStorage import MappingStorage

from portal import moved
from portal.applications.rules.protocol import ProtocolCounters
from portal.providers.registrations import Registration


@pytest.mark.parametrize(("old", "new"), sorted(moved.MOVED_MODULES.items()))
def test_each_old_module_is_gone_and_its_new_home_imports(old, new):
    with pytest.raises(ImportError):
        importlib.import_module(old)
    importlib.import_module(new)


def test_the_class_factory_reads_old_paths_and_leaves_the_others():
    db = DB(MappingStorage())
    moved.install(db)
    try:
        conn = db.open()
        assert db.classFactory(conn, "portal.benefits.protocol", "ProtocolCounters") is ProtocolCounters
        assert db.classFactory(conn, "portal.catalogue.registrations", "Registration") is Registration
        assert db.classFactory(conn, "portal.providers.registrations", "Registration") is Registration
        # the connection DB() opened for the root reads old paths too
        assert conn._reader._factory(conn, "portal.benefits.protocol", "ProtocolCounters") is ProtocolCounters
    finally:
        db.close()
