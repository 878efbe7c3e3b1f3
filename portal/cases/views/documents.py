"""Documents of a case: upload (PDF, checked by the document service) and download."""
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.response import Response
from pyramid.view import view_config

from content_types.case_file import CaseFile
from content_types.security import EDIT_CASE, VIEW_CASE
from content_types.values import format_when
from portal import audit
from portal.cases import files
from portal.cases.rules.errors import CaseError
from portal.cases.views.common import problems, summary, t
from portal.db import documents_registry
from portal.i18n import _
from portal.web import posted as body
from portal.web.layout import flash

TEMPLATES = "portal:templates/cases/"
UPLOAD_FORM = body.schema(body.text("title", files.TITLE_MAX), body.upload("file"))
DOWNLOAD = body.schema(body.text("documento", 64))


def _page(context, request, error=None, errors=None, form=None):
    audit.log_read(request, context, what="documenti della cartella")
    return {**summary(request, context), "page_title": t(request, _("Documenti della cartella")),
            "documents": [{**d, "when": format_when(d.get("when")),
                           "url": request.resource_path(context, "@@scarica",
                                                        query={"documento": d["uid"]})}
                          for d in reversed(context.documents)],
            "form": form or {"title": ""}, "action": request.resource_path(context, "@@documenti"),
            "error": error, "errors": errors or {}}


@view_config(context=CaseFile, name="documenti", permission=EDIT_CASE, request_method="GET",
             renderer=TEMPLATES + "documents.pt")
def documents_page(context, request):
    return _page(context, request)


@view_config(context=CaseFile, name="documenti", permission=EDIT_CASE, request_method="POST",
             renderer=TEMPLATES + "documents.pt")
def upload(context, request):
    sent = body.posted(request, UPLOAD_FORM)
    posted = sent["file"]
    source, filename = None, ""
    if posted is not None:
        source = posted.file
        if source.seekable():
            source.seek(0)
        filename = (posted.filename or "documento.pdf")[:200]
    try:
        info = files.add_document(context, source, filename, title=sent["title"],
                                  who=request.authenticated_userid, service=request.documents,
                                  documents_registry=documents_registry(request))
    except CaseError as exc:
        message, fields = problems(request, exc)
        return _page(context, request, message, fields, {"title": sent["title"]})
    audit.log(request, "documento di cartella caricato", context, documento=info["uid"],
              sha256=info["sha256"])
    flash(request, _("Documento «${title}» caricato.", mapping={"title": info["title"]}))
    return HTTPSeeOther(request.resource_path(context, "@@documenti"))


@view_config(context=CaseFile, name="scarica", permission=VIEW_CASE, request_method="GET")
def download(context, request):
    """The PDF as uploaded (an attachment, never inline); the read is audited."""
    uid = request.GET.get("documento", "")[:64]
    _info, stored = files.document_of(context, uid)
    audit.log_read(request, context, what=f"documento di cartella {uid}")
    return Response(body=stored.read(), content_type="application/pdf",
                    content_disposition=f'attachment; filename="cartella-{uid[:12]}.pdf"')
