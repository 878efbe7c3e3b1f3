"""Shared fixtures of the social side: the demo's people, household and case in care.

``social`` gives the paths of the demo's objects (they have random names): ``elder`` (Giovanni
Greco, in the care of ``as-bari``), ``case`` (his case file), ``note`` (its first note),
``citizen`` (Marco Conte, the «cittadino» login), ``household`` (his), ``benefit`` (the
elder's home care).
"""
from types import SimpleNamespace

import pytest
from pyramid.traversal import resource_path

from portal.cases import store as cases
from portal.demo.social import CITIZEN_CODE, ELDER_CODE
from portal.people import store as people
from tests.functional.applications.conftest import run_in_app


def demo_paths(portal):
    elder = people.find_person(portal, ELDER_CODE)
    citizen = people.find_person(portal, CITIZEN_CODE)
    case = cases.case_of(elder)
    benefit_path = people.index(portal).benefits_of(ELDER_CODE)[0]["path"]
    return SimpleNamespace(
        elder=resource_path(elder), case=resource_path(case),
        note=resource_path(cases.notes_of(case)[0]), citizen=resource_path(citizen),
        household=resource_path(people.household_of(citizen)), benefit=benefit_path)


@pytest.fixture
def social(wsgi_app):
    """Use for tests of the social side over the demo: the paths of its people and case."""
    return run_in_app(wsgi_app, demo_paths)
