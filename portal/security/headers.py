"""Security headers on every response."""

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
}


def security_headers_tween_factory(handler, registry):
    def security_headers_tween(request):
        response = handler(request)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if response.content_type in ("text/html", "application/json"):
            private = request.__dict__.get("user") is not None
            response.headers.setdefault("Cache-Control", "no-store" if private else "no-cache")
        return response

    return security_headers_tween
