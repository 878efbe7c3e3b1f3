"""One month of service in money (domain.md §4): the fee in force, the family and voucher
shares, and the checks an attestation must pass.

The split is the call's co-payment scheme applied to the tariff in force that month
(so a tariff change mid-year changes the months after it, never the months before).
Absences and partial months are rules on the call (``call.attestation``), as data
[A, domain.md §12 lists them as open questions]; the defaults are:

* ``absences: "none"``: absences do not reduce the voucher (domain.md §4);
  ``"proportional"``: voucher × attended ÷ open days; ``"minimum"``: the same, but only
  when attendance falls below ``minimum_attendance`` per cent of the open days;
* ``partial_month: "full"``: a month begun or ended part way is paid in full;
  ``"proportional"``: voucher × open days ÷ the unit's open days in the whole month.

The family share never changes with absences: what the voucher does not cover is
not paid by the ATS (the provider's invoice is the voucher share).
"""
import calendar
from dataclasses import dataclass
from datetime import date

from content_types.values import ZERO, cents, euro, percent, to_decimal
from portal.i18n import _
from portal.payments.rules.errors import AttestationRefused

HUNDRED = to_decimal(100)
ABSENCE_MODES = ("none", "proportional", "minimum")
PARTIAL_MODES = ("full", "proportional")


# -- months -------------------------------------------------------------------------------
def parse_month(text):
    """The first day of the month written «2025-10»; ``AttestationRefused`` otherwise."""
    text = (text or "").strip()
    try:
        year, month = text.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError(text)
        return date(int(year), int(month), 1)
    except ValueError:
        raise AttestationRefused(_("Mese non valido: «${month}» (usare la forma 2025-10).",
                                   mapping={"month": text}), {"mese": "non valido"}) from None


def month_key(day):
    """«2025-10» for any day of October 2025."""
    return f"{day.year:04d}-{day.month:02d}"


def add_months(day, count):
    index = day.year * 12 + day.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def days_in(month):
    return calendar.monthrange(month.year, month.month)[1]


def funded_months(start, months, period_end=None):
    """The months a voucher pays for: ``months`` from ``start``'s month, not past the period."""
    first = date(start.year, start.month, 1)
    found = []
    for index in range(int(months)):
        month = add_months(first, index)
        if period_end is not None and month > period_end:
            break
        found.append(month_key(month))
    return tuple(found)


# -- rules of the call --------------------------------------------------------------------
@dataclass(frozen=True)
class MonthlyRules:
    absences: str = "none"
    minimum_attendance: object = ZERO  # per cent of the open days, for "minimum"
    partial_month: str = "full"

    @classmethod
    def from_data(cls, data):
        data = data or {}
        absences = data.get("absences", "none")
        partial = data.get("partial_month", "full")
        if absences not in ABSENCE_MODES or partial not in PARTIAL_MODES:
            raise AttestationRefused(_("Regole delle attestazioni non valide nell'avviso."))
        minimum = to_decimal(data.get("minimum_attendance", 0))
        if not ZERO <= minimum <= HUNDRED:
            raise AttestationRefused(_("La frequenza minima è una percentuale tra 0 e 100."))
        return cls(absences, minimum, partial)

    def to_data(self):
        return {"absences": self.absences, "minimum_attendance": str(self.minimum_attendance),
                "partial_month": self.partial_month}


@dataclass(frozen=True)
class Attendance:
    """What the provider attests for one month."""

    open_days: int
    attended_days: int
    absences: int
    full_time: bool = True
    #: the unit's open days in the whole month (a partial month has fewer ``open_days``)
    month_open_days: int = None

    @property
    def whole_month_days(self):
        return self.month_open_days if self.month_open_days is not None else self.open_days


@dataclass(frozen=True)
class MonthlyAmounts:
    tariff: object
    fee: object
    family: object
    voucher: object
    explanation: str


def amounts(scheme, isee, tariff, attendance, rules=None, disabled=False):
    """The month's fee, family share and voucher share, with the computation in words."""
    rules = rules or MonthlyRules()
    tariff = cents(tariff)
    fee = scheme.monthly_fee(tariff, full_time=attendance.full_time, disabled=disabled)
    share = scheme.share(isee, fee)
    voucher = share.voucher
    words = [f"Tariffa del mese {euro(tariff)}."]
    if fee != tariff:
        words.append(f"Retta considerata {euro(fee)} (tempo pieno con disabilità).")
    words.append(share.explanation)
    open_days = attendance.open_days
    if rules.partial_month == "proportional" and open_days < attendance.whole_month_days:
        voucher = cents(voucher * open_days / attendance.whole_month_days)
        words.append(f"Mese parziale: buono × {open_days}/{attendance.whole_month_days} "
                     f"giorni = {euro(voucher)}.")
    ratio = (to_decimal(attendance.attended_days) / open_days) if open_days else ZERO
    reduce = (rules.absences == "proportional"
              or (rules.absences == "minimum" and ratio * HUNDRED < rules.minimum_attendance))
    if reduce and open_days and attendance.attended_days < open_days:
        voucher = cents(voucher * attendance.attended_days / open_days)
        words.append(f"Assenze: buono × {attendance.attended_days}/{open_days} presenze = "
                     f"{euro(voucher)}.")
    elif attendance.absences:
        minimum = (f" (frequenza {percent(cents(ratio * HUNDRED))}, minima "
                   f"{percent(rules.minimum_attendance)})" if rules.absences == "minimum" else "")
        words.append(f"Le {attendance.absences} assenze non riducono il buono{minimum}.")
    return MonthlyAmounts(tariff, fee, share.family, voucher, " ".join(words))


# -- checks -------------------------------------------------------------------------------
def failures(attendance, month, *, funded, today, taken=(), invoice_amount=None,
             voucher=None):
    """``{field: Italian message}`` of every rule the attestation breaks (empty: it passes).

    ``funded``: the months the voucher pays for; ``taken``: months already attested;
    ``today``: the date in Rome (a month after it is in the future).
    """
    found = {}
    numbers = (("giorni_apertura", attendance.open_days), ("presenze", attendance.attended_days),
               ("assenze", attendance.absences))
    for field, value in numbers:
        if value is None or value < 0:
            found[field] = _("Il numero di giorni non può essere negativo.")
    if found:
        return found
    key = month_key(month)
    if attendance.open_days == 0:
        found["giorni_apertura"] = _("Indicare i giorni di apertura del mese (almeno 1).")
    elif attendance.open_days > days_in(month):
        found["giorni_apertura"] = _("I giorni di apertura (${days}) superano i giorni del mese.",
                                     mapping={"days": attendance.open_days})
    if attendance.attended_days > attendance.open_days:
        found["presenze"] = _("Le presenze (${attended}) superano i giorni di apertura (${open}).",
                              mapping={"attended": attendance.attended_days,
                                       "open": attendance.open_days})
    elif attendance.absences != attendance.open_days - attendance.attended_days:
        found["assenze"] = _("Le assenze devono essere i giorni di apertura meno le presenze "
                             "(${expected}).",
                             mapping={"expected": attendance.open_days - attendance.attended_days})
    whole = attendance.month_open_days
    if whole is not None and (whole < attendance.open_days or whole > days_in(month)):
        found["giorni_apertura_mese"] = _("I giorni di apertura del mese intero devono essere "
                                          "almeno quelli attestati e non più dei giorni del mese.")
    if month > date(today.year, today.month, 1):
        found["mese"] = _("Il mese ${month} è nel futuro: si attesta un mese già iniziato.",
                          mapping={"month": key})
    elif key not in funded:
        found["mese"] = _("Il mese ${month} è fuori dal periodo finanziato (${first} – ${last}).",
                          mapping={"month": key, "first": funded[0] if funded else "—",
                                   "last": funded[-1] if funded else "—"})
    elif key in taken:
        found["mese"] = _("Esiste già un'attestazione per il mese ${month}.",
                          mapping={"month": key})
    if invoice_amount is not None and voucher is not None and cents(invoice_amount) != voucher:
        found["importo_fattura"] = _("L'importo della fattura (${invoice}) deve essere uguale "
                                     "alla quota del buono calcolata (${voucher}).",
                                     mapping={"invoice": euro(invoice_amount),
                                              "voucher": euro(voucher)})
    return found


def check(attendance, month, **context):
    """Raise ``AttestationRefused`` with every failure, or return None."""
    found = failures(attendance, month, **context)
    if found:
        first = next(iter(found.values()))
        raise AttestationRefused(first, found)
