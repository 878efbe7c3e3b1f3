"""The zone plan as values (domain.md §6): sources, availability, co-financing, interventions,
allocations; and the reading of amounts typed by people.

``Plan`` is built by the service from a stored version plus what the ATS and the Region
know (its municipalities, the minimum co-financing): every rule reads only it.
"""
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from content_types.values import CENT, ZERO
from portal.i18n import _
from portal.plans.rules.errors import InvalidPlanData

STATALE, REGIONALE, COMUNALE, RESIDUO, ALTRE = (
    "statale", "regionale", "comunale", "residuo", "altre")
SOURCE_KINDS = (STATALE, REGIONALE, COMUNALE, RESIDUO, ALTRE)
KIND_TITLES = {
    STATALE: _("Fondi statali"),
    REGIONALE: _("Fondi regionali"),
    COMUNALE: _("Cofinanziamento comunale"),
    RESIDUO: _("Residui di cicli precedenti"),
    ALTRE: _("Altre risorse (fuori dal bilancio ordinario)"),
}
#: what the Region pre-fills for every ATS
TRANSFER_KINDS = (STATALE, REGIONALE)
AMBITO, COMUNALE_LEVEL = "AMBITO", "COMUNALE"
LEVELS = (AMBITO, COMUNALE_LEVEL)
LEVEL_TITLES = {AMBITO: _("Di Ambito"), COMUNALE_LEVEL: _("Comunale")}
IMPEGNO, LIQUIDAZIONE = "IMPEGNO", "LIQUIDAZIONE"
MOVEMENT_KINDS = (IMPEGNO, LIQUIDAZIONE)
#: the sections of the editor; each has its own conflict token and the Region's notes
FONTI, COFINANZIAMENTO, INTERVENTI, ALLOCAZIONI = (
    "fonti", "cofinanziamento", "interventi", "allocazioni")
SECTIONS = (FONTI, COFINANZIAMENTO, INTERVENTI, ALLOCAZIONI)
SECTION_TITLES = {
    FONTI: _("Fonti di finanziamento e disponibilità"),
    COFINANZIAMENTO: _("Cofinanziamento dei comuni"),
    INTERVENTI: _("Interventi"),
    ALLOCAZIONI: _("Allocazione delle risorse agli interventi"),
}
#: the national fund whose use the Region monitors (domain.md §6)
FNPS = "FNPS"
#: the largest amount a cell may hold (a typing slip of extra digits is caught)
MAX_AMOUNT = Decimal("999999999999.99")
_GROUPED = re.compile(r"^\d{1,3}\.\d{3}$")


@dataclass(frozen=True)
class Source:
    code: str
    title: str
    kind: str
    #: the ledger fund (portal.payments) the vouchers paid from this source are booked on
    fund: str = ""

    @property
    def ordinary(self):
        """"Other resources" (PNRR, EU programmes) stay outside the ordinary budget."""
        return self.kind != ALTRE


@dataclass(frozen=True)
class Intervention:
    code: str
    title: str
    service: str = ""  # nomenclature service code (§9)
    area: str = ""  # user area (§9)
    objective: str = ""  # FNPS service objective (§9)
    level: str = AMBITO
    municipalities: tuple = ()  # ISTAT codes, for municipal interventions
    description: str = ""
    target: str = ""  # target users
    #: call series whose vouchers count against this intervention (portal.payments ledger)
    voucher_series: tuple = ()


@dataclass(frozen=True)
class Municipality:
    istat: str
    title: str
    inhabitants: int = 0


@dataclass(frozen=True)
class Movement:
    intervention: str
    source: str
    year: int
    kind: str
    amount: Decimal
    act: str = ""


@dataclass(frozen=True)
class Plan:
    years: tuple
    sources: tuple = ()
    availability: Mapping = field(default_factory=dict)  # (source, year) -> Decimal
    cofinancing: Mapping = field(default_factory=dict)  # (istat, year) -> Decimal
    interventions: tuple = ()
    allocations: Mapping = field(default_factory=dict)  # (intervention, source, year) -> Decimal
    #: the ATS's municipalities (the only ones that may co-finance its plan)
    municipalities: tuple = ()
    #: the Region's minimum co-financing, € per inhabitant per year (None: none set)
    min_cofinancing: Decimal = None

    def source(self, code):
        return next((s for s in self.sources if s.code == code), None)

    def intervention(self, code):
        return next((i for i in self.interventions if i.code == code), None)

    def municipality(self, istat):
        return next((m for m in self.municipalities if m.istat == istat), None)

    def available(self, code, year):
        """What a source offers in a year; a municipal source is its municipalities' sum."""
        source = self.source(code)
        if source is not None and source.kind == COMUNALE:
            return sum((v for (_m, y), v in self.cofinancing.items() if y == year), ZERO)
        return self.availability.get((code, year), ZERO)


def from_dicts(years, sources=(), availability=None, cofinancing=None, interventions=(),
               allocations=None, municipalities=(), min_cofinancing=None):
    """A ``Plan`` from the stored form (dicts), as ``PlanVersion`` keeps it."""
    return Plan(
        years=tuple(years),
        sources=tuple(Source(**s) for s in sources),
        availability=dict(availability or {}),
        cofinancing=dict(cofinancing or {}),
        interventions=tuple(Intervention(**{**i, "municipalities": tuple(i.get("municipalities", ())),
                                            "voucher_series": tuple(i.get("voucher_series", ()))})
                            for i in interventions),
        allocations=dict(allocations or {}),
        municipalities=tuple(municipalities),
        min_cofinancing=min_cofinancing,
    )


def source_dict(source):
    return {"code": source.code, "title": source.title, "kind": source.kind, "fund": source.fund}


def intervention_dict(intervention):
    return {name: getattr(intervention, name) for name in Intervention.__dataclass_fields__}


class AmountError(InvalidPlanData):
    """An amount people typed that is not one: ``message`` says why, in Italian.

    The section readers catch it and name the cell; one that escapes is a 422, never a 5xx.
    """

    code = "invalid_amount"


def parse_amount(text, *, blank=ZERO):
    """A Decimal in cents from «12.450,00», «12450.00» or «12450»; blank is ``blank``.

    Raises ``AmountError`` for a non-number, a negative amount, more than two decimals
    or an amount beyond any budget.
    """
    if isinstance(text, Decimal):
        raw = text
    else:
        cleaned = (text or "").strip().replace("€", "").replace(" ", "").replace("\u00a0", "")
        if not cleaned:
            return blank
        if "," in cleaned:
            cleaned = cleaned.replace(".", "").replace(",", ".")
        elif cleaned.count(".") > 1 or _GROUPED.match(cleaned):
            # «1.250.000» or «1.250»: dots grouping thousands (Italian), not a decimal mark
            cleaned = cleaned.replace(".", "")
        try:
            raw = Decimal(cleaned)
        except InvalidOperation:
            raise AmountError(_("«${text}» non è un importo: scrivere ad esempio 12.450,00.",
                                mapping={"text": text.strip()[:40]})) from None
    if not raw.is_finite():
        raise AmountError(_("«${text}» non è un importo.", mapping={"text": str(text)[:40]}))
    if raw < 0:
        raise AmountError(_("L'importo non può essere negativo."))
    if raw > MAX_AMOUNT:  # first: quantizing 30 digits or more is an InvalidOperation
        raise AmountError(_("L'importo è troppo grande: controllare le cifre."))
    if raw != raw.quantize(CENT):
        raise AmountError(_("L'importo ha al massimo due decimali (i centesimi)."))
    return raw.quantize(CENT)
