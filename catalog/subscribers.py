"""Keep the catalog in step with content: one small subscriber per event."""
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


def object_added(event):
    catalog = catalog_for_object(event.object)
    if catalog is not None:
        catalog.index_subtree(event.object)


def object_modified(event):
    catalog = catalog_for_object(event.object)
    if catalog is not None:
        catalog.reindex(event.object)


def object_moved(event):
    """Paths (and possibly inherited permissions) of the whole subtree changed."""
    catalog = catalog_for_object(event.object)
    if catalog is not None:
        catalog.index_subtree(event.object)


def object_removed(event):
    catalog = catalog_for_object(event.parent)
    if catalog is not None:
        catalog.unindex_subtree(event.object)


def security_changed(event):
    """State, ACL or local roles changed: who may view the subtree changed."""
    catalog = catalog_for_object(event.object)
    if catalog is not None:
        catalog.index_subtree(event.object)


def referenced_changed(event):
    """A transition of an object may change what another one indexes: reindex that one.

    An application's match takes a place of the catalogue entry it names by
    ``catalogue_entry_path`` (and its withdrawal gives it back), which changes the
    entry's ``has_free_places``: the entry is reindexed in the same transaction.
    """
    path = getattr(event.object, "catalogue_entry_path", None)
    if not isinstance(path, str) or not path.startswith("/"):
        return
    catalog = catalog_for_object(event.object)
    if catalog is None:
        return
    try:
        target = find_resource(find_root(event.object), path)
    except (KeyError, ValueError):
        return
    if getattr(target, "uid", None):
        catalog.reindex(target)


def includeme(config):
    config.add_subscriber(object_added, ObjectAdded)
    config.add_subscriber(object_modified, ObjectModified)
    config.add_subscriber(object_moved, ObjectMoved)
    config.add_subscriber(object_removed, ObjectRemoved)
    for event in (StateChanged, ACLChanged, LocalRolesChanged):
        config.add_subscriber(security_changed, event)
    config.add_subscriber(referenced_changed, StateChanged)
