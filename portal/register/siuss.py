"""The SIUSS / Casellario export of an ATS for a period: collect, check, build, send, record.

Transaction-aware, no request. ``prepare`` reads the ATS's register of benefits (those whose
period meets the chosen one), groups them by codice fiscale (one ``Beneficiario`` per person),
runs the checks the XSD does not make and keeps the records with problems out, builds the
flow and validates it against the INPS schema. ``transmit`` stores the flow with a signed
receipt and writes on each benefit sent that it was sent (a cancelled benefit already sent
goes as ``TipoOperazione="C"``; one sent and unchanged is not sent again).
"""
import csv
import io
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date

from pyramid.traversal import find_root, resource_path

from content_types.benefit import CANCELLED, FOLDER_NAME
from content_types.district import Municipality
from content_types.values import to_local, utcnow
from portal.cases import store as cases
from portal.cases.rules import status as case_status
from portal.documents.layouts import district_name
from portal.i18n import _
from portal.people import store as people
from portal.register import codes, grant, siuss_receipt
from portal.register.rules import periods
from portal.register.rules import siuss as flow_rules
from portal.register.rules.errors import RegisterError
from portal.register.rules.siuss_checks import (
    beneficiary_problems,
    benefit_problems,
    fiscal_code_problems,
)
from portal.register.siuss_archive import Transmission, archive_of

_PROTOCOL_YEAR = re.compile(r"^INPS-ISEE-(\d{4})-")


class SiussError(RegisterError):
    code = "siuss_error"
    default_message = _("Il flusso SIUSS non può essere generato.")


class NothingToSend(SiussError):
    code = "siuss_nothing_to_send"
    default_message = _("Nel periodo scelto non c'è nessuna prestazione da trasmettere.")


def text(message):
    """A message in the portal's language (Italian), its ${names} filled."""
    return message.interpolate() if hasattr(message, "interpolate") else str(message)


@dataclass
class Rejection:
    """A benefit left out, with every problem that keeps it out (in Italian)."""

    beneficiary: str
    fiscal_code: str
    benefit: str
    benefit_uid: str
    problems: tuple


@dataclass
class Export:
    """What the flow of a period holds and what it leaves out."""

    district: object
    start: date
    end: date
    name: str
    body: flow_rules.Body
    records: list = field(default_factory=list)
    rejected: list = field(default_factory=list)
    operations: dict = field(default_factory=dict)  # benefit uid -> I/C
    objects: dict = field(default_factory=dict)  # benefit uid -> Benefit (those sent)
    already_sent: int = 0
    tree: object = None

    @property
    def sent(self):
        return sum(len(r.benefits) for r in self.records)

    @property
    def inserts(self):
        return sum(1 for op in self.operations.values() if op == flow_rules.INSERT)

    @property
    def cancellations(self):
        return sum(1 for op in self.operations.values() if op == flow_rules.CANCEL)

    @property
    def xml(self):
        return flow_rules.serialize(self.tree) if self.tree is not None else b""


def period_of(year=None, start=None, end=None):
    """The chosen period: a calendar year, or from/to (``DatesInverted`` when reversed)."""
    if year:
        return periods.Period(date(int(year), 1, 1), date(int(year), 12, 31))
    return periods.period(start, end)


def seat_of(district):
    """The cadastral code of the lead municipality (the one whose title is the lead's)."""
    lead = (district.lead_municipality or "").strip().lower()
    for child in district.values():
        if isinstance(child, Municipality) and child.title.strip().lower() == lead:
            return child.cadastral_code
    raise SiussError(_("Il comune capofila «${lead}» non è tra i comuni dell'Ambito: "
                       "manca il codice catastale della sede dell'ente.",
                       mapping={"lead": district.lead_municipality}))


def body_of(district, operator):
    problems = fiscal_code_problems(operator)
    if problems:
        raise SiussError(_("Il codice fiscale dell'operatore non è valido: ${problem}",
                           mapping={"problem": text(problems[0])}),
                         {"operator": text(problems[0])})
    return flow_rules.Body(code=flow_rules.body_code(district.code), title=district.title,
                           seat=seat_of(district), operator=operator.strip().upper())


def operation_of(benefit):
    """I for a benefit never sent, C for a sent one now cancelled, None when nothing is due."""
    return flow_rules.operation(benefit.status == CANCELLED,
                                [t["operation"] for t in benefit.transmissions])


def _day(value):
    if isinstance(value, date) or value is None:
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def beneficiary_of(person, fiscal_code):
    """The rule values of a person (only the codice fiscale when they are not registered)."""
    if person is None:
        return flow_rules.Beneficiary(fiscal_code=fiscal_code)
    return flow_rules.Beneficiary(
        fiscal_code=person.fiscal_code, last_name=person.last_name,
        first_name=person.first_name,
        birth_year=person.birth_date.year if person.birth_date else None,
        birth_place=person.birth_place or "", sex=person.sex or "",
        citizenship=person.citizenship or "", second_citizenship=person.second_citizenship or "",
        addresses=tuple(flow_rules.Address(a.get("region") or "", a.get("istat") or "",
                                           a.get("nation") or "") for a in person.addresses))


def _dsu(benefit):
    isee = benefit.isee or {}
    protocol = (isee.get("protocol") or "").strip()
    dsu_date = _day(isee.get("dsu_date"))
    found = _PROTOCOL_YEAR.match(protocol)  # the protocol's own year first
    year = found.group(1) if found else str(isee.get("year") or (dsu_date.year if dsu_date else ""))
    return protocol, year, dsu_date


def benefit_of(benefit, found, case, operation):
    """The rule values of a benefit: PresaCarico from the case, AreaUtenza and SINA from the code."""
    in_charge = flow_rules.IN_CHARGE if case_status.in_care(case) else flow_rules.NOT_IN_CHARGE
    assessment = getattr(case, "assessment", None) or {}
    sina = assessment.get("sina") if found is not None and found.sina else None
    protocol, year, dsu_date = _dsu(benefit) if benefit.means_test == flow_rules.ISEE else ("", "", None)
    periodic = benefit.periodic
    return flow_rules.Benefit(
        key=benefit.uid, title=benefit.title, code=benefit.siuss_code,
        name=found.name if found is not None else benefit.siuss_name,
        protocol=benefit.protocol, operation=operation, means_test=benefit.means_test,
        nature=flow_rules.PERIODIC if periodic else flow_rules.ONE_OFF,
        dsu_protocol=protocol, dsu_year=year, dsu_date=dsu_date,
        start=benefit.start if periodic else None, end=benefit.end if periodic else None,
        months=benefit.months if periodic else None,
        monthly_amount=benefit.monthly_amount if periodic else None,
        day=None if periodic else benefit.start, amount=None if periodic else benefit.amount,
        public_share=benefit.public_share, user_share=benefit.user_share,
        ssn_share=benefit.ssn_share, hours=benefit.hours_monthly, in_charge=in_charge,
        area=found.siuss_area if found is not None and in_charge == flow_rules.IN_CHARGE else "",
        sina=dict(sina) if sina else None,
        needs_taking_charge=bool(found is not None and found.needs_taking_charge))


def benefits_in(district, value):
    """The ATS's benefits (its municipalities' too) whose period meets ``value``."""
    for benefit in grant.benefits_of(district):
        if benefit.start is None:
            continue
        end = benefit.end if benefit.periodic and benefit.end else benefit.start
        if periods.Period(benefit.start, end).overlaps(value):
            yield benefit


def _display_name(person, fiscal_code):
    return person.full_name if person is not None else fiscal_code


def prepare(district, value, operator, registry=None, now=None):
    """The ``Export`` of ``district`` for the period ``value`` (nothing stored)."""
    now = now or utcnow()
    name = flow_rules.flow_name(district.code, to_local(now))
    export = Export(district=district, start=value.start, end=value.end, name=name,
                    body=body_of(district, operator))
    table = codes.table_for(registry)
    root = find_root(district)
    grouped = {}
    for benefit in benefits_in(district, value):
        operation = operation_of(benefit)
        if operation is None:
            export.already_sent += 1 if benefit.transmissions else 0
            continue
        grouped.setdefault(benefit.fiscal_code.upper(), []).append((benefit, operation))
    for fiscal_code in sorted(grouped):
        person = people.find_person(root, fiscal_code)
        who = beneficiary_of(person, fiscal_code)
        who_problems = [text(p) for p in beneficiary_problems(who)]
        if person is None:
            who_problems.insert(0, text(_("La persona non è nell'anagrafica sociale del portale.")))
        case = cases.case_of(person) if person is not None else None
        good = []
        for benefit, operation in sorted(grouped[fiscal_code], key=lambda b: (b[0].start, b[0].uid)):
            item = benefit_of(benefit, table.get(benefit.siuss_code), case, operation)
            problems = who_problems + [text(p) for p in benefit_problems(item)]
            if problems:
                export.rejected.append(Rejection(_display_name(person, fiscal_code), fiscal_code,
                                                 benefit.title, benefit.uid, tuple(problems)))
            else:
                good.append(item)
                export.operations[benefit.uid] = operation
                export.objects[benefit.uid] = benefit
        if good:
            export.records.append(flow_rules.Record(who, tuple(good)))
    _validate(export)
    return export


def _reject_invalid(export):
    """Leave out the records the schema refuses (a rule the checks do not know yet)."""
    kept = []
    for record in export.records:
        errors = flow_rules.schema_errors(flow_rules.flow(export.body, export.name, [record]))
        if not errors:
            kept.append(record)
            continue
        for item in record.benefits:
            export.operations.pop(item.key, None)
            export.rejected.append(Rejection(
                f"{record.beneficiary.first_name} {record.beneficiary.last_name}".strip(),
                record.beneficiary.fiscal_code, item.title, item.key,
                (text(_("Il record non rispetta lo schema INPS: ${error}",
                        mapping={"error": errors[0]})),)))
    export.records = kept


def _validate(export):
    if not export.records:
        return
    export.tree = flow_rules.flow(export.body, export.name, export.records)
    if not flow_rules.schema_errors(export.tree):
        return
    _reject_invalid(export)
    export.tree = (flow_rules.flow(export.body, export.name, export.records)
                   if export.records else None)
    if export.tree is not None and flow_rules.schema_errors(export.tree):
        raise SiussError(_("Il flusso non rispetta lo schema INPS: non è stato generato."))


def transmit(district, value, who, operator, registry, service, documents, now=None,
             operator_name="", export=None):
    """Build, validate, store and sign the flow; mark each benefit sent. Returns the record.

    ``export``: the one ``prepare`` made at ``now`` for the same period (not built twice).
    Everything that can refuse runs before anything is written.
    """
    now = (now or utcnow()).astimezone(UTC)  # stored in UTC (a ZoneInfo does not pickle)
    export = export or prepare(district, value, operator, registry, now)
    if not export.records:
        raise NothingToSend
    if service is None or documents is None:
        raise SiussError(_("Il servizio documenti non è disponibile: la ricevuta firmata non "
                           "può essere emessa e il flusso non è stato generato."))
    folder = district[FOLDER_NAME]
    archive = archive_of(folder)
    if archive is not None and export.name in archive.names:
        raise SiussError(_("Un flusso con lo stesso nome (${name}) è già stato generato: "
                           "riprovare tra qualche secondo.", mapping={"name": export.name}))
    data = export.xml
    transmission = Transmission(
        number=archive.next_number() if archive is not None else 1, uid=uuid.uuid4().hex,
        name=export.name, when=now,
        who=who, operator=export.body.operator, start=export.start, end=export.end,
        beneficiaries=len(export.records), sent=export.sent, inserts=export.inserts,
        cancellations=export.cancellations, not_sent=len(export.rejected),
        errors=tuple(error_rows(export.rejected)),
        benefits=tuple(export.operations.items()))
    transmission.store_xml(data)
    record = service.issue(
        documents, siuss_receipt.receipt, {
            "name": export.name, "district": district_name(district.title),
            "period_start": export.start, "period_end": export.end,
            "operator": export.body.operator, "operator_name": operator_name or who,
            "when": now, "beneficiaries": transmission.beneficiaries, "sent": transmission.sent,
            "inserts": transmission.inserts, "cancellations": transmission.cancellations,
            "not_sent": transmission.not_sent, "sha256": transmission.sha256},
        kind=siuss_receipt.KIND, title=siuss_receipt.title_of(export.name),
        object_uid=transmission.uid, object_path=resource_path(folder), date=now,
        subject=district_name(district.title))
    transmission.receipt_uid = record.doc_id
    archive_of(folder, create=True).add(transmission)
    mark = {"uid": transmission.uid, "number": transmission.number, "name": export.name,
            "when": now}
    for uid, operation in export.operations.items():
        benefit = export.objects[uid]
        benefit.transmissions = (*benefit.transmissions,
                                 {**mark, "operation": operation})
    return transmission


ERROR_COLUMNS = ("Beneficiario", "Codice fiscale", "Prestazione", "Problemi")


def error_rows(rejected):
    return [{"beneficiary": r.beneficiary, "fiscal_code": r.fiscal_code, "benefit": r.benefit,
             "problems": tuple(r.problems)} for r in rejected]


def errors_csv(rows):
    """The error report as CSV (one line per benefit left out; problems joined by « | »)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(ERROR_COLUMNS)
    for row in rows:
        writer.writerow((row["beneficiary"], row["fiscal_code"], row["benefit"],
                         " | ".join(row["problems"])))
    return "\ufeff" + out.getvalue()


def transmissions_of(district):
    folder = district.get(FOLDER_NAME)
    archive = archive_of(folder) if folder is not None else None
    return archive.newest_first() if archive is not None else []
