"""Synthetic but formally valid Italian identifiers for the demo data (no real person or firm)."""
from stdnum import luhn
from stdnum.it import codicefiscale

MONTHS = "ABCDEHLMPRST"
BARI = "A662"


def vat(seed):
    """A formally valid synthetic partita IVA."""
    body = f"{seed:07d}" + "072"  # 7-digit serial + province office code
    return body + luhn.calc_check_digit(body)


def fiscal_code(surname, name, born, female=False, place=BARI):
    """A valid synthetic codice fiscale from 3+3 letters and a birth date."""
    day = born.day + (40 if female else 0)
    body = f"{surname}{name}{born.year % 100:02d}{MONTHS[born.month - 1]}{day:02d}{place}"
    return body + codicefiscale.calc_check_digit(body)
