"""Random sequences of commitments and payments against an approved plan (rules level):
accepted ones never commit beyond a cell's allocation nor pay beyond its commitments, a
refusal happens exactly when one would, and economia + residuo + paid == allocated always."""
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.plans.rules import model, monitoring
from portal.plans.rules.errors import InvalidPlanData

YEARS = (2025, 2026, 2027)
INTERVENTIONS = ("PSW", "SAD")
SOURCES = ("FNPS", "FNA")
CELLS = [(i, s, y) for i in INTERVENTIONS for s in SOURCES for y in YEARS]

cents = st.integers(min_value=-500, max_value=400_000).map(lambda c: Decimal(c) / 100)
allocations = st.dictionaries(st.sampled_from(CELLS),
                              st.integers(min_value=0, max_value=300_000).map(
                                  lambda c: Decimal(c) / 100), min_size=1)
attempts = st.lists(st.tuples(st.sampled_from(model.MOVEMENT_KINDS + ("ALTRO",)),
                              st.sampled_from(CELLS), cents), max_size=40)


def plan_of(allocated):
    return model.Plan(
        years=YEARS,
        sources=tuple(model.Source(code, code, model.STATALE, code) for code in SOURCES),
        interventions=tuple(model.Intervention(code, code, "X", "Y", "Z")
                            for code in INTERVENTIONS),
        allocations=allocated)


def figures_of(plan, movements, cell):
    same = [m for m in movements if (m.intervention, m.source, m.year) == cell]
    return (plan.allocations.get(cell, Decimal(0)), monitoring.moved(same, model.IMPEGNO),
            monitoring.moved(same, model.LIQUIDAZIONE))


@settings(max_examples=200, deadline=None)
@given(allocations, attempts)
def test_accepted_movements_keep_every_cell_within_its_allocation(allocated, tried):
    plan = plan_of(allocated)
    accepted = []
    for kind, cell, amount in tried:
        movement = model.Movement(*cell, kind, amount, "Determinazione n. 1/2026")
        before_allocated, committed, paid = figures_of(plan, accepted, cell)
        breaks = (kind not in model.MOVEMENT_KINDS or amount <= 0 or cell not in allocated
                  or (kind == model.IMPEGNO and committed + amount > before_allocated)
                  or (kind == model.LIQUIDAZIONE and paid + amount > committed))
        try:
            monitoring.check_movement(plan, tuple(accepted), movement)
        except InvalidPlanData:
            assert breaks
        else:
            assert not breaks
            accepted.append(movement)
        for each in allocated:
            cell_allocated, cell_committed, cell_paid = figures_of(plan, accepted, each)
            assert Decimal(0) <= cell_paid <= cell_committed <= cell_allocated
        figures = monitoring.execution(plan, tuple(accepted))
        assert figures.economia + figures.residuo + figures.paid == figures.allocated
        assert figures.economia >= 0
        assert figures.residuo >= 0
        for source in SOURCES:
            part = monitoring.execution(plan, tuple(accepted), source=source)
            assert part.economia + part.residuo + part.paid == part.allocated
    assert sum((m.amount for m in accepted if m.kind == model.LIQUIDAZIONE), Decimal(0)) <= \
        sum(allocated.values(), Decimal(0))


def test_a_huge_typed_amount_is_refused_saying_so_not_a_crash():
    with pytest.raises(model.AmountError) as caught:
        model.parse_amount("1" * 300)
    assert "troppo grande" in caught.value.message.interpolate()


vouchers = st.lists(st.tuples(st.sampled_from([(i, s) for i in INTERVENTIONS for s in SOURCES]),
                              st.integers(min_value=1, max_value=200_000).map(
                                  lambda c: Decimal(c) / 100)), max_size=3)


@settings(max_examples=200, deadline=None)
@given(allocations, vouchers, attempts)
def test_with_vouchers_accepted_commitments_never_exceed_an_interventions_allocation(
        allocated, voucher_commitments, tried):
    """The vouchers of the ledger (whole period) and the recorded commitments together."""
    plan = plan_of(allocated)
    automatic = tuple(model.Movement(i, s, 0, model.IMPEGNO, amount, "buoni-servizio")
                      for (i, s), amount in voucher_commitments)
    accepted = []
    for kind, cell, amount in tried:
        movement = model.Movement(*cell, kind, amount, "Det. 1")
        try:
            monitoring.check_movement(plan, tuple(accepted), movement)
            monitoring.check_period(plan, tuple(accepted) + automatic, movement)
        except InvalidPlanData:
            continue
        accepted.append(movement)
    for intervention in INTERVENTIONS:
        for source in SOURCES:
            recorded = monitoring.moved(accepted, model.IMPEGNO, source=source,
                                        intervention=intervention)
            by_vouchers = monitoring.moved(automatic, model.IMPEGNO, source=source,
                                           intervention=intervention)
            allocated_pair = monitoring.execution(plan, (), source=source,
                                                  intervention=intervention).allocated
            assert recorded <= allocated_pair
            assert recorded == 0 or recorded + by_vouchers <= allocated_pair
