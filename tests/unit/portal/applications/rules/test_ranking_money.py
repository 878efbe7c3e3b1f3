"""Money after funding, as a property: random histories of a call, a ranking version after each step.

The model walks applications through the workflow's states (submission, admission,
funding by a published version, activation, conclusion, withdrawal, revocation)
while the Region changes the budget. After every step a new version is ranked with
the real rules and published; whatever happened, no version commits more than the
budget, the residual shown is budget − committed, and money once granted stays
granted, with the same amount, while the application is funded, active or concluded.
"""
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

import workflows.application as wf
from content_types.values import ZERO, cents
from portal.applications.rules.errors import RankingError
from portal.applications.rules.ranking import (
    Candidate,
    RankingRules,
    committed_protocols,
    freeze,
    next_version,
    rank,
)

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
amounts = st.integers(min_value=0, max_value=4_000_000).map(lambda c: Decimal(c) / 100)
vouchers = st.integers(min_value=5_000, max_value=80_000).map(lambda c: Decimal(c) / 100)
REVOCABLE = (wf.ELIGIBLE, wf.FUNDED, wf.ADMITTED_UNFUNDED, wf.ACTIVE)


class CallHistory(RuleBasedStateMachine):
    """One ATS's applications under one call, published version after version."""

    def __init__(self):
        super().__init__()
        self.states = {}  # protocol -> workflow state
        self.inputs = {}  # protocol -> Candidate as the application would give it now
        self.granted = {}  # protocol -> amount granted by the version that funded it
        self.budget = ZERO
        self.rules = RankingRules()
        self.previous = None
        self.ranking = None
        self.versions = 0

    @initialize(budget=amounts, skipping=st.booleans())
    def open_call(self, budget, skipping):
        self.budget = budget
        self.rules = RankingRules(allow_skipping=skipping)

    # -- what happens to applications and budget ------------------------------------
    def pick(self, data, states):
        found = sorted(p for p, s in self.states.items() if s in states)
        return data.draw(st.sampled_from(found)) if found else None

    @rule(isee=amounts, voucher=vouchers, months=st.integers(1, 12), priority=st.booleans())
    def submit(self, isee, voucher, months, priority):
        protocol = f"2026/{len(self.states) + 1:07d}"
        self.states[protocol] = wf.UNDER_REVIEW  # submitted, matched, under review
        self.inputs[protocol] = Candidate(protocol, isee,
                                          START + timedelta(minutes=len(self.states)),
                                          voucher, months, priority, int(priority))
        self.publish_new_version()

    @rule(data=st.data(), eligible=st.booleans())
    def review(self, data, eligible):
        protocol = self.pick(data, (wf.UNDER_REVIEW,))
        if protocol:
            self.states[protocol] = wf.ELIGIBLE if eligible else wf.INELIGIBLE
        self.publish_new_version()

    @rule(data=st.data())
    def activate(self, data):
        protocol = self.pick(data, (wf.FUNDED,))
        if protocol:
            self.states[protocol] = wf.ACTIVE
        self.publish_new_version()

    @rule(data=st.data())
    def conclude(self, data):
        protocol = self.pick(data, (wf.ACTIVE,))
        if protocol:
            self.states[protocol] = wf.CONCLUDED
        self.publish_new_version()

    @rule(data=st.data())
    def withdraw(self, data):
        protocol = self.pick(data, wf.BEFORE_END)
        if protocol:
            self.states[protocol] = wf.WITHDRAWN
        self.publish_new_version()

    @rule(data=st.data())
    def revoke(self, data):
        protocol = self.pick(data, REVOCABLE)
        if protocol:
            self.states[protocol] = wf.REVOKED
        self.publish_new_version()

    @rule(budget=amounts)
    def change_budget(self, budget):
        self.budget = budget
        self.publish_new_version()

    @rule(data=st.data(), voucher=vouchers)
    def recompute_voucher(self, data, voucher):
        """The application's figures change (a new tariff): granted money must not follow."""
        protocol = self.pick(data, wf.RANKED)
        if protocol:
            old = self.inputs[protocol]
            self.inputs[protocol] = Candidate(old.protocol, old.isee, old.submitted_at, voucher,
                                              old.months, old.priority, old.priorities)
        self.publish_new_version()

    # -- a new version, published as the portal publishes it ------------------------
    def holding(self):
        return [p for p, s in self.states.items() if s in wf.HOLDS_FUNDING]

    def publish_new_version(self):
        candidates = [c for p, c in self.inputs.items() if self.states[p] in wf.RANKED]
        committed = committed_protocols(self.states.items())
        when = START + timedelta(days=self.versions + 1)
        try:
            if self.previous is None:
                snapshot = freeze(rank(candidates, self.budget, self.rules, committed=committed),
                                  version=1, district="BA-01", call_uid="c", call_version=1,
                                  created_at=when, created_by="rup")
            else:
                snapshot = next_version(self.previous, candidates, self.budget, created_at=when,
                                        created_by="rup", reason="scorrimento",
                                        committed=committed)
        except RankingError:
            # refused only when the budget no longer covers the money already granted
            assert sum((self.granted[p] for p in self.holding()), ZERO) > self.budget
            return
        ranking = snapshot.ranking()  # the published page recomputes from the snapshot
        for line in ranking.lines:
            state = self.states[line.protocol]
            if state == wf.ELIGIBLE:
                self.states[line.protocol] = (wf.FUNDED if line.funded
                                              else wf.ADMITTED_UNFUNDED)
            elif state == wf.ADMITTED_UNFUNDED and line.funded:
                self.states[line.protocol] = wf.FUNDED
            if line.funded and line.protocol not in self.granted:
                self.granted[line.protocol] = line.candidate.cost
        self.previous, self.ranking = snapshot, ranking
        self.versions += 1
        self.check_published()

    # -- what every published version must show -------------------------------------
    def check_published(self):
        committed = sum((self.granted[p] for p in self.holding()), ZERO)
        budget = cents(self.previous.budget)
        assert committed <= budget
        assert self.ranking.spent == committed
        assert self.ranking.left == budget - committed
        if self.ranking.lines:  # «restano …» of the last line is the same residual
            assert self.ranking.lines[-1].available_after == self.ranking.left
        for protocol in self.holding():  # funded earlier: still funded, same amount
            line = self.ranking.line(protocol)
            assert line.funded, protocol
            assert line.candidate.cost == self.granted[protocol], protocol

    @invariant()
    def every_holder_was_granted(self):
        assert set(self.granted) >= set(self.holding())


CallHistory.TestCase.settings = settings(max_examples=150, stateful_step_count=30,
                                         deadline=None)
TestMoneyAfterFunding = CallHistory.TestCase
