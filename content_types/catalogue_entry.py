"""A catalogue entry: what a family can choose, with its tariff history and free places.

Three persistent pieces beside the plain fields:

- ``tariffs``: an ``OOBTree`` effective date -> ``TariffRecord``; ``tariff_at(day)``
  answers with the record in force that day, so past attestations keep their tariff.
- ``places``: a ``PlacesCounter`` (its own small persistent object) that resolves
  concurrent takes without ever going over capacity; see its docstring.
- ``pending_revision``: a change of tariff or places proposed for a published entry;
  the published values stay in force until the Region approves it.
"""
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

import colander
import deform.widget
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from ZODB.POSException import ConflictError

from content_types.base import Content, ensure_attr
from content_types.errors import ContentError
from content_types.i18n import _
from content_types.registry import content_type
from content_types.schemas import BaseSchema
from content_types.values import ROME, cents, format_date, rome_today, utcnow

MAX_TARIFF = Decimal(10000)

#: user areas (ISTAT codes, domain §9)
USER_AREAS = {
    "FAM": "Famiglia e minori",
    "DIS": "Disabili",
    "ELD": "Anziani",
    "POV": "Povertà, disagio adulti e senza dimora",
    "MULBEN": "Multiutenza",
}


class ServiceType(NamedTuple):
    code: str
    title: str
    user_area: str
    #: code in the nomenclature / ISTAT survey [A: confirm against the regional table]
    nomenclature_code: str


SERVICE_TYPES = (
    ServiceType("asilo-nido", "Asilo nido", "FAM", "LA1.1"),
    ServiceType("micro-nido", "Micro-nido", "FAM", "LA1.2"),
    ServiceType("sezione-primavera", "Sezione primavera", "FAM", "LA1.3"),
    ServiceType("centro-diurno-minori", "Centro socio-educativo diurno per minori", "FAM",
                "DAYC"),
    ServiceType("ludoteca", "Ludoteca", "FAM", "LA2.1"),
    ServiceType("centro-diurno-disabili", "Centro diurno per persone con disabilità", "DIS",
                "DAYC"),
    ServiceType("centro-diurno-anziani", "Centro diurno per anziani", "ELD", "DAYC"),
    ServiceType("assistenza-domiciliare", "Assistenza domiciliare socio-assistenziale (SAD)",
                "ELD", "HOMECARE"),
    ServiceType("adi", "Assistenza domiciliare integrata (ADI)", "ELD", "HOMEHEALTH"),
)
SERVICE_TYPES_BY_CODE = {s.code: s for s in SERVICE_TYPES}


# -- errors ---------------------------------------------------------------------------
class CatalogueError(ContentError):
    code = "catalogue_error"


class NoPlacesLeft(CatalogueError):
    code = "no_places_left"
    http_status = 409


class NoPlaceTaken(CatalogueError):
    code = "no_place_taken"
    http_status = 409


class TariffNotFound(CatalogueError):
    code = "tariff_not_found"
    http_status = 422


class RevisionError(CatalogueError):
    code = "revision_error"
    http_status = 409


# -- money ----------------------------------------------------------------------------
def money(value):
    """A Decimal rounded half-up to cents (None stays None)."""
    if value is None:
        return None
    return cents(value)


class EuroAmount(colander.Decimal):
    """colander Decimal to cents that also accepts the Italian comma («450,50»)."""

    def __init__(self):
        super().__init__(quant="0.01", rounding=ROUND_HALF_UP)

    def deserialize(self, node, cstruct):
        if isinstance(cstruct, str):
            cstruct = cstruct.strip().replace("€", "").strip()
            if "," in cstruct:
                cstruct = cstruct.replace(".", "").replace(",", ".")
        return super().deserialize(node, cstruct)


def tariff_range(node, value):
    if value <= 0:
        raise colander.Invalid(node, "La tariffa deve essere maggiore di zero.")
    if value > MAX_TARIFF:
        raise colander.Invalid(
            node, "La tariffa supera 10.000 € al mese: controllare l'importo.")


# -- the places counter -----------------------------------------------------------------
class PlacesCounter(Persistent):
    """Places offered and taken, kept right under concurrent matching.

    It is a separate small persistent object so that taking a place never
    rewrites the entry. Two transactions that each take a place from the same
    snapshot conflict on this object; ``_p_resolveConflict`` merges them by
    adding both changes of ``taken`` to the committed state, and refuses (raises
    ``ConflictError``, so the request is retried from scratch) whenever the merge
    would leave more places taken than offered. A retried request then sees the
    committed count and gets ``NoPlacesLeft``: the last place is never taken twice,
    while takes of different free places both succeed without a retry.
    A concurrent change of ``capacity`` on both sides is never merged.
    """

    capacity = 0
    taken = 0

    def __init__(self, capacity=0):
        self.capacity = int(capacity)
        self.taken = 0

    @property
    def free(self):
        return max(0, self.capacity - self.taken)

    def take(self):
        if self.taken >= self.capacity:
            raise NoPlacesLeft(_("Non ci sono più posti disponibili per questo servizio."))
        self.taken += 1
        return self.free

    def release(self):
        if self.taken <= 0:
            raise NoPlaceTaken(_("Nessun posto occupato da liberare."))
        self.taken -= 1
        return self.free

    def set_capacity(self, capacity):
        capacity = int(capacity)
        if capacity < 0:
            raise CatalogueError(_("Il numero di posti non può essere negativo."))
        self.capacity = capacity

    def _p_resolveConflict(self, old, committed, new):
        old_cap = old.get("capacity", 0)
        com_cap = committed.get("capacity", 0)
        new_cap = new.get("capacity", 0)
        if old_cap not in (com_cap, new_cap) and com_cap != new_cap:
            raise ConflictError("concurrent capacity changes")
        capacity = new_cap if new_cap != old_cap else com_cap
        old_taken = old.get("taken", 0)
        taken = committed.get("taken", 0) + (new.get("taken", 0) - old_taken)
        if taken < 0 or (taken > capacity and taken > old_taken):
            raise ConflictError("places counter would overbook")
        resolved = dict(committed)
        resolved["capacity"] = capacity
        resolved["taken"] = taken
        return resolved


# -- tariffs ----------------------------------------------------------------------------
class TariffRecord(NamedTuple):
    """Monthly tariffs in force from ``effective``; ``part_time`` None if not offered."""

    effective: date
    full_time: Decimal
    part_time: Decimal
    approved_by: str
    approved_at: datetime


def as_day(value):
    """A date from a date or an aware datetime (read in Rome time)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(ROME).date()
    if isinstance(value, date):
        return value
    raise TypeError(f"date expected, got {type(value).__name__}")


# -- schema -------------------------------------------------------------------------------
def _age_months(title):
    return colander.SchemaNode(
        colander.Integer(), title=title,
        validator=colander.Range(min=0, max=1440, min_err="L'età non può essere negativa.",
                                 max_err="Al massimo 1440 mesi (120 anni)."),
    )


class CatalogueEntrySchema(BaseSchema):
    service_type = colander.SchemaNode(
        colander.String(), title="Tipo di servizio",
        widget=deform.widget.SelectWidget(
            values=(("", "— scegliere —"), *((s.code, s.title) for s in SERVICE_TYPES))),
        validator=colander.OneOf([s.code for s in SERVICE_TYPES]),
    )
    age_min_months = _age_months("Età minima (mesi)")
    age_max_months = _age_months("Età massima (mesi)")
    tariff_full = colander.SchemaNode(
        EuroAmount(), title="Tariffa mensile tempo pieno (€)", validator=tariff_range,
    )
    tariff_part = colander.SchemaNode(
        EuroAmount(), title="Tariffa mensile tempo parziale (€)", missing=None,
        description="Lasciare vuoto se il tempo parziale non è offerto",
        validator=tariff_range,
    )
    places_offered = colander.SchemaNode(
        colander.Integer(), title="Posti offerti nel periodo",
        validator=colander.Range(min=0, max=10_000, min_err="I posti non possono essere negativi.",
                                 max_err="Al massimo 10.000 posti."),
    )
    period_start = colander.SchemaNode(colander.Date(), title="Inizio del periodo", missing=None)
    period_end = colander.SchemaNode(colander.Date(), title="Fine del periodo", missing=None)

    def validator(self, node, appstruct):
        errors = {}
        low, high = appstruct.get("age_min_months"), appstruct.get("age_max_months")
        if low is not None and high is not None and low > high:
            errors["age_max_months"] = "L'età massima non può essere inferiore alla minima."
        start, end = appstruct.get("period_start"), appstruct.get("period_end")
        if start is not None and end is not None and end < start:
            errors["period_end"] = "La fine del periodo precede l'inizio."
        if errors:
            exc = colander.Invalid(node, "Controllare i campi evidenziati.")
            for name, message in errors.items():
                exc[name] = message
            raise exc


def age_text(months):
    if months is None:
        return ""
    if months < 36 and months % 12:
        return f"{months} mesi"
    years = months // 12
    return "1 anno" if years == 1 else f"{years} anni"


# -- the content type --------------------------------------------------------------------
@content_type(
    "CatalogueEntry", title="Voce del catalogo", title_plural="Voci del catalogo",
    schema=CatalogueEntrySchema, addable_to=("ServiceUnit",), workflow="catalogue_entry",
    catalog_attributes=("title", "description", "service_title", "unit_title",
                        "provider_title", "municipality"),
)
class CatalogueEntry(Content):
    """One offer of one unit; money is Decimal, places and tariffs are conflict-safe."""

    type_name = "CatalogueEntry"
    description = ""
    service_type = ""
    age_min_months = 0
    age_max_months = 0
    tariff_full = None
    tariff_part = None
    period_start = None
    period_end = None
    tariffs = None
    places = None
    pending_revision = None
    #: decided revisions, oldest first (tuple of dicts, reassigned)
    revision_history = ()

    def __init__(self, title="", creator=None, **data):
        self.tariffs = OOBTree()
        self.places = PlacesCounter(0)
        super().__init__(title=title, creator=creator, **data)

    # -- schema data ----------------------------------------------------------
    @property
    def places_offered(self):
        return self.places.capacity if self.places is not None else 0

    def get_data(self, names):
        return {name: getattr(self, name, None) for name in names}

    def set_data(self, data):
        data = dict(data)
        if "places_offered" in data:
            self._counter().set_capacity(data.pop("places_offered"))
        for key in ("tariff_full", "tariff_part"):
            if key in data:
                data[key] = money(data[key])
        super().set_data(data)

    def _counter(self):
        if self.places is None:
            self.places = PlacesCounter(0)
        return self.places

    # -- derived, for pages and the catalog -----------------------------------
    @property
    def service(self):
        return SERVICE_TYPES_BY_CODE.get(self.service_type)

    @property
    def service_title(self):
        return self.service.title if self.service else ""

    @property
    def user_area(self):
        return self.service.user_area if self.service else ""

    @property
    def nomenclature_code(self):
        return self.service.nomenclature_code if self.service else ""

    @property
    def unit(self):
        parent = self.__parent__
        return parent if getattr(parent, "type_name", None) == "ServiceUnit" else None

    @property
    def provider(self):
        unit = self.unit
        return unit.__parent__ if unit is not None else None

    @property
    def unit_title(self):
        return self.unit.title if self.unit is not None else ""

    @property
    def provider_title(self):
        return self.provider.title if self.provider is not None else ""

    @property
    def municipality(self):
        """Name of the unit's municipality (indexed by the catalog as ``municipality``)."""
        return self.unit.municipality if self.unit is not None else None

    @property
    def district(self):
        """ATS code of the unit (for a catalog that honours a ``district`` attribute)."""
        return (self.unit.ats_code or None) if self.unit is not None else None

    @property
    def age_range_text(self):
        return f"da {age_text(self.age_min_months)} a {age_text(self.age_max_months)}"

    # -- places ------------------------------------------------------------------
    @property
    def free_places(self):
        return self.places.free if self.places is not None else 0

    @property
    def places_taken(self):
        return self.places.taken if self.places is not None else 0

    def take_place(self):
        """Take one place (an application matched here); ``NoPlacesLeft`` when full."""
        return self._counter().take()

    def release_place(self):
        """Give one place back (a match cancelled)."""
        return self._counter().release()

    # -- tariffs -------------------------------------------------------------------
    def _tariffs(self):
        return ensure_attr(self, "tariffs", OOBTree)

    def record_tariff(self, effective, full_time, part_time=None, who=None, when=None):
        """Put tariffs in force from ``effective`` on (replacing a record of that same day)."""
        effective = as_day(effective)
        record = TariffRecord(effective, money(full_time), money(part_time), who or "",
                              when or utcnow())
        self._tariffs()[effective] = record
        return record

    def tariff_history(self):
        """Every ``TariffRecord``, oldest first."""
        return list(self.tariffs.values()) if self.tariffs is not None else []

    def tariff_record_at(self, day):
        day = as_day(day)
        try:
            key = self._tariffs().maxKey(day)
        except ValueError:
            raise TariffNotFound(
                _("Nessuna tariffa in vigore il ${day} per questo servizio.",
                  mapping={"day": format_date(day)})) from None
        return self.tariffs[key]

    def tariff_at(self, day, full_time=True):
        """The monthly tariff in force on ``day`` (date or aware datetime), a Decimal."""
        record = self.tariff_record_at(day)
        value = record.full_time if full_time else record.part_time
        if value is None:
            raise TariffNotFound(
                _("Il tempo parziale non era offerto in quella data per questo servizio."))
        return value

    def publish_tariff(self, day=None, who=None):
        """On publication: the current tariffs enter the history unless already in force."""
        day = as_day(day) if day is not None else rome_today()
        history = self.tariff_history()
        if history:
            last = history[-1]
            if (last.full_time, last.part_time) == (money(self.tariff_full),
                                                    money(self.tariff_part)):
                return last
            day = max(day, last.effective)
        return self.record_tariff(day, self.tariff_full, self.tariff_part, who)

    # -- revisions of a published entry ----------------------------------------------
    def propose_revision(self, tariff_full, tariff_part, places_offered, effective_from,
                         who, reason=""):
        """Store a change of tariffs or places; the published values stay in force."""
        if self.pending_revision is not None:
            raise RevisionError(_("C'è già una modifica in attesa di approvazione."))
        if (money(tariff_full), money(tariff_part), int(places_offered)) == (
                money(self.tariff_full), money(self.tariff_part), self.places_offered):
            raise RevisionError(_("La modifica proposta non cambia né le tariffe né i posti."))
        self.pending_revision = {
            "tariff_full": money(tariff_full), "tariff_part": money(tariff_part),
            "places_offered": int(places_offered), "effective_from": as_day(effective_from),
            "proposed_by": who or "", "proposed_at": utcnow(), "reason": reason or "",
        }
        return self.pending_revision

    def approve_revision(self, who, today=None):
        """Apply the pending revision from ``max(effective_from, today)``: never retroactive."""
        revision = self._pending()
        today = as_day(today) if today is not None else rome_today()
        effective = max(revision["effective_from"], today)
        history = self.tariff_history()
        if history:
            effective = max(effective, history[-1].effective)
        self.record_tariff(effective, revision["tariff_full"], revision["tariff_part"], who)
        self.tariff_full = revision["tariff_full"]
        self.tariff_part = revision["tariff_part"]
        self._counter().set_capacity(revision["places_offered"])
        return self._close_revision(revision, "approvata", who, "", effective)

    def reject_revision(self, who, reason):
        revision = self._pending()
        if not (reason or "").strip():
            raise RevisionError(_("Indicare il motivo del rinvio della modifica."))
        return self._close_revision(revision, "respinta", who, reason.strip(), None)

    def _pending(self):
        if self.pending_revision is None:
            raise RevisionError(_("Nessuna modifica in attesa di approvazione."))
        return self.pending_revision

    def _close_revision(self, revision, outcome, who, reason, effective):
        decided = dict(revision, outcome=outcome, decided_by=who or "",
                       decided_at=utcnow(), decision_reason=reason, effective=effective)
        self.revision_history = tuple(self.revision_history) + (decided,)
        self.pending_revision = None
        self.modified = utcnow()
        return decided

