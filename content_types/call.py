"""A call for vouchers (*Avviso*): period, target, rules as data, budgets per ATS.

Rules (eligibility, co-payment bands, ranking keys) are plain data interpreted by
``portal.applications.rules``. A published call is immutable: a correction is a new
version (``new_version``) with a reason, published in its place. Budgets may
still grow after publication (a funded *scorrimento*), each change logged.
"""
import copy

import colander
import deform.widget

from content_types.base import Content
from content_types.errors import ContentError
from content_types.i18n import _
from content_types.registry import content_type
from content_types.schemas import BaseSchema
from content_types.security import ADD_CONTENT, DELETE, EDIT, REGION_OFFICER, Allow, role
from content_types.values import utcnow

TARGETS = {
    "children_0_36": _("Bambini da 0 a 36 mesi"),
    "minors_3_17": _("Minori da 3 a 17 anni"),
    "elderly": _("Anziani"),
    "disability": _("Persone con disabilità"),
}
#: target -> the catalogue service types (``catalogue_entry.SERVICE_TYPES`` codes) its voucher
#: pays for, unless the call's eligibility rules list their own ``service_types`` [A]
TARGET_SERVICES = {
    "children_0_36": ("asilo-nido", "micro-nido", "sezione-primavera"),
    "minors_3_17": ("centro-diurno-minori", "ludoteca"),
    "elderly": ("centro-diurno-anziani", "assistenza-domiciliare", "adi"),
    "disability": ("centro-diurno-disabili", "assistenza-domiciliare", "adi"),
}
#: fields frozen once the call is published
RULE_FIELDS = (
    "code", "target", "period_start", "period_end", "opens_at", "closes_at", "max_months",
    "matching_days", "integration_days", "eligibility", "copayment", "ranking", "attestation",
)
#: days the chosen provider has to confirm the abbinamento, when a call does not say ([A]:
#: our design; calls stored before the field existed use it through the class default)
MATCHING_DAYS_DEFAULT = 15
MATCHING_DAYS_MAX = 90
#: days the family has to answer an integration request of the ATS, when a call does not say
#: ([A]: our design, close to the 10 days of L. 241/1990 art. 10-bis; calls stored before the
#: field existed use it through the class default)
INTEGRATION_DAYS_DEFAULT = 10
INTEGRATION_DAYS_MAX = 60


class CallPublished(ContentError):
    code = "call_published"
    http_status = 409


class CallNotPublished(ContentError):
    code = "call_not_published"
    http_status = 409


def _aware(node, value):
    if value is not None and value.tzinfo is None:
        raise colander.Invalid(node, "Indicare data e ora con il fuso orario.")


def _window(node, value):
    if value["closes_at"] <= value["opens_at"]:
        raise colander.Invalid(node, "La chiusura deve seguire l'apertura.")
    if value["period_end"] < value["period_start"]:
        raise colander.Invalid(node, "La fine del periodo deve seguire l'inizio.")


class CallSchema(BaseSchema):
    code = colander.SchemaNode(
        colander.String(), title="Codice dell'avviso", description="Ad esempio buoni-2025",
        validator=colander.Regex(r"^[a-z0-9][a-z0-9-]{1,59}$",
                                 "Usare lettere minuscole, cifre e trattini."),
    )
    target = colander.SchemaNode(
        colander.String(), title="Destinatari",
        validator=colander.OneOf(list(TARGETS)),
        widget=deform.widget.SelectWidget(values=list(TARGETS.items())),
    )
    period_start = colander.SchemaNode(colander.Date(), title="Inizio del periodo del servizio")
    period_end = colander.SchemaNode(colander.Date(), title="Fine del periodo del servizio")
    opens_at = colander.SchemaNode(colander.DateTime(), title="Apertura delle domande",
                                   validator=_aware)
    closes_at = colander.SchemaNode(colander.DateTime(), title="Chiusura delle domande",
                                    validator=_aware)
    max_months = colander.SchemaNode(
        colander.Integer(), title="Mesi massimi finanziabili",
        validator=colander.Range(1, 12, "Almeno 1 mese.", "Al massimo 12 mesi."),
    )
    matching_days = colander.SchemaNode(
        colander.Integer(), title="Giorni per l'abbinamento",
        description="Giorni che la struttura scelta ha per confermare l'abbinamento, "
                    "contati dal giorno successivo all'invio della domanda: scaduto il "
                    "termine senza conferma, la domanda decade.",
        missing=MATCHING_DAYS_DEFAULT,
        validator=colander.Range(
            1, MATCHING_DAYS_MAX, "Almeno 1 giorno per l'abbinamento.",
            f"Al massimo {MATCHING_DAYS_MAX} giorni per l'abbinamento."),
    )
    integration_days = colander.SchemaNode(
        colander.Integer(), title="Giorni per le integrazioni",
        description="Giorni che la famiglia ha per inviare i documenti chiesti dall'Ambito, "
                    "contati dal giorno successivo alla richiesta: scaduto il termine, "
                    "l'integrazione non si può più inviare.",
        missing=INTEGRATION_DAYS_DEFAULT,
        validator=colander.Range(
            1, INTEGRATION_DAYS_MAX, "Almeno 1 giorno per le integrazioni.",
            f"Al massimo {INTEGRATION_DAYS_MAX} giorni per le integrazioni."),
    )

    validator = staticmethod(_window)


@content_type(
    "Call", title="Avviso", title_plural="Avvisi", schema=CallSchema,
    addable_to=("Region", "Folder"), catalog_attributes=("title", "description", "code"),
)
class Call(Content):
    type_name = "Call"
    description = ""
    code = ""
    target = ""
    period_start = None
    period_end = None
    opens_at = None
    closes_at = None
    max_months = 12
    matching_days = MATCHING_DAYS_DEFAULT
    integration_days = INTEGRATION_DAYS_DEFAULT
    eligibility = None  # dict, see portal.applications.rules.eligibility.Rules
    copayment = None  # dict, see portal.applications.rules.copayment.scheme_from_data
    ranking = None  # dict, see portal.applications.rules.ranking.RankingRules
    #: dict, see portal.payments.rules.monthly.MonthlyRules (absences, partial months)
    attestation = None
    budgets = None  # dict: ATS code -> amount (str, Decimal-safe)
    budget_log = ()  # tuple of dicts: district, old, new, reason, who, when
    version = 1
    series = None  # uid of the first version: stable across corrections
    previous_uid = None
    correction_reason = ""
    published_at = None
    published_by = None
    superseded_by_uid = None
    #: the SIUSS benefit code of the call's vouchers (the register; domain.md §8 placeholder)
    siuss_code = "A1.NN"
    __acl__ = ((Allow, role(REGION_OFFICER), (EDIT, ADD_CONTENT, DELETE)),)

    def __init__(self, title="", creator=None, **data):
        super().__init__(title=title, creator=creator, **data)
        if self.series is None:
            self.series = self.uid

    @property
    def published(self):
        return self.published_at is not None

    @property
    def current(self):
        """Published and not replaced by a correction."""
        return self.published and self.superseded_by_uid is None

    @property
    def listing_state(self):
        """What a folder listing says of this version: the versions of a call share a title."""
        if not self.published:
            return _("Bozza")
        if self.superseded_by_uid is not None:
            return _("Versione ${version}, sostituita", mapping={"version": self.version})
        return _("Versione ${version}, in vigore", mapping={"version": self.version})

    def rules(self):
        """Deep copies of the rule data (mutating them never touches the stored call)."""
        return {
            "eligibility": copy.deepcopy(self.eligibility or {}),
            "copayment": copy.deepcopy(self.copayment or {}),
            "ranking": copy.deepcopy(self.ranking or {}),
        }

    def set_data(self, data):
        if self.published:
            changed = [k for k in data if k in RULE_FIELDS and data[k] != getattr(self, k, None)]
            if changed:
                raise CallPublished(
                    _("L'avviso è pubblicato: le sue regole non si modificano. Per correggerle creare una "
                      "nuova versione indicandone il motivo."), fields=changed)
        for key, value in data.items():
            # nested rule data is copied so callers cannot mutate it behind our back
            setattr(self, key, copy.deepcopy(value))
        self.touch()

    def set_rules(self, eligibility=None, copayment=None, ranking=None):
        data = {k: v for k, v in (("eligibility", eligibility), ("copayment", copayment),
                                  ("ranking", ranking)) if v is not None}
        self.set_data(data)

    @property
    def service_types(self):
        """The service type codes this call's voucher pays for (its rules, or its target's)."""
        rules = self.eligibility or {}
        listed = rules.get("service_types")
        if listed is not None:
            return tuple(listed)
        return TARGET_SERVICES.get(rules.get("target") or self.target, ())

    def budget_for(self, district_code):
        """The budget of one ATS as text (``portal.applications.rules`` makes it a Decimal)."""
        return (self.budgets or {}).get(district_code, "0")

    def set_budget(self, district_code, amount, *, reason, who, when=None):
        """Set an ATS budget; after publication every change needs a reason and is logged."""
        if self.published and not reason:
            raise CallPublished(_("Indicare il motivo della variazione del budget."))
        old = self.budget_for(district_code)
        self.budgets = {**(self.budgets or {}), district_code: str(amount)}
        self.budget_log = self.budget_log + ({
            "district": district_code, "old": old, "new": str(amount), "reason": reason,
            "who": who, "when": when or utcnow(),
        },)
        self.touch()

    def publish(self, who, when=None, previous=None):
        """Freeze the call; a correction also marks the version it replaces."""
        if self.published:
            raise CallPublished(_("L'avviso è già pubblicato."))
        if previous is not None:
            if previous.series != self.series or previous.uid != self.previous_uid:
                raise CallNotPublished(_("La versione precedente indicata non è quella corretta."))
            previous.superseded_by_uid = self.uid
        self.published_at = when or utcnow()
        self.published_by = who
        self.touch()

    def new_version(self, reason, who, **changes):
        """A draft correction of this published call (not yet added to any folder)."""
        if not self.published:
            raise CallNotPublished(_("Una bozza si modifica direttamente, senza nuova versione."))
        if self.superseded_by_uid is not None:
            raise CallPublished(_("Questa versione è già stata sostituita da una correzione."))
        reason = (reason or "").strip()
        if not reason:
            raise CallPublished(_("Indicare il motivo della correzione."))
        unknown = [k for k in changes if k not in RULE_FIELDS + ("title", "description")]
        if unknown:
            raise CallPublished(_("Campi non modificabili: ${fields}.",
                                  mapping={"fields": ", ".join(unknown)}))
        data = {name: copy.deepcopy(getattr(self, name)) for name in RULE_FIELDS}
        data.update(copy.deepcopy(changes))
        data["description"] = changes.get("description", self.description)
        data["budgets"] = dict(self.budgets or {})
        return Call(
            title=changes.get("title", self.title), creator=who, series=self.series,
            version=self.version + 1, previous_uid=self.uid, correction_reason=reason,
            **{k: v for k, v in data.items() if k != "title"},
        )
