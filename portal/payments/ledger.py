"""The ledger: one record of every budget, commitment, release and payment of an ATS.

It lives on the District (``district.ledger``) and is the only source of money figures:
rankings, the budget page, the fund dashboard, exports and the monitoring feed all read
it. Movements are append-only (a correction is a new movement); the totals per call and
fund and the account of each application are kept up to date beside them, so reading
a figure costs one lookup. Concurrent writers in one ATS write the same objects: one
gets a ``ConflictError`` and its request is replayed, so figures never drift.
"""
from dataclasses import dataclass
from typing import NamedTuple

from BTrees.LOBTree import LOBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent

from content_types.base import ensure_attr
from content_types.values import ZERO
from portal.payments.rules import funds as fund_table
from portal.payments.rules.ledger import (
    Totals,
    allocate,
    amount_of,
    check_budget,
    consume,
    give_back,
    total,
)

BUDGET, COMMIT, RELEASE, PAY, REVERSAL = "budget", "commit", "release", "pay", "reversal"
#: which figure each kind of movement changes
FIGURE = {BUDGET: "budget", COMMIT: "committed", RELEASE: "committed", PAY: "paid",
          REVERSAL: "paid"}
KINDS = tuple(FIGURE)


class Movement(NamedTuple):
    """One change of one figure: ``amount`` is signed (a release or reversal is negative)."""

    seq: int
    kind: str
    call: str  # the call's series uid (stable across its versions)
    fund: str
    amount: object  # Decimal
    application: str  # application uid ("" for budget movements)
    protocol: str  # the application's protocol number ("" for budget movements)
    reference: str  # what caused it: ranking version, payment act, reason
    who: str
    when: object  # aware UTC datetime


@dataclass(frozen=True)
class Account:
    """What one application holds: per fund (committed, paid), and its movements."""

    call: str
    protocol: str
    funds: tuple = ()  # ((fund, committed, paid), ...) in fund order
    seqs: tuple = ()

    @property
    def committed(self):
        return sum((c for _, c, _ in self.funds), ZERO)

    @property
    def paid(self):
        return sum((p for _, _, p in self.funds), ZERO)

    @property
    def unpaid(self):
        return self.committed - self.paid

    def open_by_fund(self):
        """(fund, committed − paid) pairs, in fund order."""
        return tuple((f, c - p) for f, c, p in self.funds)

    def moved(self, figure, parts, seqs):
        rows = {f: [c, p] for f, c, p in self.funds}
        for code, value in parts:
            row = rows.setdefault(code, [ZERO, ZERO])
            row[0 if figure == "committed" else 1] += value
        ordered = tuple((f, rows[f][0], rows[f][1]) for f in fund_table.ordered(rows))
        return Account(self.call, self.protocol, ordered, self.seqs + tuple(seqs))


class Ledger(Persistent):
    """The movements of one ATS and the figures they add up to."""

    def __init__(self):
        self._movements = LOBTree()
        self._last = 0
        self._totals = OOBTree()  # (call series, fund) -> Totals
        self._accounts = OOBTree()  # application uid -> Account

    # -- writing ----------------------------------------------------------------------
    def _append(self, kind, call, fund, amount, who, when, application="", protocol="",
                reference=""):
        self._last += 1
        movement = Movement(self._last, kind, call, fund, amount, application, protocol,
                            reference, who or "", when)
        self._movements[self._last] = movement
        key = (call, fund)
        self._totals[key] = self._totals.get(key, Totals()).moved(**{FIGURE[kind]: amount})
        return movement

    def _account_moved(self, application, figure, parts, movements):
        account = self._accounts[application]
        self._accounts[application] = account.moved(
            figure, parts, tuple(m.seq for m in movements))

    def set_budget(self, call, fund, amount, *, who, when, reason=""):
        """Set one fund's budget for a call; refused below what is committed on it."""
        fund_table.fund(fund)
        current = self.totals(call, fund)
        amount = check_budget(fund, amount, current.committed)
        delta = amount - current.budget
        if delta == 0:
            return None
        return self._append(BUDGET, call, fund, delta, who, when, reference=reason)

    def commit(self, call, application, protocol, amount, *, who, when, reference="",
               funds=None):
        """Commit ``amount`` for an application, drawing on the funds in order."""
        codes = fund_table.ordered(funds) if funds is not None else fund_table.CODES
        remaining = [(code, self.totals(call, code).remaining) for code in codes]
        parts = allocate(amount, remaining)
        account = self._accounts.get(application)
        if account is None:
            self._accounts[application] = Account(call, protocol)
        elif account.call != call:
            raise ValueError(f"application {application} belongs to call {account.call}")
        moved = [self._append(COMMIT, call, code, part, who, when, application, protocol,
                              reference) for code, part in parts]
        self._account_moved(application, "committed", parts, moved)
        return tuple(moved)

    def release(self, application, amount=None, *, who, when, reference=""):
        """Give back what is committed and not paid (all of it when ``amount`` is None)."""
        account = self._accounts.get(application)
        if account is None:
            return ()
        amount = account.unpaid if amount is None else amount_of(amount)
        if amount == 0:
            return ()
        parts = give_back(amount, account.open_by_fund())
        moved = [self._append(RELEASE, account.call, code, -part, who, when, application,
                              account.protocol, reference) for code, part in parts]
        self._account_moved(application, "committed", [(c, -p) for c, p in parts], moved)
        return tuple(moved)

    def pay(self, application, amount, *, who, when, reference):
        """Consume the application's commitment by a payment (refused beyond it)."""
        account = self._accounts.get(application)
        open_by_fund = account.open_by_fund() if account is not None else ()
        parts = consume(amount, open_by_fund)
        if not parts:
            return ()
        moved = [self._append(PAY, account.call, code, part, who, when, application,
                              account.protocol, reference) for code, part in parts]
        self._account_moved(application, "paid", parts, moved)
        return tuple(moved)

    def reverse(self, application, parts, *, who, when, reference):
        """Undo (part of) a payment, fund by fund, as a correcting act does."""
        account = self._accounts[application]
        paid = {f: p for f, _, p in account.funds}
        checked = []
        for code, typed in parts:
            value = amount_of(typed)
            if value > paid.get(code, ZERO):
                raise ValueError(f"reversal of {value} on {code} beyond what was paid")
            checked.append((code, value))
        moved = [self._append(REVERSAL, account.call, code, -value, who, when, application,
                              account.protocol, reference) for code, value in checked if value]
        self._account_moved(application, "paid", [(c, -v) for c, v in checked], moved)
        return tuple(moved)

    # -- reading ----------------------------------------------------------------------
    def totals(self, call=None, fund=None):
        """The figures of one call and fund, of one call, of one fund, or of the whole ATS."""
        if call is not None and fund is not None:
            return self._totals.get((call, fund), Totals())
        return total(t for (c, f), t in self._totals.items()
                     if (call is None or c == call) and (fund is None or f == fund))

    def by_fund(self, call=None):
        """``{fund: Totals}`` in fund order (only funds with a movement)."""
        found = {}
        for (c, f), figures in self._totals.items():
            if call is None or c == call:
                found[f] = found.get(f, Totals()) + figures
        return {code: found[code] for code in fund_table.ordered(found)}

    def calls(self):
        return sorted({c for c, _ in self._totals})

    def account(self, application):
        return self._accounts.get(application)

    def accounts(self, call=None):
        return [(uid, a) for uid, a in self._accounts.items() if call is None or a.call == call]

    def movements(self, application=None, call=None):
        if application is not None:
            account = self._accounts.get(application)
            return [self._movements[s] for s in account.seqs] if account else []
        return [m for m in self._movements.values() if call is None or m.call == call]

    def __len__(self):
        return self._last

    def recomputed(self):
        """The totals added up again from the movements (a check that they agree)."""
        sums = {}
        for m in self._movements.values():
            key = (m.call, m.fund)
            sums[key] = sums.get(key, Totals()).moved(**{FIGURE[m.kind]: m.amount})
        return sums

    def consistent(self):
        """True when the kept totals equal the movements and every scope holds its invariant."""
        kept = dict(self._totals.items())
        return (kept == self.recomputed() and all(t.holds() for t in kept.values())
                and all(all(ZERO <= p <= c for _, c, p in a.funds)
                        for a in self._accounts.values()))


def ledger_of(district, create=True):
    """The ATS's ledger (created on first use; None if absent and ``create`` is False)."""
    return ensure_attr(district, "ledger", Ledger, create=create)
