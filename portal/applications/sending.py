"""From a draft to a protocolled application: preview, submit, signed receipt, e-mail after commit."""
import logging

from BTrees.OOBTree import OOBTree
from pyramid.traversal import resource_path

from content_types.base import ensure_attr
from content_types.errors import ContentError
from content_types.values import rome_today
from portal import audit, jobs, mail
from portal.applications import services
from portal.applications.rules import submission as rules
from portal.applications.rules.errors import BenefitError, IseeNotFound
from portal.applications.rules.matching import check_entry, entry_fee
from portal.applications.rules.submission import check_attachment, receipt_data, receipt_mail
from portal.db import DOCUMENTS_KEY, documents_registry
from portal.documents import get_service, layouts
from portal.i18n import _

log = logging.getLogger(__name__)
RECEIPT_KIND = "ricevuta-domanda"
#: the job kind that signs and registers a receipt after the submission's commit
RECEIPT_JOB = "ricevuta"
#: attachment kinds the family may upload
ATTACHMENT_KINDS = {
    "documento_identita": _("Documento d'identità del richiedente"),
    "certificazione_disabilita": _("Certificazione di disabilità"),
    "altro": _("Altro documento"),
}


def preview(situation, now):
    """What the summary page shows: the split (if computable) and every problem found."""
    application, call, folder = situation.application, situation.call, situation.folder
    problems = []
    for check in (lambda: rules.check_window(call, now),
                  lambda: rules.check_required(application),
                  lambda: rules.check_duplicate(folder, application)):
        try:
            check()
        except BenefitError as exc:
            problems.append(exc.message)
    entry = situation.entry
    fee = None
    try:
        check_entry(entry, folder.district_code)
        fee = entry_fee(entry, situation.service_day, application.full_time)
    except (BenefitError, ContentError) as exc:
        problems.append(exc.message)
    isee = None
    try:
        isee = rules.acquire_isee(application, call, situation.isee_provider, rome_today(now))
    except (IseeNotFound, BenefitError) as exc:
        problems.append(exc.message)
    seen = None
    if application.beneficiary_fiscal_code:
        seen = rules.preview(situation, isee=isee, fee=fee if fee is not None else 0, now=now)
        for failure in seen.result.failures:
            if failure.code == "isee_missing" and isee is None:
                continue  # already explained by the lookup above
            if failure.message not in problems:
                problems.append(failure.message)
    share = seen.share if seen is not None and fee is not None else None
    return {"entry": entry, "fee": fee, "isee": isee, "share": share, "problems": problems,
            "warnings": [w.message for w in seen.result.warnings] if seen else [],
            "call": call}


def submit(situation, *, by, now, fire, translate, on_behalf_of=None):
    """The rules' submission, with every reason told at once; a refusal writes nothing."""
    rules.check_window(situation.call, now)
    fee = rules.fee_of(situation)
    try:
        return rules.submit(situation, fee=fee, now=now, by=by, fire=fire,
                            on_behalf_of=on_behalf_of)
    except BenefitError as exc:
        # every reason at once (the domain stops at the first missing ISEE); nothing written
        problems = preview(situation, now)["problems"]
        if len(problems) > 1 or (problems and problems[0] != exc.message):
            combined = BenefitError(_("La domanda non può essere inviata: ${problems}",
                                      mapping={"problems": " ".join(translate(p) for p in problems)}),
                                    exc.fields)
            # the same refusal, told in full: it keeps the first reason's code and status
            combined.code, combined.http_status = exc.code, exc.http_status
            raise combined from None
        raise


def send(request, application):
    """Submit, grant the provider, queue the e-mail; the signed receipt follows the commit."""
    situation = services.context_for(application)
    who, on_behalf_of = services.acting(request.authenticated_userid, application)
    done = submit(situation, by=who, now=services.now(), fire=services.fire_for(request),
                  translate=request.localizer.translate, on_behalf_of=on_behalf_of)
    entry, call = situation.entry, situation.call
    domande, district = situation.domande, situation.district
    services.grant_provider(request, application, entry)
    audit.log(request, "invio domanda", application, protocol=done.protocol)
    queue_receipt_mail(request, application, call, domande)
    # the receipt job runs right after the commit, before the response leaves
    # (portal.write_lock is held until then: see its docstring)
    schedule_receipt(request, application, call, district)
    return done


def receipt_key(application):
    """One receipt per protocol: the idempotency key of its job."""
    return f"ricevuta:{application.uid}:{application.protocol}"


def schedule_receipt(request, application, call, district):
    """A job recorded with the submission: after commit, sign and register the receipt."""
    return jobs.enqueue(application._p_jar, request.registry, RECEIPT_JOB,
                        {"oid": application._p_oid}, key=receipt_key(application),
                        txn=request.tm.get())


def _receipt_meta(application):
    return {"title": f"Ricevuta della domanda {application.protocol}",
            "protocol": application.protocol, "uid": application.uid,
            "path": resource_path(application), "date": application.submitted_at,
            "subject": application.applicant_name}


def receipt_job(payload, registry, db):
    """The «ricevuta» job: read, sign outside any transaction, register with the job's end.

    Idempotent: an application that already has its receipt gets no second one.
    A failure leaves the application without ``receipt_uid`` (its page says the
    receipt is being prepared) and the job is retried.
    """
    from portal.documents.registry import new_document_id, register  # noqa: PLC0415

    oid = payload["oid"]

    def read(conn):
        application = conn.get(oid)
        if application.receipt_uid or not application.protocol:
            return None
        district = services.district_of(application)
        return (receipt_data(application, services.call_of(application), district.title,
                             services.entry_of(application)),
                _receipt_meta(application))
    found = jobs.read(db, read)
    if found is None:
        return None
    data, meta = found
    service = get_service(registry)
    doc_id = new_document_id()
    base = service.settings.verify_base_url.rstrip("/")
    header = service.header(meta["title"], meta["protocol"], meta["date"],
                            f"{base}/{doc_id}", meta["subject"])
    signed = service.signer.sign(layouts.application_receipt(header, data))

    def record(conn):
        application = conn.get(oid)
        if application.receipt_uid:
            return
        stored = register(
            conn.root()[DOCUMENTS_KEY], signed.data, doc_id=doc_id, kind=RECEIPT_KIND,
            title=meta["title"], protocol=meta["protocol"], object_uid=meta["uid"],
            object_path=meta["path"], signer_name=signed.signer_name, level=signed.level)
        application.receipt_uid = stored.doc_id
    return record


def issue_receipt(request, application, call, district):
    service = request.documents
    record = service.issue(
        documents_registry(request), layouts.application_receipt,
        receipt_data(application, call, district.title, services.entry_of(application)),
        kind=RECEIPT_KIND,
        title=f"Ricevuta della domanda {application.protocol}", protocol=application.protocol,
        object_uid=application.uid, object_path=resource_path(application),
        date=application.submitted_at, subject=application.applicant_name)
    application.receipt_uid = record.doc_id
    return record


def queue_receipt_mail(request, application, call, domande):
    to, subject, body = receipt_mail(application, call)
    if not to:
        return None
    return mail.queue(application, request.registry, to, subject, body,
                      key=receipt_key(application), txn=request.tm.get())


def add_attachment(request, application, data, filename, kind):
    """Check and keep one uploaded PDF on the draft; refusals change nothing."""
    if kind not in ATTACHMENT_KINDS:
        raise BenefitError(_("Indicare il tipo di allegato."), {"kind": "non valido"})
    check_attachment(data, filename)
    service = request.documents
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
    """Record a receipt job for each protocolled application without one (idempotent by key)."""
    from content_types.district import District  # noqa: PLC0415

    queued = []
    for district in portal["ambiti"].values():
        if not isinstance(district, District):
            continue
        for application in services.applications(district):
            if application.protocol and not application.receipt_uid:
                queued.append(jobs.enqueue(application._p_jar, registry, RECEIPT_JOB,
                                           {"oid": application._p_oid},
                                           key=receipt_key(application), run_now=False))
    return queued
