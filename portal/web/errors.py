"""The one place that turns errors into HTTP responses (HTML or JSON).

Every error of ours derives from ``content_types.errors.ErrorBase`` and declares its
``http_status``; one exception view answers with it. Pages that re-render a form with
the user's input kept call ``refuse`` instead, which reads the same declaration.
"""
import logging
from urllib.parse import urlencode

from pyramid.exceptions import BadCSRFToken
from pyramid.httpexceptions import HTTPBadRequest, HTTPException, HTTPSeeOther
from pyramid.renderers import render_to_response
from pyramid.response import Response
from pyramid_retry import RetryableException, is_last_attempt
from transaction.interfaces import TransientError

from catalog.errors import CatalogError
from content_types.errors import ErrorBase
from portal.errors import ConflictRetry
from portal.i18n import _, translate

log = logging.getLogger(__name__)

#: the error page and its title for a status; other statuses use ``DEFAULT_PAGE``
PAGES = {
    403: ("forbidden.pt", _("Accesso non consentito")),
    404: ("not_found.pt", _("Pagina non trovata")),
    503: ("unavailable.pt", _("Servizio temporaneamente non disponibile")),
}
DEFAULT_PAGE = ("bad_request.pt", _("Operazione non riuscita"))
SERVER_PAGE = ("server_error.pt", _("Errore del server"))
#: a more telling page title for the errors of one root (else the status's title)
ROOT_TITLES = ((CatalogError, _("Ricerca non riuscita")),)


def is_api(request):
    return request.path.startswith("/api/") or request.path == "/api"


def _translated(request, value):
    return translate(request, value)


def json_error(request, status, code, message, fields=None):
    """The API's error shape: ``{"error": {"code", "message", "fields"}}``, translated."""
    fields = {str(k): _translated(request, v) for k, v in (fields or {}).items()}
    return Response(
        status=status, content_type="application/json", charset="utf-8",
        json_body={"error": {"code": code, "message": _translated(request, message),
                             "fields": fields}},
    )


#: the personal area every logged-in user has (portal.home): where a refused user goes on
PERSONAL_AREA = "@@area-personale"


def html_error(request, status, template, message=None, page_title=None, **extra):
    response = render_to_response(
        f"portal:templates/errors/{template}",
        {"message": _translated(request, message), "page_title": _translated(request, page_title),
         **extra},
        request=request,
    )
    response.status_int = status
    return response


def answer(request, error):
    """The response for an ``ErrorBase``: its declared status, HTML or JSON by request."""
    status = error.http_status
    if is_api(request):
        response = json_error(request, status, error.code, error.message, error.fields)
    else:
        template, title = PAGES.get(status, SERVER_PAGE if status >= 500 else DEFAULT_PAGE)
        title = next((t for root, t in ROOT_TITLES if isinstance(error, root)), title)
        response = html_error(request, status, template, error.message, title)
    if error.retry_after is not None:
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def refuse(request, error):
    """Give ``error``'s declared status to the page being re-rendered; its message, translated."""
    request.response.status_int = error.http_status
    if error.retry_after:
        request.response.headers["Retry-After"] = str(int(error.retry_after))
    return translate(request, error.message)


def error_view(exc, request):
    """Any error of ours: the status its class declares."""
    if exc.http_status >= 500:
        log.error("%s su %s: %s", exc.code, request.path, exc.message)
    return answer(request, exc)


def retries_exhausted(exc, request):
    """Concurrent writes kept conflicting: 503 with ``Retry-After``, never a 500."""
    if not is_last_attempt(request):
        # pyramid_retry discards this answer and replays the request: render nothing
        return Response(status=503)
    log.warning("%s su %s: tentativi esauriti (%s)", type(exc).__name__, request.path,
                request.environ.get("retry.attempts", 1))
    return answer(request, ConflictRetry())


def not_found(exc, request):
    if is_api(request):
        return json_error(request, 404, "not_found", _("Risorsa non trovata."))
    return html_error(request, 404, "not_found.pt", page_title=_("Pagina non trovata"))


def forbidden(exc, request):
    # a failed permission check (``exc.result`` set by Pyramid) carries an English text naming
    # the view («Unauthorized: … failed permission check»): never shown; our own refusals are
    # raised with an Italian message and no result
    message = (exc.detail if isinstance(exc.detail, str) and exc.detail and exc.result is None
               else None)
    if is_api(request):
        if request.authenticated_userid is None:
            return json_error(request, 401, "authentication_required",
                              _("Autenticazione richiesta."))
        return json_error(request, 403, "forbidden",
                          message or _("Operazione non consentita per il proprio profilo."))
    if request.authenticated_userid is None and request.method == "GET":
        return HTTPSeeOther(
            request.resource_path(request.root, "@@accedi") + "?"
            + urlencode({"came_from": request.path_qs})
        )
    area = (request.resource_path(request.root, PERSONAL_AREA)
            if request.authenticated_userid is not None else None)
    return html_error(request, 403, "forbidden.pt", message,
                      page_title=_("Accesso non consentito"), area_url=area)


def bad_csrf(exc, request):
    message = _("Il modulo è scaduto o non è valido (token di sicurezza mancante). "
                "Ricaricare la pagina e riprovare.")
    if is_api(request):
        return json_error(request, 400, "csrf_token_invalid", message)
    return html_error(request, 400, "bad_request.pt", message, page_title=_("Richiesta non valida"))


def bad_request(exc, request):
    message = exc.detail if isinstance(exc.detail, str) else _("Richiesta non valida.")
    if is_api(request):
        return json_error(request, 400, "bad_request", message)
    return html_error(request, 400, "bad_request.pt", message, page_title=_("Richiesta non valida"))


#: Italian titles of the client errors Pyramid or a tween may raise as ``HTTPException``
HTTP_TITLES = {
    405: _("Metodo non consentito"), 409: _("Conflitto"), 412: _("Versione non più attuale"),
    413: _("Richiesta troppo grande"), 415: _("Formato non supportato"),
    422: _("Dati non accettati"), 429: _("Troppe richieste"),
}


def other_http(exc, request):
    """Other HTTP errors: JSON under /api, the portal's own page (Italian) elsewhere."""
    if exc.status_int < 400:
        return exc  # redirects and the like pass through
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail else None
    if is_api(request):
        return json_error(request, exc.status_int, exc.title.lower().replace(" ", "_"),
                          detail or exc.title)
    return html_error(request, exc.status_int, "bad_request.pt",
                      detail or _("Richiesta non valida."),
                      page_title=HTTP_TITLES.get(exc.status_int, _("Richiesta non valida")))


def server_error(exc, request):
    """A genuine bug: logged with its traceback, a plain 500 page."""
    log.error("errore non gestito su %s", request.path, exc_info=exc)
    if is_api(request):
        return json_error(request, 500, "internal_error",
                          _("Errore interno: l'operazione non è stata eseguita."))
    return html_error(request, 500, "server_error.pt", page_title=_("Errore del server"))


def includeme(config):
    """Register the error views; apps that include only a feature can include this too."""
    config.add_notfound_view(not_found, append_slash=False)
    config.add_forbidden_view(forbidden)
    config.add_exception_view(bad_csrf, context=BadCSRFToken)
    config.add_exception_view(bad_request, context=HTTPBadRequest)
    config.add_exception_view(error_view, context=ErrorBase)
    # what pyramid_retry replays: ZODB conflicts (TransientError) and explicit retries
    config.add_exception_view(retries_exhausted, context=TransientError)
    config.add_exception_view(retries_exhausted, context=RetryableException)
    config.add_exception_view(other_http, context=HTTPException)
    config.add_exception_view(server_error, context=Exception)
