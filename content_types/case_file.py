"""The case file (*cartella sociale*) of a person: ``…/persone/<id>/cartella`` and its notes.

What a case holds is special-category data (GDPR art. 9): its ACL is written from the case
team (explicit logins, the case manager among them) and the case manager's office (a group),
then denies everything to everybody else, so no role inherited from the tree (an ATS
officer, an administrator, a social worker of the same municipality outside the team) reads
it, finds it in search, or counts it. Reads are audited by the views.

The status is the case's own small state machine (``portal.cases.rules``), not a workflow:
the ACL follows the team, not the status.
"""
from pyramid.authorization import DENY_ALL

from content_types.base import Container, Content, notify
from content_types.events import ACLChanged
from content_types.registry import content_type
from content_types.security import (
    EDIT_CASE,
    VIEW,
    VIEW_CASE,
    Allow,
    group_principal,
    user_principal,
)

#: what the team may do, and the office (read only)
TEAM_PERMISSIONS = (VIEW, VIEW_CASE, EDIT_CASE)
OFFICE_PERMISSIONS = (VIEW, VIEW_CASE)
NOTE_PREFIX = "nota-"


@content_type(
    "CaseFile", title="Cartella sociale", title_plural="Cartelle sociali", schema=None,
    addable_to=(), catalog_attributes=("title",),
)
class CaseFile(Container):
    """One person's case: assessment, taking charge, PAI, notes and documents."""

    type_name = "CaseFile"
    personal_data = True
    description = ""
    status = "open"  # portal.cases.rules: open, in_charge, closed
    person_uid = None
    fiscal_code = ""
    manager = None  # login of the case manager (after taking charge)
    team = ()  # logins
    office = ""  # a group name: the case manager's office ("" = none)
    area = ""  # the user area of the taking charge (FAM, DIS, ELD, POV, …): SIUSS and the map
    opened_at = None
    opened_by = None
    taken_at = None
    closed_at = None
    closing_reason = ""
    #: the social evaluation sheet: dict (portal.cases.rules.assessment), with "sina" when the
    #: person is dependent (the SIUSS SINA fields)
    assessment = None
    #: the individual plan: dict goals, interventions (tuple of dicts), responsible,
    #: reviews (tuple of ISO dates), done_reviews, signed_at
    pai = None
    #: tuple of dicts: when, who, what (the case's own history)
    history = ()
    #: tuple of dicts: uid, filename, title, who, when (the bytes in ``uploads``)
    documents = ()
    uploads = None  # OOBTree uid -> portal.documents UploadedDocument
    next_note = 1

    @property
    def __acl__(self):
        aces = [(Allow, user_principal(login), TEAM_PERMISSIONS) for login in self.team]
        if self.office:
            aces.append((Allow, group_principal(self.office), OFFICE_PERMISSIONS))
        aces.append(DENY_ALL)
        return tuple(aces)

    @property
    def data_subject(self):
        return None  # every read is audited, whoever reads it

    def set_team(self, team, office=None, registry=None):
        """Who may read and write: the catalog re-reads the subtree's ``allowed``."""
        self.team = tuple(dict.fromkeys(team))
        if office is not None:
            self.office = office
        notify(registry, ACLChanged(self))


@content_type(
    "CaseNote", title="Nota di cartella", title_plural="Note di cartella", schema=None,
    addable_to=(), catalog_attributes=("title", "text"),
)
class CaseNote(Content):
    """A dated note of the case team; searchable by the team only (the case's ACL)."""

    type_name = "CaseNote"
    personal_data = True
    description = ""
    text = ""
    day = None  # date the note refers to
    author = None

    @property
    def data_subject(self):
        return None
