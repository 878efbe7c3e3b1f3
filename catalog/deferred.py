"""Index once per object per transaction: changes are noted, then applied together.

Creating a workflow-governed object sends ObjectAdded, ACLChanged and
StateChanged, and each reindexed the object. Now the catalog only notes
``uid -> (obj or None)`` (the last note wins) and applies the notes once: in a
before-commit hook, so the entries commit with the content (the Elasticsearch
backend queues them in its outbox there, as before), or earlier when the same
transaction searches, so a search still sees what the transaction changed.
A root not yet stored in a database has no transaction to wait for: its
changes apply at once.
"""
from transaction.interfaces import NoTransaction

#: transaction data key: {id(root): Pending}
_KEY = object()


class Pending:
    """The notes of one transaction for one portal root."""

    def __init__(self, catalog):
        self.catalog = catalog
        self.changes = {}        # uid -> object to index, or None to unindex
        self.hooked = False

    def before_commit(self):
        self.hooked = False  # a note made after this (by a later hook) hooks again
        self.apply()

    def apply(self):
        """Apply the notes (each uid once, with the object's state now)."""
        while self.changes:
            changes, self.changes = self.changes, {}
            catalog = self.catalog
            for uid, obj in changes.items():
                if obj is not None and _root_of(obj) is catalog.root:
                    catalog.apply_index(obj)
                else:  # removed, or no longer under this root
                    catalog.apply_unindex(uid)


def _root_of(obj):
    while getattr(obj, "__parent__", None) is not None:
        obj = obj.__parent__
    return obj


def _transaction(root):
    jar = getattr(root, "_p_jar", None)
    if jar is None:
        return None
    try:
        return jar.transaction_manager.get()
    except NoTransaction:  # an explicit manager outside a transaction
        return None


def _pending(catalog, create):
    txn = _transaction(catalog.root)
    if txn is None:
        return None
    try:
        by_root = txn.data(_KEY)
    except KeyError:
        if not create:
            return None
        by_root = {}
        txn.set_data(_KEY, by_root)
    pending = by_root.get(id(catalog.root))
    if pending is None and create:
        pending = by_root[id(catalog.root)] = Pending(catalog)
    if pending is not None and create and not pending.hooked:
        pending.hooked = True
        txn.addBeforeCommitHook(pending.before_commit)
    return pending


def note(catalog, uid, obj):
    """Index ``obj`` (or unindex ``uid`` when ``obj`` is None) before commit."""
    pending = _pending(catalog, create=True)
    if pending is None:
        if obj is None:
            catalog.apply_unindex(uid)
        else:
            catalog.apply_index(obj)
        return
    pending.changes[uid] = obj


def apply(catalog):
    """Apply this transaction's notes now (before a search, a count, a rebuild)."""
    pending = _pending(catalog, create=False)
    if pending is not None and pending.changes:
        pending.apply()


def discard(catalog):
    """Forget this transaction's notes (the catalog is being cleared)."""
    pending = _pending(catalog, create=False)
    if pending is not None:
        pending.changes.clear()
