"""ETags and conditional requests (RFC 9110 §13) for every view of the JSON API.

The ETag is strong: a hash of the JSON representation the user gets, which
carries the object's version token (``modified``, renewed by every edit and
every workflow transition) with its state, data and allowed transitions, so it
changes whenever what the client saw changes. ``If-Match`` on an unsafe call is
compared with the current representation before the view runs: a stale one is
refused with 412 and nothing is written. ``If-Match`` is optional; without it,
or with ``*``, a write behaves as before.
"""
import hashlib
import json

from pyramid.httpexceptions import HTTPNotModified

from portal.i18n import _
from portal.web.api import views
from portal.web.api.errors import PreconditionFailed

SAFE = frozenset({"GET", "HEAD"})


def etag_of(data):
    """The strong entity tag (without quotes) of a JSON representation."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                           default=str)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def current_representation(context, request):
    """What a GET of the request's URL would answer now (listing or object)."""
    if request.view_name == "contenuti":
        return views.listing_of(context, request)
    return views.serialize(request, context)


def check_preconditions(context, request):
    """412 unless ``If-Match`` / ``If-None-Match`` allow this unsafe call."""
    if_match, if_none_match = request.if_match, request.if_none_match
    if "HTTP_IF_MATCH" not in request.environ and "HTTP_IF_NONE_MATCH" not in request.environ:
        return
    current = etag_of(current_representation(context, request))
    if current not in if_match:
        raise PreconditionFailed(_(
            "L'elemento è stato modificato da qualcun altro dopo la lettura (If-Match non "
            "corrisponde): nessuna modifica è stata salvata. Rileggere l'elemento e riprovare."))
    if "HTTP_IF_NONE_MATCH" in request.environ and current in if_none_match:
        raise PreconditionFailed(_(
            "L'elemento esiste già nella versione indicata (If-None-Match): nessuna modifica "
            "è stata salvata."))


def is_representation(result):
    return isinstance(result, dict) and ("@id" in result or "items" in result)


def conditional_view(view, info):
    """View deriver: ETag on JSON representations, If-Match / If-None-Match on API views."""
    if info.options.get("route_name") != "api":
        return view

    def wrapper(context, request):
        if request.method not in SAFE:
            check_preconditions(context, request)
        result = view(context, request)
        if not is_representation(result):
            return result
        etag = etag_of(result)
        if request.method in SAFE and etag in request.if_none_match:
            return HTTPNotModified(headers={"ETag": f'"{etag}"'})
        request.response.etag = (etag, True)
        return result

    return wrapper
