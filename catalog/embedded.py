"""The embedded backend: a hypatia catalog stored in ZODB at ``root._catalog``.

Field indexes for filters, sorts and facets, keyword indexes for ``allowed``
and ``ancestors``, a hypatia ``TextIndex`` (Okapi BM25) over our pre-analysed
Italian tokens. Stored fields live in a docid -> tuple BTree so a results page
loads no content object.
"""
import heapq
import types
from collections import Counter

import BTrees
from BTrees.Length import Length
from hypatia.catalog import Catalog as HypatiaCatalog
from hypatia.field import FieldIndex
from hypatia.keyword import KeywordIndex
from hypatia.text import TextIndex
from hypatia.text.lexicon import Lexicon
from hypatia.text.baseindex import inverse_doc_frequency
from hypatia.text.okapiindex import OkapiIndex
from hypatia.text.okascore import score as okapi_score
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
                 "year", "created", "modified", "title_sort", "service_type",
                 "age_min_months", "age_max_months", "has_free_places")
KEYWORD_INDEXES = ("ancestors", "allowed")
SORT_INDEX = {"title": "title_sort"}
#: version of the index layout (see ``CatalogStore.upgrade``)
SCHEMA = 2
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
        self.schema = SCHEMA

    def upgrade(self):
        for name in FIELD_INDEXES:
            if name not in self.indexes:
                self.indexes[name] = FieldIndex(name, family=FAMILY)
        self.schema = SCHEMA

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
        if self.schema != SCHEMA:
            self.upgrade()
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
        index = store.indexes.get(flt.field)
        if index is None:  # a field added after this store was built: not reindexed yet
            return IF.Set()
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
        """(docid set, docid -> score or None) of entries matching and visible.

        Sets are intersected smallest first (a much larger set is probed, not
        walked); visibility is applied where it is cheapest; only the final
        matches are scored.
        """
        sets = [self._filter(store, flt) for flt in query.filters]
        postings = []
        tokens = query_tokens(query.text)
        if tokens:
            text = store.indexes["text"]
            wordinfo = text.index._wordinfo
            for token in tokens:
                d2f = wordinfo.get(text.lexicon.get_wid(token))
                # a word no document holds (any more) matches nothing: AND semantics
                if not d2f:
                    return IF.Set(), None
                postings.append(IF.Bucket(d2f) if isinstance(d2f, dict) else d2f)
            sets.extend(postings)
        allowed_fwd = store.indexes["allowed"]._fwd_index
        allowed = [s for s in (allowed_fwd.get(p) for p in set(principals)) if s]
        if not allowed:
            return IF.Set(), None
        allowed_size = sum(len(s) for s in allowed)
        if not sets or allowed_size <= min(len(s) for s in sets):
            sets.append(IF.multiunion(allowed))
            allowed = None
        result = _intersect(sets)
        if allowed is not None and result:
            if len(result) * PROBE_RATIO < allowed_size:
                result = IF.multiunion([_and(result, s) for s in allowed])
            else:
                result = IF.intersection(result, IF.multiunion(allowed))
        if not isinstance(result, (IF.Set, IF.TreeSet)):
            result = IF.Set(result)
        scores = None
        if postings:
            scores = _scores(store.indexes["text"].index, postings, result)
        return result, scores

    def _page(self, store, docids, scores, query):
        wanted = query.start + query.limit
        if not wanted or not docids:
            return []
        sort = query.effective_sort
        if sort == "relevance":
            top = _top_scores(scores, wanted)
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
        if len(docids) <= FACET_WALK_LIMIT:
            counts = Counter(map(index._rev_index.get, docids))
            counts.pop(None, None)
        elif len(docids) >= len(store):  # every entry: the index's own set sizes
            counts = {value: len(ids) for value, ids in index._fwd_index.items()}
        else:
            counts = {value: len(_and(ids, docids))
                      for value, ids in index._fwd_index.items()}
        return sort_facet_counts({value: n for value, n in counts.items() if n})


#: probe a set per docid (instead of walking both) when it is this many times larger
PROBE_RATIO = 8


def _and(small, big):
    """``small`` ∩ ``big`` as a set, walking or probing, whichever is cheaper."""
    if len(big) > PROBE_RATIO * len(small):
        return IF.Set(filter(big.__contains__, small))
    return IF.intersection(small, big)


def _intersect(sets):
    sets = sorted(sets, key=len)
    result = sets[0]
    for other in sets[1:]:
        if not result:
            break
        result = _and(result, other)
    return result


def _scores(index, postings, docids):
    """docid -> Okapi BM25 score, for ``docids`` only (hypatia's arithmetic, same order)."""
    n = float(index.indexed_count())
    meandoclen = index._totaldoclen() / n
    weighted = []
    for d2f in sorted(postings, key=len):
        idf = inverse_doc_frequency(len(d2f), n)
        items = d2f if len(d2f) == len(docids) else IF.weightedIntersection(
            docids, d2f, 0, 1)[1]
        result = IF.Bucket()
        okapi_score(result, items.items(), index._docweight, idf, meandoclen)
        weighted.append((result, 1))
    return mass_weightedIntersection(weighted, FAMILY)


def _top_scores(scores, wanted):
    """The first ``wanted`` docids by score descending, then docid."""
    if len(scores) > wanted:
        threshold = heapq.nlargest(wanted, scores.values())[-1]
        pairs = [(-value, docid) for docid, value in scores.items() if value >= threshold]
    else:
        pairs = [(-value, docid) for docid, value in scores.items()]
    pairs.sort()
    return [docid for _, docid in pairs[:wanted]]


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
            ids = list(_and(fwd[value], docids))
            if reverse:
                ids.reverse()
            out.extend(ids)
            if len(out) >= wanted:
                return out[:wanted]
        missing = [d for d in docids if d not in rev]
    else:
        ids = list(docids)
        values = list(map(rev.get, ids))
        pairs = [(value, docid) for value, docid in zip(values, ids, strict=True) if value is not None]
        missing = [docid for value, docid in zip(values, ids, strict=True) if value is None]
        pick = heapq.nlargest if reverse else heapq.nsmallest
        out = [docid for _, docid in pick(wanted, pairs)]
    if reverse:
        missing.reverse()
    return (out + missing)[:wanted]
