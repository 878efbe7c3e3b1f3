"""Payment acts as a service: select validated attestations, preview, issue, correct (no request).

``issue`` does everything in the caller's transaction: an outgoing protocol number from
the ATS's register, the ledger's PAY movements, the attestations marked paid, the act
stored and its signed PDF registered. Anything that refuses raises before the
transaction commits, so nothing is paid; two issuers of the same attestations write the
same objects (attestations, ledger, protocol counter), one gets a ``ConflictError``, is
replayed and then finds them paid (``NotPayable``).
"""
from dataclasses import dataclass, field

from pyramid.traversal import find_root, resource_path

import workflows
from content_types.payment_act import FOLDER_NAME, PaymentAct, PaymentActFolder
from content_types.values import ZERO, euro, to_local, utcnow
from portal.applications import services as application_services
from portal.db import DOCUMENTS_KEY
from portal.documents import layouts
from portal.i18n import _
from portal.payments import commitments
from portal.payments.attestations import attestations_of
from portal.payments.ledger import ledger_of
from portal.payments.rules import funds as fund_table
from portal.payments.rules.errors import NothingSelected, NotPayable, PaymentError, ReasonRequired
from portal.payments.rules.ledger import consume
from workflows import attestation as attestation_workflow

#: the document registry's kind of a payment act's PDF
ACT_KIND = "atto_liquidazione"
LEGAL_BASIS = "D.Lgs. 267/2000, art. 184; avviso regionale dei buoni servizio"


@dataclass(frozen=True)
class Draft:
    """What an act would hold: its lines, totals and period (also the preview)."""

    lines: tuple
    by_provider: tuple  # ((provider_path, provider_title, Decimal), ...)
    by_fund: tuple  # ((fund, Decimal), ...) in fund order
    total: object
    period: str
    uids: tuple = field(default=())


def folder_of(district, registry=None, create=False):
    """``<ats>/liquidazioni`` (created on first use when ``create``)."""
    folder = district.get(FOLDER_NAME)
    if folder is None and create:
        folder = PaymentActFolder(title="Atti di liquidazione", creator="sistema")
        district.add(FOLDER_NAME, folder, registry=registry)
    return folder


def acts_of(district):
    """The ATS's acts, newest first."""
    folder = folder_of(district)
    if folder is None:
        return []
    return sorted((a for a in folder.values() if isinstance(a, PaymentAct)),
                  key=lambda a: a.issued_at or a.created, reverse=True)


def corrections_of(act):
    """The acts that correct ``act`` (looked up, the old act is never written)."""
    district = application_services.district_of(act)
    return [a for a in acts_of(district) if a.corrects_uid == act.uid]


def attestations(district):
    """Every attestation of the ATS, by application then month."""
    for application in application_services.applications(district):
        yield from attestations_of(application)


def is_payable(attestation):
    return attestation.state == attestation_workflow.VALIDATED and not attestation.payment


def payable(district, provider_path="", month=""):
    """Validated, not yet paid attestations, optionally of one provider and/or month."""
    return [a for a in attestations(district) if is_payable(a)
            and (not provider_path or a.provider_path == provider_path)
            and (not month or a.month == month)]


def choices(district):
    """(providers as (path, title), months) among what is payable now, for the form."""
    found = payable(district)
    providers = sorted({(a.provider_path, a.provider_title) for a in found},
                       key=lambda p: p[1].lower())
    return providers, sorted({a.month for a in found})


def period_of(months):
    months = sorted(set(months))
    if not months:
        return ""
    return months[0] if len(months) == 1 else f"{months[0]} – {months[-1]}"


def line_of(attestation, parts):
    return {"attestation_uid": attestation.uid, "attestation_path": resource_path(attestation),
            "application_uid": attestation.application_uid, "protocol": attestation.protocol,
            "beneficiary": attestation.beneficiary_name, "provider_path": attestation.provider_path,
            "provider_title": attestation.provider_title, "month": attestation.month,
            "amount": sum((v for _, v in parts), ZERO), "funds": tuple(parts)}


def summed(lines):
    """(by_provider, by_fund, total) of act lines."""
    providers, funds = {}, {}
    for line in lines:
        key = (line["provider_path"], line["provider_title"])
        providers[key] = providers.get(key, ZERO) + line["amount"]
        for code, value in line["funds"]:
            funds[code] = funds.get(code, ZERO) + value
    by_provider = tuple((p, t, v) for (p, t), v in sorted(providers.items(),
                                                          key=lambda i: i[0][1].lower()))
    by_fund = tuple((c, funds[c]) for c in fund_table.ordered(funds))
    return by_provider, by_fund, sum((line["amount"] for line in lines), ZERO)


def draft(selected, ledger):
    """The act the attestations would make, the fund split as the ledger's payment would take it."""
    open_by = {}
    lines = []
    for attestation in selected:
        uid = attestation.application_uid
        if uid not in open_by:
            account = ledger.account(uid)
            open_by[uid] = dict(account.open_by_fund()) if account is not None else {}
        parts = consume(attestation.voucher_share, tuple(open_by[uid].items()))
        for code, value in parts:
            open_by[uid][code] -= value
        lines.append(line_of(attestation, parts))
    by_provider, by_fund, total = summed(lines)
    return Draft(tuple(lines), by_provider, by_fund, total,
                 period_of(a.month for a in selected), tuple(a.uid for a in selected))


def ordered(selected):
    return sorted(selected, key=lambda a: (a.provider_title.lower(), a.month, a.protocol))


def preview(district, provider_path="", month=""):
    """The draft act of what is payable for the selection (raises when there is nothing)."""
    selected = ordered(payable(district, provider_path, month))
    if not selected:
        raise NothingSelected
    return draft(selected, ledger_of(district))


def resolve(district, uids):
    """The attestations named by ``uids``, each payable, or ``NotPayable`` naming the first that is not."""
    wanted = list(dict.fromkeys(u for u in uids if u))
    if not wanted:
        raise NothingSelected
    by_uid = {a.uid: a for a in attestations(district)}
    found = []
    for uid in wanted:
        attestation = by_uid.get(uid)
        if attestation is None:
            raise NotPayable(_("Un'attestazione selezionata non esiste più in questo Ambito: "
                               "ricaricare l'anteprima."))
        if not is_payable(attestation):
            paid = (attestation.payment or {}).get("act_number")
            raise NotPayable(
                _("L'attestazione ${month} della domanda ${protocol} è già stata liquidata "
                  "con l'atto ${act}: non si paga due volte.",
                  mapping={"month": attestation.month, "protocol": attestation.protocol,
                           "act": paid}) if paid else
                _("L'attestazione ${month} della domanda ${protocol} non è validata: non si "
                  "può liquidare.", mapping={"month": attestation.month,
                                             "protocol": attestation.protocol}))
        found.append(attestation)
    return ordered(found)


def documents_of(district):
    return district._p_jar.root()[DOCUMENTS_KEY]


def take_protocol(district, when):
    """The next outgoing number of the ATS's protocol register (one register, DPR 445/2000)."""
    counters = district["domande"].protocol_counters
    return counters.take(to_local(when).year)


def new_act(district, registry, protocol, lines, *, who, when, period, selection,
            corrects=None, reason=""):
    by_provider, by_fund, total = summed(lines)
    title = (f"Atto di rettifica n. {protocol}" if corrects is not None
             else f"Atto di liquidazione n. {protocol}")
    act = PaymentAct(title=title, creator=who)
    act.district_code = district.code
    act.protocol = protocol
    act.period = period
    act.selection = dict(selection or {})
    act.lines = tuple(lines)
    act.totals_by_provider = by_provider
    act.totals_by_fund = by_fund
    act.total = total
    act.issued_at = when
    act.issued_by = who
    if corrects is not None:
        act.corrects_uid = corrects.uid
        act.corrects_protocol = corrects.protocol
        act.reason = reason
    folder = folder_of(district, registry, create=True)
    folder.add(protocol.replace("/", "-"), act, registry=registry)
    return act


def fund_label(code):
    found = fund_table.BY_CODE.get(code)
    return f"{code} — {found.title}" if found is not None else code


def pdf_data(act):
    return {
        "act_number": act.protocol, "period": act.period, "legal_basis": LEGAL_BASIS,
        "rows": [{"beneficiary": line["beneficiary"], "fiscal_code": line["provider_title"],
                  "reference": f"{line['protocol']} — {line['month']}",
                  "amount": line["amount"]} for line in act.lines],
        "by_provider": [(title, value) for _, title, value in act.totals_by_provider],
        "by_fund": [(fund_label(code), value) for code, value in act.totals_by_fund],
        "corrects": act.corrects_protocol, "reason": act.reason, "manager": act.issued_by,
    }


def sign(act, service, documents):
    """Issue the act's signed PDF and register it (its id kept on the act)."""
    record = service.issue(
        documents, layouts.payment_act, pdf_data(act), kind=ACT_KIND, title=act.title,
        protocol=act.protocol, object_uid=act.uid, object_path=resource_path(act),
        date=act.issued_at, subject=f"Ambito {act.district_code}")
    act.document_id = record.doc_id
    return record


def after_payment(applications, *, who, when, registry):
    """Tell the ledger's follow-up (if this version of it has one) which applications were paid."""
    hook = getattr(commitments, "after_payment", None)
    if hook is None:
        return
    for application in applications:
        hook(application, who=who, when=when, registry=registry)


def issue(district, uids, *, who, registry, service, selection=None, actor=None, when=None,
          documents=None):
    """Pay the attestations ``uids`` with a new signed act; raises (and pays nothing) on refusal.

    ``actor``: the request acting, so the workflow checks its ``pay`` permission on each
    attestation (None: a trusted system call).
    """
    when = when or utcnow()
    selected = resolve(district, uids)
    planned = draft(selected, ledger_of(district))  # refuses an over-payment first
    protocol = take_protocol(district, when)
    reference = f"Atto di liquidazione {protocol}"
    lines, paid_applications = [], {}
    for attestation in selected:
        workflows.fire(attestation, actor, attestation_workflow.PAY, reference,
                       registry=registry)
        moved = commitments.pay(attestation, who=who, when=when, reference=reference)
        lines.append(line_of(attestation, tuple((m.fund, m.amount) for m in moved)))
        application = attestation.application
        paid_applications[application.uid] = application
    act = new_act(district, registry, protocol, lines, who=who, when=when,
                  period=planned.period, selection=selection)
    for attestation in selected:
        attestation.payment = {"act_uid": act.uid, "act_path": resource_path(act),
                               "act_number": protocol, "when": when}
        attestation.touch()
    sign(act, service, documents if documents is not None else documents_of(district))
    after_payment(paid_applications.values(), who=who, when=when, registry=registry)
    return act


def cancellable(act):
    """The lines of ``act`` a correction may still cancel (paid by this act, not yet cancelled)."""
    if act.corrects_uid:
        return ()
    root = find_root(act)
    found = []
    for line in act.lines:
        attestation = application_services.resolve_path(root, line["attestation_path"])
        if (attestation is not None and attestation.state == attestation_workflow.PAID
                and (attestation.payment or {}).get("act_uid") == act.uid):
            found.append(line)
    return tuple(found)


def correct(act, uids, reason, *, who, registry, service, when=None, documents=None):
    """A new signed act cancelling the lines ``uids`` of ``act``; ``act`` itself never changes."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(fields={"motivo": "obbligatorio"})
    if act.corrects_uid:
        raise PaymentError(_("Un atto di rettifica non si rettifica: correggere l'atto "
                             "originario con un nuovo atto di rettifica."))
    open_lines = {line["attestation_uid"]: line for line in cancellable(act)}
    wanted = list(dict.fromkeys(u for u in uids if u))
    if not wanted:
        raise PaymentError(_("Selezionare almeno una riga dell'atto da annullare."),
                           {"riga": "obbligatoria"})
    for uid in wanted:
        if uid not in open_lines:
            raise NotPayable(_("Una riga selezionata non è più annullabile: è già stata "
                               "rettificata o non appartiene a questo atto."))
    when = when or utcnow()
    district = application_services.district_of(act)
    root = find_root(act)
    protocol = take_protocol(district, when)
    reference = f"Atto di rettifica {protocol} (rettifica dell'atto {act.protocol})"
    lines, touched = [], {}
    for uid in wanted:
        line = open_lines[uid]
        attestation = application_services.resolve_path(root, line["attestation_path"])
        application = attestation.application
        commitments.ledger_for(application).reverse(
            application.uid, line["funds"], who=who, when=when, reference=reference)
        workflows.fire(attestation, None, attestation_workflow.CANCEL_PAYMENT,
                       f"{reference}: {reason}", registry=registry)
        attestation.payment = None
        attestation.touch()
        lines.append({**line, "amount": -line["amount"],
                      "funds": tuple((c, -v) for c, v in line["funds"])})
        touched[application.uid] = application
    correction = new_act(district, registry, protocol, lines, who=who, when=when,
                         period=period_of(line["month"] for line in lines),
                         selection={"corrects": act.protocol}, corrects=act, reason=reason)
    sign(correction, service, documents if documents is not None else documents_of(district))
    return correction


def summary(act):
    """One sentence for lists: «N righe, € …»."""
    return _("${count} righe, ${total}", mapping={"count": len(act.lines),
                                                   "total": euro(act.total or ZERO)})
