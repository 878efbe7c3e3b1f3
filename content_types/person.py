"""The social registry (*anagrafica sociale*): people and households of a municipality.

``ambiti/<ats>/<comune>/persone/<id>`` and ``ambiti/<ats>/<comune>/nuclei/<code>``: under the
municipality of residence, so that a municipal operator or a social worker holding a local role
on the municipality (or on the whole ATS) sees its people and nobody else does. Names are
opaque (never the codice fiscale: paths end up in logs). One person per codice fiscale in the
whole portal and one household per person at a time: ``portal.people.index`` keeps both.

The values are plain (tuples of dicts, dates); services reassign them, never mutate them.
"""
from pyramid.authorization import ALL_PERMISSIONS

from content_types.base import Container
from content_types.registry import content_type
from content_types.security import (
    ATS_OFFICER,
    EDIT,
    MUNICIPAL_OPERATOR,
    OPEN_CASE,
    REGISTER_PEOPLE,
    SOCIAL_WORKER,
    VIEW,
    VIEW_PERSONAL_DATA,
    Allow,
    Deny,
    Everyone,
    read_by,
    role,
)

PEOPLE_NAME = "persone"
HOUSEHOLDS_NAME = "nuclei"
CASE_NAME = "cartella"

#: the registry of a municipality: its operators and social workers, the ATS's officers
#: (local roles on the municipality or the ATS), nobody else — not even an administrator
REGISTRY_ACL = (
    (Allow, role(ATS_OFFICER), (VIEW, VIEW_PERSONAL_DATA, EDIT, REGISTER_PEOPLE)),
    (Allow, role(MUNICIPAL_OPERATOR), (VIEW, VIEW_PERSONAL_DATA, EDIT, REGISTER_PEOPLE)),
    (Allow, role(SOCIAL_WORKER), (VIEW, VIEW_PERSONAL_DATA, EDIT, REGISTER_PEOPLE, OPEN_CASE)),
    (Deny, Everyone, ALL_PERMISSIONS),
)


@content_type(
    "PeopleFolder", title="Anagrafica sociale", schema=None, addable_to=(), listable=False,
)
class PeopleFolder(Container):
    """``<comune>/persone``: the people resident in the municipality known to the services."""

    type_name = "PeopleFolder"
    description = ""
    __acl__ = REGISTRY_ACL


@content_type(
    "Person", title="Persona", title_plural="Persone", schema=None, addable_to=(),
    catalog_attributes=("title",),
)
class Person(Container):
    """One person, identified by codice fiscale; holds their case file (``cartella``)."""

    type_name = "Person"
    #: reads by anyone but the person are audited (GDPR)
    personal_data = True
    description = ""
    fiscal_code = ""
    first_name = ""
    last_name = ""
    birth_date = None  # date
    birth_place = ""  # cadastral (Belfiore) code, Z### abroad
    sex = ""  # "M" / "F"
    citizenship = "380"  # ISO 3166 numeric (SIUSS CodiceCittadinanza)
    second_citizenship = ""
    #: tuple of dicts: kind (residenza/domicilio), street, istat (6 digits), region (2), nation (3)
    addresses = ()
    phone = ""
    email = ""
    household_code = ""  # the household they belong to now ("" = none)
    relationship = ""  # their relationship to the household's head (portal.people.rules)
    #: the citizen's account linked by codice fiscale (never by e-mail)
    login = None
    #: the latest ISEE known: dict protocol, year, dsu_date, value, kind, valid_until
    isee = None
    #: tuple of dicts: when, operator, who_came, request, answer, outcome (front desk)
    contacts = ()
    #: the proposals of benefits the background job found: tuple of dicts (call, title, reason)
    proposals = ()

    @property
    def __acl__(self):
        """The person reads their own record; officers in scope get theirs from the tree."""
        return read_by(self.login)

    @property
    def data_subject(self):
        """Whose personal data this is: reads by anyone else are audited."""
        return self.login

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()


@content_type(
    "HouseholdFolder", title="Nuclei familiari", schema=None, addable_to=(), listable=False,
)
class HouseholdFolder(Container):
    """``<comune>/nuclei``: the households of the municipality, by their code."""

    type_name = "HouseholdFolder"
    description = ""
    __acl__ = REGISTRY_ACL


@content_type(
    "Household", title="Nucleo familiare", title_plural="Nuclei familiari", schema=None,
    addable_to=(), catalog_attributes=("title",),
)
class Household(Container):
    """A household: its generated code (the name) and its members with their relationship."""

    type_name = "Household"
    personal_data = True
    description = ""
    code = ""
    #: tuple of dicts: fiscal_code, person_uid, relationship
    members = ()
    #: the login of the household's contact person (the citizen applying), if any
    contact_login = None

    @property
    def __acl__(self):
        return read_by(self.contact_login)

    @property
    def data_subject(self):
        return self.contact_login
