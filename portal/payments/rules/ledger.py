"""The money arithmetic of the ledger: totals, and how an amount is spread over funds.

Invariants held per ATS, call and fund (and per application and fund):
``paid ≤ committed ≤ budget``. Every amount is Decimal cents, never negative.
A commitment draws on the funds in order, each up to what is left of it; a payment
consumes the application's own commitment in the same order; a release gives back
what is committed and not paid, last fund first.
"""
from dataclasses import dataclass

from content_types.values import ZERO, cents, euro
from portal.i18n import _
from portal.payments.rules.errors import (
    BudgetBelowCommitted,
    InvalidAmount,
    NotEnoughFunds,
    OverPayment,
    OverRelease,
)


@dataclass(frozen=True)
class Totals:
    """Budget, committed (net of releases) and paid (net of reversals) of one scope."""

    budget: object = ZERO
    committed: object = ZERO
    paid: object = ZERO

    @property
    def remaining(self):
        """Budget not yet committed (what a ranking may still fund)."""
        return self.budget - self.committed

    @property
    def unpaid(self):
        """Committed and not yet paid (*residuo passivo*, domain.md §6)."""
        return self.committed - self.paid

    def __add__(self, other):
        return Totals(self.budget + other.budget, self.committed + other.committed,
                      self.paid + other.paid)

    def moved(self, budget=ZERO, committed=ZERO, paid=ZERO):
        return Totals(self.budget + budget, self.committed + committed, self.paid + paid)

    def holds(self):
        """True when ``0 ≤ paid ≤ committed ≤ budget``."""
        return ZERO <= self.paid <= self.committed <= self.budget


def total(items):
    """The sum of ``Totals`` (an empty sum is all zeros)."""
    result = Totals()
    for item in items:
        result = result + item
    return result


def amount_of(value):
    """``value`` as cents, refused when negative or not finite."""
    try:
        value = cents(value)
    except (ValueError, ArithmeticError):
        raise InvalidAmount(_("Importo non valido: «${amount}».",
                              mapping={"amount": value})) from None
    if not value.is_finite() or value < 0:
        raise InvalidAmount(_("Importo non valido: «${amount}».", mapping={"amount": value}))
    return value


def spread(amount, available, error):
    """``amount`` taken from ``available`` ((fund, amount) pairs) in order: ((fund, part), ...).

    ``error(short)`` builds the exception raised when the pairs hold less than ``amount``.
    """
    amount = amount_of(amount)
    parts = []
    left = amount
    for code, room in available:
        if left <= 0:
            break
        take = min(left, room)
        if take > 0:
            parts.append((code, take))
            left -= take
    if left > 0:
        raise error(amount - left)
    return tuple(parts)


def allocate(amount, remaining):
    """A new commitment over the funds' remaining budgets (``remaining``: ordered pairs)."""
    def short(found):
        return NotEnoughFunds(_("Fondi insufficienti: servono ${amount}, restano ${left} "
                                "da impegnare.", mapping={"amount": euro(amount),
                                                         "left": euro(found)}))
    return spread(amount, remaining, short)


def consume(amount, open_by_fund):
    """A payment out of the application's commitment not yet paid (``open_by_fund``)."""
    def short(found):
        return OverPayment(_("Il pagamento di ${amount} supera le somme impegnate e non "
                             "ancora pagate per la domanda (${left}).",
                             mapping={"amount": euro(amount), "left": euro(found)}))
    return spread(amount, open_by_fund, short)


def give_back(amount, open_by_fund):
    """A release out of the commitment not yet paid, last fund first."""
    def short(found):
        return OverRelease(_("Si possono liberare al massimo ${left} (impegnati e non "
                             "pagati), non ${amount}.",
                             mapping={"amount": euro(amount), "left": euro(found)}))
    return spread(amount, tuple(reversed(tuple(open_by_fund))), short)


def check_budget(fund, new_budget, committed):
    """A fund's budget never goes below what is already committed on it."""
    new_budget = amount_of(new_budget)
    if new_budget < committed:
        raise BudgetBelowCommitted(
            _("Il budget ${fund} non può scendere a ${new}: sono già impegnati ${held}.",
              mapping={"fund": fund, "new": euro(new_budget), "held": euro(committed)}),
            {"importo": "inferiore all'impegnato"})
    return new_budget
