"""Test-only views, included through ``portal.includes``: raise any error class, force conflicts."""
import importlib

import transaction
from pyramid.response import Response
from pyramid.security import NO_PERMISSION_REQUIRED

from content_types.base import check_name
from content_types.portal_root import Portal
from portal.applications.rules.submission import check_attachment
from portal.i18n import _

#: the message every probed error carries unless the default one is asked for
PROBE_MESSAGE = _("Prova ${classe}: messaggio da tradurre.")
#: a msgid the English catalog translates ("Log in")
TRANSLATED = _("Accedi")


def error_class(dotted):
    module, name = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def raise_error(context, request):
    """Raise the class named by ``classe``, with its default message or a mapped one."""
    cls = error_class(request.params["classe"])
    if request.params.get("messaggio") == "predefinito":
        raise cls()
    if request.params.get("messaggio") == "tradotto":
        raise cls(TRANSLATED)
    raise cls(_(PROBE_MESSAGE, mapping={"classe": cls.__name__}))


def domain_error(context, request):
    """Raise a refusal from the domain code itself: ``caso=nome`` (a mapping), ``caso=allegato``
    (a mapping holding another message: the PDF check's reason)."""
    if request.params.get("caso") == "allegato":
        check_attachment(b"GIF89a not a pdf", "foto.gif")
    check_name("n" * 101)
    return Response("nessun errore")


def conflicting_write(context, request):
    """Write the root while a second connection commits the same object first, every attempt."""
    registry = request.registry
    registry.conflict_attempts = getattr(registry, "conflict_attempts", 0) + 1
    context.conflict_probe = registry.conflict_attempts
    manager = transaction.TransactionManager(explicit=True)
    other = registry._zodb_databases[""].open(manager)
    try:
        with manager:
            other.root()["portal"].conflict_probe = -registry.conflict_attempts
    finally:
        other.close()
    return Response("scritto")


def includeme(config):
    public = NO_PERMISSION_REQUIRED
    for route in ({}, {"route_name": "api"}):
        config.add_view(raise_error, context=Portal, name="prova-errore", permission=public,
                        **route)
        config.add_view(domain_error, context=Portal, name="prova-dominio", permission=public,
                        **route)
        config.add_view(conflicting_write, context=Portal, name="prova-conflitto",
                        request_method="POST", require_csrf=False, permission=public, **route)
