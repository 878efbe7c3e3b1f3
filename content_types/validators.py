"""colander validators for Italian identifiers, built on python-stdnum."""
import re

import colander
from stdnum.it import codicefiscale, iva

_ISTAT_COMUNE = re.compile(r"^\d{6}$")
_BELFIORE = re.compile(r"^[A-Z]\d{3}$")


def fiscal_code(node, value):
    """A personal codice fiscale (16 chars, omocodia accepted)."""
    if not codicefiscale.is_valid(value or ""):
        raise colander.Invalid(node, "Codice fiscale non valido.")


def fiscal_code_or_vat(node, value):
    """A personal codice fiscale or an 11-digit partita IVA / CF of a body."""
    value = value or ""
    if not (codicefiscale.is_valid(value) or iva.is_valid(value)):
        raise colander.Invalid(node, "Codice fiscale o partita IVA non valido.")


def is_personal_code(value):
    """True for a 16-character codice fiscale: it identifies a natural person, not a body."""
    return isinstance(value, str) and len(value) == 16 and codicefiscale.is_valid(value)


def istat_comune(node, value):
    if not _ISTAT_COMUNE.match(value or ""):
        raise colander.Invalid(node, "Il codice ISTAT del comune è di 6 cifre.")


def belfiore(node, value):
    if not _BELFIORE.match(value or ""):
        raise colander.Invalid(
            node, "Il codice catastale è una lettera seguita da 3 cifre (es. A662)."
        )


def normalize_code(value):
    """Upper-case and strip spaces (colander ``preparer``)."""
    if isinstance(value, str):
        return value.replace(" ", "").upper()
    return value
