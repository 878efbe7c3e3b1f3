"""Content types: the registry, the base classes and one module per type.

Adding a type means adding one module here with a ``@content_type`` class;
``includeme`` scans the package, so nothing else needs to change.
"""
from content_types.base import Container, Content
from content_types.registry import ContentTypeInfo, add_content_type, content_type, get_content_registry

__all__ = [
    "Container", "Content", "ContentTypeInfo", "add_content_type", "content_type", "get_content_registry",
]


def includeme(config):
    config.add_directive("add_content_type", add_content_type)
    config.scan("content_types", categories=("portal.content",))
