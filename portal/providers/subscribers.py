"""Small subscribers: tariffs enter the history on publication; unit changes reach entries."""
import functools

from catalog.api import catalog_for_object
from content_types.catalogue_entry import CatalogueEntry
from content_types.events import ObjectAdded, ObjectModified, StateChanged
from content_types.service_unit import ServiceUnit
from workflows.catalogue_entry import PUBLISHED


def entry_published(event):
    """The tariffs a family will be charged are those in force from the publication day."""
    entry = event.object
    if isinstance(entry, CatalogueEntry) and event.new_state == PUBLISHED:
        request = event.request
        who = getattr(request, "authenticated_userid", None) if request is not None else None
        entry.publish_tariff(who=who)


def unit_added(event):
    """A new unit learns its municipality's name and ATS once it is in the tree."""
    unit = event.object
    if isinstance(unit, ServiceUnit) and unit.municipality_code and not unit.municipality_name:
        unit.locate()


def unit_modified(registry, event):
    """Entries show and index the unit's municipality: reindex them with the unit."""
    unit = event.object
    if not isinstance(unit, ServiceUnit):
        return
    catalog = catalog_for_object(unit, registry)
    if catalog is not None:
        catalog.index_subtree(unit)


def includeme(config):
    config.add_subscriber(entry_published, StateChanged)
    config.add_subscriber(unit_added, ObjectAdded)
    config.add_subscriber(functools.partial(unit_modified, config.registry), ObjectModified)
