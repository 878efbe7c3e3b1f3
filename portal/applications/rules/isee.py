"""ISEE attestations: the provider interface, a CSV registry kept by the ATS, manual entry.

The real source (INPS via PDND, *ConsultazioneISEE*) is not reachable from here.
A future adapter implements ``IseeProvider.lookup``: the PDND e-service needs the
beneficiary's tax code, the reference date, the INPS benefit code, the body's
application protocol and its state ("Da Erogare"/"Erogata") (domain.md §7); it
must map INPS indicator types to ``ISEE_TYPES`` and return an ``IseeAttestation``
with ``source="inps"`` (or raise ``IseeNotFound``). Only the indicator, its
protocol and dates are kept (GDPR minimisation, domain.md §11).
"""
import csv
import io
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from BTrees.OOBTree import OOBTree
from persistent import Persistent

from content_types.values import cents, euro, parse_day
from portal.applications.rules import fiscal
from portal.applications.rules.errors import (
    BenefitError,
    InvalidFiscalCode,
    IseeImportError,
    IseeNotFound,
    MissingAttachment,
)
from portal.i18n import _

#: indicator type -> Italian title
ISEE_TYPES = {
    "ordinario": "ISEE ordinario",
    "minorenni": "ISEE minorenni",
    "universita": "ISEE università",
    "socio_sanitario": "ISEE socio-sanitario (nucleo ristretto)",
    "residenziale": "ISEE socio-sanitario residenziale",
    "corrente": "ISEE corrente",
}
PROTOCOL_PATTERN = re.compile(r"^INPS-ISEE-\d{4}-\d{8}[A-Z]-\d{2}$")
PROTOCOL_MAX = 30  # SIUSS NumeroProtocolloDSU


def protocol_warnings(protocol):
    """Italian warnings about a DSU protocol: a wrong format is reported, never refused."""
    warnings = []
    if not PROTOCOL_PATTERN.match(protocol or ""):
        warnings.append(
            f"Il protocollo DSU «{protocol}» non ha il formato atteso "
            "INPS-ISEE-AAAA-NNNNNNNNX-NN: verificarlo sull'attestazione.")
    if len(protocol or "") > PROTOCOL_MAX:
        warnings.append(f"Il protocollo DSU supera i {PROTOCOL_MAX} caratteri ammessi da SIUSS.")
    return tuple(warnings)


def dsu_valid_until(dsu_date):
    """A DSU is valid until 31 December of the year it was filed (DL 34/2019)."""
    return date(dsu_date.year, 12, 31)


@dataclass(frozen=True)
class IseeAttestation:
    """What the portal keeps of an ISEE attestation."""

    fiscal_code: str  # the person the indicator is for (beneficiary)
    protocol: str
    isee_type: str
    value: object  # Decimal
    dsu_date: date
    discrepancies: bool = False  # omissioni/difformità
    source: str = "csv"  # csv | manual | inps
    needs_check: bool = False  # manual entries wait for an officer's check
    attachment_uid: str = None
    entered_by: str = None
    warnings: tuple = field(default_factory=tuple)

    @property
    def valid_until(self):
        return dsu_valid_until(self.dsu_date)

    def is_valid_on(self, day):
        return self.dsu_date <= day <= self.valid_until

    def describe(self):
        return (f"{ISEE_TYPES.get(self.isee_type, self.isee_type)} {euro(self.value)} "
                f"(DSU {self.protocol} del {self.dsu_date:%d/%m/%Y}, valida fino al "
                f"{self.valid_until:%d/%m/%Y})")

    def to_data(self):
        """Plain values for storing on an application."""
        return {
            "fiscal_code": self.fiscal_code, "protocol": self.protocol,
            "isee_type": self.isee_type, "value": str(self.value),
            "dsu_date": self.dsu_date.isoformat(), "discrepancies": self.discrepancies,
            "source": self.source, "needs_check": self.needs_check,
            "attachment_uid": self.attachment_uid, "entered_by": self.entered_by,
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_data(cls, data):
        return cls(
            fiscal_code=data["fiscal_code"], protocol=data["protocol"],
            isee_type=data["isee_type"], value=cents(data["value"]),
            dsu_date=date.fromisoformat(data["dsu_date"]),
            discrepancies=bool(data.get("discrepancies")), source=data.get("source", "csv"),
            needs_check=bool(data.get("needs_check")),
            attachment_uid=data.get("attachment_uid"), entered_by=data.get("entered_by"),
            warnings=tuple(data.get("warnings") or ()),
        )


def make_attestation(fiscal_code, protocol, isee_type, value, dsu_date, **extra):
    """A checked attestation: bad values raise, a strange protocol only warns."""
    code = fiscal.validate(fiscal_code)
    protocol = (protocol or "").strip().upper()
    if not protocol:
        raise BenefitError(_("Il protocollo della DSU è obbligatorio."), {"protocollo": "vuoto"})
    if isee_type not in ISEE_TYPES:
        raise BenefitError(
            _("Tipo di ISEE sconosciuto: «${isee_type}». Valori ammessi: ${allowed}.",
              mapping={"isee_type": isee_type, "allowed": ", ".join(ISEE_TYPES)}),
            {"tipo_isee": "sconosciuto"})
    try:
        amount = cents(value)
    except (ValueError, TypeError):
        raise BenefitError(_("Valore ISEE non valido: «${value}».", mapping={"value": value}),
                           {"valore": "non valido"}) from None
    if amount < 0:
        raise BenefitError(_("Il valore ISEE non può essere negativo."), {"valore": "negativo"})
    if isinstance(dsu_date, datetime):
        dsu_date = dsu_date.date()
    warnings = protocol_warnings(protocol) + tuple(extra.pop("warnings", ()))
    return IseeAttestation(code, protocol, isee_type, amount, dsu_date,
                           warnings=warnings, **extra)


class IseeProvider:
    """Where attestations come from; implementations: ``IseeRegistry`` now, INPS/PDND later."""

    def lookup(self, fiscal_code, on, isee_types=None):
        """The most recent attestation for ``fiscal_code`` valid on ``on``.

        ``isee_types`` (optional) restricts the indicator types; raises
        ``IseeNotFound`` with an Italian message when none applies.
        """
        raise NotImplementedError


def _pick(candidates, fiscal_code, on, isee_types):
    if not candidates:
        raise IseeNotFound(
            _("Nessuna attestazione ISEE trovata per il codice fiscale ${fiscal_code}.",
              mapping={"fiscal_code": fiscal_code}))
    typed = [a for a in candidates if not isee_types or a.isee_type in isee_types]
    if not typed:
        found = ", ".join(sorted({ISEE_TYPES[a.isee_type] for a in candidates}))
        wanted = ", ".join(ISEE_TYPES.get(t, t) for t in isee_types)
        raise IseeNotFound(
            _("Per il codice fiscale ${fiscal_code} risultano solo attestazioni di tipo ${found}; l'avviso "
              "richiede: ${wanted}.", mapping={"fiscal_code": fiscal_code, "found": found, "wanted": wanted}))
    valid = [a for a in typed if a.is_valid_on(on)]
    if not valid:
        earlier = [a for a in typed if a.dsu_date <= on]
        if not earlier:
            raise IseeNotFound(
                _("Per il codice fiscale ${fiscal_code} non risulta una DSU presentata entro il ${on}.",
                  mapping={"fiscal_code": fiscal_code, "on": format(on, "%d/%m/%Y")}))
        latest = max(earlier, key=lambda a: a.dsu_date)
        raise IseeNotFound(
            _("L'attestazione ISEE per il codice fiscale ${fiscal_code} (DSU del ${dsu_date}) è scaduta il "
              "${valid_until}: occorre presentare una nuova DSU.",
              mapping={"fiscal_code": fiscal_code, "dsu_date": format(latest.dsu_date, "%d/%m/%Y"),
                       "valid_until": format(latest.valid_until, "%d/%m/%Y")}))
    return max(valid, key=lambda a: (a.dsu_date, a.protocol))


CSV_COLUMNS = ("codice_fiscale", "protocollo_dsu", "tipo_isee", "valore_isee", "data_dsu")
CSV_OPTIONAL = ("omissioni_difformita",)


@dataclass(frozen=True)
class ImportReport:
    """The outcome of loading a CSV: how many rows, and warnings by row."""

    loaded: int
    warnings: dict


def parse_csv(text):
    """Attestations from CSV text (``;`` or ``,``); every bad row is reported, none loaded."""
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise IseeImportError(
            _("Il file CSV non ha le colonne obbligatorie: ${missing}. Intestazione attesa: ${header}.",
              mapping={"missing": ", ".join(missing), "header": ";".join(CSV_COLUMNS + CSV_OPTIONAL)}),
            {"intestazione": "colonne mancanti"})
    reader.fieldnames = header
    rows, errors, warnings = [], {}, {}
    for number, row in enumerate(reader, start=2):
        where = f"riga {number}"
        try:
            dsu_date = parse_day(row.get("data_dsu"))
        except ValueError:
            errors[where] = f"data DSU non valida «{row.get('data_dsu')}» (usare GG/MM/AAAA)."
            continue
        flag = (row.get("omissioni_difformita") or "").strip().lower() in ("1", "si", "sì", "s", "true")
        try:
            attestation = make_attestation(
                row.get("codice_fiscale"), row.get("protocollo_dsu"),
                (row.get("tipo_isee") or "").strip().lower(), (row.get("valore_isee") or "").strip(),
                dsu_date, discrepancies=flag, source="csv")
        except BenefitError as exc:
            errors[where] = exc.message
            continue
        if attestation.warnings:
            warnings[where] = " ".join(attestation.warnings)
        rows.append(attestation)
    if errors:
        raise IseeImportError(
            _("Il file contiene ${count} righe non valide: nessuna attestazione è stata caricata. "
              "Correggere le righe indicate e caricarlo di nuovo.",
              mapping={"count": len(errors)}), errors)
    return rows, warnings


class IseeRegistry(Persistent, IseeProvider):
    """Attestations kept by an ATS (loaded from CSV or entered by an officer), by tax code."""

    def __init__(self):
        self._by_code = OOBTree()  # fiscal code -> tuple of IseeAttestation

    def entries(self):
        """Every attestation kept, grouped by tax code (for the officer's registry page)."""
        for attestations in self._by_code.values():
            yield from attestations

    def add(self, attestation):
        current = self._by_code.get(attestation.fiscal_code, ())
        kept = tuple(a for a in current if a.protocol != attestation.protocol
                     or a.isee_type != attestation.isee_type)
        self._by_code[attestation.fiscal_code] = kept + (attestation,)
        return attestation

    def load_csv(self, text):
        """Load an ATS CSV registry (all or nothing) and report protocol warnings."""
        rows, warnings = parse_csv(text)
        for attestation in rows:
            self.add(attestation)
        return ImportReport(len(rows), warnings)

    def add_manual(self, fiscal_code, protocol, isee_type, value, dsu_date, *, entered_by,
                   attachment_uid):
        """An officer's manual entry: the attestation PDF is required; it waits for a check."""
        if not attachment_uid:
            raise MissingAttachment(
                _("Per l'inserimento manuale dell'ISEE occorre allegare l'attestazione INPS in PDF."),
                {"allegato": "obbligatorio"})
        return self.add(make_attestation(
            fiscal_code, protocol, isee_type, value, dsu_date, source="manual",
            needs_check=True, entered_by=entered_by, attachment_uid=attachment_uid))

    def mark_checked(self, fiscal_code, protocol):
        """An officer confirmed a manual entry against its attachment."""
        current = self._by_code.get(fiscal_code, ())
        self._by_code[fiscal_code] = tuple(
            replace(a, needs_check=False) if a.protocol == protocol else a for a in current)

    def attestations(self, fiscal_code):
        return self._by_code.get(fiscal.normalize(fiscal_code), ())

    def lookup(self, fiscal_code, on, isee_types=None):
        try:
            code = fiscal.validate(fiscal_code)
        except InvalidFiscalCode as exc:
            raise IseeNotFound(exc.message) from None
        return _pick(self.attestations(code), code, on, isee_types)

    def __len__(self):
        return sum(len(v) for v in self._by_code.values())
