"""Frozen rankings (graduatorie): ``ambiti/<ats>/graduatorie/<call>/<n>``, one version each.

A version holds a ``portal.applications.rules.ranking.RankingSnapshot`` (its inputs and
outcomes, never changed once made). A draft version is seen by the ATS officers
only; once published it is public (protocol numbers only, no names) and its
signed PDF is registered in the document registry.
"""
from pyramid.authorization import ALL_PERMISSIONS

from content_types.base import Container, Content
from content_types.registry import content_type
from content_types.schemas import BaseSchema
from content_types.security import (
    ADD_CONTENT,
    ADMIN,
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

#: what a draft version may be read by; published versions inherit the public ACL
DRAFT_ACL = (
    (Allow, role(ADMIN), ALL_PERMISSIONS),
    (Allow, role(ATS_OFFICER), (VIEW, EDIT)),
    (Allow, role(REGION_OFFICER), (VIEW,)),
    (Deny, Everyone, ALL_PERMISSIONS),
)
#: a published version is public and never edited again (not even by an admin)
PUBLISHED_ACL = ((Deny, Everyone, (EDIT, DELETE, ADD_CONTENT)),)


@content_type(
    "RankingFolder", title="Graduatorie dell'Ambito", schema=None,
    addable_to=("District",), listable=False,
)
class RankingFolder(Container):
    """``/ambiti/<ats>/graduatorie``: one folder per call."""

    type_name = "RankingFolder"
    description = ""


@content_type(
    "CallRankingFolder", title="Graduatorie per avviso", schema=None,
    addable_to=("RankingFolder",), listable=False,
)
class CallRankingFolder(Container):
    """``graduatorie/<call>``: the versions of one ATS's ranking for one call (1, 2, ...)."""

    type_name = "CallRankingFolder"
    description = ""
    call_uid = None
    call_path = ""
    district_code = ""

    def versions(self):
        return [v for v in self.values() if getattr(v, "type_name", "") == "RankingVersion"]

    def latest(self, published_only=False):
        found = [v for v in self.versions() if v.published or not published_only]
        return found[-1] if found else None


@content_type(
    "RankingVersion", title="Graduatoria", title_plural="Graduatorie", schema=BaseSchema,
    addable_to=(), catalog_attributes=("title",),
)
class RankingVersion(Content):
    """One frozen version of a ranking; public once published."""

    type_name = "RankingVersion"
    description = ""
    snapshot = None  # portal.applications.rules.ranking.RankingSnapshot
    published_at = None
    published_by = None
    act_reference = ""  # the determination approving it (e.g. «Determinazione n. 12/2026»)
    document_id = None  # the signed PDF in the document registry
    changes = ()  # tuple of Italian sentences: what changed from the previous version

    def __init__(self, title="", creator=None, **data):
        super().__init__(title=title, creator=creator, **data)
        self.__acl__ = DRAFT_ACL

    @property
    def version(self):
        return self.snapshot.version if self.snapshot is not None else 0

    @property
    def published(self):
        return self.published_at is not None

    def mark_published(self, who, when, act_reference, document_id):
        self.published_at = when
        self.published_by = who
        self.act_reference = act_reference
        self.document_id = document_id
        # public from now on: the inherited ACL (everyone reads) applies
        self.__acl__ = PUBLISHED_ACL
        self.touch()
