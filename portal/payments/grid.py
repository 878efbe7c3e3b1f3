"""The provider's monthly grid as a service: the rows of a month and saving them all at once.

The rows are this provider's active applications over every ATS, found through the
catalog (``service_paths`` holds the chosen entry's containers, the provider among
them); a month's attestation is the child ``attestazioni/<yyyy-mm>`` of each one.
``save_month`` is all or nothing: every row is checked first and, if any fails, the
error of every row is raised and nothing is written.
"""
from dataclasses import dataclass, field
from datetime import date

from pyramid.traversal import find_resource, find_root, resource_path

import workflows.application as application_workflow
from catalog import Eq, Query, get_catalog
from catalog.query import MAX_LIMIT
from content_types.security import ADMIN, role
from portal.i18n import _
from portal.payments import attestations
from portal.payments.rules import grid as rules
from portal.payments.rules import monthly
from portal.payments.rules.errors import AttestationRefused, PaymentError
from workflows.attestation import SEND, SIGNED

#: every application's catalog entry lists the admin role among those who may view it
SEARCH_AS = (role(ADMIN),)
#: the inputs of a row, in the order of the grid's columns
COUNTS = (("open_days", "giorni_apertura"), ("attended_days", "presenze"),
          ("absences", "assenze"))


class GridRefused(PaymentError):
    """Some rows break the rules: ``rows`` maps each application uid to ``{field: message}``."""

    code = "attestation_grid_invalid"
    default_message = _("Alcune righe non rispettano le regole: nessuna attestazione è stata "
                        "salvata.")

    def __init__(self, message=None, fields=None, *, rows=None):
        rows = rows or {}
        if message is None and rows:
            message = _("${count} righe non rispettano le regole: nessuna attestazione è stata "
                        "salvata. Correggere le righe segnalate.", mapping={"count": len(rows)})
        super().__init__(message, fields or {f"{uid}.{name}": text for uid, found in rows.items()
                                    for name, text in found.items()})
        self.rows = rows


class NotInGrid(PaymentError):
    """A posted row names an application this provider does not serve (a forged request)."""

    code = "not_in_grid"
    http_status = 403
    default_message = _("Una delle righe inviate non riguarda un beneficiario dei vostri "
                        "servizi attivi: nessuna attestazione è stata salvata.")


@dataclass
class GridRow:
    """One beneficiary in the month: the stored attestation, or what the grid proposes."""

    application: object
    attestation: object = None
    context: object = None
    attendance: object = None
    amounts: object = None
    invoice: tuple = ("", None, None)
    #: why the month cannot be attested for this beneficiary ("" if it can)
    blocked: str = ""

    @property
    def editable(self):
        if self.blocked:
            return False
        return self.attestation is None or self.attestation.state in attestations.CORRECTABLE


@dataclass
class SaveResult:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)

    @property
    def saved(self):
        return len(self.created) + len(self.updated) + len(self.unchanged)


def grid_applications(provider, registry):
    """This provider's active applications, over every ATS, in protocol order (catalog, paged)."""
    root = find_root(provider)
    catalog = get_catalog(root, registry)
    filters = (Eq("type_name", "Application"), Eq("service_paths", resource_path(provider)),
               Eq("state", application_workflow.ACTIVE))
    found, start = [], 0
    while True:
        results = catalog.search(Query(filters=filters, sort="protocol", start=start,
                                       limit=MAX_LIMIT, snippets=False), SEARCH_AS)
        for hit in results.items:
            try:
                found.append(find_resource(root, hit.path))
            except KeyError:
                continue
        start += len(results.items)
        if not results.items or start >= results.total:
            return [a for a in found if a.state == application_workflow.ACTIVE]


def check_grid_month(month_text, today):
    """The first day of the month typed, refused when it is in the future."""
    month = monthly.parse_month(month_text)
    if month > date(today.year, today.month, 1):
        raise AttestationRefused(_("Il mese ${month} è nel futuro: si attesta un mese già "
                                   "iniziato.", mapping={"month": monthly.month_key(month)}),
                                 {"mese": "nel futuro"})
    return month


def attestation_at(application, key):
    folder = attestations.folder_of(application)
    return folder.get(key) if folder is not None else None


def month_rows(provider, month_text, *, registry, today):
    """``(month, rows)``: one ``GridRow`` per active beneficiary, prefilled where not attested."""
    month = check_grid_month(month_text, today)
    key = monthly.month_key(month)
    previous_key = rules.previous_month(month)
    rows, shared = [], {}
    for application in grid_applications(provider, registry):
        row = GridRow(application, attestation_at(application, key))
        rows.append(row)
        try:
            row.context = attestations.context_of(application, shared)
        except AttestationRefused as exc:
            row.blocked = exc.message
            continue
        stored = row.attestation
        if stored is not None:
            row.attendance = attestations.attendance_of(stored)
            row.amounts = monthly.MonthlyAmounts(stored.tariff, stored.fee, stored.family_share,
                                                 stored.voucher_share, stored.explanation)
            row.invoice = (stored.invoice_number, stored.invoice_date, stored.invoice_amount)
            continue
        if key not in row.context.funded:
            funded = row.context.funded
            row.blocked = _("Mese fuori dal periodo finanziato (${first} – ${last}).",
                            mapping={"first": funded[0] if funded else "—",
                                     "last": funded[-1] if funded else "—"})
            continue
        previous = attestation_at(application, previous_key)
        open_days = rules.prefilled_open_days(
            month, previous.open_days if previous is not None else None)
        row.attendance = monthly.Attendance(open_days, open_days, 0,
                                            bool(application.full_time))
        row.amounts = attestations.amounts_for(row.context, month, row.attendance)
        row.invoice = ("", None, row.amounts.voucher)
    return month, rows


def read_row(row):
    """``(Attendance, invoice, {field: message})`` of one posted row (a dict of strings)."""
    errors, numbers = {}, {}
    for name, label in COUNTS:
        numbers[name], message = rules.parse_count(row.get(name), label)
        if message is not None:
            errors[label] = message
    if errors:
        return None, None, errors
    attendance = monthly.Attendance(numbers["open_days"], numbers["attended_days"],
                                    numbers["absences"], rules.parse_flag(row.get("full_time")))
    try:
        invoice = attestations.parse_invoice(row.get("invoice_number"), row.get("invoice_date"),
                                             row.get("invoice_amount"))
    except AttestationRefused as exc:
        return attendance, None, dict.fromkeys(exc.fields, exc.message) or {
            "fattura": exc.message}
    return attendance, invoice, {}


def same(attestation, attendance, invoice):
    return (attestations.attendance_of(attestation)
            == monthly.Attendance(attendance.open_days, attendance.attended_days,
                                  attendance.absences, attendance.full_time,
                                  attestation.month_open_days)
            and (attestation.invoice_number, attestation.invoice_date,
                 attestation.invoice_amount) == invoice)


def save_month(provider, month, rows, *, who, registry, today, allowed=None, dry_run=False):
    """Create or correct the drafts of ``month`` («2025-10») for ``rows``, all or nothing.

    ``rows``: dicts with ``uid`` (the application's) and the typed ``open_days``,
    ``attended_days``, ``absences``, ``full_time``, ``invoice_number``, ``invoice_date``,
    ``invoice_amount``. ``allowed(application)``: whether the user may attest it (views
    pass a permission check). Raises ``NotInGrid`` for a row of an application this
    provider does not serve, ``GridRefused`` with every row's errors; ``dry_run`` only checks.
    """
    month_day = check_grid_month(month, today)
    key = monthly.month_key(month_day)
    served = {a.uid: a for a in grid_applications(provider, registry)}
    plans, errors, seen, shared = [], {}, set(), {}
    for row in rows:
        uid = str(row.get("uid") or "")
        application = served.get(uid)
        if application is None or (allowed is not None and not allowed(application)):
            raise NotInGrid
        if uid in seen:
            errors[uid] = {"riga": _("La stessa riga è stata inviata due volte.")}
            continue
        seen.add(uid)
        plan, found = check_row(application, month_day, key, row, today, shared)
        if found:
            errors[uid] = found
        else:
            plans.append(plan)
    if errors:
        raise GridRefused(rows=errors)
    result = SaveResult()
    if dry_run:
        result.unchanged = [plan[0] for plan in plans]
        return result
    for application, existing, attendance, invoice, context, amounts in plans:
        if existing is None:
            result.created.append(attestations.create(
                application, key, attendance, invoice, who=who, registry=registry,
                today=today, context=context, amounts=amounts))
        elif same(existing, attendance, invoice):
            result.unchanged.append(existing)
        else:
            result.updated.append(attestations.update(
                existing, attendance, invoice, who=who, registry=registry, today=today,
                context=context, amounts=amounts))
    return result


def check_row(application, month, key, row, today, shared=None):
    """``(plan, {})`` for a row that may be saved, else ``(None, {field: message})``."""
    attendance, invoice, found = read_row(row)
    if found:
        return None, found
    existing = attestation_at(application, key)
    if existing is not None and existing.state not in attestations.CORRECTABLE:
        return None, {"mese": _("Esiste già un'attestazione per il mese ${month} (non più in "
                                "bozza): non si modifica dalla griglia.", mapping={"month": key})}
    try:
        context = attestations.context_of(application, shared)
    except AttestationRefused as exc:
        return None, {"riga": exc.message}
    if existing is not None:
        attendance = monthly.Attendance(attendance.open_days, attendance.attended_days,
                                        attendance.absences, attendance.full_time,
                                        existing.month_open_days)
    found = monthly.failures(attendance, month, funded=context.funded, today=today)
    if found:
        return None, found
    amounts = attestations.amounts_for(context, month, attendance)
    _number, _day, amount = invoice
    if amount is not None and amount != amounts.voucher:
        found = monthly.failures(attendance, month, funded=context.funded, today=today,
                                 invoice_amount=amount, voucher=amounts.voucher)
        return None, found
    return (application, existing, attendance, invoice, context, amounts), {}


# -- «Invia all'Ambito» ----------------------------------------------------------------------
def invoice_missing(attestation):
    """What the invoice still lacks, in Italian words (empty: it is complete)."""
    missing = []
    if not attestation.invoice_number:
        missing.append(_("il numero della fattura"))
    if attestation.invoice_date is None:
        missing.append(_("la data della fattura"))
    if attestation.invoice_amount is None:
        missing.append(_("l'importo della fattura"))
    elif attestation.invoice_amount != attestation.voucher_share:
        missing.append(_("un importo della fattura uguale alla quota del buono"))
    return missing


@dataclass
class SendResult:
    sent: list = field(default_factory=list)
    incomplete: list = field(default_factory=list)  # (attestation, [missing])


def send_month(provider, month, *, registry, today, fire):
    """Send to the ATS every signed attestation of ``month`` whose invoice is complete.

    ``fire(attestation, name)`` fires a transition (views: with the request, so the
    ``submit`` permission is checked on each one).
    """
    key = monthly.month_key(check_grid_month(month, today))
    result = SendResult()
    for application in grid_applications(provider, registry):
        attestation = attestation_at(application, key)
        if attestation is None or attestation.state != SIGNED:
            continue
        missing = invoice_missing(attestation)
        if missing or not attestations.invoice_complete(attestation):
            result.incomplete.append((attestation, missing))
            continue
        fire(attestation, SEND)
        result.sent.append(attestation)
    return result
