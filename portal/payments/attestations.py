"""Attestations as a service: the funded months of an application, the amounts of a month,
and creating or correcting an attestation (no request: views and the bulk grid call this).
"""
from dataclasses import dataclass

from pyramid.traversal import find_root, resource_path

import workflows.application as application_workflow
from content_types.attestation import FOLDER_NAME, Attestation, AttestationFolder
from content_types.events import ObjectModified
from content_types.values import cents, parse_day, rome_today
from portal.applications import services as application_services
from portal.applications.rules.isee import IseeAttestation
from portal.applications.rules.submission import rules_of
from portal.i18n import _
from portal.payments.rules import monthly
from portal.payments.rules.errors import AttestationRefused, DuplicateAttestation
from workflows.attestation import DRAFT

#: application states in which the provider attests months
ATTESTABLE = (application_workflow.ACTIVE,)
#: attestation states the provider may still correct
CORRECTABLE = (DRAFT,)


@dataclass(frozen=True)
class MonthContext:
    """What the amounts of any month of one application depend on."""

    application: object
    call: object
    entry: object
    scheme: object
    rules: monthly.MonthlyRules
    isee: object  # Decimal
    funded: tuple  # month keys

    def tariff(self, month, full_time):
        """The entry's tariff in force on the first day of ``month`` (date)."""
        return self.entry.tariff_at(month, full_time=full_time)


def funded_months(application, call):
    """The months the voucher pays for: from the service start, ``months`` of them, in the period."""
    start = application.service_start or call.period_start
    if start is None:
        return ()
    found = monthly.funded_months(start, application.months, call.period_end)
    if application.service_end:
        found = tuple(m for m in found if m <= application.service_end)
    return found


def folder_of(application, create=False):
    folder = application.get(FOLDER_NAME) if hasattr(application, "get") else None
    if folder is None and create:
        folder = AttestationFolder(title="Attestazioni mensili", creator="sistema")
        application.add(FOLDER_NAME, folder, send_events=False)
    return folder


def attestations_of(application):
    """The application's attestations, oldest month first."""
    folder = folder_of(application)
    if folder is None:
        return []
    return sorted((a for a in folder.values() if isinstance(a, Attestation)),
                  key=lambda a: a.month)


def context_of(application, shared=None):
    """The month context of ``application``; ``shared``: a dict a batch (the grid) passes so
    that the applications of one call and entry read the call's rules once."""
    call = application_services.call_of(application)
    root = find_root(application)
    entry = application_services.resolve_path(root, application.catalogue_entry_path)
    if call is None or entry is None:
        raise AttestationRefused(_("L'avviso o il servizio scelto della domanda non sono più "
                                   "disponibili: l'attestazione non si può calcolare."))
    key = (call.uid, application.catalogue_entry_path)
    if shared is not None and key in shared:
        scheme, rules = shared[key]
    else:
        _rules, scheme = rules_of(call)
        rules = monthly.MonthlyRules.from_data(getattr(call, "attestation", None))
        if shared is not None:
            shared[key] = scheme, rules
    isee = IseeAttestation.from_data(application.isee).value
    return MonthContext(application, call, entry, scheme, rules, isee,
                        funded_months(application, call))


def amounts_for(context, month, attendance):
    """The month's amounts (``month``: a date, the first of the month)."""
    tariff = context.tariff(month, attendance.full_time)
    return monthly.amounts(context.scheme, context.isee, tariff, attendance, context.rules,
                           disabled=bool(context.application.disability_certified))


def parse_invoice(number, day, amount):
    """The invoice fields as typed (all optional in a draft); refusals name the field."""
    number = (number or "").strip()
    if len(number) > 40:
        raise AttestationRefused(_("Il numero della fattura è troppo lungo (massimo 40 caratteri)."),
                                 {"numero_fattura": "troppo lungo"})
    parsed_day = None
    if day:
        try:
            parsed_day = parse_day(day) if isinstance(day, str) else day
        except ValueError:
            raise AttestationRefused(_("Data della fattura non valida: «${day}».",
                                       mapping={"day": day}), {"data_fattura": "non valida"}) from None
    parsed_amount = None
    if amount not in (None, ""):
        try:
            parsed_amount = cents(amount)
            if not parsed_amount.is_finite() or parsed_amount < 0:
                raise ValueError(amount)
        except (ValueError, ArithmeticError):
            raise AttestationRefused(_("Importo della fattura non valido: «${amount}».",
                                       mapping={"amount": amount}),
                                     {"importo_fattura": "non valido"}) from None
    return number, parsed_day, parsed_amount


def check_month(context, month, attendance, amounts, invoice_amount, today, taken):
    monthly.check(attendance, month, funded=context.funded, today=today, taken=taken,
                  invoice_amount=invoice_amount, voucher=amounts.voucher)


def create(application, month_text, attendance, invoice=("", None, None), *, who, registry,
           today=None, context=None, amounts=None):
    """A new draft attestation for ``month_text`` («2025-10»), checked against every rule.

    ``amounts``: the month's amounts when the caller (the grid) has just computed them.
    """
    if application.state not in ATTESTABLE:
        raise AttestationRefused(_("Il servizio della domanda ${protocol} non è attivo: non si "
                                   "attestano mesi.", mapping={"protocol": application.protocol}))
    context = context or context_of(application)
    month = monthly.parse_month(month_text)
    key = monthly.month_key(month)
    folder = folder_of(application)
    taken = tuple(folder.keys()) if folder is not None else ()
    if key in taken:
        raise DuplicateAttestation(_("Esiste già un'attestazione per il mese ${month} della "
                                     "domanda ${protocol}.",
                                     mapping={"month": key, "protocol": application.protocol}),
                                   {"mese": "già attestato"})
    number, day, amount = parse_invoice(*invoice)
    amounts = amounts or amounts_for(context, month, attendance)
    check_month(context, month, attendance, amounts, amount, today or rome_today(), taken)
    attestation = Attestation(title=f"Attestazione {key} — {application.protocol}", creator=who)
    copy_application(attestation, application, context)
    attestation.month = key
    write(attestation, attendance, amounts, number, day, amount)
    folder = folder_of(application, create=True)
    folder.add(key, attestation, registry=registry)
    return attestation


def update(attestation, attendance, invoice=("", None, None), *, who, registry, today=None,
           context=None, amounts=None):
    """Correct a draft (or a returned one, reopened as draft) and recompute its amounts."""
    if attestation.state not in CORRECTABLE:
        raise AttestationRefused(_("L'attestazione non è in bozza: non si modifica più."))
    application = attestation.application
    context = context or context_of(application)
    month = monthly.parse_month(attestation.month)
    number, day, amount = parse_invoice(*invoice)
    amounts = amounts or amounts_for(context, month, attendance)
    check_month(context, month, attendance, amounts, amount, today or rome_today(), ())
    write(attestation, attendance, amounts, number, day, amount)
    attestation.family_confirmation = None
    attestation.touch()
    registry.notify(ObjectModified(attestation, ("attendance",), None))
    return attestation


def copy_application(attestation, application, context):
    attestation.application_uid = application.uid
    attestation.protocol = application.protocol or ""
    attestation.household_code = application.household_code
    attestation.beneficiary_name = application.beneficiary_name
    attestation.beneficiary_fiscal_code = application.beneficiary_fiscal_code
    attestation.entry_path = application.catalogue_entry_path
    attestation.entry_uid = context.entry.uid
    provider = getattr(context.entry, "provider", None)
    attestation.provider_path = resource_path(provider) if provider else ""
    attestation.provider_title = getattr(provider, "title", "")
    attestation.district_code = application.district_code
    attestation.call_series = getattr(context.call, "series", "") or ""


def write(attestation, attendance, amounts, number, day, amount):
    attestation.open_days = attendance.open_days
    attestation.attended_days = attendance.attended_days
    attestation.absences = attendance.absences
    attestation.full_time = bool(attendance.full_time)
    attestation.month_open_days = attendance.month_open_days
    attestation.tariff = amounts.tariff
    attestation.fee = amounts.fee
    attestation.family_share = amounts.family
    attestation.voucher_share = amounts.voucher
    attestation.explanation = amounts.explanation
    attestation.invoice_number = number
    attestation.invoice_date = day
    attestation.invoice_amount = amount


def attendance_of(attestation):
    return monthly.Attendance(attestation.open_days, attestation.attended_days,
                              attestation.absences, attestation.full_time,
                              getattr(attestation, "month_open_days", None))


def invoice_complete(attestation):
    """The invoice the ATS pays against: number, date, amount equal to the voucher share."""
    return bool(attestation.invoice_number and attestation.invoice_date
                and attestation.invoice_amount is not None
                and attestation.invoice_amount == attestation.voucher_share)
