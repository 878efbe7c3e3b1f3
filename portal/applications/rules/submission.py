"""Submitting an application: every check first, then protocol, amounts and state at once.

Nothing is written until every refusal has had its chance, so a refused
submission leaves the stored application exactly as it was. The caller runs
this inside the request's transaction; the protocol counter conflicts under
concurrency and the request is replayed (see ``protocol``).
"""
from dataclasses import dataclass
from datetime import date

import workflows.application as wf
from content_types.errors import ContentError
from content_types.values import euro, format_when, rome_today, to_local
from portal.applications.rules import eligibility, fiscal
from portal.applications.rules.copayment import scheme_from_data
from portal.applications.rules.errors import (
    BenefitError,
    CallClosed,
    CallNotOpen,
    DuplicateApplication,
    InvalidAttachment,
    IseeNotFound,
    MissingAttachment,
    NotEligible,
)
from portal.applications.rules.isee import IseeAttestation
from portal.applications.rules.matching import check_entry, entry_fee
from portal.documents.errors import UploadRefused
from portal.documents.uploads import inspect_pdf
from portal.i18n import _, joined

REQUIRED = {
    "applicant_name": _("nome e cognome del richiedente"),
    "applicant_fiscal_code": _("codice fiscale del richiedente"),
    "email": _("indirizzo e-mail"),
    "household_code": _("codice famiglia"),
    "beneficiary_name": _("nome e cognome del beneficiario"),
    "beneficiary_fiscal_code": _("codice fiscale del beneficiario"),
    "residence_municipality": _("comune di residenza"),
    "residence_region": _("regione di residenza"),
    "catalogue_entry_path": _("servizio scelto"),
    "months": _("mesi richiesti"),
}


def check_window(call, now):
    if call.opens_at and now < call.opens_at:
        raise CallNotOpen(_("Le domande per l'avviso «${title}» si possono inviare dal ${opens_at} (ora "
                            "italiana).",
                            mapping={"title": call.title, "opens_at": format_when(call.opens_at)}))
    if call.closes_at and now > call.closes_at:
        raise CallClosed(_("Il termine per l'invio delle domande dell'avviso «${title}» è scaduto il "
                           "${closes_at} (ora italiana): la domanda non può più essere inviata.",
                           mapping={"title": call.title, "closes_at": format_when(call.closes_at)}))


def check_required(application):
    missing = [label for name, label in REQUIRED.items() if not getattr(application, name, None)]
    if missing:
        raise BenefitError(_("Mancano dati obbligatori: ${missing}.",
                             mapping={"missing": joined(missing, ", ")}),
                           {name: "obbligatorio" for name in REQUIRED
                            if not getattr(application, name, None)})


def check_months(application, call):
    if not 1 <= int(application.months or 0) <= int(call.max_months):
        raise BenefitError(_("I mesi richiesti devono essere da 1 a ${max_months}.",
                             mapping={"max_months": call.max_months}),
                           {"months": "fuori intervallo"})


def check_duplicate(folder, application):
    code = fiscal.normalize(application.beneficiary_fiscal_code)
    other = folder.application_for(code)
    if other is not None and other is not application and other.state not in wf.REAPPLY_AFTER:
        raise DuplicateApplication(
            _("Per il beneficiario ${code} è già stata inviata una domanda su questo avviso (protocollo "
              "${protocol}): non se ne può presentare un'altra.",
              mapping={"code": code, "protocol": other.protocol}),
            {"beneficiary_fiscal_code": "domanda già presentata"})


def check_attachment(data, filename):
    """An uploaded attachment must be a sound PDF; returns its inspection."""
    if not data:
        raise InvalidAttachment(_("L'allegato «${filename}» è vuoto.", mapping={"filename": filename}),
                                {"attachments": filename})
    try:
        return inspect_pdf(data, extract_text=False)
    except UploadRefused as exc:
        raise InvalidAttachment(_("L'allegato «${filename}» non è stato accettato: ${reason}",
                                  mapping={"filename": filename, "reason": exc.message}),
                                {"attachments": filename}) from None


def check_attachments(application, required_kinds=()):
    kinds = {a.get("kind") for a in application.attachments or ()}
    missing = [k for k in required_kinds if k not in kinds]
    if missing:
        raise MissingAttachment(_("Mancano allegati obbligatori: ${missing}.",
                                  mapping={"missing": ", ".join(missing)}),
                                {"attachments": "mancanti"})


def rules_of(call):
    data = call.rules()
    # the services the voucher pays for: the call's own list, or its target's
    return (eligibility.Rules.from_data({**data["eligibility"],
                                         "service_types": list(call.service_types)}),
            scheme_from_data(data["copayment"]))


def service_of(entry):
    """The chosen catalogue entry as eligibility sees it (None: no entry or no service type)."""
    code = getattr(entry, "service_type", None)
    if not code:
        return None
    return eligibility.Service(code, getattr(entry, "service_title", "") or code,
                               int(entry.age_min_months or 0), int(entry.age_max_months or 0))


def service_failures(application, call, entry, on):
    """Why ``entry`` does not fit the call or this draft's beneficiary on the day ``on``."""
    service = service_of(entry)
    if service is None:
        return []
    rules, _ = rules_of(call)
    age = eligibility.beneficiary_age(rules, application.beneficiary_fiscal_code, on,
                                      application.beneficiary_birth_date)
    return eligibility.service_failures(rules, service, age, rules.age_reference or on)


def share_for(call, application, fee):
    """The monthly split for this application (disabled child full time: doubled fee)."""
    _, scheme = rules_of(call)
    isee = IseeAttestation.from_data(application.isee)
    monthly = scheme.monthly_fee(fee, full_time=application.full_time,
                                 disabled=application.disability_certified)
    return scheme.share(isee.value, monthly)


def facts_for(application, isee, district_municipalities=None, entry=None):
    return eligibility.Facts(
        beneficiary_fiscal_code=application.beneficiary_fiscal_code,
        applicant_fiscal_code=application.applicant_fiscal_code or None,
        beneficiary_birth_date=application.beneficiary_birth_date,
        isee=isee, residence_region=application.residence_region,
        residence_municipality=application.residence_municipality,
        district_municipalities=district_municipalities,
        disability_certified=application.disability_certified,
        service=service_of(entry),
    )


def acquire_isee(application, call, provider, on):
    """The application's ISEE: a manual one already attached, or the provider's."""
    if application.isee:
        return IseeAttestation.from_data(application.isee)
    _rules, _ = rules_of(call)
    try:
        return provider.lookup(application.beneficiary_fiscal_code, on)
    except IseeNotFound:
        if application.applicant_fiscal_code:
            try:
                return provider.lookup(application.applicant_fiscal_code, on)
            except IseeNotFound:
                pass
        raise


@dataclass(frozen=True)
class Situation:
    """What the lookups around one draft find, found once and shared by preview and submit."""

    application: object
    call: object
    #: the per-call application folder (``domande/<call>``)
    folder: object
    #: the chosen catalogue entry, or None
    entry: object = None
    #: the ATS's protocol counters and ISEE provider (``domande``)
    counters: object = None
    isee_provider: object = None
    #: ISTAT codes of the ATS's municipalities (None: residence not checked)
    municipalities: frozenset | None = None
    #: the day the call's tariffs are read on
    service_day: date | None = None
    #: the ATS's ``domande`` folder and the ATS itself (the service layer's, not the rules')
    domande: object = None
    district: object = None


def fee_of(situation):
    """The chosen entry's monthly fee (0 with no entry of this ATS: ``check_entry`` refuses it)."""
    entry = situation.entry
    if entry is None or entry.district != situation.folder.district_code:
        return 0
    try:
        return entry_fee(entry, situation.service_day, situation.application.full_time)
    except ContentError as exc:
        raise BenefitError(exc.message, {"catalogue_entry_path": "tariffa"}) from None


@dataclass(frozen=True)
class Preview:
    """What the form shows before submitting: the split and every failed requirement."""

    share: object
    result: eligibility.Result
    isee: IseeAttestation


def preview(situation, *, isee, fee, now):
    application = situation.application
    rules, scheme = rules_of(situation.call)
    result = eligibility.check(rules, facts_for(application, isee, situation.municipalities,
                                                situation.entry),
                               rome_today(now))
    share = None
    if isee is not None and scheme.covers(isee.value):
        monthly = scheme.monthly_fee(fee, full_time=application.full_time,
                                     disabled=application.disability_certified)
        share = scheme.share(isee.value, monthly)
    return Preview(share, result, isee)


@dataclass(frozen=True)
class Submitted:
    protocol: str
    state: str
    preview: Preview


def submit(situation, *, fee, now, by, fire, on_behalf_of=None, strict=True,
           required_attachments=()):
    """Check everything, then assign the protocol and move the workflow.

    ``fire(obj, transition, comment)`` fires a workflow transition (the portal passes
    ``workflows.fire`` bound to the request). With ``strict`` an ineligible
    application is refused with every reason and nothing stored; without it, it is
    protocolled and moved to ``AUTO_INELIGIBLE`` with the reasons (§3).
    """
    application, call, folder = situation.application, situation.call, situation.folder
    entry = situation.entry
    if application.state != wf.DRAFT:
        raise BenefitError(_("La domanda è già stata inviata."), {"state": application.state})
    if call.uid != application.call_uid and call.series != getattr(folder, "call_series", None):
        raise BenefitError(_("La domanda non appartiene a questo avviso."))
    if not call.current:
        raise CallClosed(_("L'avviso non è pubblicato o è stato sostituito da una nuova versione."))
    check_window(call, now)
    check_required(application)
    for name, label in (("applicant_fiscal_code", "codice fiscale del richiedente"),
                        ("beneficiary_fiscal_code", "codice fiscale del beneficiario")):
        fiscal.validate(getattr(application, name), label)
    check_months(application, call)
    check_duplicate(folder, application)
    check_entry(entry, folder.district_code)
    check_attachments(application, required_attachments)
    try:
        isee = acquire_isee(application, call, situation.isee_provider, rome_today(now))
    except IseeNotFound as exc:
        raise NotEligible(exc.message, (eligibility.Failure("isee_missing", str(exc.message),
                                                            "isee"),)) from None
    seen = preview(situation, isee=isee, fee=fee, now=now)
    if strict:
        seen.result.raise_if_failed()
    # -- from here on, nothing refuses: write everything -------------------------
    year = to_local(now).year
    protocol = situation.counters.take(year)
    code = fiscal.normalize(application.beneficiary_fiscal_code)
    application.protocol = protocol
    application.title = f"Domanda {protocol}"
    application.submitted_at = now
    application.submitted_by = by
    application.call_uid = call.uid
    application.call_version = call.version
    application.district_code = folder.district_code
    application.catalogue_entry_uid = getattr(entry, "uid", application.catalogue_entry_uid)
    application.isee = isee.to_data()
    application.eligibility_failures = tuple(
        {"code": f.code, "message": f.message, "field": f.field} for f in seen.result.failures)
    application.eligibility_warnings = tuple(
        {"code": f.code, "message": f.message, "field": f.field} for f in seen.result.warnings)
    if seen.share is not None:
        application.fee_monthly = seen.share.fee
        application.family_share_monthly = seen.share.family
        application.voucher_monthly = seen.share.voucher
        application.copayment_explanation = seen.share.explanation
    application.record_action(by, "Invio della domanda", now, on_behalf_of=on_behalf_of)
    folder.register_beneficiary(code, application.__name__)
    application.touch()
    fire(application, wf.SUBMIT, "")
    if seen.result.failures:
        fire(application, wf.REJECT_AUTO,
             " ".join(f.message for f in seen.result.failures))
    return Submitted(protocol, application.state, seen)


def service_names(entry):
    """The chosen service as the receipt names it: entry, unit and provider titles."""
    if entry is None:
        return {}
    unit, provider = getattr(entry, "unit", None), getattr(entry, "provider", None)
    return {"service": entry.title, "unit": getattr(unit, "title", ""),
            "provider": getattr(provider, "title", "")}


def receipt_data(application, call, district_title, entry=None):
    """The data of ``portal.documents.layouts.application_receipt`` for this application."""
    fields = [("Protocollo", application.protocol),
              ("Beneficiario", (f"{application.beneficiary_name} "
                               f"({application.beneficiary_fiscal_code})")),
              ("Codice famiglia", application.household_code),
              ("Mesi richiesti", str(application.months)),
              ("Tempo pieno", "sì" if application.full_time else "no")]
    if application.voucher_monthly is not None:
        fields += [("Tariffa mensile", euro(application.fee_monthly)),
                   ("Quota a carico della famiglia", euro(application.family_share_monthly)),
                   ("Buono mensile", euro(application.voucher_monthly))]
    if application.delegate_login:
        fields.append(("Presentata tramite delegato", application.delegate_login))
    return {
        "applicant_name": application.applicant_name,
        "fiscal_code": application.applicant_fiscal_code,
        "call_title": call.title, "district": district_title,
        "submitted_at": application.submitted_at, "fields": fields,
        "attachments": [a.get("filename", "") for a in application.attachments or ()],
        **service_names(entry),
    }


def receipt_mail(application, call):
    """(to, subject, body) of the e-mail sent after commit."""
    return (application.email,
            f"Domanda {application.protocol} ricevuta",
            (f"Gentile {application.applicant_name},\n\nla domanda per l'avviso «{call.title}» "
            f"è stata ricevuta il {format_when(application.submitted_at)} con protocollo "
            f"{application.protocol}.\nLa ricevuta firmata è disponibile nel fascicolo sul "
            "portale.\n\nQuesto messaggio è generato automaticamente: non rispondere.\n"))
