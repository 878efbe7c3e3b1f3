"""Keep the catalog in step with content: one small subscriber per event.

Each subscriber is bound to the registry that includes it (``includeme``), so it
finds the catalog through that registry, never through a thread-local.
"""
import functools

from pyramid.traversal import find_resource, find_root

from catalog.api import catalog_for_object
from content_types.events import (
    ACLChanged,
    LocalRolesChanged,
    ObjectAdded,
    ObjectModified,
    ObjectMoved,
    ObjectRemoved,
    StateChanged,
)


def object_added(registry, event):
    catalog = catalog_for_object(event.object, registry)
    if catalog is not None:
        catalog.index_subtree(event.object)


def object_modified(registry, event):
    catalog = catalog_for_object(event.object, registry)
    if catalog is not None:
        catalog.reindex(event.object)


def object_moved(registry, event):
    """Paths (and possibly inherited permissions) of the whole subtree changed."""
    catalog = catalog_for_object(event.object, registry)
    if catalog is not None:
        catalog.index_subtree(event.object)


def object_removed(registry, event):
    catalog = catalog_for_object(event.parent, registry)
    if catalog is not None:
        catalog.unindex_subtree(event.object)


def security_changed(registry, event):
    """State, ACL or local roles changed: who may view the subtree changed."""
    catalog = catalog_for_object(event.object, registry)
    if catalog is not None:
        catalog.index_subtree(event.object)


def referenced_changed(registry, event):
    """A transition of an object may change what another one indexes: reindex that one.

    An application's match takes a place of the catalogue entry it names by
    ``catalogue_entry_path`` (and its withdrawal gives it back), which changes the
    entry's ``has_free_places``: the entry is reindexed in the same transaction.
    """
    path = getattr(event.object, "catalogue_entry_path", None)
    if not isinstance(path, str) or not path.startswith("/"):
        return
    catalog = catalog_for_object(event.object, registry)
    if catalog is None:
        return
    try:
        target = find_resource(find_root(event.object), path)
    except (KeyError, ValueError):
        return
    if getattr(target, "uid", None):
        catalog.reindex(target)


def bound(subscriber, registry):
    """``subscriber`` with its registry given: what ``config.add_subscriber`` receives."""
    return functools.partial(subscriber, registry)


def includeme(config):
    registry = config.registry
    config.add_subscriber(bound(object_added, registry), ObjectAdded)
    config.add_subscriber(bound(object_modified, registry), ObjectModified)
    config.add_subscriber(bound(object_moved, registry), ObjectMoved)
    config.add_subscriber(bound(object_removed, registry), ObjectRemoved)
    for event in (StateChanged, ACLChanged, LocalRolesChanged):
        config.add_subscriber(bound(security_changed, registry), event)
    config.add_subscriber(bound(referenced_changed, registry), StateChanged)
