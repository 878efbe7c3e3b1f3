"""Persistent base classes: ``Content`` and the BTree-backed ``Container``.

Boring on purpose: plain attributes with class-level defaults (so old objects
gain new attributes without a migration), no ``__getattr__`` magic.
"""
import re
import time
import unicodedata
import uuid

from BTrees.Length import Length
from BTrees.LOBTree import LOBTree
from BTrees.OLBTree import OLBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent

from content_types.errors import InvalidName, NameInUse
from content_types.events import ObjectAdded, ObjectMoved, ObjectRemoved, ObjectWillBeRemoved
from content_types.i18n import _
from content_types.values import utcnow

MAX_NAME_LENGTH = 100
_SLUG_STRIP = re.compile(r"[^a-z0-9]+")


def notify(registry, event):
    """Send ``event`` through ``registry`` (the caller's); without one, a pure data change."""
    if registry is not None:
        registry.notify(event)


class Content(Persistent):
    """A persistent object with a place in the tree and an owner."""

    #: set by each content type module; the registry checks it
    type_name = None
    __name__ = None
    __parent__ = None
    __acl__ = ()
    __local_roles__ = None
    __local_roles_block__ = False
    title = ""
    creator = None
    owner = None
    created = None
    modified = None
    #: workflow state name, or None for types without a workflow
    state = None
    #: tuple of dicts appended by the workflow engine (reassigned, never mutated)
    workflow_history = ()

    def __init__(self, title="", creator=None, **data):
        self.uid = uuid.uuid4().hex
        self.title = title
        self.creator = creator
        self.owner = creator
        self.created = self.modified = utcnow()
        for key, value in data.items():
            setattr(self, key, value)

    def touch(self):
        self.modified = utcnow()

    def get_data(self, names):
        """Values of the schema fields ``names`` (forms and the API read this)."""
        return {name: getattr(self, name, None) for name in names}

    def set_data(self, data):
        """Store validated schema data; types override to transform fields."""
        for key, value in data.items():
            setattr(self, key, value)

    def __repr__(self):
        return f"<{type(self).__name__} {self.__name__!r} at {id(self):#x}>"


def slugify(text):
    """An ASCII, lowercase, dash-separated name from a title."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    slug = _SLUG_STRIP.sub("-", text.lower()).strip("-")
    return slug[:60].rstrip("-") or "elemento"


def check_name(name):
    """Raise ``InvalidName`` unless ``name`` can be a path segment of ours."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidName(_("Il nome non può essere vuoto."))
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidName(_("Il nome supera i ${max_length} caratteri.",
                            mapping={"max_length": MAX_NAME_LENGTH}))
    if "/" in name or name in (".", "..") or name.startswith(("@@", "_", "+")):
        raise InvalidName(
            _("Il nome non può contenere «/» né iniziare con «@@», «_» o «+».")
        )
    return name


class _NoChildren:
    """The children of an object stored before its class held any: empty, read-only.

    A class-level default (ZODB's way for new attributes): reads before evolve step 12
    converts such an object see no children; the first write gives it its own structures.
    """

    def get(self, name, default=None):
        return default

    def __getitem__(self, name):
        raise KeyError(name)

    def __contains__(self, name):
        return False

    def __len__(self):
        return 0

    def __call__(self):
        return 0

    def keys(self):
        return ()

    values = items = keys


NO_CHILDREN = _NoChildren()


class Container(Content):
    """Content that holds children in a BTree, remembering insertion order.

    ``add``, ``remove`` and ``rename`` send their events through the ``registry`` the
    caller passes (views pass ``request.registry``, scripts the app's); the container
    never looks one up, so without one (tests, evolve steps) the change sends none.
    """

    _items = _order = _order_keys = _count = NO_CHILDREN

    def __init__(self, title="", creator=None, **data):
        super().__init__(title=title, creator=creator, **data)
        self.init_children()

    def init_children(self):
        """Empty child structures (also for an object stored before its class held children)."""
        self._items = OOBTree()
        self._order = LOBTree()  # order key -> name
        self._order_keys = OLBTree()  # name -> order key
        self._count = Length()

    # -- mapping protocol ------------------------------------------------------
    def __getitem__(self, name):
        return self._items[name]

    def get(self, name, default=None):
        return self._items.get(name, default)

    def __contains__(self, name):
        return name in self._items

    def __len__(self):
        return self._count()

    def __bool__(self):
        return True

    def __iter__(self):
        return iter(self._order.values())

    def keys(self):
        return list(self._order.values())

    def values(self):
        for name in self._order.values():
            yield self._items[name]

    def items(self):
        for name in self._order.values():
            yield name, self._items[name]

    # -- naming ----------------------------------------------------------------
    def choose_name(self, title, name=None):
        """A free name for a new child: ``name`` if given, else a slug of ``title``."""
        if name:
            check_name(name)
            if name in self._items:
                raise NameInUse(_("Esiste già un elemento chiamato «${name}».", mapping={"name": name}))
            return name
        base = slugify(title)
        candidate, counter = base, 1
        while candidate in self._items:
            counter += 1
            candidate = f"{base}-{counter}"
        return candidate

    # -- changes -----------------------------------------------------------------
    def _new_order_key(self):
        key = time.time_ns()
        while key in self._order:
            key += 1
        return key

    def _own_children(self):
        if "_items" not in self.__dict__:
            self.init_children()

    def add(self, name, obj, send_events=True, registry=None):
        self._own_children()
        check_name(name)
        if name in self._items:
            raise NameInUse(_("Esiste già un elemento chiamato «${name}».", mapping={"name": name}))
        obj.__name__ = name
        obj.__parent__ = self
        self._items[name] = obj
        key = self._new_order_key()
        self._order[key] = name
        self._order_keys[name] = key
        self._count.change(1)
        if send_events:
            notify(registry, ObjectAdded(obj, self, name))
        return obj

    def remove(self, name, send_events=True, registry=None):
        obj = self._items[name]
        if send_events:
            notify(registry, ObjectWillBeRemoved(obj, self, name))
        del self._items[name]
        del self._order[self._order_keys.pop(name)]
        self._count.change(-1)
        if send_events:
            notify(registry, ObjectRemoved(obj, self, name))
        obj.__parent__ = None
        return obj

    def rename(self, old, new, registry=None):
        check_name(new)
        if new == old:
            return self._items[old]
        if new in self._items:
            raise NameInUse(_("Esiste già un elemento chiamato «${new}».", mapping={"new": new}))
        obj = self._items.pop(old)
        self._items[new] = obj
        key = self._order_keys.pop(old)
        self._order_keys[new] = key
        self._order[key] = new
        obj.__name__ = new
        notify(registry, ObjectMoved(obj, self, old, self, new))
        return obj

    # -- listing -------------------------------------------------------------------
    def page(self, start=0, size=20, sort="order", reverse=False):
        """One page of ``(name, child)`` pairs and the total count.

        ``order`` and ``name`` sorts read only BTree buckets, so their cost does
        not grow with the number of children; ``title`` and ``modified`` load
        every child and are meant for small folders (the catalog sorts big ones).
        """
        total = len(self)
        start = max(0, int(start))
        size = max(1, int(size))
        if sort in ("order", "name"):
            seq = self._order.values() if sort == "order" else self._items.keys()
            if reverse:
                hi = max(0, total - start)
                lo = max(0, hi - size)
                names = list(seq[lo:hi])[::-1]
            else:
                names = list(seq[start:start + size])
            return [(n, self._items[n]) for n in names], total
        if sort == "title":
            key = lambda pair: (pair[1].title or pair[0]).casefold()  # noqa: E731
        elif sort == "modified":
            key = lambda pair: pair[1].modified  # noqa: E731
        else:
            raise ValueError(f"unknown sort {sort!r}")
        pairs = sorted(self._items.items(), key=key, reverse=reverse)
        return pairs[start:start + size], total


def ensure_attr(obj, name, factory, create=True):
    """``obj.<name>``, first set to ``factory()`` when missing (a store added on first use).

    With ``create=False`` a missing store stays missing (None): readers do not write.
    """
    value = getattr(obj, name, None)
    if value is None and create:
        value = factory()
        setattr(obj, name, value)
    return value
