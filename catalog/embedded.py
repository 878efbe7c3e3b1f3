"""The embedded backend: a hypatia catalog stored in ZODB at ``root._catalog``.

Field indexes for filters, sorts and facets, keyword indexes for ``allowed``
and ``ancestors``, a hypatia ``TextIndex`` (Okapi BM25) over our pre-analysed
Italian tokens. Stored fields live in a docid -> tuple BTree so a results page
loads no content object. Frequent words also keep impact tiers (``impact``) so
that relevance queries score only the documents that can make the page.
"""
import types
from collections import Counter

import BTrees
from BTrees.Length import Length
from hypatia.catalog import Catalog as HypatiaCatalog
from hypatia.field import FieldIndex
from hypatia.keyword import KeywordIndex
from hypatia.text import TextIndex
from hypatia.text.lexicon import Lexicon
from hypatia.text.okapiindex import OkapiIndex
from persistent import Persistent

from catalog.analysis import query_tokens
from catalog.entry import STORED, analyzed_text, entry_fields, object_text, text_digest
from catalog.impact import ImpactTiers, encoded_words, intersect_pair, scores, top_k
from catalog.interface import Catalog
from catalog.query import Eq, Hit, In, Range, Results, from_micros, normalize_value, sort_facet_counts
from catalog.topk import top
from content_types.base import ensure_attr

FAMILY = BTrees.family64
IF = FAMILY.IF
CATALOG_ATTRIBUTE = "_catalog"
FIELD_INDEXES = ("path", "parent", "type_name", "state", "district", "municipality",
                 "year", "created", "modified", "title_sort", "service_type",
                 "age_min_months", "age_max_months", "has_free_places", "protocol",
                 "beneficiary_fiscal_code")
KEYWORD_INDEXES = ("ancestors", "allowed", "service_paths", "beneficiary_words", "actors",
                   "allowed_personal")
#: the permission filter of ordinary queries, and of queries on personal data
PERMISSION_INDEX = {False: "allowed", True: "allowed_personal"}
SORT_INDEX = {"title": "title_sort"}
#: version of the index layout (see ``CatalogStore.upgrade``)
SCHEMA = 5
#: below this many hits, facet counts walk the hits; above, they intersect sets
FACET_WALK_LIMIT = 5000


class WhitespaceSplitter:
    """Lexicon pipeline element: the text is already analysed, just split it."""

    def process(self, texts):
        return [word for text in texts for word in text.split()]

    processGlob = process


class CatalogStore(Persistent):
    """The persistent part: hypatia indexes, stored fields, uid -> docid."""

    #: bumped when FIELD_INDEXES grows; older stores get the new (empty) indexes
    #: on their next write, and their entries fill them when reindexed
    schema = 1
    #: impact tiers of frequent words (``None`` in stores older than schema 3)
    tiers = None
    #: docid -> ``text_digest`` of the text indexed (``None`` before schema 4)
    digests = None

    def __init__(self):
        self.indexes = HypatiaCatalog(family=FAMILY)
        for name in FIELD_INDEXES:
            self.indexes[name] = FieldIndex(name, family=FAMILY)
        for name in KEYWORD_INDEXES:
            self.indexes[name] = KeywordIndex(name, family=FAMILY)
        lexicon = Lexicon(WhitespaceSplitter())
        self.indexes["text"] = TextIndex(
            "text", lexicon=lexicon, index=OkapiIndex(lexicon, family=FAMILY), family=FAMILY,
        )
        self.docids = FAMILY.OI.BTree()      # uid -> docid
        self.stored = FAMILY.IO.BTree()      # docid -> tuple(STORED)
        self.count = Length()
        self.tiers = ImpactTiers()
        self.digests = FAMILY.II.BTree()
        self.schema = SCHEMA

    def upgrade(self):
        """Add what newer schemas need; words get tiers as documents arrive
        (``add_frequent_words``, run by an evolve step, tiers them all at once)."""
        for name in FIELD_INDEXES:
            if name not in self.indexes:
                self.indexes[name] = FieldIndex(name, family=FAMILY)
        for name in KEYWORD_INDEXES:
            if name not in self.indexes:
                self.indexes[name] = KeywordIndex(name, family=FAMILY)
        ensure_attr(self, "tiers", ImpactTiers)
        ensure_attr(self, "digests", FAMILY.II.BTree)
        self.schema = SCHEMA

    @property
    def okapi(self):
        return self.indexes["text"].index

    def __len__(self):
        return self.count()

    def docid(self, uid, wanted):
        """The docid of ``uid``, allocating ``wanted`` (or the next free one)."""
        docid = self.docids.get(uid)
        if docid is None:
            docid = wanted
            while docid in self.stored:
                docid += 1
            self.docids[uid] = docid
            self.count.change(1)
        return docid

    def text_digest(self, uid):
        """The digest of the text indexed for ``uid`` (None: unknown, analyse it)."""
        docid = self.docids.get(uid)
        if docid is None or self.digests is None:
            return None
        return self.digests.get(docid)

    def index_entry(self, entry, digest=None):
        """Index ``entry``; without ``"text"`` its text index entry is kept as it is."""
        if self.schema != SCHEMA:
            self.upgrade()
        docid = self.docid(entry["uid"], entry["docid"])
        doc = types.SimpleNamespace(**{k: v for k, v in entry.items() if v is not None})
        if "text" in entry:
            before = encoded_words(self.okapi, docid)
            self.indexes.index_doc(docid, doc)
            after = encoded_words(self.okapi, docid)
            if after != before:
                self.tiers.changed(self.okapi, docid, before, after)
            if digest is None:
                self.digests.pop(docid, None)
            elif self.digests.get(docid) != digest:
                self.digests[docid] = digest
        else:  # the text did not change: its index, tiers and digest neither
            for name, index in self.indexes.items():
                if name != "text":
                    index.index_doc(docid, doc)
        stored = tuple(entry[name] for name in STORED)
        if self.stored.get(docid) != stored:  # an unchanged bucket is not rewritten
            self.stored[docid] = stored

    def unindex(self, uid):
        docid = self.docids.pop(uid, None)
        if docid is None:
            return
        if self.tiers is not None:
            self.tiers.changed(self.okapi, docid, encoded_words(self.okapi, docid), None)
        self.indexes.unindex_doc(docid)
        del self.stored[docid]
        if self.digests is not None:
            self.digests.pop(docid, None)
        self.count.change(-1)

    def clear(self):
        self.indexes.reset()
        self.tiers = ImpactTiers()
        self.digests = FAMILY.II.BTree()
        self.docids.clear()
        self.stored.clear()
        self.count.set(0)


def get_store(root, create=False):
    return ensure_attr(root, CATALOG_ATTRIBUTE, CatalogStore, create)


class EmbeddedCatalog(Catalog):
    """Searches and updates ``root._catalog`` in the current transaction."""

    name = "embedded"

    @property
    def store(self):
        return get_store(self.root, create=True)

    def apply_index(self, obj):
        """Index ``obj`` now, analysing its text only if it changed since last time."""
        store = self.store
        entry = entry_fields(obj)
        raw = object_text(obj, self.content_registry)
        digest = text_digest(raw)
        if store.text_digest(entry["uid"]) != digest:
            entry["text"] = analyzed_text(raw)
        store.index_entry(entry, digest)

    def index_entry(self, entry):
        self.store.index_entry(entry)

    def apply_unindex(self, uid):
        store = get_store(self.root)
        if store is not None:
            store.unindex(uid)

    def clear_entries(self):
        store = get_store(self.root)
        if store is not None:
            store.clear()

    def __len__(self):
        self.apply_pending()
        store = get_store(self.root)
        return len(store) if store is not None else 0

    # -- searching ---------------------------------------------------------------
    def run_search(self, query, principals):
        store = get_store(self.root)
        if store is None:
            return Results(total=0, items=[], facets={f: [] for f in query.facets})
        docids, terms = self._match(store, query, principals)
        ranked = self._page(store, docids, terms, query)
        items = [self._hit(store, docid, score) for docid, score in ranked]
        facets = {name: self._facet(store, name, docids) for name in query.facets}
        results = Results(total=len(docids), items=items, facets=facets)
        return self.add_snippets(results, query)

    def _filter(self, store, flt):
        if flt.field == "uid":  # no index: the uid -> docid map answers
            values = (flt.value,) if isinstance(flt, Eq) else flt.values
            return IF.Set(d for d in map(store.docids.get, map(str, values)) if d is not None)
        index = store.indexes.get(flt.field)
        if index is None:  # a field added after this store was built: not reindexed yet
            return IF.Set()
        if isinstance(flt, Eq):
            value = normalize_value(flt.field, flt.value)
            if value is None:
                return index.applyEq(value)
            found = index._fwd_index.get(value)  # the index's own set, read only: no copy
            return found if found is not None else IF.Set()
        if isinstance(flt, In):
            values = [normalize_value(flt.field, v) for v in flt.values]
            return index.applyAny(values) if values else IF.Set()
        assert isinstance(flt, Range)  # noqa: S101 - the filter kinds are Eq, In, Range
        low = normalize_value(flt.field, flt.min)
        high = normalize_value(flt.field, flt.max)
        return IF.multiunion(list(index._fwd_index.values(low, high)))

    def _match(self, store, query, principals):
        """(docid set, [(wid, postings)] of the text's words) of entries matching and visible.

        Sets are intersected smallest first (a much larger set is probed, not
        walked); visibility is applied where it is cheapest. Nothing is scored
        here: ``_page`` scores only what it may show.
        """
        sets = [self._filter(store, flt) for flt in query.filters]
        terms = []
        tokens = query_tokens(query.text)
        if tokens:
            text = store.indexes["text"]
            wordinfo = text.index._wordinfo
            for token in tokens:
                wid = text.lexicon.get_wid(token)
                d2f = wordinfo.get(wid)
                # a word no document holds (any more) matches nothing: AND semantics
                if not d2f:
                    return IF.Set(), []
                terms.append((wid, IF.Bucket(d2f) if isinstance(d2f, dict) else d2f))
            sets.extend(d2f for _, d2f in terms)
        permission = store.indexes.get(PERMISSION_INDEX[query.personal])
        if permission is None:  # a store older than its index: nothing is visible through it
            return IF.Set(), []
        allowed_fwd = permission._fwd_index
        allowed = [s for s in (allowed_fwd.get(p) for p in set(principals)) if s]
        if not allowed:
            return IF.Set(), []
        sizes = [len(s) for s in allowed]
        if max(sizes) >= len(store):  # one principal sees every entry: nothing to filter
            if not sets:
                sets.append(allowed[sizes.index(max(sizes))])
            allowed = []
        elif not sets or sum(sizes) <= min(len(s) for s in sets):
            sets.append(IF.multiunion(allowed))
            allowed = []
        result = _intersect(sets)
        if allowed and result:
            # the union of the pieces: never materialise a huge union of principals
            pieces = [intersect_pair(result, s) for s in allowed]
            result = pieces[0] if len(pieces) == 1 else IF.multiunion(pieces)
        if not isinstance(result, (IF.Set, IF.TreeSet)):
            result = IF.Set(result)
        return result, terms

    def _page(self, store, docids, terms, query):
        """[(docid, score or None)] of the requested page."""
        wanted = query.start + query.limit
        if not wanted or not docids:
            return []
        sort = query.effective_sort
        if sort == "relevance":
            return top_k(store.okapi, store.tiers, terms, docids, wanted)[query.start:]
        index = store.indexes[SORT_INDEX.get(sort, sort)]
        page = top(index, docids, wanted, query.reverse)[query.start:wanted]
        if not terms:
            return [(docid, None) for docid in page]
        scored = scores(store.okapi, [d2f for _, d2f in terms], IF.Set(page))
        return [(docid, scored[docid]) for docid in page]

    def _hit(self, store, docid, score):
        data = dict(zip(STORED, store.stored[docid], strict=True))
        data["created"] = from_micros(data["created"])
        data["modified"] = from_micros(data["modified"])
        hit = Hit(**data)
        if score is not None:
            hit.score = float(score)
        return hit

    def _facet(self, store, name, docids):
        index = store.indexes[name]
        if len(docids) <= FACET_WALK_LIMIT:
            counts = Counter(map(index._rev_index.get, docids))
            counts.pop(None, None)
        elif len(docids) >= len(store):  # every entry: the index's own set sizes
            counts = {value: len(ids) for value, ids in index._fwd_index.items()}
        else:
            counts = {value: len(intersect_pair(ids, docids))
                      for value, ids in index._fwd_index.items()}
        return sort_facet_counts({value: n for value, n in counts.items() if n})


def _intersect(sets):
    sets = sorted(sets, key=len)
    result = sets[0]
    for other in sets[1:]:
        if not result:
            break
        result = intersect_pair(result, other)
    return result


def upgrade_store(root):
    """Bring an existing embedded catalog to the current layout now (evolve steps).

    ``CatalogStore.upgrade`` runs lazily on the next write; this also gives
    every frequent word its impact tiers at once instead of word by word.
    """
    store = get_store(root)
    if store is None:  # the Elasticsearch backend, or nothing indexed yet
        return
    store.upgrade()
    store.tiers.add_frequent_words(store.okapi)
