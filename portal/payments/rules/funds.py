"""Fund sources a call's ATS budget is split into (domain.md §1, §6), as data.

The order is the order commitments draw on them when a call does not give its own
[A]: European funds first (the Buoni servizio are FSE-financed in Puglia), then the
national, regional and municipal ones.
"""
from typing import NamedTuple

from portal.i18n import _
from portal.payments.rules.errors import UnknownFund


class Fund(NamedTuple):
    code: str
    title: str  # a translation string
    kind: str  # europeo | statale | regionale | comunale | altre


FUNDS = (
    Fund("FSE", _("PR Puglia FESR-FSE+ (Fondo sociale europeo)"), "europeo"),
    Fund("FNPS", _("Fondo nazionale per le politiche sociali"), "statale"),
    Fund("FNA", _("Fondo per le non autosufficienze"), "statale"),
    Fund("POV", _("Fondo povertà (quota servizi)"), "statale"),
    Fund("FGSA", _("Fondo globale socio-assistenziale (regionale)"), "regionale"),
    Fund("REG", _("Altre risorse regionali"), "regionale"),
    Fund("COM", _("Cofinanziamento comunale"), "comunale"),
    Fund("ALT", _("Altre risorse (PNRR, programmi europei)"), "altre"),
)
BY_CODE = {f.code: f for f in FUNDS}
CODES = tuple(f.code for f in FUNDS)
#: where a budget set before funds existed (a single amount per ATS) is put
DEFAULT_FUND = "FSE"


def fund(code):
    """The fund ``code`` names; ``UnknownFund`` otherwise."""
    try:
        return BY_CODE[code]
    except KeyError:
        raise UnknownFund(_("Fonte di finanziamento sconosciuta: «${code}».",
                            mapping={"code": code}), {"fondo": "sconosciuto"}) from None


def ordered(codes):
    """``codes`` in the table's order (the order commitments draw on them)."""
    for code in codes:
        fund(code)
    return tuple(c for c in CODES if c in set(codes))
