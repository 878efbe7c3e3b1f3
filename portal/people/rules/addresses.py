"""Addresses with ISTAT codes, as SIUSS wants them (region 2 digits, comune 6, nation 3)."""
import re

from portal.i18n import _
from portal.people.rules.errors import InvalidPersonData

ITALY = "380"
KINDS = {"residence": _("Residenza"), "domicile": _("Domicilio")}
_REGION, _COMUNE, _NATION = re.compile(r"^\d{2}$"), re.compile(r"^\d{6}$"), re.compile(r"^\d{3}$")


def address(kind, street, istat, region, nation=ITALY):
    """A checked address dict; ``InvalidPersonData`` names each wrong field."""
    problems = {}
    street = " ".join((street or "").split())
    if kind not in KINDS:
        problems["kind"] = _("Tipo di indirizzo non previsto.")
    if not street or len(street) > 200:
        problems["street"] = _("L'indirizzo è obbligatorio (al massimo 200 caratteri).")
    if not _COMUNE.match(istat or ""):
        problems["istat"] = _("Il codice ISTAT del comune è di 6 cifre.")
    if not _REGION.match(region or ""):
        problems["region"] = _("Il codice ISTAT della regione è di 2 cifre.")
    if not _NATION.match(nation or ""):
        problems["nation"] = _("Il codice della nazione è di 3 cifre (Italia: 380).")
    if problems:
        raise InvalidPersonData(None, problems)
    return {"kind": kind, "street": street, "istat": istat, "region": region, "nation": nation}


def residence(addresses):
    """The residence among ``addresses`` (the first one if none is marked)."""
    for item in addresses:
        if item.get("kind") == "residence":
            return item
    return addresses[0] if addresses else None
