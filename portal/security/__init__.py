"""Security wiring: policy, sessions, CSRF, security headers."""
import os
import secrets
from pathlib import Path

from pyramid.session import SignedCookieSessionFactory
from pyramid.settings import asbool

from content_types.security import VIEW
from portal.security.headers import security_headers_tween_factory  # noqa: F401
from portal.security.policy import PortalSecurityPolicy, base_principals, load_user
from portal.security.sessions import DEFAULT_IDLE


def _session_secret(settings):
    secret = settings.get("portal.session_secret") or os.environ.get("PORTAL_SESSION_SECRET")
    if secret:
        return secret
    path = Path(settings.get("portal.session_secret_file", "var/session_secret"))
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def includeme(config):
    settings = config.registry.settings
    timeout = int(settings.get("portal.session_timeout", DEFAULT_IDLE))
    config.set_session_factory(SignedCookieSessionFactory(
        _session_secret(settings),
        cookie_name=settings.get("portal.session_cookie_name", "portale_sessione"),
        secure=asbool(settings.get("portal.secure_cookies", "false")),
        httponly=True,
        samesite="Lax",
        # the server-side record (sessions.py) is what counts; the cookie expires as well
        timeout=timeout,
        reissue_time=min(60, timeout // 10),
    ))
    config.set_security_policy(PortalSecurityPolicy())
    config.set_default_csrf_options(require_csrf=True)
    # a safety net: a view that forgets its permission is not public by accident
    config.set_default_permission(VIEW)
    config.add_request_method(load_user, "user", reify=True)
    config.add_request_method(base_principals, "base_principals", reify=True)
    config.add_tween("portal.security.headers.security_headers_tween_factory")
