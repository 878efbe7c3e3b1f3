"""``ensure_attr``: a store added to an object on first use, once, and never by a reader."""
from BTrees.OOBTree import OOBTree

from content_types.base import ensure_attr
from content_types.folder import Folder


def test_the_store_is_made_once_and_kept():
    folder = Folder(title="Catalogo")
    made = []

    def factory():
        made.append(1)
        return OOBTree()

    store = ensure_attr(folder, "_registrations", factory)
    store["a"] = 1
    assert ensure_attr(folder, "_registrations", factory) is store
    assert folder._registrations is store
    assert len(made) == 1


def test_a_reader_does_not_write():
    folder = Folder(title="Catalogo")
    assert ensure_attr(folder, "_registrations", OOBTree, create=False) is None
    assert "_registrations" not in folder.__dict__


def test_a_class_level_none_default_is_filled_on_the_instance():
    class Holder:
        store = None

    holder = Holder()
    assert isinstance(ensure_attr(holder, "store", OOBTree), OOBTree)
    assert Holder.store is None
