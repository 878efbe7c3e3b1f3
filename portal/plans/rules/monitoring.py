"""Execution of an approved plan: committed and paid against what was allocated (domain.md §6).

*economia* = allocated − committed; *residuo passivo* = committed − paid (the standard
public-accounting meanings). The Region sets the share of a fund's allocation that should
be committed (e.g. 90 %); below it, the ATS is flagged.
"""
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from content_types.values import ZERO, euro
from portal.i18n import _
from portal.plans.rules import model
from portal.plans.rules.errors import InvalidPlanData

HUNDRED = Decimal(100)


class Execution(NamedTuple):
    allocated: Decimal = ZERO
    committed: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def economia(self):
        """What was allocated and will not be spent: allocated − committed."""
        return self.allocated - self.committed

    @property
    def residuo(self):
        """What is owed and not yet paid (*residuo passivo*): committed − paid."""
        return self.committed - self.paid

    @property
    def committed_share(self):
        """Percentage of the allocation committed, to one decimal (None: nothing allocated)."""
        if not self.allocated:
            return None
        return (self.committed * HUNDRED / self.allocated).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def __add__(self, other):
        return Execution(self.allocated + other.allocated, self.committed + other.committed,
                         self.paid + other.paid)


def moved(movements, kind, *, source=None, intervention=None, year=None):
    return sum((m.amount for m in movements if m.kind == kind
                and (source is None or m.source == source)
                and (intervention is None or m.intervention == intervention)
                and (year is None or m.year == year)), ZERO)


def execution(plan, movements, *, source=None, intervention=None):
    """Allocated, committed and paid of ``plan`` (of one source and/or intervention)."""
    allocated = sum((v for (i, s, _y), v in plan.allocations.items()
                     if (source is None or s == source)
                     and (intervention is None or i == intervention)), ZERO)
    return Execution(allocated,
                     moved(movements, model.IMPEGNO, source=source, intervention=intervention),
                     moved(movements, model.LIQUIDAZIONE, source=source,
                           intervention=intervention))


def below_threshold(figures, threshold):
    """True when less than ``threshold`` % of the allocation is committed."""
    share = figures.committed_share
    return threshold is not None and share is not None and share < threshold


def check_movement(plan, movements, new):
    """Refuse a commitment beyond the allocation or a payment beyond the commitments.

    ``movements`` are those already recorded; ``new`` the one to add (a ``Movement``).
    """
    if new.kind not in model.MOVEMENT_KINDS:
        raise InvalidPlanData(_("Indicare se si tratta di un impegno o di una liquidazione."),
                              {"tipo": "non valido"})
    if new.amount <= 0:
        raise InvalidPlanData(_("L'importo deve essere maggiore di zero."), {"importo": "zero"})
    cell = (new.intervention, new.source, new.year)
    allocated = plan.allocations.get(cell)
    if allocated is None:
        raise InvalidPlanData(_("Il piano approvato non assegna risorse di questa fonte a "
                                "questo intervento in quell'anno."), {"allocazione": "assente"})
    same = [m for m in movements
            if (m.intervention, m.source, m.year) == cell]
    committed = moved(same, model.IMPEGNO)
    paid = moved(same, model.LIQUIDAZIONE)
    if new.kind == model.IMPEGNO and committed + new.amount > allocated:
        raise InvalidPlanData(_("L'impegno supera l'allocazione: restano da impegnare "
                                "${left} sui ${allocated} assegnati.",
                                mapping={"left": euro(allocated - committed),
                                         "allocated": euro(allocated)}),
                              {"importo": "oltre l'allocazione"})
    if new.kind == model.LIQUIDAZIONE and paid + new.amount > committed:
        raise InvalidPlanData(_("La liquidazione supera le somme impegnate: restano da "
                                "liquidare ${left}.", mapping={"left": euro(committed - paid)}),
                              {"importo": "oltre l'impegnato"})


def check_period(plan, movements, new):
    """Refuse a commitment that, with the vouchers counted over the whole period (year 0),
    would take an intervention × source beyond what the plan allocates to it."""
    if new.kind != model.IMPEGNO:
        return
    pair = (new.intervention, new.source)
    allocated = sum((v for (i, s, _y), v in plan.allocations.items() if (i, s) == pair), ZERO)
    committed = moved(movements, model.IMPEGNO, source=new.source, intervention=new.intervention)
    if committed + new.amount > allocated:
        raise InvalidPlanData(_("L'impegno supera quanto il piano assegna all'intervento da "
                                "questa fonte nel triennio, contando i buoni servizio già "
                                "impegnati: restano da impegnare ${left}.",
                                mapping={"left": euro(max(allocated - committed, ZERO))}),
                              {"importo": "oltre l'allocazione"})
