"""Content types: the registry, the base classes and one module per type.

Adding a type means adding one module here with a ``@content_type`` class;
``includeme`` scans the package, so nothing else needs to change.
"""
from .base import Container, Content  # noqa: F401
from .registry import (  # noqa: F401
    ContentTypeInfo, add_content_type, content_type, get_content_registry,
)


def includeme(config):
    config.add_directive("add_content_type", add_content_type)
    config.scan("content_types", categories=("portal.content",))
