"""The register of benefits (*prestazioni*) an ATS grants: ``ambiti/<ats>/prestazioni/<id>``.

One register for every source: vouchers (written from funded applications and paid
attestations), municipal economic contributions, home care hours, other interventions. Each
benefit names its person (uid and codice fiscale), its SIUSS code (``portal.register`` loads
the table), its period and amounts, the means test and the application's protocol: what the
SIUSS flow and the citizen's file read. ``portal.people.index`` lists the benefits of every
codice fiscale across the portal, so the duplicate check sees other ATS too.

Money is ``Decimal``, days are ``date``; the status is written by ``portal.register`` only.
"""
from pyramid.authorization import ALL_PERMISSIONS

from content_types.base import Container, Content
from content_types.registry import content_type
from content_types.security import (
    ATS_OFFICER,
    EXPORT_SIUSS,
    GRANT_BENEFIT,
    MUNICIPAL_OPERATOR,
    SOCIAL_WORKER,
    VIEW,
    VIEW_PERSONAL_DATA,
    Allow,
    Deny,
    Everyone,
    role,
    user_principal,
)

FOLDER_NAME = "prestazioni"

#: status ids (English; Italian titles in portal.register.rules)
ACTIVE, SUSPENDED, ENDED, CANCELLED = "active", "suspended", "ended", "cancelled"
STATUSES = (ACTIVE, SUSPENDED, ENDED, CANCELLED)

#: where a benefit comes from
VOUCHER, CONTRIBUTION, HOME_CARE, OTHER = "voucher", "contribution", "home_care", "other"
SOURCES = (VOUCHER, CONTRIBUTION, HOME_CARE, OTHER)


@content_type(
    "BenefitFolder", title="Registro delle prestazioni", schema=None, addable_to=(),
    listable=False,
)
class BenefitFolder(Container):
    """``ambiti/<ats>/prestazioni``: the ATS's officers and the municipalities' operators."""

    type_name = "BenefitFolder"
    description = ""
    #: the SIUSS transmissions of the ATS (portal.register.siuss_archive), added by the first
    siuss_archive = None
    __acl__ = (
        (Allow, role(ATS_OFFICER), (VIEW, VIEW_PERSONAL_DATA, GRANT_BENEFIT, EXPORT_SIUSS)),
        (Allow, role(MUNICIPAL_OPERATOR), (VIEW, VIEW_PERSONAL_DATA, GRANT_BENEFIT)),
        (Allow, role(SOCIAL_WORKER), (VIEW, VIEW_PERSONAL_DATA)),
        (Deny, Everyone, ALL_PERMISSIONS),
    )


@content_type(
    "Benefit", title="Prestazione", title_plural="Prestazioni", schema=None, addable_to=(),
    catalog_attributes=("title",),
)
class Benefit(Content):
    """One benefit of one person; the person reads their own (the citizen's file)."""

    type_name = "Benefit"
    personal_data = True
    description = ""
    status = ACTIVE
    source = OTHER
    person_uid = None
    fiscal_code = ""
    login = None  # the person's account, when linked: they read their benefit
    municipality = ""  # ISTAT code of the granting municipality ("" = the ATS)
    granted_by = ""  # the granting body, as people read it
    siuss_code = ""  # e.g. A1.04 (the INPS table, portal/register/data)
    siuss_name = ""
    service = ""  # nomenclature service (PSW, HOMECARE, HEALTHV, …): the duplicate check's category
    area = ""  # user area (FAM, DIS, ELD, POV, IMMNOM, ADD, MULBEN)
    periodic = True
    start = None  # date
    end = None  # date (periodic)
    months = None  # PeriodoErogazione
    monthly_amount = None  # Decimal (periodic)
    amount = None  # Decimal (one-off)
    public_share = None  # ImportoQuotaEnte
    user_share = None  # ImportoQuotaUtente
    ssn_share = None
    hours_monthly = None  # int: OreServizioMensile (home care)
    means_test = "4"  # SIUSS PresenzaProvaMezzi: 1 ISEE, 2 other, 3 waived, 4 none
    isee = None  # dict protocol, year, dsu_date, value (when means_test is "1")
    protocol = ""  # the application's protocol (SIUSS ProtocolloDomanda)
    application_uid = None  # the voucher application it comes from
    #: why the officer went on although the duplicate check found overlapping benefits
    override_reason = ""
    #: the overlapping benefits shown at grant time: tuple of dicts (path, title, start, end)
    overlaps = ()
    #: tuple of dicts: when, who, what, reason (granted, suspended, ended, cancelled)
    history = ()
    #: tuple of dicts: transmission uid, when, operation (I/C): what SIUSS has received
    transmissions = ()
    #: paid months of a voucher: tuple of dicts (month "yyyy-mm", amount Decimal)
    paid = ()
    paid_amount = None  # Decimal: the sum of ``paid``

    @property
    def __acl__(self):
        return ((Allow, user_principal(self.login), (VIEW,)),) if self.login else ()

    @property
    def data_subject(self):
        return self.login
