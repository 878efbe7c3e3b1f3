"""The household code of an application comes from the social registry, not from typing.

When a draft's people are saved (form or API), the applicant is the ``Person`` of their
account's codice fiscale, heading a household created for them if they have none; the
beneficiary is registered too and joins that household as a child unless already in one.
An applicant living where the portal does not serve keeps the code they typed.
"""
import functools

from pyramid.traversal import find_root

from content_types.application import DRAFT, Application
from content_types.events import ObjectModified
from portal.people import store as people
from portal.people.rules.errors import PeopleError

#: the draft fields that decide the household (saving any of them re-reads it)
PEOPLE_FIELDS = frozenset((
    "applicant_name", "applicant_fiscal_code", "beneficiary_name", "beneficiary_fiscal_code",
    "household_code", "residence_municipality", "residence_region"))
CHILD = "child"


def applicant_code(root, application):
    """The applicant's codice fiscale: their account's, else the one written in the draft."""
    users = root.get("utenti")
    user = users.get(application.applicant_login) if users is not None else None
    return (getattr(user, "fiscal_code", "") or application.applicant_fiscal_code or "").upper()


def registered_code(root, application):
    """The household code the registry already holds for the applicant, or None (no writes)."""
    person = people.find_person(root, applicant_code(root, application))
    household = people.household_of(person) if person is not None else None
    return household.code if household is not None else None


def from_registry(application, who, registry=None):
    """The applicant's household code, creating what is missing; None when not served."""
    root = find_root(application)
    code = applicant_code(root, application)
    if not code:
        return None
    try:
        person = people.ensure_person(root, code, application.applicant_name,
                                      application.residence_municipality,
                                      application.residence_region, who, registry)
        household = people.household_of(person) or people.create_household(person, who,
                                                                           registry)
    except PeopleError:
        return None  # a municipality the portal does not serve: the typed code stands
    _add_beneficiary(root, application, household, person, who, registry)
    return household.code


def _add_beneficiary(root, application, household, applicant, who, registry):
    code = (application.beneficiary_fiscal_code or "").upper()
    if not code or code == applicant.fiscal_code:
        return
    try:
        child = people.ensure_person(root, code, application.beneficiary_name,
                                     application.residence_municipality,
                                     application.residence_region, who, registry)
        if not people.index(root).household_of(child.fiscal_code):
            people.add_member(household, child, CHILD, registry)
    except PeopleError:
        return  # registered elsewhere or not registrable here: the application goes on


def draft_people_saved(registry, event):
    """A draft's people changed: its household code is the registry's."""
    application = event.object
    if (not isinstance(application, Application) or application.state != DRAFT
            or not PEOPLE_FIELDS.intersection(event.fields)):
        return
    code = from_registry(application, application.applicant_login, registry)
    if code is not None and code != application.household_code:
        application.household_code = code


def includeme(config):
    """The subscriber bound to the app's registry (no thread-local lookup)."""
    config.add_subscriber(functools.partial(draft_people_saved, config.registry), ObjectModified)
