"""Public verification page (/verifica), record page (/verifica/<id>) and POST /api/verify."""
from pyramid.httpexceptions import HTTPNotFound
from pyramid.security import NO_PERMISSION_REQUIRED

from content_types.values import format_datetime
from portal.documents.errors import EmptyUpload, TooLarge
from portal.documents.registry import lookup
from portal.documents.uploads import _too_large
from portal.i18n import _, translate
from portal.web.errors import refuse
from portal.web.posted import posted, schema, upload

#: the verification form: one PDF
VERIFY = schema(upload())


def _uploaded_file(request, service):
    limit = service.settings.max_upload_bytes
    # refuse before WebOb spools a huge body to disk
    if request.content_length is not None and request.content_length > limit + 64 * 1024:
        raise _too_large(limit)
    if request.content_type == "application/pdf":
        return request.body_file_seekable
    sent = posted(request, VERIFY)["file"]
    if sent is None:
        raise EmptyUpload(_("Scegliere un file PDF da verificare."), {"file": "obbligatorio"})
    return sent.file


def verify_form(request):
    return {"result": None, "page_title": _("Verifica di un documento firmato"), "record": None}


def verify_upload(request):
    service = request.documents
    try:
        source = _uploaded_file(request, service)
    except (EmptyUpload, TooLarge) as exc:
        return {"result": None, "error": refuse(request, exc), "record": None,
                "page_title": _("Verifica di un documento firmato")}
    result = service.verify(source, request.documents_registry)
    return {"result": result, "record": None, "error": None,
            "verdict": translate(request, result.message or result.verdict),
            "page_title": _("Esito della verifica"), "format_datetime": format_datetime}


def record_view(request):
    registry = request.documents_registry
    if registry is None:
        raise HTTPNotFound
    record = lookup(registry, request.matchdict["doc_id"])
    return {"result": None, "error": None, "record": record.summary(),
            "page_title": _("Documento: ${title}", mapping={"title": record.title}),
            "format_datetime": format_datetime}


def api_verify(request):
    service = request.documents
    source = _uploaded_file(request, service)
    return service.verify(source, request.documents_registry).to_json()


def includeme(config):
    """The public verification page and API."""
    config.add_route("documents.verify", "/verifica")
    config.add_route("documents.record", "/verifica/{doc_id}")
    config.add_route("documents.api_verify", "/api/verify")
    public = NO_PERMISSION_REQUIRED
    template = "portal:templates/documents/verify.pt"
    config.add_view(verify_form, route_name="documents.verify", request_method="GET",
                    renderer=template, permission=public)
    config.add_view(verify_upload, route_name="documents.verify", request_method="POST",
                    renderer=template, permission=public)
    config.add_view(record_view, route_name="documents.record", request_method="GET",
                    renderer="portal:templates/documents/record.pt", permission=public)
    # A stateless public check: no session, no side effects, so no CSRF token
    # is asked of API clients (scripts, other administrations).
    config.add_view(api_verify, route_name="documents.api_verify", request_method="POST",
                    renderer="json", permission=public, require_csrf=False)
    # errors (an unknown document: 404; a refused upload on /api/verify: JSON) are
    # answered by the portal's one error mapper, portal.web.errors
