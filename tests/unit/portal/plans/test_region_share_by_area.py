"""The ordinary allocation per user area the Region's dashboard compares ATS by."""
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from portal.plans.rules import budget, model

SOURCES = ({"code": "FNPS", "title": "FNPS", "kind": model.STATALE},
           {"code": "COM", "title": "Comuni", "kind": model.COMUNALE},
           {"code": "PNRR", "title": "PNRR", "kind": model.ALTRE})
AREAS = ("FAM", "ELD", "DIS")
INTERVENTIONS = tuple({"code": f"I{n}", "title": f"I{n}", "area": AREAS[n % 3]} for n in range(5))
cells = st.dictionaries(
    st.tuples(st.sampled_from([i["code"] for i in INTERVENTIONS]),
              st.sampled_from(["FNPS", "COM", "PNRR"]), st.sampled_from([2025, 2026, 2027])),
    st.integers(min_value=0, max_value=10**9).map(lambda c: Decimal(c) / 100), max_size=45)


@given(cells)
def test_each_area_is_the_ordinary_total_of_its_interventions(allocations):
    plan = model.from_dicts((2025, 2026, 2027), SOURCES, interventions=INTERVENTIONS,
                            allocations=allocations)
    areas = budget.share_by_area(plan)
    assert set(areas) == {i["area"] for i in INTERVENTIONS}
    for area, value in areas.items():
        assert value == sum((budget.intervention_total(plan, i["code"], ordinary_only=True)
                             for i in INTERVENTIONS if i["area"] == area), Decimal(0))
    other = sum((v for (_i, s, _y), v in allocations.items() if s == "PNRR"), Decimal(0))
    assert sum(areas.values(), Decimal(0)) == sum(allocations.values(), Decimal(0)) - other
