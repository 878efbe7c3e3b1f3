"""Monthly attestations (domain.md §4): ``<application>/attestazioni/<yyyy-mm>``.

One attestation per funded application and month: the month is the child's name, so a
second attestation for the same month is refused by the container (and two at once
conflict on the same BTree key). Amounts are Decimal, written by
``portal.payments`` from the call's rules and the tariff in force that month; the
``attestation`` workflow moves it from the provider's draft to the payment.
"""
from content_types.base import Container, Content
from content_types.registry import content_type
from content_types.schemas import BaseSchema

#: the name of the folder under an application
FOLDER_NAME = "attestazioni"


@content_type(
    "AttestationFolder", title="Attestazioni mensili", schema=None,
    addable_to=(), listable=False,
)
class AttestationFolder(Container):
    """``<application>/attestazioni``: one child per month, named ``yyyy-mm``."""

    type_name = "AttestationFolder"
    description = ""


@content_type(
    "Attestation", title="Attestazione mensile", title_plural="Attestazioni mensili",
    schema=BaseSchema, addable_to=(), catalog_attributes=("title",),
    workflow="attestation",
)
class Attestation(Content):
    """A provider's statement of one month of service, confirmed by the family."""

    type_name = "Attestation"
    #: reads by anyone but the family are audited (GDPR)
    personal_data = True
    description = ""
    month = ""  # "2025-10"
    # -- copied from the application when created (the record stands on its own) --
    application_uid = ""
    protocol = ""  # the application's protocol number
    household_code = ""
    beneficiary_name = ""
    beneficiary_fiscal_code = ""
    entry_path = ""  # the catalogue entry (unità di offerta) the service is given by
    entry_uid = ""
    provider_path = ""
    provider_title = ""
    district_code = ""
    call_series = ""
    # -- attendance, written by the provider's operator --
    open_days = 0
    attended_days = 0
    absences = 0
    full_time = True
    month_open_days = None  # the unit's open days in the whole month (a partial month: more)
    # -- money, computed from the call's rules (Decimal) --
    tariff = None  # monthly tariff in force that month (catalogue entry history)
    fee = None  # the fee the shares are computed on (e.g. doubled for disability)
    family_share = None
    voucher_share = None
    explanation = ""  # the computation in Italian words
    # -- invoice --
    invoice_number = ""
    invoice_date = None
    invoice_amount = None
    # -- steps --
    family_confirmation = None  # dict: method, who, when, document_uid, verdict
    review = None  # dict: outcome, reason, who, when
    payment = None  # dict: act_uid, act_path, act_number, when

    @property
    def application(self):
        folder = self.__parent__
        return getattr(folder, "__parent__", None)

    @property
    def data_subject(self):
        """The family the attestation is about: reads by anyone else are audited."""
        application = self.application
        return getattr(application, "applicant_login", None) or self.owner
