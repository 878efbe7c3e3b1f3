"""Sorted pages: walking the index and sorting the hits give the order of a full sort."""
import types

import BTrees
from hypatia.field import FieldIndex
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog import topk

IF = BTrees.family64.IF


def field_index(values):
    """A FieldIndex over ``{docid: value or None}`` (None: the document has no value)."""
    index = FieldIndex("value", family=BTrees.family64)
    for docid, value in values.items():
        index.index_doc(docid, types.SimpleNamespace(**({} if value is None else
                                                         {"value": value})))
    return index


def full_sort(values, hits, wanted, reverse):
    """The contract: (value, docid) in the direction asked, documents without value last."""
    present = sorted(((values[d], d) for d in hits if values[d] is not None), reverse=reverse)
    missing = sorted((d for d in hits if values[d] is None), reverse=reverse)
    return ([d for _, d in present] + missing)[:wanted]


@st.composite
def cases(draw):
    docids = draw(st.lists(st.integers(0, 2**52), min_size=1, max_size=300, unique=True))
    # few distinct values (many ties, broken by docid) or many (one document each)
    value = draw(st.sampled_from([st.integers(0, 5), st.integers(0, 10**12),
                                  st.sampled_from(["", "asilo", "nido", "zona"])]))
    values = {d: draw(st.none() | value) for d in docids}
    hits = draw(st.lists(st.sampled_from(docids), unique=True))
    wanted = draw(st.integers(0, 320))
    return values, hits, wanted, draw(st.booleans()), draw(st.booleans())


@settings(max_examples=300, deadline=None)
@given(cases())
def test_every_strategy_gives_the_full_sort_order(case):
    values, hits, wanted, reverse, tree_set = case
    index = field_index(values)
    docids = (IF.TreeSet if tree_set else IF.Set)(hits)
    expected = full_sort(values, hits, wanted, reverse)
    assert topk.sort(index, docids, wanted, reverse) == expected
    assert topk.walk(index, docids, wanted, reverse) == expected
    assert topk.top(index, docids, wanted, reverse) == expected
    # a walk cut short by its budget gives up instead of answering a partial page
    for steps in (0, 1, 2):
        assert topk.walk(index, docids, wanted, reverse, max_steps=steps) in (None, expected)


def test_the_choice_follows_the_sizes(monkeypatch):
    """Sparse hits among one-document values are sorted; dense ones are walked."""
    values = {d: 10_000 - d for d in range(10_000)}
    index = field_index(values)
    calls = []
    for name in ("walk", "sort"):
        real = getattr(topk, name)
        monkeypatch.setattr(topk, name, lambda *a, _real=real, _name=name, **kw: (
            calls.append(_name), _real(*a, **kw))[1])
    sparse = IF.Set(range(0, 10_000, 10))     # 1,000 hits: 500 steps for a page of 50
    assert topk.top(index, sparse, 50) == full_sort(values, sparse, 50, False)
    assert calls == ["sort"]
    calls.clear()
    dense = IF.Set(range(0, 10_000, 2))       # 5,000 hits: 100 steps
    assert topk.top(index, dense, 50, reverse=True) == full_sort(values, dense, 50, True)
    assert calls == ["walk"]
    calls.clear()
    # dense but all at the far end of the walk: the walk gives up, the sort answers
    far = IF.Set(range(5_000))
    assert topk.top(index, far, 50) == full_sort(values, far, 50, False)
    assert calls == ["walk", "sort"]
