"""The map's counters over random sequences of changes: always the counts of what is now."""
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.register.needs_map import BENEFITS, CARE, NeedsCounters

AREAS = st.sampled_from(["FAM", "DIS", "ELD", "POV", ""])
UIDS = st.sampled_from([f"u{i}" for i in range(6)])
YEARS = st.lists(st.integers(2024, 2027), max_size=3, unique=True).map(sorted)
ACTIONS = st.lists(st.one_of(
    st.tuples(st.just("case"), UIDS, st.one_of(st.none(), AREAS)),
    st.tuples(st.just("benefit"), UIDS, AREAS, YEARS)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(ACTIONS)
def test_the_counters_are_the_counts_of_the_current_state(actions):
    counters = NeedsCounters()
    cases, benefits = {}, {}
    for action in actions:
        if action[0] == "case":
            _, uid, area = action
            counters.set_case(uid, area)
            cases[uid] = area
        else:
            _, uid, area, years = action
            counters.set_benefit(uid, area, years)
            benefits[uid] = (area, tuple(years))
        expected = Counter((CARE, a) for a in cases.values() if a is not None)
        expected.update((BENEFITS, y, a) for a, ys in benefits.values() for y in ys)
        shown = {k: counters.count(k) for k in counters.counts}
        assert {k: v for k, v in shown.items() if v} == dict(expected)
        assert min(shown.values(), default=0) >= 0
