"""Rankings: computed from an ATS's admitted applications, frozen as versions, published signed.

``ambiti/<ats>/@@graduatoria?avviso=<code>`` previews and freezes a version
(``graduatorie/<code>/<n>``); ``<version>/@@pubblica`` signs the PDF (protocol
numbers only), makes the page public and moves every application to its outcome.
A *scorrimento* freezes a new version that keeps earlier funding and lists changes.
"""
from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.response import Response
from pyramid.view import view_config

import workflows
import workflows.application as wf
from content_types.district import District
from content_types.ranking import RankingVersion
from content_types.security import EDIT, VIEW, VIEW_PERSONAL_DATA
from content_types.values import euro
from portal import audit
from portal.applications import services
from portal.applications.ranking_service import (
    call_folder,
    compute,
    figures,
    publish,
    rank,
)
from portal.applications.rules import ranking as ranking_rules
from portal.applications.rules.errors import RankingError
from portal.db import documents_registry
from portal.documents.registry import lookup
from portal.errors import BadRequest
from portal.i18n import _
from portal.web import posted
from portal.web.display import local_time
from portal.web.layout import flash

FREEZE = posted.schema(posted.text("motivo"), posted.text("conferma", strip=False))
PUBLISH = posted.schema(posted.text("atto"))


@view_config(context=District, name="graduatoria", permission=VIEW_PERSONAL_DATA,
             renderer="portal:templates/applications/ranking_preview.pt")
def ranking_preview(context, request):
    """Preview (GET) and freeze (POST) the ranking of one call in this ATS."""
    code = request.GET.get("avviso", "")
    domande = context.get("domande")
    if domande is None or code not in domande:
        raise HTTPNotFound("Avviso non trovato in questo Ambito.")
    call = services.call_of(domande[code])
    folders = context.get("graduatorie")
    existing = folders.get(code) if folders is not None else None
    previous = existing.latest(published_only=True) if existing is not None else None
    draft = existing.latest() if existing is not None else None
    if draft is not None and draft.published:
        draft = None
    # undecided applications are left out of a frozen ranking: the exact count, from the tree
    # the ranking itself is computed from (the catalog of another backend may lag behind)
    pending = [a for a in services.applications(context, code)
               if a.state in wf.AWAITING_DECISION]
    confirm = None
    if request.method == "POST":
        if draft is not None:
            raise BadRequest(_("Esiste già una versione in bozza: pubblicarla prima di "
                               "congelarne un'altra."))
        sent = posted.posted(request, FREEZE)
        reason = sent["motivo"]
        if pending and sent["conferma"] != str(len(pending)):
            # asked again when the count changed since the confirmation was shown
            confirm = {"count": len(pending), "reason": reason}
    if request.method == "POST" and confirm is None:
        snapshot = compute(context, call, code, previous.snapshot if previous else None,
                           reason, request.authenticated_userid)
        folder = call_folder(context, code, request.registry)
        number = str(snapshot.version)
        version = RankingVersion(title=f"Graduatoria {call.title} — {context.code} — "
                                       f"versione {number}",
                                 creator=request.authenticated_userid)
        version.snapshot = snapshot
        if previous is not None:
            version.changes = tuple(c.message for c in
                                    ranking_rules.changes(previous.snapshot, snapshot))
        folder.add(number, version, registry=request.registry)
        audit.log(request, "graduatoria congelata", version, version=snapshot.version)
        flash(request, _("Graduatoria congelata (versione ${number}): verificarla e pubblicarla.",
                         mapping={"number": number}))
        return HTTPSeeOther(request.resource_path(version))
    money = figures(context, code, call)
    budget = money.budget
    preview = None
    error = None
    try:
        preview = rank(context, call, code, previous.snapshot if previous else None)
    except RankingError as exc:
        error = request.localizer.translate(exc.message)
    return {"page_title": request.localizer.translate(_(
                "Graduatoria — ${title} — ${code}",
                mapping={"title": call.title, "code": context.code})),
            "district": context,
            "call": call, "code": code, "budget": euro(budget), "preview": preview,
            "live": live_figures(money),
            "error": error, "previous": previous, "draft": draft, "euro": euro,
            "pending": pending, "confirm": confirm,
            "confirm_question": request.localizer.translate(_(
                "${count} domande non sono ancora decise (in istruttoria o in attesa di "
                "abbinamento): congelare comunque la graduatoria?",
                mapping={"count": len(pending)})) if confirm else ""}


def live_figures(money):
    """The ledger's figures now, shown beside the frozen ones."""
    return {"budget": euro(money.budget), "committed": euro(money.committed),
            "remaining": euro(money.remaining)}


def _lines(version, personal=False):
    """Rows of the ranking page; the ISEE only for who may see personal data (``personal``)."""
    ranking = version.snapshot.ranking()
    return ranking, [{"position": line.position, "protocol": line.protocol,
                      "outcome": ranking_rules.OUTCOME_TITLES[line.outcome],
                      "funded": line.funded,
                      "isee": euro(line.candidate.isee) if personal else None,
                      "cost": euro(line.candidate.cost),
                      "explanation": line.explanation(with_isee=personal)}
                     for line in ranking.lines]


@view_config(context=RankingVersion, permission=VIEW,
             renderer="portal:templates/applications/ranking.pt")
def ranking_view(context, request):
    """The ranking page: protocol numbers and explanations, never names; ISEE for officers."""
    district = services.district_of(context)
    personal = bool(request.has_permission(VIEW_PERSONAL_DATA, district))
    ranking, lines = _lines(context, personal)
    call = services.resolve_path(request.root, context.__parent__.call_path)
    return {"page_title": context.title, "version": context, "lines": lines,
            "budget": euro(ranking.budget), "spent": euro(ranking.spent),
            "left": euro(ranking.left), "district": district, "call": call,
            "live": live_figures(figures(district, context.__parent__.__name__))
            if district.get("domande") is not None
            and context.__parent__.__name__ in district["domande"] else None,
            "personal": personal,
            "published": local_time(context.published_at) if context.published else None,
            "can_publish": not context.published
            and bool(request.has_permission(EDIT, context)),
            "verify_url": request.route_path("documents.record", doc_id=context.document_id)
            if context.document_id else None,
            "pdf_url": request.resource_path(context, "@@pdf") if context.document_id else None}


@view_config(context=RankingVersion, name="pubblica", permission=EDIT, request_method="POST")
def publish_ranking(context, request):
    """Sign the PDF, publish the page and move each application to its outcome."""
    if context.published:
        raise BadRequest(_("Questa versione della graduatoria è già pubblicata."))
    act = posted.posted(request, PUBLISH)["atto"]
    if not act:
        raise BadRequest(_("Indicare l'atto di approvazione (ad esempio «Determinazione n. "
                           "12/2026»)."), {"atto": "obbligatorio"})
    try:
        record = publish(services.district_of(context), context, act,
                         who=request.authenticated_userid, when=services.now(),
                         fire=lambda obj, name, comment: workflows.fire(obj, request, name,
                                                                        comment),
                         service=request.documents, documents=documents_registry(request))
    except RankingError as exc:
        raise BadRequest(exc.message) from None
    audit.log(request, "graduatoria pubblicata", context, document=record.doc_id)
    flash(request, _("Graduatoria pubblicata: PDF firmato e pagina pubblica."))
    return HTTPSeeOther(request.resource_path(context))


@view_config(context=RankingVersion, name="pdf", permission=VIEW)
def ranking_pdf(context, request):
    if not context.document_id:
        raise HTTPNotFound("La graduatoria non è ancora pubblicata.")
    record = lookup(documents_registry(request), context.document_id)
    return Response(body=record.read(), content_type="application/pdf",
                    content_disposition=f'inline; filename="{record.filename}"')
