"""The embedded backend: a hypatia catalog stored in ZODB at ``root._catalog``.

Field indexes for filters, sorts and facets, keyword indexes for ``allowed``
and ``ancestors``, a hypatia ``TextIndex`` (Okapi BM25) over our pre-analysed
Italian tokens. Stored fields live in a docid -> tuple BTree so a results page
loads no content object.
"""
import heapq
import types

import BTrees
from BTrees.Length import Length
from hypatia.catalog import Catalog as HypatiaCatalog
from hypatia.field import FieldIndex
from hypatia.keyword import KeywordIndex
from hypatia.text import TextIndex
from hypatia.text.lexicon import Lexicon
from hypatia.text.okapiindex import OkapiIndex
from hypatia.text.setops import mass_weightedIntersection
from persistent import Persistent

from .analysis import query_tokens
from .entry import STORED
from .interface import Catalog
from .query import Eq, Hit, In, Range, Results, from_micros, normalize_value
from .query import sort_facet_counts

FAMILY = BTrees.family64
IF = FAMILY.IF
CATALOG_ATTRIBUTE = "_catalog"
FIELD_INDEXES = ("path", "parent", "type_name", "state", "district", "municipality",
                 "year", "created", "modified", "title_sort")
KEYWORD_INDEXES = ("ancestors", "allowed")
SORT_INDEX = {"title": "title_sort"}
#: below this many hits, facet counts walk the hits; above, they intersect sets
FACET_WALK_LIMIT = 5000


class WhitespaceSplitter:
    """Lexicon pipeline element: the text is already analysed, just split it."""

    def process(self, texts):
        return [word for text in texts for word in text.split()]

    processGlob = process


class CatalogStore(Persistent):
    """The persistent part: hypatia indexes, stored fields, uid -> docid."""

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

    def index_entry(self, entry):
        docid = self.docid(entry["uid"], entry["docid"])
        doc = types.SimpleNamespace(**{k: v for k, v in entry.items() if v is not None})
        self.indexes.index_doc(docid, doc)
        self.stored[docid] = tuple(entry[name] for name in STORED)

    def unindex(self, uid):
        docid = self.docids.pop(uid, None)
        if docid is None:
            return
        self.indexes.unindex_doc(docid)
        del self.stored[docid]
        self.count.change(-1)

    def clear(self):
        self.indexes.reset()
        self.docids.clear()
        self.stored.clear()
        self.count.set(0)


def get_store(root, create=False):
    store = getattr(root, CATALOG_ATTRIBUTE, None)
    if store is None and create:
        store = CatalogStore()
        setattr(root, CATALOG_ATTRIBUTE, store)
    return store


class EmbeddedCatalog(Catalog):
    """Searches and updates ``root._catalog`` in the current transaction."""

    name = "embedded"

    @property
    def store(self):
        return get_store(self.root, create=True)

    def index_entry(self, entry):
        self.store.index_entry(entry)

    def unindex(self, uid):
        store = get_store(self.root)
        if store is not None:
            store.unindex(uid)

    def clear(self):
        store = get_store(self.root)
        if store is not None:
            store.clear()

    def __len__(self):
        store = get_store(self.root)
        return len(store) if store is not None else 0

    # -- searching ---------------------------------------------------------------
    def search(self, query, principals):
        store = get_store(self.root)
        if store is None:
            return Results(total=0, items=[], facets={f: [] for f in query.facets})
        docids, scores = self._match(store, query, principals)
        page = self._page(store, docids, scores, query)
        items = [self._hit(store, docid, scores) for docid in page]
        facets = {name: self._facet(store, name, docids) for name in query.facets}
        results = Results(total=len(docids), items=items, facets=facets)
        return self.add_snippets(results, query)

    def _filter(self, store, flt):
        index = store.indexes[flt.field]
        if isinstance(flt, Eq):
            return index.applyEq(normalize_value(flt.field, flt.value))
        if isinstance(flt, In):
            values = [normalize_value(flt.field, v) for v in flt.values]
            return index.applyAny(values) if values else IF.Set()
        assert isinstance(flt, Range)
        low = normalize_value(flt.field, flt.min)
        high = normalize_value(flt.field, flt.max)
        return IF.multiunion(list(index._fwd_index.values(low, high)))

    def _match(self, store, query, principals):
        """(docid set, docid -> score or None) of entries matching and visible."""
        sets = [store.indexes["allowed"].applyAny(list(principals))]
        sets.extend(self._filter(store, flt) for flt in query.filters)
        scores = None
        tokens = query_tokens(query.text)
        if tokens:
            text = store.indexes["text"]
            wids = [text.lexicon.get_wid(token) for token in tokens]
            # a word no document holds (any more) matches nothing: AND semantics
            if not all(wid in text.index._wordinfo for wid in wids):
                return IF.Set(), None
            # the smallest filter first: score only documents that can match
            scores = mass_weightedIntersection(text.index._search_wids(wids), FAMILY)
        sets.sort(key=len)
        result = sets[0]
        for other in sets[1:]:
            if not result:
                break
            result = IF.intersection(result, other)
        if scores is not None:
            result = IF.intersection(result, scores)
        return result, scores

    def _page(self, store, docids, scores, query):
        wanted = query.start + query.limit
        if not wanted or not docids:
            return []
        sort = query.effective_sort
        if sort == "relevance":
            top = heapq.nsmallest(wanted, docids, key=lambda d: (-scores[d], d))
        else:
            index = store.indexes[SORT_INDEX.get(sort, sort)]
            top = _top(index, docids, wanted, query.reverse)
        return top[query.start:wanted]

    def _hit(self, store, docid, scores):
        data = dict(zip(STORED, store.stored[docid], strict=True))
        data["created"] = from_micros(data["created"])
        data["modified"] = from_micros(data["modified"])
        hit = Hit(**data)
        if scores is not None:
            hit.score = float(scores[docid])
        return hit

    def _facet(self, store, name, docids):
        index = store.indexes[name]
        counts = {}
        if len(docids) <= FACET_WALK_LIMIT:
            rev = index._rev_index
            for docid in docids:
                value = rev.get(docid)
                if value is not None:
                    counts[value] = counts.get(value, 0) + 1
        else:
            for value, ids in index._fwd_index.items():
                n = len(IF.intersection(ids, docids))
                if n:
                    counts[value] = n
        return sort_facet_counts(counts)


def _top(index, docids, wanted, reverse):
    """The first ``wanted`` docids by (value, docid), descending if ``reverse``.

    Entries without a value come last. Dense result sets scan the sorted
    values; sparse ones pick the n best of the hits.
    """
    fwd, rev = index._fwd_index, index._rev_index
    if len(docids) * 20 > max(len(rev), 1):
        out = []
        keys = fwd.keys()
        values = reversed(keys) if reverse else iter(keys)
        for value in values:
            ids = list(IF.intersection(fwd[value], docids))
            if reverse:
                ids.reverse()
            out.extend(ids)
            if len(out) >= wanted:
                return out[:wanted]
        missing = [d for d in docids if d not in rev]
    else:
        pairs, missing = [], []
        for docid in docids:
            value = rev.get(docid)
            if value is None:
                missing.append(docid)
            else:
                pairs.append((value, docid))
        pick = heapq.nlargest if reverse else heapq.nsmallest
        out = [docid for _, docid in pick(wanted, pairs)]
    if reverse:
        missing.reverse()
    return (out + missing)[:wanted]
