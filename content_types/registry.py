"""The content registry: what each type is, who may add it, and where.

``config.add_content_type(...)`` is the directive; ``@content_type(...)`` only
records a call to it for ``config.scan``. Duplicate names are a Pyramid
configuration conflict, so they fail at startup.
"""
from dataclasses import dataclass, field

import venusian
from pyramid.exceptions import ConfigurationError

from content_types.errors import NotAddable, UnknownContentType
from content_types.i18n import _
from content_types.security import ADD_CONTENT


@dataclass(frozen=True)
class ContentTypeInfo:
    """Everything the portal needs to know about one content type."""

    name: str
    title: str  # Italian, shown to users
    factory: type
    schema: object = None  # a callable returning a colander schema (node)
    add_permission: str = ADD_CONTENT
    addable_to: tuple = ()  # parent type names; empty means "nowhere by users"
    catalog_attributes: tuple = ("title",)
    workflow: str = None  # name of the default workflow; None = no workflow
    description: str = ""
    listable: bool = True  # shown in folder listings and add menus
    title_plural: str = ""

    def make_schema(self):
        return self.schema() if self.schema is not None else None


@dataclass
class ContentRegistry:
    types: dict = field(default_factory=dict)

    def add(self, info):
        if info.name in self.types:
            raise ConfigurationError(f"content type {info.name!r} registered twice")
        if getattr(info.factory, "type_name", None) != info.name:
            raise ConfigurationError(
                f"{info.factory.__name__}.type_name must be {info.name!r}"
            )
        self.types[info.name] = info

    def get(self, name):
        try:
            return self.types[name]
        except KeyError:
            raise UnknownContentType(_("Tipo di contenuto sconosciuto: «${name}».",
                                       mapping={"name": name})) from None

    def info_for(self, obj):
        return self.types.get(getattr(obj, "type_name", None))

    def addable_types(self, parent):
        """Types that may be created inside ``parent`` (permission not checked)."""
        parent_type = getattr(parent, "type_name", None)
        return [
            info for info in self.types.values()
            if parent_type in info.addable_to
        ]

    def check_addable(self, parent, type_name):
        info = self.get(type_name)
        if getattr(parent, "type_name", None) not in info.addable_to:
            raise NotAddable(
                _("Non è possibile aggiungere «${title}» qui.", mapping={"title": info.title})
            )
        return info

    def create(self, type_name, **data):
        return self.get(type_name).factory(**data)

    def __iter__(self):
        return iter(self.types.values())


def get_content_registry(registry):
    """The content registry stored on a Pyramid registry (created on demand)."""
    content = getattr(registry, "content", None)
    if content is None:
        content = registry.content = ContentRegistry()
    return content


def add_content_type(config, name, factory, **kw):
    """Pyramid directive: register a content type (conflicts on duplicates)."""
    info = ContentTypeInfo(name=name, factory=factory, **kw)

    def register():
        get_content_registry(config.registry).add(info)

    # no discriminator: Pyramid would let an includer silently override a
    # duplicate; the registry raises instead, so every duplicate fails loudly
    config.action(None, register, order=-10)
    return info


class content_type:
    """Class decorator recording ``config.add_content_type`` for the scan."""

    venusian = venusian

    def __init__(self, name, **kw):
        self.name = name
        self.kw = kw

    def __call__(self, wrapped):
        def callback(context, name, ob):
            context.config.with_package(info.module).add_content_type(
                self.name, ob, **self.kw
            )

        info = self.venusian.attach(wrapped, callback, category="portal.content")
        return wrapped
