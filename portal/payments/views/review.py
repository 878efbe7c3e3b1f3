"""The ATS officer's validation: the queue of attestations, one attestation, the bulk."""
from pyramid.httpexceptions import HTTPForbidden, HTTPSeeOther
from pyramid.view import view_config

import workflows
from catalog import Eq, Query, search_principals
from content_types.attestation import Attestation
from content_types.district import District
from content_types.security import VIEW_PERSONAL_DATA
from content_types.values import euro, format_date
from portal import audit
from portal.applications.services import now, today
from portal.errors import BadRequest
from portal.i18n import _
from portal.payments import queue, validation
from portal.payments.rules.errors import PaymentError
from portal.web import posted
from portal.web.errors import refuse
from portal.web.labels import workflow_state_title
from portal.web.layout import flash
from workflows import attestation as wf

MAX_PAGE = 10_000
BULK_SCHEMA = posted.schema(posted.texts("uid"))
DECISION_SCHEMA = posted.schema(posted.text("_version", strip=False),
                                posted.text("decisione", strip=False),
                                posted.text("motivo", strip=False))


def _page_number(value):
    return int(value) if value.isdigit() and 0 < int(value) <= MAX_PAGE else 1


def _month(value):
    """A «2026-10» filter; anything else filters nothing."""
    value = (value or "").strip()
    ok = len(value) == 7 and value[4] == "-" and value[:4].isdigit() and value[5:].isdigit()
    return value if ok and 1 <= int(value[5:]) <= 12 else ""


def providers(request):
    """``[(name, title)]`` of the accredited providers (the filter's choices), by title."""
    results = request.catalog.search(Query(filters=(Eq("type_name", "Provider"),), sort="title",
                                           limit=500, snippets=False),
                                     search_principals(request))
    return [(hit.path.rsplit("/", 1)[-1], hit.title) for hit in results.items
            if hit.path.startswith("/catalogo/")]


def criteria_of(request, choices):
    state = workflows.current_state_id(request.GET.get("stato", wf.SENT))
    if state not in queue.QUEUE_STATES:
        state = ""
    provider = request.GET.get("ente", "")
    if provider not in dict(choices):
        provider = ""
    month = _month(request.GET.get("mese", ""))
    return provider, queue.Criteria(
        state=state, provider_path=f"/catalogo/{provider}" if provider else "", month=month,
        page=_page_number(request.GET.get("pagina", "")))


def workflow_of(request):
    return workflows.get_workflow(request.registry, wf.NAME)


def state_title(request, state):
    return workflow_state_title(request, workflow_of(request), state)


def row(request, attestation):
    return {"uid": attestation.uid, "url": request.resource_path(attestation, "@@valida"),
            "protocol": attestation.protocol or "—", "month": attestation.month,
            "beneficiary": attestation.beneficiary_name, "provider": attestation.provider_title,
            "voucher": euro(attestation.voucher_share) if attestation.voucher_share is not None
            else "—",
            "state": attestation.state, "state_title": state_title(request, attestation.state),
            "select_label": request.localizer.translate(
                _("Seleziona ${protocol} ${month}", mapping={
                    "protocol": attestation.protocol or "—", "month": attestation.month}))}


@view_config(context=District, name="attestazioni", permission=VIEW_PERSONAL_DATA,
             renderer="portal:templates/payments/review_queue.pt")
def queue_view(context, request):
    """This ATS's attestations to validate, from the catalog: filters, counts, pages, bulk."""
    if request.method == "POST":
        return bulk_validate(context, request)
    choices = providers(request)
    provider, criteria = criteria_of(request, choices)
    found = queue.review_queue(request.catalog, search_principals(request), context, criteria)
    params = {k: v for k, v in (("stato", criteria.state), ("ente", provider),
                                ("mese", criteria.month)) if v}
    if not criteria.state:
        params["stato"] = "tutti"
    pages = max(1, -(-found.shown // criteria.size))

    def link(**changes):
        return request.resource_path(context, "@@attestazioni", query={**params, **changes})
    translate = request.localizer.translate
    return {
        "page_title": translate(_("Attestazioni da validare — ${title}",
                                  mapping={"title": context.title})),
        "district": context,
        "rows": [row(request, a) for a in found.items],
        "state": criteria.state, "provider": provider, "month": criteria.month,
        "providers": choices,
        "states": [{"state": s, "title": state_title(request, s),
                    "count": found.counts.get(s, 0)} for s in queue.QUEUE_STATES],
        "counts": [{"state": s, "title": state_title(request, s), "count": found.counts[s],
                    "url": link(stato=s, pagina=1)}
                   for s in queue.QUEUE_STATES if found.counts.get(s)],
        "total": found.total, "shown": found.shown,
        "paging": {"number": criteria.page, "pages": pages,
                   "previous": link(pagina=criteria.page - 1) if criteria.page > 1 else None,
                   "next": link(pagina=criteria.page + 1) if criteria.page < pages else None},
        "can_validate": criteria.state == wf.SENT and bool(found.items),
    }


def fire_as(request):
    def fire(obj, name, comment=""):
        return workflows.fire(obj, request, name, comment)
    return fire


def bulk_validate(district, request):
    """Validate the chosen sent attestations, each re-checked; refusals listed one by one."""
    sent = posted.posted(request, BULK_SCHEMA)
    uids = list(dict.fromkeys(sent["uid"]))[:queue.PAGE_SIZE * 4]
    if not uids:
        raise BadRequest(_("Selezionare almeno un'attestazione."), {"uid": "nessuna"})
    found = queue.chosen(request.catalog, search_principals(request), district, uids)
    outcome = validation.validate_many(found, who=request.authenticated_userid, when=now(),
                                       today=today(), fire=fire_as(request))
    translate = request.localizer.translate
    audit.log(request, "validazione cumulativa", district, done=len(outcome.validated),
              refused=len(outcome.refused))
    flash(request, _("Attestazioni validate: ${count}.",
                     mapping={"count": len(outcome.validated)}))
    for attestation in outcome.validated:
        flash(request, _("Validata: ${protocol} ${month}.", mapping={
            "protocol": attestation.protocol, "month": attestation.month}))
    for attestation, message in outcome.refused:
        flash(request, _("Non validata: ${protocol} ${month}: ${reason}", mapping={
            "protocol": attestation.protocol, "month": attestation.month,
            "reason": translate(message)}), "warning")
    missing = len(uids) - len(found)
    if missing:
        flash(request, _("Attestazioni non trovate tra quelle di questo Ambito: ${count}.",
                         mapping={"count": missing}), "warning")
    return HTTPSeeOther(request.resource_path(district, "@@attestazioni"))


def record(request, attestation):
    """What the page shows of the attestation, formatted."""
    def money(value):
        return euro(value) if value is not None else "—"
    return {
        "protocol": attestation.protocol or "—", "month": attestation.month,
        "beneficiary": attestation.beneficiary_name, "provider": attestation.provider_title,
        "open_days": attestation.open_days, "attended_days": attestation.attended_days,
        "absences": attestation.absences, "full_time": attestation.full_time,
        "tariff": money(attestation.tariff), "fee": money(attestation.fee),
        "family_share": money(attestation.family_share),
        "voucher_share": money(attestation.voucher_share),
        "explanation": attestation.explanation,
        "invoice_number": attestation.invoice_number or "—",
        "invoice_date": format_date(attestation.invoice_date) if attestation.invoice_date
        else "—",
        "invoice_amount": money(attestation.invoice_amount),
        "state_title": state_title(request, attestation.state),
    }


@view_config(context=Attestation, name="valida", permission=VIEW_PERSONAL_DATA,
             renderer="portal:templates/payments/validate.pt")
def validate_view(context, request):
    """One sent attestation: the record, every re-check, validate or return with a reason.

    Reading needs what the record needs; deciding needs ``validate`` (the officer in the
    ``sent`` state). A decision on one no longer sent, a double POST included, is a 409
    naming its state, not a 403.
    """
    error = None
    if request.method == "POST":
        sent = posted.posted(request, DECISION_SCHEMA)
        validation.check_sent(context)
        if not request.has_permission(wf.VALIDATE, context):
            raise HTTPForbidden(_("Solo l'Ufficio dell'Ambito valida le attestazioni."))
        validation.check_version(context, sent["_version"])
        who, when = request.authenticated_userid, now()
        try:
            if sent["decisione"] == "valida":
                validation.validate(context, who=who, when=when, today=today(),
                                    fire=fire_as(request))
                flash(request, _("Attestazione ${month} validata.",
                                 mapping={"month": context.month}))
            elif sent["decisione"] == "restituisci":
                validation.give_back(context, sent["motivo"], who=who, when=when,
                                     fire=fire_as(request))
                flash(request, _("Attestazione ${month} restituita all'ente gestore.",
                                 mapping={"month": context.month}))
            else:
                raise BadRequest(_("Scegliere se validare o restituire l'attestazione."),
                                 {"decisione": sent["decisione"]})
        except PaymentError as exc:
            error = refuse(request, exc)
        else:
            audit.log(request, "validazione attestazione", context,
                      decision=sent["decisione"])
            return HTTPSeeOther(request.resource_path(context, "@@valida"))
    checks = validation.failures(context, today()) if context.state == wf.SENT else {}
    translate = request.localizer.translate
    if request.authenticated_userid != context.data_subject:
        audit.log_read(request, context)
    return {
        "page_title": translate(_("Validazione — attestazione ${month} ${protocol}",
                                  mapping={"month": context.month,
                                           "protocol": context.protocol})),
        "attestation": context, "record": record(request, context), "error": error,
        "checks": [translate(message) for message in checks.values()],
        "is_sent": context.state == wf.SENT,
        "can_decide": context.state == wf.SENT
        and bool(request.has_permission(wf.VALIDATE, context)),
        "review": context.review or {},
        "version": validation.version_of(context),
        "queue_url": request.resource_path(district_of(context), "@@attestazioni"),
    }


def district_of(attestation):
    node = attestation
    while node is not None and not isinstance(node, District):
        node = node.__parent__
    return node
