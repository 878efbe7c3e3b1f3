"""Impact tiers: the postings of frequent words grouped by what bounds their score.

A relevance query whose words each match half the catalog would otherwise score
every match to find the best twenty. Here each frequent word keeps its documents
in tiers keyed by a term-frequency class and a class of document length; BM25
grows with the first and shrinks with the second, so a tier has an exact upper
bound under the current corpus statistics. ``top_k`` visits tier cells (one tier
per word for the two main words) best bound first, scores what it gathers in
batches with hypatia's own arithmetic, and stops when no cell left can reach the
k-th best score found: the same documents, in the same order, as scoring all.

Tiers are kept for words with at least ``MIN_DF`` documents (rarer words are
cheap to score whole); a word gets its tiers when it crosses that size.
"""
import heapq
import math
from collections import Counter

import BTrees
from hypatia.text import widcode
from hypatia.text.baseindex import inverse_doc_frequency
from hypatia.text.okapiindex import OkapiIndex
from hypatia.text.okascore import score as okapi_score
from hypatia.text.setops import mass_weightedIntersection
from persistent import Persistent

FAMILY = BTrees.family64
IF = FAMILY.IF
K1, B = OkapiIndex.K1, OkapiIndex.B
#: words with at least this many documents get tiers
MIN_DF = 1000
#: results up to this size are scored whole (cheaper than the tier walk)
EXACT_LIMIT = 2000
#: term-frequency classes: the highest frequency of each (the last is unbounded)
TF_HIGH = (None, 1, 2, 3, 5, 9, math.inf)
#: length classes per octave: single occurrences (most postings, lowest scores)
#: need little precision, so they stay in few, large tiers that are cheap to update
LENGTH_STEPS = (None, 1, 2, 2, 2, 2, 2)
#: changed documents kept apart (scored on every query) before a batch moves them
RECENT_MAX = 1000
#: relative slack for float32 rounding of stored scores
SLACK = 1e-5
_WORD_SHIFT = 16


#: term frequency -> class, for frequencies below the last class's start
_TF_CLASS = tuple(next(c for c in range(1, len(TF_HIGH)) if tf <= TF_HIGH[c])
                  for tf in range(int(TF_HIGH[-2]) + 1))


def _class_bits(doclen):
    """Per term-frequency class, the key bits of that class at this document length."""
    log = math.log2(max(int(doclen), 1))
    return [0] + [(c << 8) | int(LENGTH_STEPS[c] * log) for c in range(1, len(TF_HIGH))]


def tier_key(wid, tf, doclen):
    """One integer per (word, term-frequency class, length class)."""
    return (wid << _WORD_SHIFT) | _class_bits(doclen)[_tf_class(tf)]


def _tf_class(tf):
    tf = int(tf)
    return _TF_CLASS[tf] if tf < len(_TF_CLASS) else len(TF_HIGH) - 1


def _doc_keys(freqs, doclen, words):
    """The tier keys of one document's tiered words."""
    bits = _class_bits(doclen)
    return [(wid << _WORD_SHIFT) | bits[_tf_class(tf)] for wid, tf in freqs.items()
            if wid in words]


def _tier_limits(key):
    """(highest term frequency, lowest document length) of a tier."""
    tf_class = (key >> 8) & 0xFF
    return TF_HIGH[tf_class], 2 ** ((key & 0xFF) / LENGTH_STEPS[tf_class]) * (1 - SLACK)


def bm25_bound(idf, tf_high, doclen_low, meandoclen):
    """The largest score a document in the tier can get (hypatia's formula)."""
    if tf_high == math.inf:
        return idf * (K1 + 1.0)
    lenweight = (1.0 - B) + B * doclen_low / meandoclen
    return idf * tf_high * (K1 + 1.0) / (tf_high + K1 * lenweight)


def _counts(encoded):
    """(wid -> frequency, length) from a document's encoded word list."""
    wids = widcode.decode(encoded)
    return Counter(wids), len(wids)


def encoded_words(okapi, docid):
    """The document's word list as hypatia stores it (None if not indexed)."""
    return okapi._docwords.get(docid)


class ImpactTiers(Persistent):
    """tier key -> docid set for the words in ``words``, plus ``recent`` documents.

    A changed document goes to ``recent`` (one set, so a commit touches one
    leaf instead of one per word); ``recent`` is moved into the tiers in one
    batch when it reaches ``recent_max``. Searches treat recent documents as
    candidates that can reach any score. Invariant: for every tiered word, each
    document holding it is in its tier or in ``recent`` (and in no wrong tier).
    """

    def __init__(self, min_df=None, recent_max=None):
        self.sets = FAMILY.IO.BTree()
        self.sizes = FAMILY.II.BTree()   # tier key -> len(tier), without loading the tier
        self.words = IF.TreeSet()
        self.recent = IF.TreeSet()
        self.min_df = MIN_DF if min_df is None else min_df
        self.recent_max = RECENT_MAX if recent_max is None else recent_max

    def _keys(self, counts):
        return _doc_keys(*counts, self.words)

    def changed(self, okapi, docid, before, after):
        """``docid``'s words went from ``before`` to ``after`` (encoded; None: absent)."""
        if before is not None:
            for key in self._keys(_counts(before)):
                tier = self.sets.get(key)
                if tier is not None and docid in tier:
                    tier.remove(docid)
                    if self.sizes[key] > 1:
                        self.sizes[key] -= 1
                    else:
                        del self.sets[key], self.sizes[key]
        if after is None:
            if docid in self.recent:
                self.recent.remove(docid)
            return
        self.recent.insert(docid)
        wordinfo = okapi._wordinfo
        for wid in set(widcode.decode(after)):
            if wid not in self.words and len(wordinfo[wid]) >= self.min_df:
                self.add_word(okapi, wid)
        if len(self.recent) >= self.recent_max:
            self.flush(okapi)

    def flush(self, okapi):
        """Move every recent document into the tiers of its words."""
        groups = {}
        for docid in self.recent:
            for key in self._keys(_counts(okapi._docwords[docid])):
                groups.setdefault(key, []).append(docid)
        for key, docids in groups.items():
            tier = self.sets.get(key)
            if tier is None:
                self.sets[key] = IF.TreeSet(docids)
                self.sizes[key] = len(docids)
            else:
                self.sizes[key] += tier.update(docids)
        self.recent.clear()

    def add_word(self, okapi, wid):
        """Build the tiers of one word from hypatia's postings."""
        groups = {}
        doclens = okapi._docweight
        low = wid << _WORD_SHIFT
        bits_of = {}  # document lengths repeat: their class bits are computed once each
        for docid, tf in okapi._wordinfo[wid].items():
            doclen = doclens[docid]
            bits = bits_of.get(doclen)
            if bits is None:
                bits = bits_of[doclen] = _class_bits(doclen)
            groups.setdefault(low | bits[_tf_class(tf)], []).append(docid)
        for key, docids in groups.items():
            self.sets[key] = IF.TreeSet(docids)
            self.sizes[key] = len(docids)
        self.words.insert(wid)

    def add_frequent_words(self, okapi, progress=None):
        """Tier every word that has reached ``min_df`` (used by evolve steps)."""
        for wid, d2f in okapi._wordinfo.items():
            if wid not in self.words and len(d2f) >= self.min_df:
                self.add_word(okapi, wid)
                if progress is not None:
                    progress(wid)

    def tiers(self, wid):
        """[(tf_high, doclen_low, docids, size), ...] of one word."""
        low, high = wid << _WORD_SHIFT, (wid << _WORD_SHIFT) | ((1 << _WORD_SHIFT) - 1)
        return [(*_tier_limits(key), self.sets[key], size)
                for key, size in self.sizes.items(low, high)]


def scores(okapi, postings, docids):
    """docid -> BM25 score for ``docids`` only (hypatia's arithmetic, same order)."""
    n = float(okapi.indexed_count())
    meandoclen = okapi._totaldoclen() / n
    weighted = []
    for d2f in sorted(postings, key=len):
        idf = inverse_doc_frequency(len(d2f), n)
        if len(docids) * PROBE_RATIO < len(d2f):  # a few documents: look them up
            items = [(docid, d2f[docid]) for docid in docids]
        elif len(d2f) == len(docids):
            items = d2f.items()
        else:
            items = IF.weightedIntersection(docids, d2f, 0, 1)[1].items()
        result = IF.Bucket()
        okapi_score(result, items, okapi._docweight, idf, meandoclen)
        weighted.append((result, 1))
    return mass_weightedIntersection(weighted, FAMILY)


def best(scored, wanted):
    """The first ``wanted`` (docid, score) by score descending, then docid."""
    if len(scored) > wanted:
        threshold = heapq.nlargest(wanted, scored.values())[-1]
        pairs = [(-value, docid) for docid, value in scored.items() if value >= threshold]
    else:
        pairs = [(-value, docid) for docid, value in scored.items()]
    pairs.sort()
    return [(docid, -value) for value, docid in pairs[:wanted]]


def top_k(okapi, tiers, terms, docids, wanted):
    """The ``wanted`` best (docid, score) among ``docids`` for ``terms`` [(wid, d2f)].

    ``docids`` must all hold every term (AND). Exact: tier cells are visited
    best bound first, documents are pruned only by upper bounds, and the
    survivors are scored like the full computation.
    """
    postings = [d2f for _, d2f in terms]
    if (wanted <= 0 or len(docids) <= max(EXACT_LIMIT, wanted) or tiers is None
            or any(wid not in tiers.words for wid, _ in terms)):
        return best(scores(okapi, postings, docids), wanted)
    n = float(okapi.indexed_count())
    meandoclen = okapi._totaldoclen() / n
    layers = []
    for wid, d2f in terms:
        idf = inverse_doc_frequency(len(d2f), n)
        bounded = [(bm25_bound(idf, tf, dl, meandoclen) * (1 + SLACK), ids, size)
                   for tf, dl, ids, size in tiers.tiers(wid)]
        if not bounded:  # every document of the word is recent: so are all matches
            return best(scores(okapi, postings, docids), wanted)
        bounded.sort(key=lambda tier: -tier[0])
        layers.append(bounded)
    # two words walk their tiers together; any others count at their best bound
    layers.sort(key=lambda bounded: bounded[-1][0] - bounded[0][0])
    primary, rest = layers[:2], sum(bounded[0][0] for bounded in layers[2:])
    scored, top, theta = [], [], None
    pending = [intersect_pair(tiers.recent, docids)] if tiers.recent else []
    waiting = sum(map(len, pending))
    batch = max(2 * wanted, BATCH)
    for bound, cell, size in _cells(primary):
        if theta is not None and bound + rest < theta:
            break        # no document left can reach the k-th best score
        part = intersect_pair(cell, docids, size)
        if part:
            pending.append(part)
            waiting += len(part)
        if waiting >= batch:  # score what was gathered: the k-th best so far bounds the rest
            theta = _score_batch(okapi, postings, pending, scored, top, wanted)
            pending, waiting = [], 0
    if pending:
        _score_batch(okapi, postings, pending, scored, top, wanted)
    merged = IF.Bucket()
    for part in scored:
        merged.update(part)
    return best(merged, wanted)


#: documents gathered from the tier cells before they are scored together
BATCH = 256


def _score_batch(okapi, postings, pending, scored, top, wanted):
    """Score ``pending``, keep the ``wanted`` best scores in ``top`` (a heap); the new floor."""
    part = scores(okapi, postings, IF.multiunion(pending))
    scored.append(part)
    for value in part.values():
        if len(top) < wanted:
            heapq.heappush(top, value)
        elif value > top[0]:
            heapq.heapreplace(top, value)
    return top[0] * (1 - SLACK) if len(top) >= wanted else None


def _cells(primary):
    """(bound, docids, size) of tier cells, best bound first (lazily, by a heap)."""
    if len(primary) == 1:
        yield from primary[0]
        return
    first, second = primary
    heap = [(-(first[0][0] + second[0][0]), 0, 0)]
    seen = {(0, 0)}
    while heap:
        negative, i, j = heapq.heappop(heap)
        (_, one, one_size), (_, two, two_size) = first[i], second[j]
        cell = intersect_pair(one, two, one_size, two_size)
        if cell:
            yield -negative, cell, len(cell)
        for a, b in ((i + 1, j), (i, j + 1)):
            if a < len(first) and b < len(second) and (a, b) not in seen:
                seen.add((a, b))
                heapq.heappush(heap, (-(first[a][0] + second[b][0]), a, b))


#: probe a set per docid (instead of walking both) when it is this many times larger
PROBE_RATIO = 8


def intersect_pair(small, big, small_size=None, big_size=None):
    """``small`` ∩ ``big`` as a set, walking or probing, whichever is cheaper.

    Sizes already known are passed in: ``len`` of a tree set loads all of it.
    """
    small_size = len(small) if small_size is None else small_size
    big_size = len(big) if big_size is None else big_size
    if small_size > big_size:
        small, big, small_size, big_size = big, small, big_size, small_size
    if big_size > PROBE_RATIO * small_size:
        return IF.Set(filter(big.__contains__, small))
    return IF.intersection(small, big)
