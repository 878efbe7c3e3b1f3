"""Small counts suppressed in the map of needs: no shown or derivable value from 1 to 4.

A table has rows (municipalities) and columns (user areas) of counts. A cell from 1 to 4
is shown as «< 5» (*primary suppression*); 0 and 5 or more are shown. A total is a linear
constraint on the cells it sums: shown exactly, it reveals the sum of its suppressed cells
(the *group*). So a total is shown only when its group is safe, and the groups of the
totals shown never share a cell, so each constraint stands alone:

- a group is safe when it is empty (the total is the sum of shown values), or when it has at
  least 2 cells and its sum S is 5 ≤ S < 4·k (k cells, each 1–4): then no cell, and no part
  of the group, has one possible value, and the revealed sum is not 1–4;
- row totals first (each row's group is its own), then column totals whose suppressed cells
  all sit in rows whose total is hidden and in no other shown column, then the grand total
  (its group: the suppressed cells in no shown total's group);
- a hidden total is shown as «n.d.» (*complementary suppression* of the total, not of a
  cell: a row whose total would equal one suppressed cell plus shown ones hides its total).

Pure: counts in, what to show out.
"""
import math
from dataclasses import dataclass

SMALL_MIN, SMALL_MAX = 1, 4
#: shown for a count from 1 to 4
SMALL_LABEL = "< 5"
#: shown for a total that would let one compute a suppressed count
HIDDEN_LABEL = "n.d."
EXACT, SMALL, HIDDEN = "exact", "small", "hidden"


@dataclass(frozen=True)
class Shown:
    """What a reader sees for one count: ``value`` only when ``kind`` is exact."""

    kind: str
    value: int = None

    @property
    def label(self):
        if self.kind == EXACT:
            return str(self.value)
        return SMALL_LABEL if self.kind == SMALL else HIDDEN_LABEL

    @property
    def exact(self):
        return self.kind == EXACT


def is_small(count):
    return SMALL_MIN <= count <= SMALL_MAX


def cell(count):
    """A cell as shown: «< 5» from 1 to 4, the number otherwise."""
    if count < 0:
        raise ValueError("a count is never negative")
    return Shown(SMALL) if is_small(count) else Shown(EXACT, count)


def group_safe(values):
    """Whether revealing the sum of these suppressed counts reveals no value from 1 to 4."""
    values = tuple(values)
    if not values:
        return True
    k, s = len(values), sum(values)
    return k >= 2 and SMALL_MAX + 1 <= s < SMALL_MAX * k


@dataclass(frozen=True)
class Table:
    """A suppressed table: cells by (row, column), row totals, column totals, the grand total."""

    rows: tuple
    columns: tuple
    cells: dict
    row_totals: dict
    column_totals: dict
    total: Shown

    def value(self, row, column):
        return self.cells[(row, column)]


def suppress(counts, rows, columns):
    """The table to show for ``counts`` ({(row, column): count}; missing means 0)."""
    rows, columns = tuple(rows), tuple(columns)
    raw = {(r, c): int(counts.get((r, c), 0)) for r in rows for c in columns}
    cells = {key: cell(value) for key, value in raw.items()}
    covered = set()  # suppressed cells in the group of a total shown exactly

    def small_keys(keys):
        return [key for key in keys if cells[key].kind == SMALL]

    row_totals = {}
    for r in rows:
        keys = [(r, c) for c in columns]
        group = small_keys(keys)
        if group_safe(raw[k] for k in group):
            row_totals[r] = Shown(EXACT, sum(raw[k] for k in keys))
            covered.update(group)
        else:
            row_totals[r] = Shown(HIDDEN)
    column_totals = {}
    for c in columns:
        keys = [(r, c) for r in rows]
        group = small_keys(keys)
        if not covered.intersection(group) and group_safe(raw[k] for k in group):
            column_totals[c] = Shown(EXACT, sum(raw[k] for k in keys))
            covered.update(group)
        else:
            column_totals[c] = Shown(HIDDEN)
    rest = [key for key in small_keys(raw) if key not in covered]
    total = (Shown(EXACT, sum(raw.values())) if group_safe(raw[k] for k in rest)
             else Shown(HIDDEN))
    return Table(rows, columns, cells, row_totals, column_totals, total)


def combine(shown):
    """The sum of totals shown elsewhere (a region's line from its districts'): exact only if all are."""
    shown = tuple(shown)
    if all(s.exact for s in shown):
        return Shown(EXACT, sum(s.value for s in shown))
    return Shown(HIDDEN)


def radius(shown, largest, smallest_radius=4.0, largest_radius=28.0):
    """A circle's radius for a count (area proportional); suppressed ones get the smallest."""
    if not shown.exact:
        return smallest_radius
    if not shown.value:
        return 0.0
    share = (shown.value / max(largest, shown.value)) ** 0.5
    return round(smallest_radius + (largest_radius - smallest_radius) * share, 1)


def project(points, width, height, margin=36.0):
    """SVG coordinates of (latitude, longitude) points, north up, one scale for both axes.

    An equirectangular projection corrected by the cosine of the middle latitude: enough for a
    region; returns {key: (x, y)}.
    """
    points = {k: v for k, v in points.items() if v is not None}
    if not points:
        return {}
    lats = [lat for lat, _ in points.values()]
    lons = [lon for _, lon in points.values()]
    squeeze = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * squeeze, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
    used_x, used_y = span_x * scale, span_y * scale
    left = (width - used_x) / 2
    top = (height - used_y) / 2
    return {key: (round(left + (lon - min(lons)) * squeeze * scale, 1),
                  round(top + (max(lats) - lat) * scale, 1))
            for key, (lat, lon) in points.items()}
