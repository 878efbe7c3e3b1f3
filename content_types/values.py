"""Money and time, the values every layer shares: Decimal cents, UTC instants shown in Rome.

Amounts are ``Decimal`` rounded half-up to cents (never floats); instants are timezone-aware
and stored in UTC; both are shown the Italian way through Babel (``it_IT``, ``Europe/Rome``)
on pages, in PDFs and in e-mails alike. Nothing here imports anything of ours.
"""
import functools
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from babel import numbers as babel_numbers

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

#: the one time zone users read times in
ROME = ZoneInfo("Europe/Rome")
#: the locale amounts and dates are shown in
LOCALE = "it_IT"
#: Babel (CLDR) patterns reproducing what users have always read: «€ 1.234,56», «31/01/2025»
MONEY_PATTERN = "¤ #,##0.00"
AMOUNT_PATTERN = "#,##0.00"
DATE_PATTERN = "dd/MM/yyyy"
DATETIME_PATTERN = "dd/MM/yyyy HH:mm"
WHEN_PATTERN = "dd/MM/yyyy 'alle' HH:mm"
#: the ways people type a day: ISO (forms, CSV exports) and the Italian dd/mm/yyyy
DAY_INPUT_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


# -- money ------------------------------------------------------------------------------
def to_decimal(value):
    """A Decimal from a Decimal, int or string («12.450,00» and «12450.00» both accepted)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    text = str(value).strip().replace("€", "").replace(" ", "")
    if "," in text:
        # Italian format: dots group thousands, the comma is the decimal mark
        text = text.replace(".", "").replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not an amount: {value!r}") from None


def cents(value):
    """``value`` rounded half-up to cents."""
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _shown(value):
    # rounded half-up here, not by Babel (half-even), and without a «-0,00»
    amount = cents(value)
    return amount or ZERO


def euro(value):
    """«€ 12.450,00»."""
    return _euro_text(_shown(value))


@functools.lru_cache(maxsize=8192)
def _euro_text(shown):
    # Babel takes 0.3 ms a call and a month's amounts are explained with a dozen of them:
    # the same few thousand amounts recur over a provider's grid (keyed by the rounded value)
    return babel_numbers.format_currency(shown, "EUR", format=MONEY_PATTERN, locale=LOCALE)


def amount(value):
    """«12.450,00»: an amount without the currency sign (tables, schema fields)."""
    return babel_numbers.format_decimal(_shown(value), format=AMOUNT_PATTERN, locale=LOCALE)


def percent(value):
    """«20%» or «7,5%»."""
    text = babel_numbers.format_decimal(to_decimal(value).normalize(), format="0.#",
                                        locale=LOCALE, decimal_quantization=False)
    return text + "%"


# -- time -------------------------------------------------------------------------------
def utcnow():
    """Now, timezone-aware, in UTC (what is stored)."""
    return datetime.now(UTC)


def aware(value):
    """``value`` with a time zone: a naive datetime is taken as UTC, as stored."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def to_local(value):
    """A stored instant as Rome wall-clock time."""
    return aware(value).astimezone(ROME)


def rome_today(now=None):
    """Today's date in Rome (``now`` defaults to the current instant)."""
    return to_local(now or utcnow()).date()


def format_date(value):
    """«31/01/2025»; a datetime shows its day in Rome; None shows as ''."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    if isinstance(value, date):
        return babel_dates.format_date(value, DATE_PATTERN, locale=LOCALE)
    return str(value)


def format_datetime(value):
    """«31/01/2025 14:05» in Rome; a plain date shows as its day; None shows as ''."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _instant(value, DATETIME_PATTERN)
    return format_date(value)


def format_when(value):
    """«15/09/2025 alle 12:00» in Rome: an instant inside an Italian sentence."""
    return _instant(value, WHEN_PATTERN)


def _instant(value, pattern):
    return babel_dates.format_datetime(aware(value), pattern, tzinfo=ROME, locale=LOCALE)


def parse_day(text):
    """The date typed as «2025-01-31» or «31/01/2025»; ``ValueError`` otherwise."""
    text = (text or "").strip()
    for fmt in DAY_INPUT_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a day, no time zone)
        except ValueError:
            continue
    raise ValueError(text)
