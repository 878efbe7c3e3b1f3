"""Where applications live: ``/ambiti/<ats>/domande`` and, per call, ``domande/<call>``.

The per-call folder is where citizens and delegates may create applications
(``ADD_APPLICATION``); it also indexes submitted applications by beneficiary, so
a duplicate for the same beneficiary and call is refused (two concurrent
submissions insert the same key: the BTree conflicts and one request is replayed).
"""
from BTrees.OOBTree import OOBTree

from content_types.base import Container
from content_types.registry import content_type
from content_types.schemas import BaseSchema
from content_types.security import (
    ADD_CONTENT,
    ATS_OFFICER,
    CITIZEN,
    DELEGATE,
    EDIT,
    REGION_OFFICER,
    Allow,
    role,
)

#: permission to create an application in a per-call folder
ADD_APPLICATION = "add_application"


@content_type(
    "ApplicationFolder", title="Domande dell'Ambito", schema=BaseSchema,
    addable_to=("District",), listable=False,
)
class ApplicationFolder(Container):
    """``/ambiti/<ats>/domande``: holds one folder per call; keeps the protocol counters."""

    type_name = "ApplicationFolder"
    description = ""
    #: a portal.applications.rules.protocol.ProtocolCounters, set by portal.applications.rules.setup
    protocol_counters = None
    #: a portal.applications.rules.isee.IseeRegistry: the ATS's ISEE attestations (CSV or manual)
    isee_registry = None
    #: legacy portal.mail.MailOutbox (before evolve step 8 moved its messages into portal jobs)
    mail_outbox = None
    #: OOBTree citizen login -> dict(delegate, document_uid, granted_at): recorded delegations
    delegations = None
    #: manual ISEE entries' attestation PDFs, by upload id (created on first use)
    isee_uploads = None
    __acl__ = ((Allow, role(ATS_OFFICER), (EDIT, ADD_CONTENT)),)


@content_type(
    "CallApplicationFolder", title="Domande per avviso", schema=BaseSchema,
    addable_to=("ApplicationFolder",), listable=False,
)
class CallApplicationFolder(Container):
    """``/ambiti/<ats>/domande/<call>``: the applications of one ATS under one call."""

    type_name = "CallApplicationFolder"
    description = ""
    call_uid = None
    call_series = None
    call_path = ""
    district_code = ""
    __acl__ = (
        (Allow, role(CITIZEN), (ADD_APPLICATION,)),
        (Allow, role(DELEGATE), (ADD_APPLICATION,)),
        (Allow, role(ATS_OFFICER), (EDIT, ADD_CONTENT, ADD_APPLICATION)),
        (Allow, role(REGION_OFFICER), ()),
    )

    def __init__(self, title="", creator=None, **data):
        super().__init__(title=title, creator=creator, **data)
        self._beneficiaries = OOBTree()  # beneficiary fiscal code -> application name

    def application_for(self, fiscal_code):
        """The submitted application of this beneficiary, or None."""
        name = self._beneficiaries.get(fiscal_code)
        return self.get(name) if name is not None else None

    def register_beneficiary(self, fiscal_code, name):
        self._beneficiaries[fiscal_code] = name

    def beneficiaries(self):
        return dict(self._beneficiaries.items())
