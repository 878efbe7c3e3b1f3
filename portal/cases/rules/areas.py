"""The user areas of a taking charge (SIUSS/ISTAT *aree di utenza*): the case's ``area``."""
from portal.i18n import _

AREAS = {
    "FAM": _("Famiglia e minori"),
    "DIS": _("Disabili"),
    "ELD": _("Anziani"),
    "POV": _("Povertà e disagio adulti"),
    "IMMNOM": _("Immigrati, Rom, Sinti e Caminanti"),
    "ADD": _("Dipendenze"),
    "MULBEN": _("Multiutenza"),
}
