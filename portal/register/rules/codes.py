"""The SIUSS benefit codes as data: parsing the table and finding a code in it."""
import csv
import io
from dataclasses import dataclass

from portal.i18n import _
from portal.register.rules.errors import InvalidBenefit, UnknownBenefitCode

NATURES = ("periodic", "one-off")
SIUSS_AREAS = ("1", "2", "3")


@dataclass(frozen=True)
class BenefitCode:
    code: str
    name: str
    siuss_area: str  # AreaUtenza 1/2/3
    service: str  # nomenclature service
    user_area: str  # FAM, DIS, ELD, POV, …
    nature: str  # periodic / one-off
    needs_taking_charge: bool
    sina: bool
    verified: bool

    @property
    def periodic(self):
        return self.nature == "periodic"


def parse_table(text):
    """``{code: BenefitCode}`` from the CSV text; a malformed row is an error naming it."""
    table = {}
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        code, name = (row.get("code") or "").strip(), (row.get("name") or "").strip()
        if not 5 <= len(code) <= 10 or not 10 <= len(name) <= 200 or code in table \
                or row.get("nature") not in NATURES or row.get("siuss_area") not in SIUSS_AREAS:
            raise InvalidBenefit(_("Riga ${row} della tabella delle prestazioni non valida.",
                                   mapping={"row": number}), {"row": str(number)})
        table[code] = BenefitCode(
            code, name, row["siuss_area"], row["service"].strip(), row["user_area"].strip(),
            row["nature"], row["needs_taking_charge"] == "1", row["sina"] == "1",
            row.get("verified") == "1")
    return table


def find(table, code):
    """The ``BenefitCode`` for ``code``, or ``UnknownBenefitCode``."""
    found = table.get((code or "").strip().upper())
    if found is None:
        raise UnknownBenefitCode(
            _("Il codice «${code}» non è nella tabella delle prestazioni SIUSS.",
              mapping={"code": code or ""}), {"siuss_code": _("Codice non in tabella.")})
    return found
