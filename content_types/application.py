"""A citizen's application for a voucher under a call, governed by the "application" workflow.

Only the draft fields in ``EDITABLE`` are written through forms and the API
(``set_data``); protocol, state, district, amounts and outcomes are written by
``portal.applications.rules`` and the workflow, so a crafted request cannot change them.
Money and dates are kept as plain values (Decimal, date, aware datetime).
"""
from datetime import date

import colander
import deform.widget

from content_types.application_folder import ADD_APPLICATION
from content_types.base import Container
from content_types.errors import ContentError
from content_types.i18n import _
from content_types.registry import content_type
from content_types.schemas import strip
from content_types.security import DELEGATE, OWNER, set_local_roles, user_principal
from content_types.validators import fiscal_code, normalize_code

__all__ = [
    "ADD_APPLICATION",
    "EDITABLE",
    "Application",
    "ApplicationSchema",
    "ProtectedField",
    "StaleApplication",
]

#: the workflow's initial state id (``workflows.application.DRAFT``: content_types may not
#: import workflows; a test holds the two equal)
DRAFT = "draft"
#: fields the family (or its delegate) may write while the application is a draft
EDITABLE = (
    "applicant_name", "applicant_fiscal_code", "beneficiary_name", "beneficiary_fiscal_code",
    "beneficiary_birth_date", "household_code", "residence_municipality",
    "residence_region", "catalogue_entry_path", "catalogue_entry_uid", "full_time", "months",
    "disability_certified", "priority_continuity", "priority_siblings", "email", "phone",
    "draft_step",
)


class ProtectedField(ContentError):
    """Someone tried to write a field that only the system writes (tampering)."""

    code = "protected_field"
    http_status = 422


class StaleApplication(ContentError):
    code = "stale_form"
    http_status = 409


class ApplicationSchema(colander.MappingSchema):
    """The draft fields; the multi-step form shows them a group at a time."""

    applicant_name = colander.SchemaNode(
        colander.String(), title="Nome e cognome del richiedente", preparer=strip,
        validator=colander.Length(1, 120, "Il nome è obbligatorio."))
    applicant_fiscal_code = colander.SchemaNode(
        colander.String(), title="Codice fiscale del richiedente",
        preparer=normalize_code, validator=fiscal_code)
    email = colander.SchemaNode(
        colander.String(), title="E-mail per le comunicazioni", preparer=strip,
        validator=colander.Email("Indirizzo e-mail non valido."))
    phone = colander.SchemaNode(
        colander.String(), title="Telefono", preparer=strip, missing="",
        validator=colander.Regex(r"^[+0-9 ]{0,20}$", "Numero di telefono non valido."))
    household_code = colander.SchemaNode(
        colander.String(), title="Codice famiglia", preparer=normalize_code,
        validator=colander.Regex(r"^[A-Z0-9-]{4,40}$", "Codice famiglia non valido."))
    beneficiary_name = colander.SchemaNode(
        colander.String(), title="Nome e cognome del beneficiario", preparer=strip,
        validator=colander.Length(1, 120, "Il nome è obbligatorio."))
    beneficiary_fiscal_code = colander.SchemaNode(
        colander.String(), title="Codice fiscale del beneficiario",
        preparer=normalize_code, validator=fiscal_code)
    beneficiary_birth_date = colander.SchemaNode(
        colander.Date(), title="Data di nascita del beneficiario", missing=None)
    residence_municipality = colander.SchemaNode(
        colander.String(), title="Comune di residenza (codice ISTAT)",
        preparer=normalize_code,
        validator=colander.Regex(r"^\d{6}$", "Il codice ISTAT del comune è di 6 cifre."))
    residence_region = colander.SchemaNode(
        colander.String(), title="Regione di residenza (codice ISTAT)",
        validator=colander.Regex(r"^\d{2}$", "Il codice ISTAT della regione è di 2 cifre."))
    catalogue_entry_path = colander.SchemaNode(
        colander.String(), title="Servizio scelto dal catalogo",
        validator=colander.Length(1, 500, "Scegliere un servizio dal catalogo."))
    full_time = colander.SchemaNode(
        colander.Boolean(), title="Tempo pieno", missing=True,
        widget=deform.widget.CheckboxWidget())
    months = colander.SchemaNode(
        colander.Integer(), title="Mesi richiesti",
        validator=colander.Range(1, 12, "Almeno 1 mese.", "Al massimo 12 mesi."))
    disability_certified = colander.SchemaNode(
        colander.Boolean(), title="Disabilità certificata del beneficiario", missing=False)
    priority_continuity = colander.SchemaNode(
        colander.Boolean(), title="Continuità con la struttura frequentata l'anno scorso",
        missing=False)
    priority_siblings = colander.SchemaNode(
        colander.Boolean(), title="Fratelli o sorelle che frequentano la stessa struttura",
        missing=False)


@content_type(
    "Application", title="Domanda di buono servizio", title_plural="Domande",
    schema=ApplicationSchema, add_permission=ADD_APPLICATION,
    addable_to=("CallApplicationFolder",), catalog_attributes=("title",),
    workflow="application",
)
class Application(Container):
    type_name = "Application"
    #: reads by anyone but the applicant are audited (GDPR)
    personal_data = True
    description = ""
    # -- written by the family while a draft (EDITABLE) --
    applicant_login = None  # set at creation, never by forms
    applicant_name = ""
    applicant_fiscal_code = ""
    email = ""
    phone = ""
    household_code = ""
    beneficiary_name = ""
    beneficiary_fiscal_code = ""
    beneficiary_birth_date = None
    residence_municipality = ""
    residence_region = ""
    catalogue_entry_path = ""
    catalogue_entry_uid = ""
    full_time = True
    months = 0
    disability_certified = False
    priority_continuity = False
    priority_siblings = False
    draft_step = ""
    # -- written by the system --
    call_uid = None
    call_version = None
    district_code = ""
    attachments = ()  # tuple of dicts: uid, filename, kind, sha256
    isee = None  # dict from portal.applications.rules.isee.IseeAttestation.to_data()
    protocol = None
    submitted_at = None
    submitted_by = None
    fee_monthly = None  # Decimal
    family_share_monthly = None
    voucher_monthly = None
    copayment_explanation = ""
    eligibility_failures = ()  # tuple of dicts: code, message, field
    eligibility_warnings = ()
    receipt_uid = None
    delegate_login = None  # CAF/patronato operator acting for the applicant
    delegation = None  # dict: document uid, granted_at, scope
    actions = ()  # tuple of dicts: who, on_behalf_of, what, when (the citizen sees them)
    match_decision = None  # dict: accepted, who, when, reason
    review = None  # dict: checklist, notes
    decision = None  # dict: outcome, reason_code, reason_text, who, when
    integration_deadline = None  # aware UTC: the family may send the integration until then
    ranking_outcome = None  # dict: version, position, outcome
    # -- the monthly cycle (portal.payments) --
    service_start = None  # date: first day of the first funded month, set when the service starts
    service_end = None  # "yyyy-mm": the last month of service after an early end
    uploads = None  # OOBTree uid -> portal.documents UploadedDocument (the attachments' bytes)

    @property
    def data_subject(self):
        """Whose personal data this is: reads by anyone else are audited."""
        return self.applicant_login

    @property
    def priority(self):
        return bool(self.priority_continuity or self.priority_siblings)

    @property
    def priorities(self):
        return int(bool(self.priority_continuity)) + int(bool(self.priority_siblings))

    def version_token(self):
        """Changes on every write: forms send it back to detect stale edits."""
        return self.modified.isoformat() if self.modified else ""

    def check_version(self, token):
        if token != self.version_token():
            raise StaleApplication(
                _("La domanda è stata modificata dopo l'apertura di questo modulo: nessuna modifica è stata "
                  "salvata. Ricaricare la pagina per vedere la versione aggiornata."))

    def set_data(self, data):
        """Write draft fields only; anything else is refused as tampering."""
        protected = sorted(k for k in data if k not in EDITABLE)
        if protected:
            raise ProtectedField(
                _("Alcuni dati della domanda non possono essere modificati direttamente: ${fields}.",
                  mapping={"fields": ", ".join(protected)}), fields=protected)
        if self.state not in (None, DRAFT):
            raise ProtectedField(
                _("La domanda è già stata inviata: i suoi dati non si modificano più."))
        for key, value in data.items():
            if isinstance(value, date) or value is None or isinstance(value, (str, bool, int)):
                setattr(self, key, value)
            else:
                raise ProtectedField(_("Valore non ammesso per ${key}.", mapping={"key": key}), fields=[key])
        self.touch()

    def record_action(self, who, what, when, on_behalf_of=None):
        """Who did what: the citizen sees when a delegate acted for them."""
        self.actions = self.actions + ({"who": who, "on_behalf_of": on_behalf_of,
                                        "what": what, "when": when},)

    def assign_parties(self, applicant_login, delegate_login=None, delegation=None):
        """Local roles: the applicant owns it; a delegate gets "delegate" on it."""
        self.applicant_login = applicant_login
        self.owner = applicant_login
        set_local_roles(self, user_principal(applicant_login), {OWNER})
        if delegate_login:
            self.delegate_login = delegate_login
            self.delegation = dict(delegation or {})
            roles = {DELEGATE}
            if delegate_login == applicant_login:
                roles.add(OWNER)
            set_local_roles(self, user_principal(delegate_login), roles)
