"""The citizen's side: the call's page, drafts, attachments, summary, submission, receipt, file."""

from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound, HTTPSeeOther
from pyramid.response import Response
from pyramid.traversal import find_resource, resource_path
from pyramid.view import view_config

import workflows
import workflows.application as wf
from catalog import Eq, Query, search_principals
from catalog.query import MAX_LIMIT
from content_types.application import Application
from content_types.application_folder import ADD_APPLICATION, CallApplicationFolder
from content_types.call import Call
from content_types.portal_root import Portal
from content_types.security import EDIT, VIEW, VIEW_PERSONAL_DATA
from content_types.values import euro, utcnow
from portal import audit
from portal.applications import integration, sending, services, transitions
from portal.applications.rules import lapse, matching
from portal.applications.rules.errors import BenefitError
from portal.applications.rules.from_catalogue import check_entry_for_call
from portal.applications.services import check_version
from portal.applications.views.steps import editable_or_sent, isee_info, step_nav
from portal.db import documents_registry
from portal.documents.errors import UploadRefused
from portal.documents.registry import lookup
from portal.documents.uploads import read_posted
from portal.errors import BadRequest, StaleForm, ValidationFailed
from portal.i18n import _
from portal.payments.attestations import attestations_of
from portal.payments.ledger import ledger_of
from portal.people.rules.households import RELATIONSHIPS
from portal.register import listing as register_listing
from portal.register.rules import status as register_status
from portal.web import posted
from portal.web.api.views import json_body, transition_api
from portal.web.content_ops import workflow_panel
from portal.web.display import local_time
from portal.web.errors import refuse
from portal.web.labels import workflow_state_title
from portal.web.layout import flash
from portal.web.workflow import transition_view
from workflows import get_workflow
from workflows.application import INTEGRATE, MATCH, REVIEW, SUBMIT

#: state -> what the family should expect next (Italian)
NEXT = {
    wf.DRAFT: _("Completare i passi del modulo e inviare la domanda prima della scadenza."),
    wf.SUBMITTED: _("La struttura scelta deve confermare l'abbinamento; poi l'Ambito avvia "
                    "l'istruttoria."),
    wf.AUTO_INELIGIBLE: _("La domanda non ha superato le verifiche automatiche: vedere i "
                          "motivi indicati."),
    wf.MATCHED: _("La struttura ha confermato il posto: l'Ambito avvierà l'istruttoria."),
    wf.LAPSED: _("La domanda è decaduta per mancato abbinamento con la struttura."),
    wf.UNDER_REVIEW: _("L'Ambito sta esaminando la domanda."),
    wf.AWAITING_INTEGRATION: _("L'Ambito ha chiesto un'integrazione: caricare i documenti "
                               "richiesti e inviare l'integrazione."),
    wf.ELIGIBLE: _("La domanda è ammissibile: si attende la graduatoria dell'Ambito."),
    wf.INELIGIBLE: _("L'Ambito ha dichiarato la domanda non ammissibile: vedere la "
                     "motivazione."),
    wf.FUNDED: _("La domanda è finanziata: la struttura avvierà il servizio."),
    wf.ADMITTED_UNFUNDED: _("La domanda è in graduatoria ma non ancora finanziata: potrà "
                            "esserlo per scorrimento se si liberano fondi."),
    wf.ACTIVE: _("Il servizio è in corso."),
    wf.CONCLUDED: _("Il servizio è concluso."),
    wf.REVOKED: _("Il beneficio è stato revocato."),
    wf.WITHDRAWN: _("La domanda è stata ritirata."),
    wf.ANNULLED: _("La registrazione della domanda è stata annullata: vedere la motivazione "
                   "nello storico."),
}
#: transitions that only the dedicated views may fire (they do the domain work too)
DEDICATED = {
    wf.SUBMIT: _("si invia dal riepilogo della domanda (pulsante «Invia la domanda»)"),
    wf.INTEGRATE: _("si invia dalla pagina dell'integrazione, con i documenti richiesti"),
    wf.MATCH: _("si conferma dalla pagina di abbinamento della struttura"),
    wf.DECLINE_MATCH: _("si rifiuta dalla pagina di abbinamento della struttura"),
}
#: what each form of these pages posts (read once, by ``portal.web.posted``)
NEW_DRAFT = posted.schema(posted.text("per_conto_di"), posted.text("voce", limit=500))
DELEGATION = posted.schema(posted.text("delegato"), posted.text("revoca", strip=False))
ATTACHMENT = posted.schema(posted.text("_version", strip=False),
                           posted.text("rimuovi", strip=False), posted.upload(),
                           posted.text("kind", strip=False))
INTEGRATION = posted.schema(posted.text("_version", strip=False),
                            posted.text("invia", strip=False), posted.text("comment", limit=2000),
                            posted.upload(), posted.text("kind", strip=False))
TRANSITION = posted.schema(posted.text("transition", strip=False),
                           posted.text("comment", strip=False))


def state_title(request, application):
    """The application's state as the reader's language says it."""
    return workflow_state_title(request, get_workflow(request.registry, "application"),
                                application.state)


def attachment_kinds(request):
    """The attachment kinds (code -> title) in the request's language."""
    translate = request.localizer.translate
    return {code: translate(title) for code, title in sending.ATTACHMENT_KINDS.items()}


def application_summary(request, application):
    """The values every page about one application shows."""
    personal = bool(request.has_permission(VIEW_PERSONAL_DATA, application))
    receipt = None
    user = request.authenticated_userid
    if application.receipt_uid:
        receipt = {"verify_url": request.route_path("documents.record",
                                                    doc_id=application.receipt_uid),
                   "pdf_url": (request.resource_path(application, "@@ricevuta.pdf")
                               if services.may_see_documents(user, application) else None)}
    entry = services.entry_of(application)
    next_step = NEXT.get(application.state)
    return {
        "application": application, "personal": personal, "receipt": receipt,
        "state_title": state_title(request, application),
        "next": request.localizer.translate(next_step) if next_step else "",
        "entry": entry, "euro": euro, "local_time": local_time,
        "submitted": local_time(application.submitted_at) if application.submitted_at else "",
        "url": request.resource_path(application),
        "call": services.call_of(application),
    }


@view_config(context=Application, permission=VIEW,
             renderer="portal:templates/applications/application.pt")
def application_view(context, request):
    values = application_summary(request, context)
    if values["personal"] and request.authenticated_userid != context.data_subject:
        audit.log_read(request, context)
    values.update({
        "page_title": context.title,
        "workflow": workflow_panel(request, context),
        "can_edit": context.state == wf.DRAFT and bool(request.has_permission(EDIT, context)),
        "can_match": bool(request.has_permission(MATCH, context)),
        "can_integrate": bool(request.has_permission(INTEGRATE, context)),
        "can_review": bool(request.has_permission(VIEW_PERSONAL_DATA, context))
        and bool(request.has_permission(REVIEW, context)),
        "actions": [{**a, "when": local_time(a["when"])} for a in context.actions],
        "steps": step_nav(request, context, "") if context.state == wf.DRAFT else [],
        "dedicated": DEDICATED,
        "match_until": services.match_last_day(context),
        "integration_until": integration.integration_until(context),
        "attestations": attestation_rows(request, context),
        "money": voucher_money(context),
    })
    return values


def voucher_money(application):
    """What the ledger holds for this voucher (committed, paid, still to pay), or None."""
    district = services.district_of(application)
    ledger = ledger_of(district, create=False) if district is not None else None
    account = ledger.account(application.uid) if ledger is not None else None
    if account is None:
        return None
    return {"committed": euro(account.committed), "paid": euro(account.paid),
            "unpaid": euro(account.unpaid)}


def attestation_rows(request, application):
    """The application's monthly attestations the reader may view, oldest month first."""
    workflow = get_workflow(request.registry, "attestation")
    return [{"month": a.month, "url": request.resource_path(a),
             "state": workflow_state_title(request, workflow, a.state),
             "voucher": euro(a.voucher_share) if a.voucher_share is not None else "—",
             "family": euro(a.family_share) if a.family_share is not None else "—"}
            for a in attestations_of(application) if request.has_permission(VIEW, a)]


@view_config(context=CallApplicationFolder, permission=VIEW,
             renderer="portal:templates/applications/call_folder.pt")
def call_folder_view(context, request):
    call = services.call_of(context)
    user = request.authenticated_userid
    mine = [a for a in context.values() if isinstance(a, Application) and user
            and user in (a.applicant_login, a.delegate_login)]
    domande = context.__parent__
    represented = sorted(login for login, d in (domande.delegations or {}).items()
                         if user and d.get("delegate") == user)
    return {
        "page_title": context.title, "call": call, "folder": context,
        "opens": local_time(call.opens_at), "closes": local_time(call.closes_at),
        "mine": [{"title": a.title, "url": request.resource_path(a),
                  "state": state_title(request, a),
                  "beneficiary": a.beneficiary_name or "—"} for a in mine],
        "may_apply": bool(request.has_permission(ADD_APPLICATION, context)),
        "represented": represented, "logged_in": bool(user),
        "budget": euro(call.budget_for(context.district_code)),
        "matching_days": lapse.matching_days(call),
    }


@view_config(context=CallApplicationFolder, name="nuova-domanda", permission=VIEW,
             request_method="POST")
def new_draft(context, request):
    """A new draft: by a citizen for themself, or by a delegate holding a delegation."""
    user = request.authenticated_userid
    if not user:
        raise HTTPForbidden(_("Accedere per presentare una domanda."))
    sent = posted.posted(request, NEW_DRAFT)
    for_login = sent["per_conto_di"]
    delegation = None
    if for_login and for_login != user:
        delegation = (context.__parent__.delegations or {}).get(for_login)
        if delegation is None or delegation.get("delegate") != user:
            raise HTTPForbidden(_("Non risulta una delega di «${applicant}» a «${delegate}».",
                                  mapping={"applicant": for_login, "delegate": user}))
    elif not request.has_permission(ADD_APPLICATION, context):
        raise HTTPForbidden(_("Solo i cittadini registrati o i loro delegati possono "
                              "presentare domande."))
    applicant = for_login or user
    entry = None
    if sent["voce"]:  # from a catalogue entry's «Richiedi il buono»: checked before any write
        entry = services.resolve_path(request.root, sent["voce"])
        check_entry_for_call(services.call_of(context), entry, context.district_code,
                             services.now())
    application = Application(title="Domanda in bozza", creator=user,
                              call_uid=context.call_uid)
    name = context.choose_name(f"domanda-{applicant}-{utcnow():%Y%m%d%H%M%S%f}")
    context.add(name, application, registry=request.registry)
    application.assign_parties(applicant, user if delegation else None, delegation)
    if entry is not None:
        application.set_data({"catalogue_entry_path": resource_path(entry),
                              "catalogue_entry_uid": entry.uid})
    if delegation:
        application.record_action(user, "Creazione della bozza", services.now(),
                                  on_behalf_of=applicant)
    audit.log(request, "nuova bozza di domanda", application, applicant=applicant)
    return HTTPSeeOther(request.resource_path(application, "@@compila",
                                              query={"passo": "persone"}))


@view_config(context=CallApplicationFolder, name="delega", permission=ADD_APPLICATION,
             renderer="portal:templates/applications/delegation.pt")
def delegation_view(context, request):
    """The citizen records (or revokes) a delegation to a CAF/patronato operator."""
    user = request.authenticated_userid
    domande = context.__parent__
    error = None
    if request.method == "POST":
        sent = posted.posted(request, DELEGATION)
        delegate = sent["delegato"]
        users = request.root["utenti"]
        if sent["revoca"]:
            domande.delegations.pop(user, None)
            flash(request, _("Delega revocata."))
            return HTTPSeeOther(request.resource_path(context))
        if delegate not in users or delegate == user:
            error = refuse(request, ValidationFailed(_(
                "L'utente «${login}» non esiste: indicare l'utenza del delegato.",
                mapping={"login": delegate}), {"delegato": delegate}))
        else:
            domande.delegations[user] = {"delegate": delegate, "granted_at": services.now(),
                                         "scope": context.__name__}
            audit.log(request, "delega registrata", context, delegate=delegate)
            flash(request, _("Delega a «${login}» registrata: potrà presentare domande per "
                             "suo conto in questo Ambito.", mapping={"login": delegate}))
            return HTTPSeeOther(request.resource_path(context))
    current = (domande.delegations or {}).get(user)
    return {"page_title": request.localizer.translate(_("Delega a un CAF o patronato")),
            "current": current, "error": error,
            "folder": context}


def upload_attachment(request, application, sent):
    """Store the posted PDF (``sent``: file and kind) as an attachment: None when stored, else the error."""
    upload = sent["file"]
    if upload is None:
        error = ValidationFailed(_("Scegliere un file PDF da allegare."), {"file": "obbligatorio"})
    else:
        try:
            data = read_posted(upload, request.documents.settings
                               .max_upload_bytes)
            sending.add_attachment(request, application, data, upload.filename, sent["kind"])
        except (BenefitError, UploadRefused) as exc:
            error = exc
        else:
            flash(request, _("Allegato «${filename}» caricato.",
                             mapping={"filename": upload.filename}))
            return None
    return refuse(request, error)


@view_config(context=Application, name="allegati", permission=VIEW,
             renderer="portal:templates/applications/attachments.pt")
def attachments_view(context, request):
    error = None
    translate = request.localizer.translate
    sent_page = editable_or_sent(request, context)
    if sent_page is not None:
        return sent_page
    if request.method == "POST":
        sent = posted.posted(request, ATTACHMENT)
        if sent["_version"] != context.version_token():
            error = refuse(request, StaleForm(_(
                "La domanda è stata modificata dopo l'apertura di questo modulo: "
                "nessuna modifica è stata salvata. Ricaricare la pagina.")))
        elif sent["rimuovi"]:
            uid = sent["rimuovi"]
            context.attachments = tuple(a for a in context.attachments if a["uid"] != uid)
            if context.uploads is not None:
                context.uploads.pop(uid, None)
            context.touch()
            flash(request, _("Allegato rimosso."))
            return HTTPSeeOther(request.resource_path(context, "@@allegati"))
        else:
            error = upload_attachment(request, context, sent)
            if error is None:
                return HTTPSeeOther(request.resource_path(context, "@@allegati"))
    return {"page_title": translate(_("Domanda — Allegati")), "application": context,
            "error": error, "kinds": attachment_kinds(request),
            "version": context.version_token(),
            "steps": step_nav(request, context, "allegati"),
            "next_url": request.resource_path(context, "@@riepilogo")}


@view_config(context=Application, name="integrazione", permission=INTEGRATE,
             renderer="portal:templates/applications/integration.pt")
def integration_view(context, request):
    """The family answers a request for integration: uploads PDFs, then sends it back."""
    error = None
    translate = request.localizer.translate
    if request.method == "POST":
        sent = posted.posted(request, INTEGRATION)
        check_version(context, sent["_version"])
        # after the deadline nothing is uploaded or sent: the officer decides
        integration.check_integration_open(context, services.now())
        if sent["invia"]:
            workflows.fire(context, request, wf.INTEGRATE, sent["comment"])
            who, on_behalf_of = services.acting(request.authenticated_userid, context)
            context.record_action(who, "Invio dell'integrazione", services.now(),
                                  on_behalf_of=on_behalf_of)
            audit.log(request, "integrazione inviata", context)
            flash(request, _("Integrazione inviata all'Ambito."))
            return HTTPSeeOther(request.resource_path(context))
        error = upload_attachment(request, context, sent)
        if error is None:
            return HTTPSeeOther(request.resource_path(context, "@@integrazione"))
    asked = [h.get("comment", "") for h in workflows.history(context)
             if h.get("transition") == wf.REQUEST_INTEGRATION]
    return {"page_title": translate(_("Integrazione della domanda")), "application": context,
            "error": error, "asked": asked[-1] if asked else "",
            "until": integration.integration_until(context),
            "kinds": attachment_kinds(request),
            "version": context.version_token()}


@view_config(context=Application, name="riepilogo", permission=VIEW,
             renderer="portal:templates/applications/summary.pt")
def summary_view(context, request):
    sent_page = editable_or_sent(request, context)
    if sent_page is not None:
        return sent_page
    translate = request.localizer.translate
    values = application_summary(request, context)
    values.update(sending.preview(services.context_for(context), services.now()))
    values["problems"] = [translate(p) if p else p for p in values["problems"]]
    values["warnings"] = [translate(w) if w else w for w in values["warnings"]]
    values.update(isee_info(context, translate))
    values.update({"page_title": translate(_("Domanda — Riepilogo e invio")),
                   "steps": step_nav(request, context, "riepilogo"),
                   "version": context.version_token(),
                   "can_submit": bool(request.has_permission(SUBMIT, context))})
    return values


@view_config(context=Application, name="invia", permission=VIEW, request_method="POST")
def submit_view(context, request):
    if context.state != wf.DRAFT:  # sent twice (Back, then «Invia» again): explain
        return HTTPSeeOther(request.resource_path(context, "@@inviata"))
    if not request.has_permission(SUBMIT, context):
        raise HTTPForbidden(_("Solo chi ha presentato la domanda (o il suo delegato) può "
                              "inviarla."))
    check_version(context, posted.version(request))
    done = sending.send(request, context)
    flash(request, _("Domanda inviata: protocollo ${protocol}. La ricevuta firmata è "
                     "disponibile qui sotto e arriverà anche per e-mail.",
                     mapping={"protocol": done.protocol}))
    return HTTPSeeOther(request.resource_path(context))


@view_config(context=Application, name="ricevuta.pdf", permission=VIEW)
def receipt_pdf(context, request):
    """The signed receipt, for the family and its delegate only."""
    if not services.may_see_documents(request.authenticated_userid, context):
        raise HTTPForbidden(_("La ricevuta è disponibile solo per chi ha presentato la "
                              "domanda."))
    if not context.receipt_uid:
        raise HTTPNotFound("La ricevuta non è ancora stata emessa.")
    record = lookup(documents_registry(request), context.receipt_uid)
    audit.log(request, "scaricamento ricevuta", context, document=record.doc_id)
    return Response(body=record.read(), content_type="application/pdf",
                    content_disposition=f'attachment; filename="{record.filename}"')


@view_config(context=Application, name="transizione", request_method="POST", permission=VIEW)
def application_transition(context, request):
    """The generic transition form, except the moves that need their own view."""
    name = posted.posted(request, TRANSITION)["transition"]
    guard(request, context, name)
    transitions.check_still_possible(request, context, name)
    release_if_needed(context, name)
    return transition_view(context, request)


@view_config(route_name="api", context=Application, name="transizione", request_method="POST",
             permission=VIEW, renderer="json")
def application_transition_api(context, request):
    name = json_body(request).get("transition")
    guard(request, context, name)
    if isinstance(name, str):
        transitions.check_still_possible(request, context, name)
    release_if_needed(context, name)
    return transition_api(context, request)


def guard(request, application, name):
    if name in DEDICATED:
        how = request.localizer.translate(DEDICATED[name])
        raise BadRequest(_("Questa operazione ${how}: non è disponibile qui.",
                           mapping={"how": how}), {"transition": name})


def release_if_needed(application, name):
    if name in wf.RELEASE_ON and application.state in wf.HOLDS_PLACE:
        entry = services.entry_of(application)
        if entry is not None:
            matching.release(application, entry)


@view_config(context=Portal, name="fascicolo", permission=VIEW,
             renderer="portal:templates/applications/file.pt")
def citizen_file(context, request):
    """Every application of the user (and of their household), with what comes next."""
    user = request.authenticated_userid
    if not user:
        raise HTTPForbidden(_("Accedere per vedere il proprio fascicolo."))
    mine, households = [], set()
    everything = visible_applications(request)
    for application in everything:
        if user in (application.applicant_login, application.delegate_login):
            mine.append(application)
            if application.household_code and application.applicant_login == user:
                households.add(application.household_code)
    for application in everything:
        if (application not in mine and application.household_code in households
                and request.has_permission(VIEW, application)):
            mine.append(application)
    items = []
    for application in mine:
        values = application_summary(request, application)
        values["history"] = (workflow_panel(request, application) or {}).get("history", [])
        values["actions"] = [{**a, "when": local_time(a["when"])} for a in application.actions]
        items.append(values)
    return {"page_title": request.localizer.translate(_("Il mio fascicolo")), "items": items,
            "user": user, **citizen_register(
                request, [a for a in mine if a.applicant_login == user])}


def citizen_register(request, applications=()):
    """The benefits of the user and of the household they head, from every ATS, and the
    proposals found for them (``portal.register.listing``); never case data."""
    translate = request.localizer.translate
    found = register_listing.citizen_file(request.root, request.user, applications)
    return {**found, "euro": euro, "benefit_period": register_listing.period_text,
            "relationship_titles": RELATIONSHIPS,
            "status_title": lambda b: translate(register_status.TITLES.get(b.status, b.status))}


def visible_applications(request):
    """Every application the user may view, from the catalog (its «allowed» index)."""
    catalog, principals = request.catalog, search_principals(request)
    found, start = [], 0
    while True:
        results = catalog.search(Query(filters=(Eq("type_name", "Application"),),
                                       start=start, limit=MAX_LIMIT, snippets=False),
                                 principals)
        for hit in results.items:
            try:
                found.append(find_resource(request.root, hit.path))
            except KeyError:
                continue  # removed since it was indexed
        start += MAX_LIMIT
        if start >= results.total:
            return found


@view_config(context=Call, name="pubblica", permission=EDIT,
             renderer="portal:templates/applications/publish_call.pt")
def publish_call_view(context, request):
    """The Region publishes a call: every ATS gets its application folder."""
    if request.method == "POST":
        if context.published:
            raise BadRequest(_("L'avviso è già pubblicato."))
        folders = services.publish_call(request.root, context, request.authenticated_userid,
                                        request.resource_path(context), request.registry)
        audit.log(request, "pubblicazione avviso", context, ats=len(folders))
        flash(request, _("Avviso pubblicato: domande aperte in ${count} Ambiti.",
                         mapping={"count": len(folders)}))
        return HTTPSeeOther(request.resource_path(context))
    return {"page_title": request.localizer.translate(_("Pubblica: ${title}",
                                                        mapping={"title": context.title})),
            "call": context,
            "opens": local_time(context.opens_at), "closes": local_time(context.closes_at),
            "budgets": sorted((context.budgets or {}).items())}

