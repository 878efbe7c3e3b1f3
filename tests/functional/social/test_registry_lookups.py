"""Registering a person finds their municipality and their account through maps, not walks:
the maps follow accounts and municipalities added, edited or removed after they were built."""
from datetime import date

import pytest

from content_types.district import Municipality
from content_types.events import ObjectModified
from content_types.users import User
from portal.demo.ids import fiscal_code
from portal.people import store as people
from portal.people.rules.errors import UnknownMunicipality
from tests.functional.applications.conftest import run_in_app


def register(portal, code, istat="072006", registry=None):
    return people.register_person(portal, {
        "fiscal_code": code, "first_name": "Sara", "last_name": "Neri",
        "address": {"kind": "residence", "street": "Via Roma 1", "istat": istat,
                    "region": "16"}}, "comune-bari", registry)


def add_user(portal, registry, login, code):
    portal["utenti"].add(login, User(title="Sara Neri", email=f"{login}@example.it",
                                     fiscal_code=code, creator="admin"), registry=registry)


def test_an_account_made_after_the_map_is_linked(wsgi_app):
    registry = wsgi_app.registry
    first = fiscal_code("NRE", "SRA", date(1990, 3, 4), female=True)
    later = fiscal_code("NRE", "SRA", date(1991, 3, 4), female=True)

    def work(portal):
        add_user(portal, registry, "sara-neri", first)
        assert register(portal, first, registry=registry).login == "sara-neri"
        add_user(portal, registry, "sara-neri-2", later)  # the map exists: the subscriber adds it
        return register(portal, later, registry=registry).login
    assert run_in_app(wsgi_app, work) == "sara-neri-2"


def test_a_stale_entry_links_nobody(wsgi_app):
    registry = wsgi_app.registry
    code = fiscal_code("NRE", "SRA", date(1992, 3, 4), female=True)
    other = fiscal_code("NRE", "SRA", date(1993, 3, 4), female=True)

    def work(portal):
        add_user(portal, registry, "sara-neri", code)
        register(portal, other, registry=registry)  # builds the map: code -> sara-neri
        user = portal["utenti"]["sara-neri"]
        user.fiscal_code = fiscal_code("NRE", "SRA", date(1994, 3, 4), female=True)
        registry.notify(ObjectModified(user, ("fiscal_code",)))
        return register(portal, code, registry=registry).login
    assert run_in_app(wsgi_app, work) is None


def test_municipalities_added_or_removed_later_are_seen(wsgi_app):
    registry = wsgi_app.registry

    def work(portal):
        district = portal["ambiti"]["ba-01"]
        register(portal, fiscal_code("NRE", "SRA", date(1995, 3, 4), female=True))
        district.add("bitonto", Municipality(title="Bitonto", istat_code="072011",
                                             cadastral_code="A893", province="BA",
                                             inhabitants=54_000, creator="admin"),
                     registry=registry)
        person = register(portal, fiscal_code("NRE", "SRA", date(1996, 3, 4), female=True),
                          "072011")
        assert person.__parent__.__parent__.__name__ == "bitonto"
        district.remove("bitonto", registry=registry)
        with pytest.raises(UnknownMunicipality):
            register(portal, fiscal_code("NRE", "SRA", date(1997, 3, 4), female=True), "072011")
    run_in_app(wsgi_app, work)


def test_an_account_added_without_events_is_linked_too(wsgi_app):
    """A script or an evolve step may add users with no registry: the map notices the count."""
    registry = wsgi_app.registry
    first = fiscal_code("NRE", "SRA", date(1998, 3, 4), female=True)
    quiet = fiscal_code("NRE", "SRA", date(1999, 3, 4), female=True)

    def work(portal):
        register(portal, first, registry=registry)  # the map exists
        add_user(portal, None, "sara-neri-3", quiet)  # no registry: no event
        return register(portal, quiet, registry=registry).login
    assert run_in_app(wsgi_app, work) == "sara-neri-3"
