"""Zone social plans (domain.md §6): ``ambiti/<ats>/piani/<period>/versione-<n>`` and the archive.

A plan for a period (``2025-2027``) is a container: its versions (``versione-1``, …), each
governed by the ``zone_plan`` workflow and holding the budget as data, and its document
archive (``archivio/<folder>/<document>``). The archive has its own ACL, not the versions'
(an approved version is public, its archive never is): only the ATS's officers (local role)
and the Region's officers read it, whatever the plan's state.

The budget is stored as plain values the ``portal.plans.rules`` read: tuples of dicts for the
sources and interventions, dicts keyed by tuples for the amounts (Decimal). Every section is
reassigned on save, never mutated in place, so ZODB sees each change.
"""
from types import MappingProxyType

from pyramid.authorization import ALL_PERMISSIONS

from content_types.base import Container, Content
from content_types.registry import content_type
from content_types.security import (
    ADD_CONTENT,
    ATS_OFFICER,
    DELETE,
    EDIT,
    REGION_OFFICER,
    VIEW,
    Allow,
    Deny,
    Everyone,
    role,
)

FOLDER_NAME = "piani"
ARCHIVE_NAME = "archivio"
VERSION_PREFIX = "versione-"
#: the class-level default of the mappings (read-only: saves assign new dicts)
EMPTY = MappingProxyType({})

#: recording commitments and payments against the approved plan: the ATS only
RECORD_SPENDING = "record_spending"

#: the archive and everything in it: the ATS (local role) and the Region, nobody else
ARCHIVE_ACL = (
    (Allow, role(ATS_OFFICER), (VIEW, EDIT, ADD_CONTENT)),
    (Allow, role(REGION_OFFICER), (VIEW, EDIT, ADD_CONTENT)),
    (Deny, Everyone, ALL_PERMISSIONS),
)


@content_type(
    "PlanFolder", title="Piani sociali di zona", schema=None,
    addable_to=(), listable=False,
)
class PlanFolder(Container):
    """``ambiti/<ats>/piani``: one child per plan period."""

    type_name = "PlanFolder"
    description = ""
    __acl__ = (
        (Allow, role(ATS_OFFICER), (VIEW, ADD_CONTENT)),
        (Allow, role(REGION_OFFICER), (VIEW, ADD_CONTENT)),
    )


@content_type(
    "ZonePlan", title="Piano sociale di zona", title_plural="Piani sociali di zona",
    schema=None, addable_to=(), catalog_attributes=("title",),
)
class ZonePlan(Container):
    """The plan of one ATS for one period: its versions and its archive."""

    type_name = "ZonePlan"
    description = ""
    #: a plan is a record of the ATS and the Region: never deleted (its versions neither);
    #: a revision (a new version) is the ATS's act: the Region, which may add plans and
    #: documents, reviews versions but does not open them (it could not even see the draft)
    __acl__ = ((Allow, role(ATS_OFFICER), (RECORD_SPENDING, ADD_CONTENT)),
               (Deny, role(REGION_OFFICER), (ADD_CONTENT,)),
               (Deny, Everyone, (DELETE,)))
    start_year = 0
    end_year = 0
    district_code = ""
    #: commitments and payments recorded against the approved allocations (tuple of dicts:
    #: intervention, source, year, kind IMPEGNO|LIQUIDAZIONE, amount, act, date, who, when)
    movements = ()
    movements_version = 0

    @property
    def years(self):
        return tuple(range(self.start_year, self.end_year + 1))

    @property
    def period(self):
        return f"{self.start_year}-{self.end_year}"


@content_type(
    "PlanVersion", title="Versione del piano di zona",
    title_plural="Versioni del piano di zona",
    schema=None, addable_to=(), catalog_attributes=("title",), workflow="zone_plan",
)
class PlanVersion(Content):
    """One version of a plan: the budget as data; frozen once approved."""

    type_name = "PlanVersion"
    description = ""
    number = 1
    #: the version this one was copied from (0: the first)
    based_on = 0
    years = ()
    #: ({code, title, kind, fund}, …) kind: statale|regionale|comunale|residuo|altre
    sources = ()
    #: {(source code, year): Decimal}; for the comunale source: the sum of ``cofinancing``
    availability = EMPTY
    #: {(municipality ISTAT code, year): Decimal}
    cofinancing = EMPTY
    #: ({code, title, service, area, objective, level, municipalities, description,
    #:   target, voucher_series}, …) level: AMBITO|COMUNALE
    interventions = ()
    #: {(intervention code, source code, year): Decimal}
    allocations = EMPTY
    #: {(source code, year): Decimal}: the Region's pre-filled transfers (they stand)
    transfers = EMPTY
    #: {section, who, when} of the last save
    last_saved = None
    #: {section: int}: bumped by each save of a section (the form's conflict token)
    section_versions = EMPTY
    #: {section: text}: the Region's notes when it returned the plan
    section_notes = EMPTY
    #: ({when, who, notes: {section: text}, comment}, …): every return, oldest first
    reviews = ()
    #: the signed summary issued when approved (a documents registry id)
    summary_uid = ""
    submitted_at = None
    approved_at = None


@content_type(
    "PlanArchive", title="Archivio documentale del piano", schema=None,
    addable_to=(), listable=False,
)
class PlanArchive(Container):
    """``<plan>/archivio``: folders of official documents and working material."""

    type_name = "PlanArchive"
    description = ""
    __acl__ = ARCHIVE_ACL


@content_type(
    "ArchiveFolder", title="Cartella dell'archivio", title_plural="Cartelle dell'archivio",
    schema=None, addable_to=(), listable=False, catalog_attributes=("title", "description"),
)
class ArchiveFolder(Container):
    """A folder of the archive (deliberations, minutes, the signed plan, working material)."""

    type_name = "ArchiveFolder"
    description = ""
    #: official documents or working material
    official = True
    __acl__ = ARCHIVE_ACL


@content_type(
    "ArchiveDocument", title="Documento d'archivio", title_plural="Documenti d'archivio",
    schema=None, addable_to=(), catalog_attributes=("title", "description", "text"),
)
class ArchiveDocument(Content):
    """An uploaded PDF with its versions; its text is searchable by the ATS and the Region."""

    type_name = "ArchiveDocument"
    description = ""
    #: the text of the current version, extracted on upload (what search finds)
    text = ""
    #: who added it: "ambito" or "regione"
    origin = "ambito"
    #: (portal.documents UploadedDocument, …): every version, oldest first, never overwritten
    versions = ()
    #: ({number, filename, sha256, size, pages, signed, verdict, who, when, note}, …)
    version_info = ()
    __acl__ = ARCHIVE_ACL

    @property
    def current(self):
        return self.versions[-1] if self.versions else None

