"""Keep the catalog in step with content: one small subscriber per event."""
from content_types.events import (
    ACLChanged, LocalRolesChanged, ObjectAdded, ObjectModified, ObjectMoved, ObjectRemoved,
    StateChanged,
)

from .api import catalog_for_object


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


def includeme(config):
    config.add_subscriber(object_added, ObjectAdded)
    config.add_subscriber(object_modified, ObjectModified)
    config.add_subscriber(object_moved, ObjectMoved)
    config.add_subscriber(object_removed, ObjectRemoved)
    for event in (StateChanged, ACLChanged, LocalRolesChanged):
        config.add_subscriber(security_changed, event)
