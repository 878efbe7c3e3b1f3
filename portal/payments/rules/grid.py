"""The provider's monthly grid as pure rules: prefilled values and the reading of typed numbers."""
import calendar
from datetime import date

from portal.i18n import _
from portal.payments.rules.monthly import add_months, month_key

#: Monday to Friday (``date.weekday()``)
WORKING = range(5)
#: how many past months the grid's month selector offers
SELECTABLE_MONTHS = 13


def working_days(month):
    """The days Monday to Friday of ``month`` (a date): the open days when nothing else is known."""
    total = calendar.monthrange(month.year, month.month)[1]
    return sum(1 for day in range(1, total + 1)
               if date(month.year, month.month, day).weekday() in WORKING)


def prefilled_open_days(month, previous_open_days=None):
    """The previous month's open days if there is one, else the working days of ``month``."""
    if previous_open_days is not None:
        return min(int(previous_open_days), calendar.monthrange(month.year, month.month)[1])
    return working_days(month)


def selectable_months(today, count=SELECTABLE_MONTHS):
    """Month keys the selector offers, newest first: this month and the past ones, never the future."""
    this = date(today.year, today.month, 1)
    return tuple(month_key(add_months(this, -index)) for index in range(count))


def previous_month(month):
    return month_key(add_months(month, -1))


def parse_count(value, field):
    """A typed whole number of days, or ``(None, message)``; negatives are kept for the rule check."""
    text = str(value if value is not None else "").strip()
    if not text:
        return None, _("Indicare un numero di giorni.")
    try:
        number = int(text)
    except ValueError:
        return None, _("«${value}» non è un numero intero di giorni.", mapping={"value": text})
    if abs(number) > 1000:
        return None, _("«${value}» non è un numero di giorni plausibile.", mapping={"value": text})
    return number, None


def parse_flag(value):
    """A checkbox or select value meaning full time."""
    return str(value or "").strip().lower() in ("1", "true", "on", "si", "sì", "pieno")
