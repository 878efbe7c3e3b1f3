"""Payment acts (*atti di liquidazione*): ``ambiti/<ats>/liquidazioni/<act>``.

An act is issued once, signed, with an outgoing protocol number, and never changes
(its ACL denies editing to everyone, administrators included); a correction is a
new act whose ``corrects_uid`` names the act it corrects.
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
    VIEW_PERSONAL_DATA,
    Allow,
    Deny,
    Everyone,
    role,
)

FOLDER_NAME = "liquidazioni"

#: issued acts are read by the ATS and the Region and changed by nobody
ACT_ACL = (
    (Deny, Everyone, (EDIT, DELETE, ADD_CONTENT)),
    (Allow, role(ADMIN), (VIEW, VIEW_PERSONAL_DATA)),
    (Allow, role(ATS_OFFICER), (VIEW, VIEW_PERSONAL_DATA)),
    (Allow, role(REGION_OFFICER), (VIEW,)),
    (Deny, Everyone, ALL_PERMISSIONS),
)


@content_type(
    "PaymentActFolder", title="Atti di liquidazione", schema=None,
    addable_to=("District",), listable=False,
)
class PaymentActFolder(Container):
    """``ambiti/<ats>/liquidazioni``: the ATS's payment acts, in the order issued."""

    type_name = "PaymentActFolder"
    description = ""
    __acl__ = (
        (Allow, role(ATS_OFFICER), (VIEW, ADD_CONTENT)),
        (Allow, role(REGION_OFFICER), (VIEW,)),
    )


@content_type(
    "PaymentAct", title="Atto di liquidazione", title_plural="Atti di liquidazione",
    schema=BaseSchema, addable_to=(), catalog_attributes=("title",),
)
class PaymentAct(Content):
    """One signed act: its lines (one per paid attestation) and totals, frozen."""

    type_name = "PaymentAct"
    description = ""
    district_code = ""
    protocol = ""  # outgoing protocol number
    period = ""  # e.g. "2025-10" or "2025-10 – 2025-12"
    selection = None  # dict: provider_path, month (what the officer chose)
    lines = ()  # tuple of dicts: attestation_uid, attestation_path, protocol, provider_path,
    #             provider_title, month, amount (Decimal), funds (tuple of (fund, Decimal))
    totals_by_provider = ()  # tuple of (provider_path, provider_title, Decimal)
    totals_by_fund = ()  # tuple of (fund, Decimal)
    total = None  # Decimal
    issued_at = None
    issued_by = None
    document_id = None  # the signed PDF in the document registry
    corrects_uid = None  # the act this one corrects
    corrects_protocol = ""
    reason = ""  # why a correction was issued
    __acl__ = ACT_ACL
