"""Codice fiscale: validation, birth date and sex (omocodia accepted), via python-stdnum."""

from stdnum.it import codicefiscale

from content_types.values import rome_today
from portal.applications.rules.errors import InvalidFiscalCode
from portal.i18n import _


def normalize(value):
    """Upper-case, without spaces."""
    return codicefiscale.compact(value or "")


def validate(value, label="codice fiscale"):
    """The normalized personal code, or ``InvalidFiscalCode`` saying what is wrong."""
    code = normalize(value)
    if len(code) != 16:
        raise InvalidFiscalCode(
            _("Il ${label} «${code}» non è valido: deve avere 16 caratteri (ne ha ${length}).",
              mapping={"label": label, "code": code, "length": len(code)}),
            {"codice_fiscale": "lunghezza"})
    try:
        codicefiscale.validate(code)
    except codicefiscale.InvalidChecksum:
        raise InvalidFiscalCode(
            _("Il ${label} «${code}» non è valido: il carattere di controllo non corrisponde (verificare di "
              "averlo trascritto correttamente).", mapping={"label": label, "code": code}),
            {"codice_fiscale": "controllo"}) from None
    except codicefiscale.ValidationError:
        raise InvalidFiscalCode(
            _("Il ${label} «${code}» non è valido: il formato non è quello di un codice fiscale personale.",
              mapping={"label": label, "code": code}), {"codice_fiscale": "formato"}) from None
    return code


def birth_date(value, on=None):
    """The birth date in the code, taking the latest century not after ``on`` (default today).

    The code keeps only two digits of the year: a child born in 2023 and a person
    born in 1923 share them, so the most recent plausible date wins; pass the
    declared birth date through ``check_birth_date`` when centenarians matter.
    """
    code = validate(value)
    on = on or rome_today()
    found = codicefiscale.get_birth_date(code, minyear=on.year - 99)
    if found > on:
        found = found.replace(year=found.year - 100)
    return found


def check_birth_date(value, declared):
    """The declared birth date if it agrees with the code (day, month, two-digit year)."""
    code = validate(value)
    from_code = codicefiscale.get_birth_date(code, minyear=declared.year - declared.year % 100)
    if (from_code.day, from_code.month, from_code.year % 100) != (
            declared.day, declared.month, declared.year % 100):
        raise InvalidFiscalCode(
            _("La data di nascita ${declared} non corrisponde al codice fiscale «${code}».",
              mapping={"declared": format(declared, "%d/%m/%Y"), "code": code}),
            {"data_nascita": "non corrisponde"})
    return declared


def sex(value):
    """«M» or «F»."""
    return codicefiscale.get_gender(validate(value))
