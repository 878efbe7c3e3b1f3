"""Who a person is: the codice fiscale (python-stdnum, omocodia accepted) and what it says.

The code carries the birth date, the sex and the birth place: the registry derives them
instead of asking twice, and refuses a declared value that disagrees.
"""
from dataclasses import dataclass
from datetime import date

from portal.applications.rules import fiscal
from portal.applications.rules.errors import InvalidFiscalCode
from portal.i18n import _
from portal.people.rules.errors import InvalidPersonData

#: omocodia: the digits of positions 7, 8, 10, 11, 13, 14, 15 (1-based) may be these letters
_OMOCODE = {letter: str(digit) for digit, letter in enumerate("LMNPQRSTUV")}
#: SIUSS Anagrafica: Cognome and Nome at most 36 characters
NAME_MAX = 36
SEXES = ("M", "F")


@dataclass(frozen=True)
class Identity:
    """What a valid personal codice fiscale says."""

    fiscal_code: str
    birth_date: date
    sex: str
    birth_place: str  # Belfiore code, Z### abroad

    @property
    def born_abroad(self):
        return self.birth_place.startswith("Z")


def birth_place(code):
    """The Belfiore code in positions 12–15, with omocodic digits put back."""
    letter, digits = code[11], code[12:15]
    return letter + "".join(_OMOCODE.get(c, c) for c in digits)


def identity(value, on=None):
    """The ``Identity`` of a personal code, or ``InvalidPersonData`` saying what is wrong."""
    try:
        code = fiscal.validate(value)
        born = fiscal.birth_date(code, on=on)
    except InvalidFiscalCode as exc:
        raise InvalidPersonData(exc.message, {"fiscal_code": exc.message}) from None
    return Identity(code, born, fiscal.sex(code), birth_place(code))


def check_names(first_name, last_name):
    """Both names given, within what SIUSS accepts; returns them stripped."""
    problems = {}
    names = {}
    for field, given, label in (("first_name", first_name, _("Il nome")),
                                ("last_name", last_name, _("Il cognome"))):
        value = " ".join((given or "").split())
        if not value:
            problems[field] = _("${label} è obbligatorio.", mapping={"label": label})
        elif len(value) > NAME_MAX:
            problems[field] = _("${label} supera i ${max} caratteri.",
                                mapping={"label": label, "max": NAME_MAX})
        names[field] = value
    if problems:
        raise InvalidPersonData(None, problems)
    return names["first_name"], names["last_name"]


def check_declared(found, birth_date=None, sex=None):
    """A declared birth date or sex must agree with the code."""
    problems = {}
    if birth_date is not None and birth_date != found.birth_date and (
            (birth_date.day, birth_date.month, birth_date.year % 100)
            != (found.birth_date.day, found.birth_date.month, found.birth_date.year % 100)):
        problems["birth_date"] = _("La data di nascita non corrisponde al codice fiscale.")
    if sex and sex != found.sex:
        problems["sex"] = _("Il sesso non corrisponde al codice fiscale.")
    if problems:
        raise InvalidPersonData(None, problems)
