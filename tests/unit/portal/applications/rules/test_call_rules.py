"""The call authoring rules: bands from 0, contiguous, no overlap or gap, shares rising; dates; budgets."""
from datetime import UTC, date, datetime
from decimal import Decimal

import colander
import pytest
from hypothesis import given
from hypothesis import strategies as st

from content_types.call import Call
from portal.applications.rules import call_rules
from portal.applications.rules.copayment import scheme_from_data
from portal.applications.rules.errors import InvalidRules

D = Decimal


@st.composite
def valid_bands(draw):
    """A valid from–to band list: starts at 0, each band starts right after the previous."""
    count = draw(st.integers(1, 8))
    bands, low, share = [], D(0), D(0)
    for index in range(count):
        width = D(draw(st.integers(1, 2_000_000))) / 100
        high = None if index == count - 1 and draw(st.booleans()) else low + width
        share = share + D(draw(st.integers(0, 20)))
        share = min(share, D(100))
        bands.append({"from": low, "to": high, "fixed": D(draw(st.integers(0, 100))),
                      "share": share})
        if high is None:
            break
        step = draw(st.sampled_from([D("0.01"), D(1), D("0.50")]))
        low = high + step
    return bands


@given(valid_bands())
def test_any_valid_band_list_passes_and_the_scheme_accepts_it(bands):
    assert call_rules.band_problems(bands) == []
    data = {**base_data(), "bands": bands, "isee_max": D(1)}
    stored = call_rules.to_call_data(data)["copayment"]
    assert len(scheme_from_data(stored).bands) == len(bands)


@given(valid_bands().filter(lambda b: len(b) > 1), st.data())
def test_an_injected_overlap_or_gap_fails_on_that_band(bands, data):
    index = data.draw(st.integers(1, len(bands) - 1))
    previous_end = bands[index - 1]["to"]
    kind = data.draw(st.sampled_from(["overlap", "gap"]))
    if kind == "overlap":
        start = previous_end - D(data.draw(st.integers(0, 100_000))) / 100
    else:
        start = previous_end + D(1) + D(data.draw(st.integers(1, 100_000))) / 100
    end = bands[index]["to"]
    bands[index] = {**bands[index], "from": start,
                    "to": None if end is None else max(end, start + 1)}
    found = call_rules.band_problems(bands)
    assert (index, "from") in [(i, f) for i, f, _m in found]
    wanted = "si sovrappone" if kind == "overlap" else "senza fascia"
    assert any(wanted in m.interpolate() for i, f, m in found if (i, f) == (index, "from"))


def test_bands_must_start_at_zero_and_shares_rise():
    found = call_rules.band_problems([
        {"from": D(100), "to": D(1000), "share": D(10)},
        {"from": D("1000.01"), "to": None, "share": D(5)},
        {"from": D(5000), "to": D(6000), "share": D(101), "fixed": D(-1)}])
    fields = {(i, f) for i, f, _m in found}
    assert {(0, "from"), (1, "share"), (1, "to"), (2, "share"), (2, "fixed")} <= fields
    assert call_rules.band_problems([])[0][0] is None


def base_data(**changes):
    data = {
        "code": "buoni-2027", "title": "Buoni 2027", "description": "",
        "target": "children_0_36", "isee_types": ["minorenni"], "isee_max": D(40000),
        "scheme": "children",
        "bands": [{"from": D(0), "to": None, "fixed": D(20), "share": D(0)}],
        "ranking_keys": [{"field": "isee", "order": "asc"}],
        "budgets": {"BA-01": D(1000)},
        "period_start": date(2027, 1, 1), "period_end": date(2027, 12, 31),
        "opens_at": datetime(2026, 12, 1, 8, tzinfo=UTC),
        "closes_at": datetime(2027, 1, 31, 11, tzinfo=UTC),
        "max_months": 10, "matching_days": 15, "integration_days": 10,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(("changes", "path"), [
    ({"isee_max": D(0)}, ("isee_max",)),
    ({"budgets": {"BA-01": D(-1)}}, ("budgets", "BA-01")),
    ({"budgets": {}}, ("budgets", "BA-01")),
    ({"closes_at": datetime(2026, 11, 1, tzinfo=UTC)}, ("closes_at",)),
    ({"closes_at": datetime(2028, 1, 1, tzinfo=UTC)}, ("closes_at",)),
    ({"period_end": date(2026, 1, 1)}, ("period_end",)),
    ({"ranking_keys": [{"field": "isee", "order": "asc"}, {"field": "isee", "order": "desc"}]},
     ("ranking_keys", 1, "field")),
    ({"ranking_keys": []}, ("ranking_keys",)),
    ({"target": "children"}, ("target",)),
    ({"bands": [{"from": D(0), "to": D(1000), "share": D(0)}]}, ("bands", 0, "to")),
])
def test_each_fault_is_on_its_field(changes, path):
    found = call_rules.problems(base_data(**changes), districts=("BA-01",))
    assert path in [p for p, _m in found]
    with pytest.raises(InvalidRules):
        call_rules.check(base_data(**changes), districts=("BA-01",))


def test_a_good_call_has_no_problem_and_round_trips_through_a_stored_call():
    data = base_data(bands=[{"from": D(0), "to": D(2000), "fixed": D(20), "share": D(0)},
                            {"from": D(2001), "to": None, "fixed": D(30), "share": D(5)}])
    assert call_rules.problems(data, ("BA-01",)) == []
    values = call_rules.to_call_data(data)
    budgets = values.pop("budgets")
    call = Call(**values)
    call.budgets = budgets
    again = call_rules.from_call(call)
    assert again["bands"] == data["bands"]
    assert again["isee_max"] == D(40000)
    assert call_rules.problems(again, ("BA-01",)) == []


def test_raise_invalid_puts_each_message_on_its_node():
    schema = colander.SchemaNode(colander.Mapping())
    bands = colander.SchemaNode(colander.Sequence(), name="bands")
    band = colander.SchemaNode(colander.Mapping(), name="band")
    for name in ("from", "to"):
        band.add(colander.SchemaNode(colander.Decimal(), name=name))
    bands.add(band)
    schema.add(bands)
    schema.add(colander.SchemaNode(colander.Decimal(), name="isee_max"))
    with pytest.raises(colander.Invalid) as excinfo:
        call_rules.raise_invalid(schema, [(("bands", 1, "from"), "sovrapposta"),
                                          (("isee_max",), "zero")])
    assert excinfo.value.asdict() == {"bands.1.from": "sovrapposta", "isee_max": "zero"}
    call_rules.raise_invalid(schema, [])
