"""The one place that turns errors into HTTP responses (HTML or JSON)."""
import logging

from pyramid.csrf import get_csrf_token  # noqa: F401  (documented for forms)
from pyramid.exceptions import BadCSRFToken
from pyramid.httpexceptions import (
    HTTPBadRequest, HTTPException, HTTPSeeOther,
)
from pyramid.renderers import render_to_response
from pyramid.view import exception_view_config, forbidden_view_config, notfound_view_config

from content_types.errors import ContentError, InvalidName, NameInUse, NotAddable

from ..errors import PortalError, StaleForm, ValidationFailed
from ..i18n import _

log = logging.getLogger(__name__)

CONTENT_STATUS = {NotAddable: 422, NameInUse: 409, InvalidName: 422}


def is_api(request):
    return request.path.startswith("/api/") or request.path == "/api"


def json_error(request, status, code, message, fields=None):
    message = request.localizer.translate(message)
    response = request.response
    response.status_int = status
    response.content_type = "application/json"
    response.json_body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return response


def html_error(request, status, template, message=None, page_title=None):
    translate = request.localizer.translate
    response = render_to_response(
        f"portal:templates/errors/{template}",
        {"message": translate(message) if message is not None else None,
         "page_title": translate(page_title) if page_title is not None else None},
        request=request,
    )
    response.status_int = status
    return response


@notfound_view_config(append_slash=False)
def not_found(exc, request):
    if is_api(request):
        return json_error(request, 404, "not_found", _("Risorsa non trovata."))
    return html_error(request, 404, "not_found.pt", page_title=_("Pagina non trovata"))


@forbidden_view_config()
def forbidden(exc, request):
    message = exc.detail if isinstance(exc.detail, str) and exc.detail else None
    if is_api(request):
        if request.authenticated_userid is None:
            return json_error(request, 401, "authentication_required",
                              _("Autenticazione richiesta."))
        return json_error(request, 403, "forbidden",
                          message or _("Operazione non consentita per il proprio profilo."))
    if request.authenticated_userid is None and request.method == "GET":
        root = request.root
        from urllib.parse import urlencode  # noqa: PLC0415

        return HTTPSeeOther(
            request.resource_path(root, "@@accedi") + "?" + urlencode({"came_from": request.path_qs})
        )
    return html_error(request, 403, "forbidden.pt", message, page_title=_("Accesso non consentito"))


@exception_view_config(BadCSRFToken)
def bad_csrf(exc, request):
    message = _("Il modulo è scaduto o non è valido (token di sicurezza mancante). "
                "Ricaricare la pagina e riprovare.")
    if is_api(request):
        return json_error(request, 400, "csrf_token_invalid", message)
    return html_error(request, 400, "bad_request.pt", message, page_title=_("Richiesta non valida"))


@exception_view_config(HTTPBadRequest)
def bad_request(exc, request):
    message = exc.detail if isinstance(exc.detail, str) else _("Richiesta non valida.")
    if is_api(request):
        return json_error(request, 400, "bad_request", message)
    return html_error(request, 400, "bad_request.pt", message, page_title=_("Richiesta non valida"))


@exception_view_config(ContentError)
def content_error(exc, request):
    status = CONTENT_STATUS.get(type(exc), 400)
    if is_api(request):
        return json_error(request, status, exc.code, exc.message)
    return html_error(request, status, "bad_request.pt", exc.message,
                      page_title=_("Operazione non riuscita"))


@exception_view_config(PortalError)
def portal_error(exc, request):
    status = (getattr(exc, "http_status", None)
              or {StaleForm: 409, ValidationFailed: 400}.get(type(exc), 400))
    if is_api(request):
        return json_error(request, status, exc.code, exc.message, exc.fields)
    return html_error(request, status, "bad_request.pt", exc.message,
                      page_title=_("Operazione non riuscita"))


def workflow_error(exc, request):
    status = getattr(exc, "http_status", 409)
    message = getattr(exc, "message", str(exc))
    if is_api(request):
        return json_error(request, status, getattr(exc, "code", "workflow_error"), message)
    return html_error(request, status, "bad_request.pt", message, page_title=_("Operazione non riuscita"))


@exception_view_config(HTTPException)
def other_http(exc, request):
    if is_api(request) and exc.status_int >= 400:
        return json_error(request, exc.status_int, exc.title.lower().replace(" ", "_"),
                          exc.detail if isinstance(exc.detail, str) else exc.title)
    return exc


@exception_view_config(Exception)
def server_error(exc, request):
    log.exception("errore non gestito su %s", request.path)
    if is_api(request):
        return json_error(request, 500, "internal_error",
                          _("Errore interno: l'operazione non è stata eseguita."))
    return html_error(request, 500, "server_error.pt", page_title=_("Errore del server"))


def catalog_error(exc, request):
    status = {"invalid_query": 400, "search_unavailable": 503}.get(exc.code, 500)
    message = getattr(exc, "message", str(exc))
    if is_api(request):
        field = getattr(exc, "details", {}).get("field")
        fields = {field: message} if field else {}
        return json_error(request, status, exc.code, message, fields)
    return html_error(request, status, "bad_request.pt", message, page_title=_("Ricerca non riuscita"))


def includeme(config):
    from catalog.errors import CatalogError  # noqa: PLC0415
    from workflows import WorkflowError  # noqa: PLC0415

    config.add_exception_view(workflow_error, context=WorkflowError)
    config.add_exception_view(catalog_error, context=CatalogError)
