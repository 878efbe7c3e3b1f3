"""The one interface every view, command and subscriber uses."""
import abc

from pyramid.traversal import find_resource

from catalog import deferred
from catalog.analysis import query_tokens, snippet
from catalog.entry import descendants, make_entry, object_text, walk


class Catalog(abc.ABC):
    """A search backend bound to one portal root (and its ZODB connection).

    Entries are keyed by content ``uid``. Changes made through ``index``,
    ``reindex`` and ``unindex`` belong to the current ZODB transaction: they
    are noted and applied once per object before commit (or before a search in
    the same transaction), undone by an abort, and the Elasticsearch backend
    sends them after commit, through its outbox.
    """

    name = None

    def __init__(self, root, content_registry=None):
        self.root = root
        self.content_registry = content_registry

    # -- writing ---------------------------------------------------------------
    def entry_for(self, obj):
        return make_entry(obj, self.content_registry)

    def index(self, obj):
        """Add or replace the entry of ``obj`` (once per transaction: ``deferred``)."""
        deferred.note(self, obj.uid, obj)

    reindex = index

    def unindex(self, uid):
        """Forget the entry of ``uid`` (no error if absent)."""
        deferred.note(self, uid, None)

    def index_subtree(self, obj):
        """Reindex ``obj`` and all its descendants (paths or permissions changed)."""
        for node in walk(obj):
            self.index(node)

    def unindex_subtree(self, obj):
        for node in walk(obj):
            self.unindex(node.uid)

    def apply_pending(self):
        """Apply the changes this transaction noted so far (searches do it first)."""
        deferred.apply(self)

    def apply_index(self, obj):
        """Write the entry of ``obj`` now."""
        self.index_entry(self.entry_for(obj))

    @abc.abstractmethod
    def index_entry(self, entry):
        """Store a ready-made entry (from ``entry_for``) now."""

    @abc.abstractmethod
    def apply_unindex(self, uid):
        """Forget the entry of ``uid`` now (no error if absent)."""

    def clear(self):
        """Drop every entry and this transaction's pending changes (before a rebuild)."""
        deferred.discard(self)
        self.clear_entries()

    @abc.abstractmethod
    def clear_entries(self):
        """Drop every stored entry."""

    def rebuild(self, progress=None):
        """Clear and index the whole tree from ZODB; ``progress(n)`` after each object."""
        self.clear()
        for count, node in enumerate(descendants(self.root), 1):
            self.apply_index(node)
            if progress is not None:
                progress(count)

    # -- reading ---------------------------------------------------------------
    def search(self, query, principals):
        """Results of ``query`` among entries any of ``principals`` may view."""
        self.apply_pending()
        return self.run_search(query, principals)

    @abc.abstractmethod
    def run_search(self, query, principals):
        """``search`` once this transaction's changes are applied."""

    def pending(self):
        """Changes not yet searchable (0 for the embedded backend)."""
        self.apply_pending()
        return 0

    def flush(self, timeout=None):  # noqa: B027 (optional hook: a no-op by default)
        """Make committed changes searchable now (used by tests and commands)."""

    def add_snippets(self, results, query):
        """Highlighted excerpts for text queries, from the objects' current text."""
        tokens = query_tokens(query.text) if query.text else []
        if not tokens or not query.snippets:
            return results
        for hit in results.items:
            try:
                obj = find_resource(self.root, hit.path)
            except KeyError:
                continue
            hit.snippet = snippet(object_text(obj, self.content_registry), tokens)
        return results
