"""From a draft to a protocolled application: preview, submit, signed receipt, e-mail after commit."""
import logging

import transaction
from BTrees.OOBTree import OOBTree
from pyramid.traversal import resource_path

from content_types.base import ensure_attr
from content_types.errors import ContentError
from portal import audit, mail
from portal.applications import services
from portal.applications.rules.errors import BenefitError, IseeNotFound
from portal.applications.rules.matching import check_entry, entry_fee
from portal.applications.rules.submission import (
    acquire_isee,
    check_attachment,
    check_duplicate,
    check_required,
    check_window,
    preview,
    receipt_data,
    receipt_mail,
    submit,
)
from portal.db import DOCUMENTS_KEY, documents_registry
from portal.documents import layouts
from portal.i18n import _

log = logging.getLogger(__name__)
RECEIPT_KIND = "ricevuta-domanda"
#: attachment kinds the family may upload
ATTACHMENT_KINDS = {
    "documento_identita": _("Documento d'identità del richiedente"),
    "certificazione_disabilita": _("Certificazione di disabilità"),
    "altro": _("Altro documento"),
}


def summary(application):
    """What the summary page shows: the split (if computable) and every problem found."""
    call = services.call_of(application)
    folder = application.__parent__
    domande = services.domande_of(application)
    district = services.district_of(application)
    problems = []
    for check in (lambda: check_window(call, services.now()), lambda: check_required(application),
                  lambda: check_duplicate(folder, application)):
        try:
            check()
        except BenefitError as exc:
            problems.append(exc.message)
    entry = services.entry_of(application)
    fee = None
    try:
        check_entry(entry, folder.district_code)
        fee = entry_fee(entry, services.service_day(call), application.full_time)
    except (BenefitError, ContentError) as exc:
        problems.append(exc.message)
    isee = None
    try:
        isee = acquire_isee(application, call, domande.isee_registry, services.today())
    except (IseeNotFound, BenefitError) as exc:
        problems.append(exc.message)
    seen = None
    if application.beneficiary_fiscal_code:
        seen = preview(application, call=call, isee=isee, fee=fee if fee is not None else 0,
                       now=services.now(), entry=entry,
                       district_municipalities=frozenset(services.municipalities(district)))
        for failure in seen.result.failures:
            if failure.code == "isee_missing" and isee is None:
                continue  # already explained by the lookup above
            if failure.message not in problems:
                problems.append(failure.message)
    share = seen.share if seen is not None and fee is not None else None
    return {"entry": entry, "fee": fee, "isee": isee, "share": share, "problems": problems,
            "warnings": [w.message for w in seen.result.warnings] if seen else [],
            "call": call}


def send(request, application):
    """Submit, grant the provider, queue the e-mail; the signed receipt follows the commit."""
    call = services.call_of(application)
    folder = application.__parent__
    domande = services.domande_of(application)
    district = services.district_of(application)
    when = services.now()
    check_window(call, when)
    entry = services.entry_of(application)
    fee = 0
    if entry is not None and entry.district == folder.district_code:
        try:
            fee = entry_fee(entry, services.service_day(call), application.full_time)
        except ContentError as exc:
            raise BenefitError(exc.message, {"catalogue_entry_path": "tariffa"}) from None
    who, on_behalf_of = services.acting(request, application)
    try:
        done = submit(
            application, call=call, folder=folder, counters=domande.protocol_counters,
            entry=entry, fee=fee, isee_provider=domande.isee_registry, now=when, by=who,
            fire=services.fire_for(request), on_behalf_of=on_behalf_of,
            district_municipalities=frozenset(services.municipalities(district)))
    except BenefitError as exc:
        # every reason at once (the domain stops at the first missing ISEE); nothing written
        problems = summary(application)["problems"]
        if len(problems) > 1 or (problems and problems[0] != exc.message):
            translate = request.localizer.translate
            combined = BenefitError(_("La domanda non può essere inviata: ${problems}",
                                      mapping={"problems": " ".join(translate(p) for p in problems)}),
                                    exc.fields)
            # the same refusal, told in full: it keeps the first reason's code and status
            combined.code, combined.http_status = exc.code, exc.http_status
            raise combined from None
        raise
    services.grant_provider(request, application, entry)
    audit.log(request, "invio domanda", application, protocol=done.protocol)
    queue_receipt_mail(request, application, call, domande)
    # the receipt is signed right after the commit, before the response leaves
    # (portal.write_lock is held until then: see its docstring)
    schedule_receipt(request, application, call, district)
    return done


def schedule_receipt(request, application, call, district):
    """After commit: render and sign the receipt, register it, queue the e-mail."""
    service = request.registry.documents_service
    data = receipt_data(application, call, district.title)
    meta = {"title": f"Ricevuta della domanda {application.protocol}",
            "protocol": application.protocol, "uid": application.uid,
            "path": resource_path(application), "date": application.submitted_at,
            "subject": application.applicant_name}
    db = application._p_jar.db()
    oid = application._p_oid

    def hook(committed):
        if committed:
            issue_after_commit(db, oid, service, data, meta)
    request.tm.get().addAfterCommitHook(hook)


def issue_after_commit(db, oid, service, data, meta, attempts=10):
    """Sign outside any transaction, then register in a short one (replayed on conflict).

    A failure leaves the application without ``receipt_uid``: its page says the
    receipt is being prepared and ``issue_missing_receipts`` issues it later.
    """
    from ZODB.POSException import ConflictError  # noqa: PLC0415

    from portal.documents.registry import new_document_id, register  # noqa: PLC0415
    from portal.write_lock import writing  # noqa: PLC0415

    try:
        doc_id = new_document_id()
        base = service.settings.verify_base_url.rstrip("/")
        header = service.header(meta["title"], meta["protocol"], meta["date"],
                                f"{base}/{doc_id}", meta["subject"])
        signed = service.signer.sign(layouts.application_receipt(header, data))
    except Exception:  # noqa: BLE001 - the committed submission must stand
        log.exception("receipt for %s not signed", meta["protocol"])
        return None
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    try:
        for _attempt in range(attempts):
            try:
                with writing(db), tm:  # in turn with the requests of this process
                    application = conn.get(oid)
                    if application.receipt_uid:
                        return application.receipt_uid
                    record = register(
                        conn.root()[DOCUMENTS_KEY], signed.data, doc_id=doc_id,
                        kind=RECEIPT_KIND, title=meta["title"], protocol=meta["protocol"],
                        object_uid=meta["uid"], object_path=meta["path"],
                        signer_name=signed.signer_name, level=signed.level)
                    application.receipt_uid = record.doc_id
                return doc_id
            except ConflictError:
                continue
        log.error("receipt for %s not registered: too many conflicts", meta["protocol"])
        return None
    except Exception:  # noqa: BLE001
        log.exception("receipt for %s not registered", meta["protocol"])
        return None
    finally:
        conn.close()


def issue_receipt(request, application, call, district):
    service = request.registry.documents_service
    record = service.issue(
        documents_registry(request), layouts.application_receipt,
        receipt_data(application, call, district.title), kind=RECEIPT_KIND,
        title=f"Ricevuta della domanda {application.protocol}", protocol=application.protocol,
        object_uid=application.uid, object_path=resource_path(application),
        date=application.submitted_at, subject=application.applicant_name)
    application.receipt_uid = record.doc_id
    return record


def queue_receipt_mail(request, application, call, domande):
    to, subject, body = receipt_mail(application, call)
    if not to:
        return None
    mailer = mail.Mailer(mail.MailSettings.from_settings(request.registry.settings))
    return mail.queue(domande.mail_outbox, mailer, to, subject, body)


def add_attachment(request, application, data, filename, kind):
    """Check and keep one uploaded PDF on the draft; refusals change nothing."""
    if kind not in ATTACHMENT_KINDS:
        raise BenefitError(_("Indicare il tipo di allegato."), {"kind": "non valido"})
    check_attachment(data, filename)
    service = request.registry.documents_service
    from portal.documents.errors import UploadRefused  # noqa: PLC0415

    try:
        upload = service.store_upload(data, filename=filename,
                                      uploader=request.authenticated_userid,
                                      registry=documents_registry(request))
    except UploadRefused as exc:
        raise BenefitError(_("L'allegato «${filename}» non è stato accettato: ${reason}",
                             mapping={"filename": filename,
                                      "reason": request.localizer.translate(exc.message)}),
                           {"attachments": filename}) from None
    ensure_attr(application, "uploads", OOBTree)
    uid = upload.sha256[:16]
    if any(a.get("sha256") == upload.sha256 for a in application.attachments):
        raise BenefitError(_("L'allegato «${filename}» è già stato caricato.",
                             mapping={"filename": filename}), {"attachments": filename})
    application.uploads[uid] = upload
    application.attachments = application.attachments + (
        {"uid": uid, "filename": filename, "kind": kind, "sha256": upload.sha256},)
    application.touch()
    return upload


def issue_missing_receipts(portal, registry):
    """Issue the receipts a failed after-commit step left out (a periodic job; idempotent)."""
    from content_types.district import District  # noqa: PLC0415

    issued = []
    service = registry.documents_service
    db = portal._p_jar.db()
    for district in portal["ambiti"].values():
        if not isinstance(district, District):
            continue
        for application in services.applications(district):
            if application.protocol and not application.receipt_uid:
                call = services.call_of(application)
                data = receipt_data(application, call, district.title)
                meta = {"title": f"Ricevuta della domanda {application.protocol}",
                        "protocol": application.protocol, "uid": application.uid,
                        "path": resource_path(application), "date": application.submitted_at,
                        "subject": application.applicant_name}
                issued.append((db, application._p_oid, data, meta))
    return [issue_after_commit(db, oid, service, data, meta) for db, oid, data, meta in issued]
