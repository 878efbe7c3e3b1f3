"""Family co-payment and voucher from the call's bands (domain.md §4), as data.

Two schemes, both chosen and parametrised by the call:

* ``children``: the family pays a fixed quota plus a percentage of the residual
  fee (fee − fixed quota); the voucher is the rest of the fee.
* ``elderly`` (elderly and disabled adults): the voucher covers a percentage of
  the fee net of the monthly *franchigia*; the family pays the rest.

Bands are upper-inclusive: a band ``up_to`` 13,000 holds every ISEE above the
previous band's ``up_to`` and ≤ 13,000. Every amount is rounded half-up to cents.
"""
from dataclasses import dataclass

from content_types.values import ZERO, cents, euro, percent, to_decimal
from portal.applications.rules.errors import InvalidRules
from portal.i18n import _

HUNDRED = to_decimal(100)

#: Avviso 1/2017, children 3–36 months [V S5] (the source stops at € 25,000)
AVVISO_2017_CHILDREN_BANDS = (
    {"up_to": "2000", "fixed": "20", "percent": "0"},
    {"up_to": "7500", "fixed": "30", "percent": "5"},
    {"up_to": "10000", "fixed": "35", "percent": "10"},
    {"up_to": "13000", "fixed": "45", "percent": "20"},
    {"up_to": "15000", "fixed": "60", "percent": "30"},
    {"up_to": "20000", "fixed": "75", "percent": "40"},
    {"up_to": "25000", "fixed": "90", "percent": "50"},
)


@dataclass(frozen=True)
class Band:
    """One ISEE band: ``up_to`` inclusive (None = no upper bound)."""

    up_to: object  # Decimal or None
    fixed: object = ZERO  # children: fixed monthly quota paid by the family
    percent: object = ZERO  # children: % of the residual fee paid by the family
    coverage: object = ZERO  # elderly: % of (fee − franchigia) covered by the voucher

    @classmethod
    def from_data(cls, data):
        up_to = data.get("up_to")
        return cls(
            up_to=None if up_to in (None, "") else to_decimal(up_to),
            fixed=to_decimal(data.get("fixed", 0)),
            percent=to_decimal(data.get("percent", 0)),
            coverage=to_decimal(data.get("coverage", 0)),
        )


@dataclass(frozen=True)
class Share:
    """The monthly split of one fee: what the family pays and what the voucher covers."""

    fee: object
    family: object
    voucher: object
    band_index: int
    explanation: str

    def total_voucher(self, months):
        return cents(self.voucher * int(months))


def _band_label(bands, index):
    low = bands[index - 1].up_to + to_decimal("0.01") if index else ZERO
    high = bands[index].up_to
    return f"{euro(low)} – {euro(high)}" if high is not None else f"oltre {euro(low)}"


class Scheme:
    """Common part: ordered bands, validated once."""

    name = None

    def __init__(self, bands):
        self.bands = tuple(b if isinstance(b, Band) else Band.from_data(b) for b in bands)
        if not self.bands:
            raise InvalidRules(_("Le fasce di compartecipazione sono vuote."))
        previous = None
        for i, band in enumerate(self.bands):
            if band.up_to is None and i != len(self.bands) - 1:
                raise InvalidRules(_("Solo l'ultima fascia può non avere un limite superiore."))
            if band.up_to is not None and previous is not None and band.up_to <= previous:
                raise InvalidRules(_("Le fasce ISEE devono essere in ordine crescente."))
            previous = band.up_to
        self._check_bands()

    def _check_bands(self):
        pass

    def covers(self, isee):
        """True if some band holds ``isee`` (a call checks its threshold is covered)."""
        last = self.bands[-1].up_to
        return last is None or to_decimal(isee) <= last

    def band_for(self, isee):
        isee = to_decimal(isee)
        if isee < 0:
            raise InvalidRules(_("L'ISEE non può essere negativo."))
        for index, band in enumerate(self.bands):
            if band.up_to is None or isee <= band.up_to:
                return index, band
        raise InvalidRules(
            _("Nessuna fascia di compartecipazione è prevista per un ISEE di ${isee}.",
              mapping={"isee": euro(isee)}))

    def to_data(self):
        raise NotImplementedError


class ChildrenScheme(Scheme):
    """Fixed quota + percentage of the residual fee (Avviso 1/2017 and later)."""

    name = "children"

    def __init__(self, bands=AVVISO_2017_CHILDREN_BANDS, free_up_to=None,
                 disabled_full_time_multiplier=2):
        super().__init__(bands)
        self.free_up_to = None if free_up_to in (None, "") else to_decimal(free_up_to)
        self.disabled_full_time_multiplier = to_decimal(disabled_full_time_multiplier)

    def _check_bands(self):
        for band in self.bands:
            if band.fixed < 0 or not ZERO <= band.percent <= HUNDRED:
                raise InvalidRules(_("Quota fissa e percentuale devono essere tra 0 e 100."))

    def monthly_fee(self, fee, *, full_time=True, disabled=False):
        """The fee the split applies to: doubled for a disabled child at full time [V S7]."""
        fee = cents(fee)
        if disabled and full_time:
            return cents(fee * self.disabled_full_time_multiplier)
        return fee

    def share(self, isee, fee):
        isee, fee = to_decimal(isee), cents(fee)
        if fee < 0:
            raise InvalidRules(_("La tariffa non può essere negativa."))
        index, band = self.band_for(isee)
        if self.free_up_to is not None and isee <= self.free_up_to:
            return Share(fee, ZERO, fee, index,
                         f"ISEE {euro(isee)} fino a {euro(self.free_up_to)}: "
                         f"servizio gratuito per la famiglia; buono {euro(fee)}.")
        fixed = min(cents(band.fixed), fee)
        residual = fee - fixed
        variable = cents(residual * band.percent / HUNDRED)
        family = min(fixed + variable, fee)
        voucher = fee - family
        if band.percent:
            how = (f"quota fissa {euro(fixed)} + {percent(band.percent)} × "
                   f"({euro(fee)} − {euro(fixed)}) = {euro(fixed)} + {euro(variable)}")
        else:
            how = f"quota fissa {euro(fixed)}"
        explanation = (f"Fascia ISEE {_band_label(self.bands, index)}: {how} = "
                       f"{euro(family)} a carico della famiglia; buono {euro(fee)} − "
                       f"{euro(family)} = {euro(voucher)}.")
        return Share(fee, family, voucher, index, explanation)

    def to_data(self):
        return {
            "scheme": self.name,
            "bands": [{"up_to": None if b.up_to is None else str(b.up_to),
                       "fixed": str(b.fixed), "percent": str(b.percent)} for b in self.bands],
            "free_up_to": None if self.free_up_to is None else str(self.free_up_to),
            "disabled_full_time_multiplier": str(self.disabled_full_time_multiplier),
        }


class ElderlyScheme(Scheme):
    """Voucher = coverage% × (fee − franchigia) (elderly and disabled adults, day services)."""

    name = "elderly"

    def __init__(self, bands, franchigia="50"):
        super().__init__(bands)
        self.franchigia = cents(franchigia)
        if self.franchigia < 0:
            raise InvalidRules(_("La franchigia non può essere negativa."))

    def _check_bands(self):
        for band in self.bands:
            if not ZERO <= band.coverage <= HUNDRED:
                raise InvalidRules(_("La copertura del buono è una percentuale tra 0 e 100."))

    def monthly_fee(self, fee, *, full_time=True, disabled=False):
        return cents(fee)

    def share(self, isee, fee):
        isee, fee = to_decimal(isee), cents(fee)
        if fee < 0:
            raise InvalidRules(_("La tariffa non può essere negativa."))
        index, band = self.band_for(isee)
        base = max(fee - self.franchigia, ZERO)
        voucher = cents(base * band.coverage / HUNDRED)
        family = fee - voucher
        explanation = (f"Fascia ISEE {_band_label(self.bands, index)}: buono "
                       f"{percent(band.coverage)} × ({euro(fee)} − franchigia "
                       f"{euro(self.franchigia)}) = {euro(voucher)}; a carico della famiglia "
                       f"{euro(fee)} − {euro(voucher)} = {euro(family)}.")
        return Share(fee, family, voucher, index, explanation)

    def to_data(self):
        return {
            "scheme": self.name,
            "bands": [{"up_to": None if b.up_to is None else str(b.up_to),
                       "coverage": str(b.coverage)} for b in self.bands],
            "franchigia": str(self.franchigia),
        }


SCHEMES = {"children": ChildrenScheme, "elderly": ElderlyScheme}


def scheme_from_data(data):
    """The scheme a call stores as plain data (``{"scheme": "children", "bands": [...]}``)."""
    data = dict(data or {})
    kind = data.pop("scheme", None)
    if kind not in SCHEMES:
        raise InvalidRules(_("Schema di compartecipazione sconosciuto: «${kind}».", mapping={"kind": kind}))
    try:
        return SCHEMES[kind](**data)
    except TypeError as exc:
        raise InvalidRules(_("Parametri dello schema non validi: ${reason}.",
                             mapping={"reason": exc})) from None
