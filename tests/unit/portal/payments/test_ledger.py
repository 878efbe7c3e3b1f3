"""The ledger: figures per call and fund, application accounts, and their invariants."""
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.payments.ledger import Ledger
from portal.payments.rules.errors import (
    BudgetBelowCommitted,
    InvalidAmount,
    NotEnoughFunds,
    OverPayment,
    OverRelease,
    UnknownFund,
)

WHEN = datetime(2026, 1, 15, 9, tzinfo=UTC)
CALL = "series-1"


def ledger_with(**budgets):
    ledger = Ledger()
    for fund, amount in budgets.items():
        ledger.set_budget(CALL, fund, Decimal(amount), who="regione", when=WHEN, reason="DGR")
    return ledger


def test_a_commitment_draws_on_the_funds_in_order_and_spans_two_when_needed():
    ledger = ledger_with(FSE="1000", FNPS="5000")
    ledger.commit(CALL, "a", "2026/0000001", Decimal(3640), who="rup", when=WHEN)
    assert ledger.totals(CALL, "FSE").committed == Decimal(1000)
    assert ledger.totals(CALL, "FNPS").committed == Decimal(2640)
    assert ledger.account("a").funds == (("FSE", Decimal(1000), 0), ("FNPS", Decimal(2640), 0))
    assert ledger.totals(CALL).remaining == Decimal(2360)


def test_payments_consume_the_commitment_and_a_release_gives_back_the_rest():
    ledger = ledger_with(FSE="1000", FNPS="5000")
    ledger.commit(CALL, "a", "p", Decimal(3640), who="rup", when=WHEN)
    ledger.pay("a", Decimal(364), who="rup", when=WHEN, reference="atto 1")
    ledger.pay("a", Decimal(728), who="rup", when=WHEN, reference="atto 2")
    assert ledger.totals(CALL, "FSE").paid == Decimal(1000)
    assert ledger.totals(CALL, "FNPS").paid == Decimal(92)
    ledger.release("a", who="rup", when=WHEN, reference="conclusa")
    assert ledger.account("a").committed == ledger.account("a").paid == Decimal(1092)
    assert ledger.totals(CALL).remaining == Decimal(6000) - Decimal(1092)
    assert ledger.consistent()


def test_refusals_change_nothing():
    ledger = ledger_with(FSE="1000")
    ledger.commit(CALL, "a", "p", Decimal(800), who="rup", when=WHEN)
    before = (len(ledger), ledger.totals(CALL))
    with pytest.raises(NotEnoughFunds):
        ledger.commit(CALL, "b", "q", Decimal(201), who="rup", when=WHEN)
    with pytest.raises(OverPayment):
        ledger.pay("a", Decimal("800.01"), who="rup", when=WHEN, reference="x")
    with pytest.raises(OverRelease):
        ledger.release("a", Decimal(900), who="rup", when=WHEN)
    with pytest.raises(BudgetBelowCommitted):
        ledger.set_budget(CALL, "FSE", Decimal("799.99"), who="regione", when=WHEN)
    with pytest.raises(InvalidAmount):
        ledger.commit(CALL, "b", "q", Decimal(-1), who="rup", when=WHEN)
    with pytest.raises(UnknownFund):
        ledger.set_budget(CALL, "XYZ", Decimal(1), who="regione", when=WHEN)
    with pytest.raises(OverPayment):
        ledger.pay("never-funded", Decimal(1), who="rup", when=WHEN, reference="x")
    assert (len(ledger), ledger.totals(CALL)) == before
    assert ledger.consistent()


ACTIONS = st.lists(st.tuples(
    st.sampled_from(["budget", "commit", "pay", "release", "reverse"]),
    st.sampled_from(["FSE", "FNPS", "COM"]),
    st.sampled_from(["a", "b", "c"]),
    st.integers(min_value=0, max_value=300_000).map(lambda c: Decimal(c) / 100),
), max_size=60)


@settings(max_examples=150, deadline=None)
@given(ACTIONS)
def test_any_sequence_keeps_paid_within_committed_within_budget(actions):
    ledger = Ledger()
    for kind, fund, app, amount in actions:
        try:
            if kind == "budget":
                ledger.set_budget(CALL, fund, amount, who="r", when=WHEN)
            elif kind == "commit":
                ledger.commit(CALL, app, app, amount, who="r", when=WHEN)
            elif kind == "pay":
                ledger.pay(app, amount, who="r", when=WHEN, reference="atto")
            elif kind == "release":
                ledger.release(app, amount, who="r", when=WHEN)
            elif ledger.account(app) is not None:
                paid = {f: p for f, _, p in ledger.account(app).funds}
                ledger.reverse(app, [(fund, min(amount, paid.get(fund, 0)))], who="r",
                               when=WHEN, reference="rettifica")
        except (NotEnoughFunds, OverPayment, OverRelease, BudgetBelowCommitted):
            pass
        assert ledger.consistent()
        for figures in ledger.by_fund(CALL).values():
            assert 0 <= figures.paid <= figures.committed <= figures.budget
    assert ledger.totals() == sum(ledger.by_fund().values(), start=type(ledger.totals())())
