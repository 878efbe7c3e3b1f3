import pytest
from pyramid import testing

from content_types.base import Container, Content, slugify
from content_types.errors import InvalidName, NameInUse
from content_types.events import ObjectAdded, ObjectMoved, ObjectRemoved


class Item(Content):
    type_name = "Item"


class Seen(list):
    """The events a registry delivered, and that registry (pass it to the container)."""

    registry = None


@pytest.fixture
def events():
    config = testing.setUp()
    seen = Seen()
    seen.registry = config.registry
    for kind in (ObjectAdded, ObjectRemoved, ObjectMoved):
        config.add_subscriber(seen.append, kind)
    yield seen
    testing.tearDown()


def filled(n, registry=None):
    box = Container(title="box")
    for i in range(n):
        box.add(f"item-{i:03d}", Item(title=f"Elemento {n - i}"), registry=registry)
    return box


def test_insertion_order_is_stable_and_names_are_sorted_separately(events):
    box = Container(title="box")
    for name in ("zeta", "alfa", "mezzo"):
        box.add(name, Item(title=name), registry=events.registry)
    assert box.keys() == ["zeta", "alfa", "mezzo"]
    assert [n for n, _ in box.page(0, 10, sort="name")[0]] == ["alfa", "mezzo", "zeta"]
    assert len(box) == 3
    assert "alfa" in box
    assert box["alfa"].__parent__ is box
    assert [type(e) for e in events] == [ObjectAdded] * 3


def test_paging_forward_and_reverse():
    box = filled(25)
    page, total = box.page(20, 10)
    assert total == 25
    assert [n for n, _ in page] == [f"item-{i:03d}" for i in range(20, 25)]
    page, _ = box.page(0, 3, reverse=True)
    assert [n for n, _ in page] == ["item-024", "item-023", "item-022"]
    page, _ = box.page(0, 2, sort="title")
    assert [c.title for _, c in page] == ["Elemento 1", "Elemento 10"]


def test_name_chooser_makes_unique_slugs():
    box = Container(title="box")
    first = box.choose_name("Asilo nido «Il Girasole» — Bari")
    assert first == "asilo-nido-il-girasole-bari"
    box.add(first, Item(title="x"))
    assert box.choose_name("Asilo nido «Il Girasole» — Bari") == first + "-2"
    assert slugify("àèìòù") == "aeiou"
    assert slugify("<<>>") == "elemento"
    assert len(slugify("x" * 500)) <= 60


@pytest.mark.parametrize("bad", ["", "a/b", "@@view", "_private", "..", "x" * 101])
def test_invalid_names_are_refused(bad):
    box = Container(title="box")
    with pytest.raises(InvalidName):
        box.add(bad, Item(title="x"))
    assert len(box) == 0


def test_duplicate_names_are_refused_without_touching_the_first():
    box = Container(title="box")
    first = box.add("a", Item(title="primo"))
    with pytest.raises(NameInUse):
        box.add("a", Item(title="secondo"))
    assert box["a"] is first
    assert len(box) == 1


def test_remove_and_rename_keep_order_and_send_events(events):
    box = filled(3, events.registry)
    events.clear()
    box.rename("item-001", "nuovo", registry=events.registry)
    assert box.keys() == ["item-000", "nuovo", "item-002"]
    removed = box.remove("item-000", registry=events.registry)
    assert removed.__parent__ is None
    assert len(box) == 2
    assert [type(e) for e in events] == [ObjectMoved, ObjectRemoved]


def test_without_a_registry_a_change_sends_no_event_and_looks_none_up(events):
    """Content is data: the thread-local registry (set up here) is never consulted."""
    box = filled(2)
    box.rename("item-000", "primo")
    box.remove("item-001")
    assert events == []
    assert box.keys() == ["primo"]
