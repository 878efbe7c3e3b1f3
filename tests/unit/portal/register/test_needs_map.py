"""The map of needs' suppression: no shown cell, no shown total and no value derivable from the
totals shown is from 1 to 4 (checked by enumerating every completion of the hidden cells)."""
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.register.rules import needs_map as rules

#: small counts are what matters: most cells 0–8, some large
COUNT = st.one_of(st.integers(0, 8), st.integers(0, 8), st.integers(5, 60))


@st.composite
def tables(draw):
    rows = [f"r{i}" for i in range(draw(st.integers(1, 4)))]
    columns = [f"c{j}" for j in range(draw(st.integers(1, 3)))]
    return {(r, c): draw(COUNT) for r in rows for c in columns}, rows, columns


def constraints(table):
    """(cells, exact sum) for every total shown exactly."""
    found = [([(r, c) for c in table.columns], table.row_totals[r].value)
             for r in table.rows if table.row_totals[r].exact]
    found += [([(r, c) for r in table.rows], table.column_totals[c].value)
              for c in table.columns if table.column_totals[c].exact]
    if table.total.exact:
        found.append(([(r, c) for r in table.rows for c in table.columns], table.total.value))
    return found


def completions(table):
    """Every assignment of 1–4 to the «< 5» cells that agrees with the exact totals."""
    hidden = [k for k, v in table.cells.items() if v.kind == rules.SMALL]
    known = {k: v.value for k, v in table.cells.items() if v.exact}
    checks = constraints(table)
    for values in itertools.product(range(1, 5), repeat=len(hidden)):
        full = {**known, **dict(zip(hidden, values, strict=True))}
        if all(sum(full[k] for k in keys) == total for keys, total in checks):
            yield dict(zip(hidden, values, strict=True))


@settings(max_examples=300, deadline=None)
@given(tables())
def test_nothing_shown_or_derivable_is_below_five(data):
    counts, rows, columns = data
    table = rules.suppress(counts, rows, columns)
    shown = [*table.cells.values(), *table.row_totals.values(), *table.column_totals.values(),
             table.total]
    assert not [s for s in shown if s.exact and rules.is_small(s.value)]
    assert all(s.kind == rules.SMALL for k, s in table.cells.items() if rules.is_small(counts[k]))
    assert all(s.value == counts[k] for k, s in table.cells.items() if s.exact)
    hidden = [k for k, v in table.cells.items() if v.kind == rules.SMALL]
    if len(hidden) > 8:
        return  # enumeration too long; the shown values were checked above
    found = list(completions(table))
    assert {k: counts[k] for k in hidden} in found  # the truth is one of them
    for key in hidden:  # no hidden cell has a single possible value
        assert len({c[key] for c in found}) > 1, (key, table)
    for keys, total in constraints(table):  # what a total reveals of its hidden cells
        revealed = total - sum(table.cells[k].value for k in keys if table.cells[k].exact)
        assert revealed == 0 or revealed >= 5


def test_a_row_whose_total_would_give_away_its_only_small_cell_hides_the_total():
    table = rules.suppress({("bari", "ELD"): 3, ("bari", "FAM"): 12}, ["bari"], ["ELD", "FAM"])
    assert table.cells[("bari", "ELD")].label == "< 5"
    assert table.cells[("bari", "FAM")].label == "12"
    assert table.row_totals["bari"].label == "n.d."
    assert table.column_totals["FAM"].label == "12"
    assert table.column_totals["ELD"].label == "< 5" or not table.column_totals["ELD"].exact
    assert not table.total.exact


def test_two_small_cells_whose_sum_says_nothing_keep_the_total():
    table = rules.suppress({("a", "x"): 2, ("a", "y"): 4, ("a", "z"): 10}, ["a"], "xyz")
    assert table.row_totals["a"].label == "16"  # 2 + 4 = 6: each could be 2–4
    both_ones = rules.suppress({("a", "x"): 1, ("a", "y"): 1, ("a", "z"): 10}, ["a"], "xyz")
    assert not both_ones.row_totals["a"].exact  # 1 + 1: both would be known


def test_zero_is_shown_and_a_region_line_only_sums_exact_totals():
    assert rules.cell(0).label == "0"
    assert rules.cell(5).label == "5"
    exact, hidden = rules.Shown(rules.EXACT, 7), rules.Shown(rules.HIDDEN)
    assert rules.combine([exact, exact]).label == "14"
    assert rules.combine([exact, hidden]).label == "n.d."


def test_circles_are_placed_north_up_and_sized_by_count():
    where = rules.project({"bari": (41.12, 16.87), "taranto": (40.46, 17.25)}, 600, 400)
    assert where["bari"][1] < where["taranto"][1]
    assert where["bari"][0] < where["taranto"][0]
    assert rules.radius(rules.Shown(rules.EXACT, 100), 100) > rules.radius(
        rules.Shown(rules.EXACT, 9), 100) > rules.radius(rules.Shown(rules.SMALL), 100) > 0
