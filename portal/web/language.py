"""The page's language: the visitor's choice (cookie), else ``Accept-Language``, else Italian.

Only languages the portal has a catalog for are ever chosen (``layout.available_languages``);
the switcher in the header is a plain GET link that sets the cookie and goes back to the
referring page of this site (never to another one); the link is the same on every page.
"""
from urllib.parse import urlsplit

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config

from content_types.portal_root import Portal
from portal.web.layout import LANGUAGE_COOKIE as COOKIE
from portal.web.layout import default_language, known_languages

#: a year: the choice outlives the session (it is no personal data)
COOKIE_AGE = 365 * 24 * 3600


def negotiate_locale(request):
    """``_LOCALE_`` (attribute, parameter, cookie), then ``Accept-Language``, then the default."""
    known = known_languages(request.registry)
    for value in (getattr(request, "_LOCALE_", None), request.GET.get(COOKIE),
                  request.cookies.get(COOKIE)):
        if isinstance(value, str) and value in known:
            return value
    header = request.accept_language
    if header:
        offered = sorted(known)
        chosen = header.lookup(offered, default="") if offered else None
        if chosen in known:
            return chosen
    return default_language(request.registry)


def safe_return(request, value):
    """Only a path of this site (no scheme, no host, no CR/LF): else the home page."""
    if (value and value.startswith("/") and not value.startswith("//") and "\\" not in value
            and value.isascii() and value.isprintable() and "/@@lingua" not in value):
        return value
    return request.resource_path(request.root)


def referring_path(request):
    """The path (and query) of the referring page when it is a page of this site, else ""."""
    referer = request.referer or ""
    try:
        parts = urlsplit(referer)
    except ValueError:
        return ""
    if f"{parts.scheme}://{parts.netloc}" != request.host_url:  # host_url drops a default port
        return ""
    return parts.path + ("?" + parts.query if parts.query else "")


@view_config(context=Portal, name="lingua", permission=NO_PERMISSION_REQUIRED,
             request_method="GET")
def switch_language(context, request):
    """Set the language cookie and go back to the page the visitor was on (same site only)."""
    language = request.GET.get("lang", "")
    target = safe_return(request, request.GET.get("torna", "") or referring_path(request))
    response = HTTPSeeOther(target)
    if language in known_languages(request.registry):
        response.set_cookie(COOKIE, language, max_age=COOKIE_AGE, path="/", samesite="Lax",
                            secure=request.scheme == "https", httponly=True)
    return response


def includeme(config):
    config.set_locale_negotiator(negotiate_locale)
