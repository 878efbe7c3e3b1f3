"""The catalogue's filters (service type, age, free places, district) on both backends."""
import pytest

from catalog import Eq, Query, Range
from content_types.events import ObjectModified, StateChanged
from content_types.folder import Folder
from content_types.page import Page
from tests.unit.catalog.conftest import ANON, RITA, Application

OFFERS = {  # name: service type, age range (months), free places, own district
    "nido": ("asilo-nido", 3, 36, 2, "BT-01"),
    "pieno": ("asilo-nido", 3, 36, 0, None),
    "anziani": ("adi", 780, 1440, 5, None),
}


def notify(portal, event):
    portal.registry.notify(event)


@pytest.fixture
def offers(portal):
    folder = portal.root.add("offerte", Folder(title="Offerte"), registry=portal.registry)
    objs = {}
    for name, (service, low, high, free, district) in OFFERS.items():
        page = Page(title=f"Offerta {name}", body="Servizio accreditato.")
        page.service_type, page.age_min_months, page.age_max_months = service, low, high
        page.free_places = free
        if district:
            page.district = district
        objs[name] = folder.add(name, page, registry=portal.registry)
    portal.commit()
    return objs


def names(portal, offers, *filters):
    uids = set(portal.uids(ANON, filters=filters))
    return {name for name, obj in offers.items() if obj.uid in uids}


def age(years):
    """The filters of the catalogue search for an age in years."""
    return (Range("age_min_months", max=years * 12 + 11),
            Range("age_max_months", min=years * 12))


def test_service_age_free_places_and_district_filters(portal, offers):
    assert names(portal, offers, Eq("service_type", "asilo-nido")) == {"nido", "pieno"}
    assert names(portal, offers, *age(2)) == {"nido", "pieno"}
    assert names(portal, offers, *age(70)) == {"anziani"}
    assert names(portal, offers, *age(10)) == set()
    assert names(portal, offers, Eq("has_free_places", 1)) == {"nido", "anziani"}
    assert names(portal, offers, Eq("has_free_places", True)) == {"nido", "anziani"}
    assert names(portal, offers, Eq("district", "BT-01")) == {"nido"}
    assert names(portal, offers, Eq("service_type", "asilo-nido"), *age(1),
                 Eq("has_free_places", 1)) == {"nido"}
    # objects without these attributes have no value: no filter matches them
    assert portal.search(ANON, filters=(Range("age_min_months", min=0),)).total == 3


def test_free_places_follow_changes_and_referring_transitions(portal, offers):
    nido = offers["nido"]
    nido.free_places = 0
    notify(portal, ObjectModified(nido, ("free_places",)))
    portal.commit()
    assert names(portal, offers, Eq("has_free_places", 1)) == {"anziani"}
    # an application naming the entry changes state (match / withdrawal): reindexed
    app = Application(title="Domanda", creator="user:alice")
    app.catalogue_entry_path = "/offerte/nido"
    portal.root["offerte"].add("domanda", app, registry=portal.registry)
    portal.commit()
    nido.free_places = 1  # given back without an event on the entry itself
    notify(portal, StateChanged(app, "domanda", "withdraw", "matched", "withdrawn"))
    portal.commit()
    assert names(portal, offers, Eq("has_free_places", 1)) == {"nido", "anziani"}
    assert portal.search(RITA, filters=(Eq("has_free_places", 0),)).total == 1


def test_new_fields_are_query_fields():
    Query(filters=(Eq("service_type", "adi"), Range("age_max_months", min=3),
                   Eq("has_free_places", 1)))
