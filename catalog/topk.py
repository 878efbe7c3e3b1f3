"""The first k hits by a field's value: walk the sorted values or sort the hits.

Both strategies give the order ``(value, docid)`` ascending, or both descending
with ``reverse``; hits without a value come last, by docid in the same direction.

Walking the index's sorted values costs one step per value until k hits are
found: cheap when hits are dense among the values (or cluster at the end
walked first), ruinous when each value holds one document and the hits are old
(a newest-first listing of the oldest folder walks every newer value). Sorting
costs one lookup per hit in the docid -> value map and one C sort, whatever the
order. ``top`` picks by the expected cost and bounds a walk that turns out
worse than expected by the cost of sorting, so no query pays much more than
the cheaper of the two.
"""
from catalog.impact import intersect_pair

#: one walk step (one value's set probed) costs about this many docid -> value lookups
STEP_COST = 3


def top(index, docids, wanted, reverse=False):
    """The first ``wanted`` of ``docids`` sorted by ``index`` (a hypatia FieldIndex)."""
    hits = len(docids)
    if not wanted or not hits:
        return []
    values = len(index._fwd_index)
    # hits spread evenly: about wanted * values / hits steps before the page is full
    if STEP_COST * wanted * values < hits * hits:
        page = walk(index, docids, wanted, reverse, max_steps=hits // STEP_COST + wanted)
        if page is not None:
            return page
    return sort(index, docids, wanted, reverse)


def walk(index, docids, wanted, reverse=False, max_steps=None):
    """Walk the sorted values; ``None`` if more than ``max_steps`` values were needed."""
    fwd, rev = index._fwd_index, index._rev_index
    hits = len(docids)
    sets = reversed(fwd.values()) if reverse else iter(fwd.values())
    out = []
    for steps, ids in enumerate(sets, 1):
        if max_steps is not None and steps > max_steps:
            return None
        found = list(intersect_pair(ids, docids, big_size=hits))
        if found:
            if reverse:
                found.reverse()
            out.extend(found)
            if len(out) >= wanted:
                return out[:wanted]
    missing = [docid for docid in docids if docid not in rev]
    if reverse:
        missing.reverse()
    return (out + missing)[:wanted]


def sort(index, docids, wanted, reverse=False):
    """Sort the hits by their values (one lookup each) and take the first ``wanted``."""
    rev = index._rev_index
    ids = list(docids)
    values = list(map(rev.get, ids))
    pairs = [(value, docid) for value, docid in zip(values, ids, strict=True)
             if value is not None]
    missing = []
    if len(pairs) < len(ids):
        missing = [docid for value, docid in zip(values, ids, strict=True) if value is None]
        if reverse:
            missing.reverse()
    pairs.sort(reverse=reverse)
    return ([docid for _, docid in pairs[:wanted]] + missing)[:wanted]
