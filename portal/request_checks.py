"""Malformed requests are refused in one place, with an Italian message, before any view runs.

Two tweens share the work. ``sanitise`` sits at the top of the chain, before
anything (pyramid_tm's note, the submission lock, the audit log) reads the
path: it checks the body size against its Content-Length, the path and the
query string for undecodable UTF-8 (and overlong values) and the form body for a parseable
encoding; a bad request is made harmless (decodable path, no query, no form)
and marked. ``refuse`` sits just under the exception view tween and raises
the marked refusal there, so the portal's error views answer it as any other
400 or 413 (HTML or JSON), inside the usual transaction that then writes nothing.
"""
import codecs
from urllib.parse import parse_qsl

from pyramid.httpexceptions import HTTPBadRequest, HTTPRequestEntityTooLarge
from pyramid.tweens import EXCVIEW, INGRESS

from portal.documents.service import query_service
from portal.i18n import _
from portal.write_lock import OPTIMISTIC_ATTEMPTS, unlocked_path

REFUSAL_KEY = "portal.refused_request"
#: room for the other fields and the multipart framing around one uploaded file
FORM_OVERHEAD = 1024 * 1024
#: no page needs longer query values (search text is cut at 500 characters); this also
#: keeps numbers within what ``int()`` converts (4,300 digits)
MAX_PARAM_LENGTH = 2048
FORM_TYPES = ("", "application/x-www-form-urlencoded", "multipart/form-data")

BAD_PATH = _("L'indirizzo richiesto contiene caratteri non validi (codifica UTF-8 errata).")
BAD_QUERY = _("I parametri dell'indirizzo contengono caratteri non validi (codifica UTF-8 "
              "errata): nessuna operazione è stata eseguita.")
PARAM_TOO_LONG = _("Un parametro dell'indirizzo è troppo lungo (al massimo ${max} caratteri): "
                   "nessuna operazione è stata eseguita.", mapping={"max": MAX_PARAM_LENGTH})
BAD_FORM = _("Il contenuto della richiesta non è leggibile (codifica o formato non "
             "validi): nessuna operazione è stata eseguita.")
TOO_LARGE = _("La richiesta supera la dimensione massima consentita di ${mb} MB: "
              "nessun dato è stato salvato.")


def max_body_bytes(registry):
    """The largest request body the portal reads: one upload plus the form around it."""
    service = query_service(registry)
    if service is not None:
        upload = service.settings.max_upload_bytes
    else:
        upload = int(registry.settings.get("documents.max_upload_bytes", 20 * 1024 * 1024))
    return upload + FORM_OVERHEAD


def too_large(request):
    length = request.content_length
    return length is not None and length > max_body_bytes(request.registry)


def retry_attempts(request):
    """pyramid_retry's hook: no replays (so no copy of the body) for a body to be refused;
    more replays for the writes that do not take the write lock (``write_lock.unlocked``)."""
    if too_large(request):
        return 1
    # the raw PATH_INFO: this runs before the tween that refuses undecodable paths
    if request.method == "POST" and unlocked_path(request.environ.get("PATH_INFO", "")):
        configured = int(request.registry.settings.get("retry.attempts", 3))
        return max(configured, OPTIMISTIC_ATTEMPTS)
    return None


def _decodes(native):
    """Whether a WSGI string (bytes as latin-1, PEP 3333) holds valid UTF-8."""
    try:
        native.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return False
    return True


def _query_problem(query):
    """None for a usable query string, else why it is refused."""
    try:
        for key, value in parse_qsl(query.encode("latin-1"), keep_blank_values=True):
            key.decode("utf-8")
            value.decode("utf-8")
            if len(key) > MAX_PARAM_LENGTH or len(value) > MAX_PARAM_LENGTH:
                return PARAM_TOO_LONG
    except (UnicodeError, ValueError):
        return BAD_QUERY
    return None


def _form_parses(request):
    """Parse the form body now (WebOb keeps it for the view); False when it cannot be read."""
    if request.content_type not in FORM_TYPES or (
            request.method != "POST" and not request.content_type):
        return True
    try:
        request.POST  # noqa: B018 - parsing is the point
    except (ValueError, LookupError, EOFError, OSError, Warning):
        # ValueError: no or bad multipart boundary, undecodable field (UnicodeDecodeError);
        # LookupError: unknown charset; Warning: WebOb refuses non-UTF-8 charsets this way;
        # OSError: the client sent less than its Content-Length
        return False
    return True


def _charset_known(request):
    """A body declared in an unknown charset cannot be decoded (a LookupError, not a 400)."""
    try:
        codecs.lookup(request.charset or "utf-8")
    except (LookupError, ValueError):
        return False
    return True


def _refuse(environ, status, message):
    environ.setdefault(REFUSAL_KEY, (status, message))


def sanitise_tween_factory(handler, registry):
    """Top of the chain: mark and defuse a malformed request (see the module docstring)."""
    def sanitise(request):
        environ = request.environ
        if too_large(request):
            mb = f"{(max_body_bytes(registry) - FORM_OVERHEAD) / 2 ** 20:.0f}"
            _refuse(environ, 413, _(TOO_LARGE, mapping={"mb": mb}))
        for key in ("SCRIPT_NAME", "PATH_INFO"):
            value = environ.get(key, "")
            if not _decodes(value):
                _refuse(environ, 400, BAD_PATH)
                environ[key] = (value.encode("latin-1", "replace").decode("utf-8", "replace")
                                .encode("utf-8").decode("latin-1"))
        problem = _query_problem(environ.get("QUERY_STRING", ""))
        if problem is not None:
            _refuse(environ, 400, problem)
            environ["QUERY_STRING"] = ""
        if REFUSAL_KEY not in environ and not (_charset_known(request)
                                                and _form_parses(request)):
            _refuse(environ, 400, BAD_FORM)
        if REFUSAL_KEY in environ:
            # the body of a refused request is never read, not even for _LOCALE_
            environ["CONTENT_TYPE"] = "application/octet-stream"
        return handler(request)

    return sanitise


def refuse_tween_factory(handler, registry):
    """Under the exception view: raise the refusal ``sanitise`` marked, if any."""

    def refuse(request):
        refusal = request.environ.get(REFUSAL_KEY)
        if refusal is None:
            return handler(request)
        status, message = refusal
        detail = request.localizer.translate(message)
        if status == 413:
            raise HTTPRequestEntityTooLarge(detail=detail)
        raise HTTPBadRequest(detail=detail)

    return refuse


def includeme(config):
    config.add_tween("portal.request_checks.sanitise_tween_factory", under=INGRESS)
    config.add_tween("portal.request_checks.refuse_tween_factory", under=EXCVIEW)
