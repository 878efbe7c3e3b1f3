"""The SIUSS / Casellario PS-PSA flow as plain values and its XML (``Flusso``, INPS 2018 XSD).

Values in, an lxml tree out: the element and attribute order, the names and the formats
(dates ISO, amounts with 2 decimals, Genere 1/2) are the XSD's
(``portal/register/data/PS_PSA_SINA201806.xsd``). The checks the schema does not make are
in ``siuss_checks``; which records go in is the service's choice (``portal.register.siuss``).
"""
import functools
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from lxml import etree

NS = "http://inps.it/Casellario"
XSD = Path(__file__).resolve().parents[1] / "data" / "PS_PSA_SINA201806.xsd"
INSERT, CANCEL = "I", "C"
PERIODIC, ONE_OFF = "1", "2"  # CaratterePrestazione
IN_CHARGE, NOT_IN_CHARGE = "1", "2"  # PresaCarico
ISEE = "1"  # PresenzaProvaMezzi: the means test is the ISEE
GENDER = {"M": "1", "F": "2"}
#: SINA attributes in the XSD's order
SINA_ATTRIBUTES = ("Mobilita", "AttivitaVitaQuotidiana", "DisturbiAreaCognitiva",
                   "DisturbiComportamentali", "NecessitaCureSanitarie", "AreaReddituale",
                   "AreaSupporto", "FonteDerivazioneValutazione", "StrumentoValutazione",
                   "FonteDerivazioneInvalidita")


@dataclass(frozen=True)
class Address:
    """``Indirizzo``: ISTAT region (2 digits), municipality (6), nation (3)."""

    region: str = ""
    municipality: str = ""
    nation: str = ""


@dataclass(frozen=True)
class Beneficiary:
    """``Beneficiario`` + ``Anagrafica``: who receives the benefits."""

    fiscal_code: str
    last_name: str = ""
    first_name: str = ""
    birth_year: int | None = None
    birth_place: str = ""  # Belfiore code
    sex: str = ""  # M / F
    citizenship: str = ""  # 3 digits (Italy 380)
    second_citizenship: str = ""
    addresses: tuple = ()  # of Address, at most 5


@dataclass(frozen=True)
class Benefit:
    """``PrestazioniSociali``: one benefit as SIUSS reads it."""

    key: str  # the portal's uid (never written in the XML)
    title: str  # what the error report calls it
    code: str
    name: str
    protocol: str
    operation: str = INSERT
    means_test: str = ""  # PresenzaProvaMezzi 1..4
    nature: str = PERIODIC  # CaratterePrestazione
    dsu_protocol: str = ""
    dsu_year: str = ""
    dsu_date: date | None = None
    event_day: date | None = None  # DataEvento
    start: date | None = None
    end: date | None = None
    day: date | None = None  # DataErogazionePrestazione (one-off)
    amount: Decimal | None = None  # ImportoPrestazione (one-off)
    months: int | None = None  # PeriodoErogazione
    monthly_amount: Decimal | None = None
    public_share: Decimal | None = None
    user_share: Decimal | None = None
    ssn_share: Decimal | None = None
    requested_share: Decimal | None = None
    isee_threshold: Decimal | None = None
    hours: int | None = None  # OreServizioMensile
    in_charge: str = NOT_IN_CHARGE  # PresaCarico
    area: str = ""  # AreaUtenza 1/2/3
    sina: dict | None = None  # fields by XSD name, "needs" (codes), "invalidity" (InvCiv)
    needs_taking_charge: bool = False  # the code table's column (A2.16–A2.29)


@dataclass(frozen=True)
class Record:
    """One ``Beneficiario`` with the benefits sent for them."""

    beneficiary: Beneficiary
    benefits: tuple = field(default_factory=tuple)


@dataclass(frozen=True)
class Body:
    """``Ente``: the ATS sending the flow and the operator sending it."""

    code: str  # ATS-BA99
    title: str
    seat: str  # cadastral code of the lead municipality
    operator: str  # the operator's codice fiscale


def operation(cancelled, sent):
    """What a benefit owes SIUSS: I if never sent, C if sent and now cancelled, else None.

    ``sent``: the operations already transmitted for it, oldest first. A benefit cancelled
    before it was ever sent owes nothing; one sent and unchanged is not sent again.
    """
    last = sent[-1] if sent else None
    if cancelled:
        return CANCEL if last == INSERT else None
    return INSERT if last is None else None


def ente_code(district_code):
    """«BA99» from the ATS code «BA-99»."""
    return (district_code or "").replace("-", "").upper()


def body_code(district_code):
    return f"ATS-{ente_code(district_code)}"


def flow_name(district_code, local_time):
    """``<codEnte>.PSA.INPS.<yyyymmdd>.<hhmmss>`` (SISO), at the local time of the export."""
    return f"{ente_code(district_code)}.PSA.INPS.{local_time:%Y%m%d}.{local_time:%H%M%S}"


def money(value):
    """Two decimals, a dot, no thousands separator."""
    return str(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def written_name(value):
    """A name as the flow writes it: single spaces, upper case (which may lengthen it: ß → SS)."""
    return " ".join((value or "").split()).upper()


def _q(name):
    return f"{{{NS}}}{name}"


def _put(element, name, value, formatter=str):
    if value not in (None, ""):
        element.set(name, formatter(value))


def _iso(value):
    return value.isoformat()


def beneficiary_element(record, parent=None):
    """The ``Beneficiario`` of ``record`` (a child of ``parent`` when given)."""
    who = record.beneficiary
    make = functools.partial(etree.SubElement, parent) if parent is not None else etree.Element
    element = make(_q("Beneficiario"), nsmap=None if parent is not None else {None: NS})
    element.set("CodiceFiscale", who.fiscal_code)
    personal = etree.SubElement(element, _q("Anagrafica"))
    _put(personal, "Cognome", written_name(who.last_name))
    _put(personal, "Nome", written_name(who.first_name))
    _put(personal, "AnnoNascita", who.birth_year, lambda y: f"{y:04d}")
    _put(personal, "LuogoNascita", who.birth_place)
    _put(personal, "Genere", GENDER.get(who.sex, ""))
    _put(personal, "CodiceCittadinanza", who.citizenship)
    _put(personal, "CodiceSecondaCittadinanza", who.second_citizenship)
    for address in who.addresses[:5]:
        place = etree.SubElement(element, _q("Indirizzo"))
        _put(place, "CodiceRegione", address.region)
        _put(place, "CodiceComune", address.municipality)
        _put(place, "CodiceNazione", address.nation)
    for benefit in record.benefits:
        benefit_element(element, benefit)
    return element


def benefit_element(parent, item):
    """``PrestazioniSociali`` with its attributes in the XSD's order, SINA inside."""
    element = etree.SubElement(parent, _q("PrestazioniSociali"))
    for name, value, formatter in (
            ("TipoOperazione", item.operation, str),
            ("PresenzaProvaMezzi", item.means_test, str),
            ("CaratterePrestazione", item.nature, str),
            ("NumeroProtocolloDSU", item.dsu_protocol, str),
            ("AnnoProtocolloDSU", item.dsu_year, str),
            ("DataDSU", item.dsu_date, _iso),
            ("CodicePrestazione", item.code, str),
            ("DenominazionePrestazione", item.name, str),
            ("ProtocolloDomanda", item.protocol, str),
            ("DataEvento", item.event_day, _iso),
            ("DataInizioPrestazione", item.start, _iso),
            ("DataFinePrestazione", item.end, _iso),
            ("DataErogazionePrestazione", item.day, _iso),
            ("ImportoPrestazione", item.amount, money),
            ("PeriodoErogazione", item.months, str),
            ("ImportoMensile", item.monthly_amount, money),
            ("ImportoQuotaEnte", item.public_share, money),
            ("ImportoQuotaUtente", item.user_share, money),
            ("ImportoQuotaSSN", item.ssn_share, money),
            ("ImportoQuotaRichiesta", item.requested_share, money),
            ("ImportoSogliaISEE", item.isee_threshold, money),
            ("OreServizioMensile", item.hours, str),
            ("PresaCarico", item.in_charge, str),
            ("AreaUtenza", item.area, str)):
        _put(element, name, value, formatter)
    if item.sina:
        sina_element(element, item.sina)
    return element


def sina_element(parent, sina):
    element = etree.SubElement(parent, _q("SINA"))
    for name in SINA_ATTRIBUTES:
        _put(element, name, sina.get(name))
    needs = etree.SubElement(element, _q("NecessitaInterventiSociali"))
    for code in sina.get("needs") or ():
        etree.SubElement(needs, _q("CodicePrestazione")).text = code
    invalidity = etree.SubElement(element, _q("InvaliditaCivile"))
    for value in sina.get("invalidity") or ():
        etree.SubElement(invalidity, _q("InvCiv")).text = value
    return element


def flow(body, name, records):
    """The ``Flusso`` root: the flow's name and body, then one ``Beneficiario`` per record."""
    root = etree.Element(_q("Flusso"), nsmap={None: NS})
    ident = etree.SubElement(root, _q("IdentificazioneFlusso"))
    ident.set("Nome", name)
    ente = etree.SubElement(ident, _q("Ente"))
    ente.set("Codice", body.code)
    _put(ente, "Denominazione", body.title)
    ente.set("Indirizzo", body.seat)
    ente.set("CFOperatore", body.operator)
    for record in records:
        beneficiary_element(record, root)
    return root


def serialize(tree):
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@functools.cache
def schema(path=XSD):
    """The INPS schema, parsed once per process."""
    return etree.XMLSchema(etree.parse(str(path)))


def schema_errors(tree, xsd=None):
    """The schema's complaints about ``tree`` (empty when it validates)."""
    xsd = xsd or schema()
    if xsd.validate(tree):
        return []
    return [f"{e.line}: {e.message}" for e in xsd.error_log]


def canonical(tree_or_bytes):
    """The C14N form (what two equal flows share whatever their spacing and prefixes)."""
    if isinstance(tree_or_bytes, bytes):
        parser = etree.XMLParser(remove_blank_text=True)
        tree_or_bytes = etree.fromstring(tree_or_bytes, parser)
    return etree.tostring(tree_or_bytes, method="c14n")
