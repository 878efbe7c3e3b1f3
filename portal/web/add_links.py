"""Where a type's «Aggiungi» link leads when a feature has a fuller form than the schema's.

A feature registers ``config.add_add_link(type_name, url_of)``; ``url_of(request, container)``
returns the URL of its own form, or None to keep the generic ``@@aggiungi?tipo=...``.
"""
from zope.interface import Interface


class IAddLinks(Interface):
    """The table ``{type name: url_of(request, container)}`` (one per registry)."""


def add_add_link(config, type_name, url_of):
    """Register ``url_of`` for ``type_name``; two registrations of one type conflict at startup."""
    url_of = config.maybe_dotted(url_of)

    def register():
        config.registry.getUtility(IAddLinks)[type_name] = url_of
    config.action(("portal.web.add_link", type_name), register)


def add_link(request, container, type_name):
    """The feature's own form for adding ``type_name`` in ``container``, or None."""
    url_of = (request.registry.queryUtility(IAddLinks) or {}).get(type_name)
    return url_of(request, container) if url_of is not None else None


def includeme(config):
    if config.registry.queryUtility(IAddLinks) is None:
        config.registry.registerUtility({}, IAddLinks)
    config.add_directive("add_add_link", add_add_link)
