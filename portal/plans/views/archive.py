"""The plan's archive pages: folders, documents with their versions, upload, download."""
from pyramid.httpexceptions import HTTPForbidden, HTTPSeeOther
from pyramid.response import Response
from pyramid.view import view_config

from content_types.security import ADD_CONTENT, ATS_OFFICER, EDIT, REGION_OFFICER, VIEW, role
from content_types.values import format_when
from content_types.zone_plan import ArchiveDocument, ArchiveFolder, PlanArchive
from portal import audit
from portal.db import documents_registry
from portal.i18n import _
from portal.plans import archive
from portal.security.policy import effective_principals
from portal.web import posted as body
from portal.web.errors import refuse
from portal.web.layout import flash

FOLDER_TEMPLATE = "portal:templates/plans/archive_folder.pt"
DOCUMENT_TEMPLATE = "portal:templates/plans/archive_document.pt"
UPLOAD_FORM = body.schema(body.text("title", archive.MAX_TITLE),
                          body.text("description", archive.MAX_DESCRIPTION), body.upload("file"))
VERSION_FORM = body.schema(body.text("note", archive.MAX_NOTE), body.upload("file"))
ORIGINS = {archive.ORIGIN_ATS: _("Ambito (ATS)"), archive.ORIGIN_REGION: _("Regione")}
STATUSES = {"valid": _("Firma digitale valida"), "invalid": _("Firma digitale non valida"),
            "refused": _("Firma non verificabile"), archive.UNSIGNED: _("Non firmato")}


def _t(request, text):
    return request.localizer.translate(text)


def _is_ats(request, context):
    return role(ATS_OFFICER) in effective_principals(request, context)


def _origin(request, context):
    """Who adds a document: the ATS's officers, else the Region (its own documents)."""
    if not _is_ats(request, context) and role(REGION_OFFICER) in request.base_principals:
        return archive.ORIGIN_REGION
    return archive.ORIGIN_ATS


def _plan(obj):
    node = obj
    while node is not None and not isinstance(node, PlanArchive):
        node = node.__parent__
    return node.__parent__ if node is not None else None


def _file(posted):
    """(bytes source, filename) of a posted file, or (None, "")."""
    if posted is None:
        return None, ""
    source = posted.file
    if source.seekable():
        source.seek(0)
    return source, (posted.filename or "documento.pdf")[:200]


@view_config(context=PlanArchive, permission=VIEW, request_method="GET",
             renderer="portal:templates/plans/archive.pt")
def archive_page(context, request):
    plan = _plan(context)
    rows = [{"title": f.title, "url": request.resource_path(f), "count": count,
             "official": f.official} for f, count in archive.folders(context)]
    return {"page_title": _t(request, _("Archivio documentale — ${plan}",
                                        mapping={"plan": plan.title})),
            "plan": plan, "plan_url": request.resource_path(plan),
            "official": [r for r in rows if r["official"]],
            "working": [r for r in rows if not r["official"]]}


def _folder_page(context, request, error=None, errors=None, form=None):
    rows = []
    for doc in archive.documents(context):
        info = doc.version_info[-1] if doc.version_info else {}
        rows.append({"title": doc.title, "url": request.resource_path(doc),
                     "version": len(doc.versions), "when": format_when(doc.modified),
                     "who": info.get("who", doc.creator),
                     "origin": _t(request, ORIGINS.get(doc.origin, doc.origin)),
                     "status": archive.status_of(info),
                     "status_text": _t(request, STATUSES[archive.status_of(info)])})
    return {"page_title": context.title, "folder": context, "rows": rows,
            "archive_url": request.resource_path(context.__parent__),
            "can_add": request.has_permission(ADD_CONTENT, context),
            "upload_url": request.resource_path(context, "@@carica"),
            "error": error, "errors": errors or {}, "form": form or {}}


@view_config(context=ArchiveFolder, permission=VIEW, request_method="GET",
             renderer=FOLDER_TEMPLATE)
def folder_page(context, request):
    return _folder_page(context, request)


@view_config(context=ArchiveFolder, name="carica", permission=ADD_CONTENT,
             request_method="POST", renderer=FOLDER_TEMPLATE)
def upload(context, request):
    """A new document: checked by the document service first; a refusal stores nothing."""
    sent = body.posted(request, UPLOAD_FORM)
    source, filename = _file(sent["file"])
    try:
        document = archive.add_document(
            context, source, filename, title=sent["title"], description=sent["description"],
            who=request.authenticated_userid, origin=_origin(request, context),
            service=request.documents, documents_registry=documents_registry(request),
            registry=request.registry)
    except archive.ArchiveError as exc:
        message = refuse(request, exc)
        errors = {k: _t(request, v) for k, v in exc.fields.items()}
        return _folder_page(context, request, error=message, errors=errors,
                            form={"title": sent["title"], "description": sent["description"]})
    audit.log(request, "documento d'archivio caricato", document, origine=document.origin,
              sha256=document.current.sha256)
    flash(request, _("Documento «${title}» caricato.", mapping={"title": document.title}))
    return HTTPSeeOther(request.resource_path(document))


def _document_page(context, request, error=None, errors=None):
    versions = []
    for info, _stored in zip(context.version_info, context.versions, strict=False):
        status = archive.status_of(info)
        versions.append({**info, "when": format_when(info.get("when")), "status": status,
                         "status_text": _t(request, STATUSES[status]),
                         "url": request.resource_path(context, "@@scarica",
                                                      query={"versione": info["number"]})})
    deletable = (not context.__parent__.official and _is_ats(request, context)
                 and request.has_permission(EDIT, context))
    return {"page_title": context.title, "document": context,
            "folder": context.__parent__, "folder_url": request.resource_path(context.__parent__),
            "origin": _t(request, ORIGINS.get(context.origin, context.origin)),
            "versions": list(reversed(versions)),
            "can_edit": request.has_permission(EDIT, context),
            "version_url": request.resource_path(context, "@@carica-versione"),
            "delete_url": request.resource_path(context, "@@elimina-documento")
            if deletable else None,
            "error": error, "errors": errors or {}}


@view_config(context=ArchiveDocument, permission=VIEW, request_method="GET",
             renderer=DOCUMENT_TEMPLATE)
def document_page(context, request):
    return _document_page(context, request)


@view_config(context=ArchiveDocument, name="carica-versione", permission=EDIT,
             request_method="POST", renderer=DOCUMENT_TEMPLATE)
def upload_version(context, request):
    """A new version appended; the earlier ones stay as they were."""
    sent = body.posted(request, VERSION_FORM)
    source, filename = _file(sent["file"])
    try:
        number = archive.add_version(
            context, source, filename, note=sent["note"], who=request.authenticated_userid,
            service=request.documents, documents_registry=documents_registry(request),
            registry=request.registry)
    except archive.ArchiveError as exc:
        message = refuse(request, exc)
        return _document_page(context, request, error=message,
                              errors={k: _t(request, v) for k, v in exc.fields.items()})
    audit.log(request, "nuova versione di un documento d'archivio", context, versione=number,
              sha256=context.current.sha256)
    flash(request, _("Versione ${number} di «${title}» caricata.",
                     mapping={"number": number, "title": context.title}))
    return HTTPSeeOther(request.resource_path(context))


@view_config(context=ArchiveDocument, name="scarica", permission=VIEW, request_method="GET")
def download(context, request):
    """One version as the PDF that was uploaded (attachment: never shown inline)."""
    number, stored = archive.version_of(context, request.GET.get("versione"))
    return Response(body=stored.read(), content_type="application/pdf",
                    content_disposition=f'attachment; filename="{context.__name__}'
                                        f'-v{number}.pdf"')


def _check_delete(context, request):
    if not _is_ats(request, context):
        raise HTTPForbidden(_("Solo l'Ambito può eliminare il proprio materiale di lavoro."))
    archive.check_deletable(context)


@view_config(context=ArchiveDocument, name="elimina-documento", permission=EDIT,
             request_method="GET", renderer="portal:templates/plans/archive_delete.pt")
def delete_page(context, request):
    """The confirmation step before working material is deleted."""
    _check_delete(context, request)
    return {"page_title": _t(request, _("Eliminare «${title}»?",
                                        mapping={"title": context.title})),
            "document": context, "cancel_url": request.resource_path(context),
            "action": request.resource_path(context, "@@elimina-documento")}


@view_config(context=ArchiveDocument, name="elimina-documento", permission=EDIT,
             request_method="POST")
def delete(context, request):
    _check_delete(context, request)
    folder = context.__parent__
    title = context.title
    audit.log(request, "documento d'archivio eliminato", context,
              versioni=len(context.versions))
    archive.delete_document(context, registry=request.registry)
    flash(request, _("Documento «${title}» eliminato.", mapping={"title": title}))
    return HTTPSeeOther(request.resource_path(folder))
