"""The zone plans in the tree: creating a plan and its versions, reading a version as a
``rules.model.Plan``, saving one section at a time with its conflict token.

Transaction-aware, never request-aware: views pass who acts and the registry.
"""
import re
from decimal import Decimal

from content_types.district import District, Municipality
from content_types.values import utcnow
from content_types.zone_plan import (
    ARCHIVE_NAME,
    FOLDER_NAME,
    VERSION_PREFIX,
    ArchiveFolder,
    PlanArchive,
    PlanFolder,
    PlanVersion,
    ZonePlan,
)
from portal.i18n import _
from portal.plans.rules import budget, model, sections
from portal.plans.rules.errors import (
    InvalidPeriod,
    PlanExists,
    PlanFrozen,
    PlanNotEditable,
    SectionConflict,
    VersionOpen,
)
from workflows import zone_plan as workflow

PERIOD = re.compile(r"^(\d{4})-(\d{4})$")
#: a plan covers three years (Puglia's zone plans are three-year plans)
PLAN_YEARS = 3
#: the sources a new plan starts with [A]; the ATS adds, renames or removes the others
DEFAULT_SOURCES = (
    {"code": "RES", "title": "Residui di precedenti piani di zona", "kind": model.RESIDUO,
     "fund": ""},
    {"code": "FNPS", "title": "Fondo nazionale per le politiche sociali", "kind": model.STATALE,
     "fund": "FNPS"},
    {"code": "FNA", "title": "Fondo per le non autosufficienze", "kind": model.STATALE,
     "fund": "FNA"},
    {"code": "POV", "title": "Fondo povertà (quota servizi)", "kind": model.STATALE,
     "fund": "POV"},
    {"code": "FGSA", "title": "Fondo globale socio-assistenziale", "kind": model.REGIONALE,
     "fund": "FGSA"},
    {"code": "COM", "title": "Cofinanziamento comunale", "kind": model.COMUNALE, "fund": "COM"},
    {"code": "PNRR", "title": "PNRR e programmi europei", "kind": model.ALTRE, "fund": "ALT"},
    {"code": "FSE", "title": "Buoni servizio PR Puglia FESR-FSE+", "kind": model.ALTRE,
     "fund": "FSE"},
)
#: the archive's folders of a new plan: (name, title, official documents?)
ARCHIVE_FOLDERS = (
    ("delibere", "Delibere e atti di approvazione", True),
    ("verbali", "Verbali del coordinamento istituzionale e dei tavoli", True),
    ("piano-firmato", "Piano sottoscritto", True),
    ("regione", "Documenti della Regione", True),
    ("lavoro", "Materiale di lavoro", False),
)
EDITABLE_STATES = (workflow.DRAFT, workflow.RETURNED)


# -- lookups -----------------------------------------------------------------------------
def folder_of(district, registry=None, create=False):
    """``<ats>/piani`` (created on first use when ``create``)."""
    folder = district.get(FOLDER_NAME)
    if folder is None and create:
        folder = PlanFolder(title="Piani sociali di zona", creator="sistema")
        district.add(FOLDER_NAME, folder, registry=registry)
    return folder


def plans_of(district):
    """The ATS's plans, the latest period first."""
    folder = folder_of(district)
    if folder is None:
        return []
    return sorted((p for p in folder.values() if isinstance(p, ZonePlan)),
                  key=lambda p: p.start_year, reverse=True)


def versions_of(plan):
    """The versions of ``plan``, the first first."""
    return sorted((v for v in plan.values() if isinstance(v, PlanVersion)),
                  key=lambda v: v.number)


def latest(plan):
    found = versions_of(plan)
    return found[-1] if found else None


def approved(plan):
    """The latest approved version (None before the first approval): what is executed."""
    found = [v for v in versions_of(plan) if v.state == workflow.APPROVED]
    return found[-1] if found else None


def version(plan, number):
    return plan.get(f"{VERSION_PREFIX}{number}")


def plan_of(version_obj):
    return version_obj.__parent__


def district_of(obj):
    node = obj
    while node is not None and not isinstance(node, District):
        node = getattr(node, "__parent__", None)
    return node


def municipalities_of(district):
    return tuple(model.Municipality(m.istat_code, m.title, m.inhabitants or 0)
                 for m in district.values() if isinstance(m, Municipality))


def region_of(obj):
    node = obj
    while getattr(node, "__parent__", None) is not None:
        node = node.__parent__
    return node.get("regione") if hasattr(node, "get") else None


def settings_of(obj):
    """The Region's settings for the plans: (minimum co-financing €/inhabitant/year, FNPS
    commitment threshold %), each None when not set."""
    region = region_of(obj)
    return (getattr(region, "plan_min_cofinancing", None),
            getattr(region, "plan_fnps_threshold", None))


def as_plan(version_obj):
    """The version as the rules read it, with its ATS's municipalities and the Region's minimum."""
    district = district_of(version_obj)
    minimum, _threshold = settings_of(version_obj)
    return model.from_dicts(
        version_obj.years, version_obj.sources, version_obj.availability,
        version_obj.cofinancing, version_obj.interventions, version_obj.allocations,
        municipalities_of(district) if district is not None else (), minimum)


def problems_of(version_obj):
    return budget.problems(as_plan(version_obj))


# -- creating ----------------------------------------------------------------------------
def parse_period(text):
    """(start, end) from «2025-2027»: three consecutive years."""
    match = PERIOD.match((text or "").strip())
    if not match:
        raise InvalidPeriod(fields={"periodo": "non valido"})
    start, end = int(match.group(1)), int(match.group(2))
    if end - start != PLAN_YEARS - 1 or not 2000 <= start <= 2100:
        raise InvalidPeriod(fields={"periodo": "non valido"})
    return start, end


def create_plan(district, period, *, who, registry=None):
    """A new plan for ``period`` with its first (draft) version and its archive."""
    start, end = parse_period(period)
    folder = folder_of(district, registry, create=True)
    name = f"{start}-{end}"
    if name in folder:
        raise PlanExists(fields={"periodo": name})
    plan = ZonePlan(title=f"Piano sociale di zona {start}–{end} — {district.title}",
                    creator=who, start_year=start, end_year=end, district_code=district.code)
    folder.add(name, plan, registry=registry)
    archive = PlanArchive(title="Archivio documentale", creator=who)
    plan.add(ARCHIVE_NAME, archive, registry=registry)
    for folder_name, title, official in ARCHIVE_FOLDERS:
        archive.add(folder_name, ArchiveFolder(title=title, creator=who, official=official),
                    registry=registry)
    _add_version(plan, 1, who=who, registry=registry, sources=DEFAULT_SOURCES)
    return plan


def _add_version(plan, number, *, who, registry, **data):
    created = PlanVersion(
        title=f"{plan.title} — versione {number}", creator=who, number=number,
        years=plan.years, **data)
    plan.add(f"{VERSION_PREFIX}{number}", created, registry=registry)
    return created


def new_version(plan, *, who, registry=None):
    """A revision: a draft copy of the latest version, which must be approved."""
    last = latest(plan)
    if last is not None and last.state != workflow.APPROVED:
        raise VersionOpen(fields={"versione": last.number})
    copied = {} if last is None else {
        "sources": last.sources, "availability": dict(last.availability),
        "cofinancing": dict(last.cofinancing), "interventions": last.interventions,
        "allocations": dict(last.allocations), "transfers": dict(last.transfers),
        "based_on": last.number}
    return _add_version(plan, (last.number if last else 0) + 1, who=who, registry=registry,
                        **copied)


# -- editing -----------------------------------------------------------------------------
def check_editable(version_obj):
    """Raise unless the version is a draft or returned (approved plans are frozen)."""
    if version_obj.state == workflow.APPROVED:
        raise PlanFrozen(fields={"versione": version_obj.number})
    if version_obj.state not in EDITABLE_STATES:
        raise PlanNotEditable(fields={"versione": version_obj.number})


def token(version_obj, section):
    """The conflict token of a section: the number of its saves, as text."""
    return str(version_obj.section_versions.get(section, 0))


def _check_token(version_obj, section, sent):
    if sent is not None and str(sent) != token(version_obj, section):
        raise SectionConflict(fields={"sezione": section})


def _saved(version_obj, section, who):
    counts = dict(version_obj.section_versions)
    counts[section] = counts.get(section, 0) + 1
    version_obj.section_versions = counts
    version_obj.last_saved = {"section": section, "who": who, "when": utcnow()}
    version_obj.touch()


def save_sources(version_obj, rows, *, sent_token, who):
    check_editable(version_obj)
    _check_token(version_obj, model.FONTI, sent_token)
    sources, availability = sections.read_sources(rows, version_obj.years,
                                                  version_obj.transfers)
    removed = {s["code"] for s in version_obj.sources} - {s["code"] for s in sources}
    version_obj.sources = sources
    version_obj.availability = availability
    if removed:  # allocations from a removed source go with it
        version_obj.allocations = {k: v for k, v in version_obj.allocations.items()
                                   if k[1] not in removed}
    _saved(version_obj, model.FONTI, who)


def save_cofinancing(version_obj, rows, *, sent_token, who):
    check_editable(version_obj)
    _check_token(version_obj, model.COFINANZIAMENTO, sent_token)
    district = district_of(version_obj)
    version_obj.cofinancing = sections.read_cofinancing(rows, version_obj.years,
                                                        municipalities_of(district))
    _saved(version_obj, model.COFINANZIAMENTO, who)


def save_interventions(version_obj, rows, *, sent_token, who):
    check_editable(version_obj)
    _check_token(version_obj, model.INTERVENTI, sent_token)
    district = district_of(version_obj)
    interventions = sections.read_interventions(rows, municipalities_of(district))
    removed = {i["code"] for i in version_obj.interventions} - {i["code"] for i in interventions}
    version_obj.interventions = interventions
    if removed:
        version_obj.allocations = {k: v for k, v in version_obj.allocations.items()
                                   if k[0] not in removed}
    _saved(version_obj, model.INTERVENTI, who)


def save_allocations(version_obj, rows, *, sent_token, who):
    check_editable(version_obj)
    _check_token(version_obj, model.ALLOCAZIONI, sent_token)
    version_obj.allocations = sections.read_allocations(
        rows, version_obj.years, version_obj.interventions, version_obj.sources)
    _saved(version_obj, model.ALLOCAZIONI, who)


SAVERS = {
    model.FONTI: save_sources,
    model.COFINANZIAMENTO: save_cofinancing,
    model.INTERVENTI: save_interventions,
    model.ALLOCAZIONI: save_allocations,
}


# -- the Region --------------------------------------------------------------------------
def set_transfers(version_obj, amounts, *, who):
    """The Region's pre-filled national and regional transfers ({(source, year): Decimal}).

    They replace what the version had for those sources and stand against the ATS's edits.
    """
    check_editable(version_obj)
    codes = {s["code"]: s for s in version_obj.sources}
    transfers = {k: Decimal(v) for k, v in amounts.items() if k[0] in codes}
    version_obj.transfers = {**version_obj.transfers, **transfers}
    version_obj.availability = {**version_obj.availability, **transfers}
    _saved(version_obj, model.FONTI, who)
    return transfers


def set_section_notes(version_obj, notes):
    """The Region's notes per section when it returns the plan (empty notes dropped)."""
    kept = {s: (notes.get(s) or "").strip()[:sections.MAX_LONG_TEXT] for s in model.SECTIONS}
    version_obj.section_notes = {s: n for s, n in kept.items() if n}
    return version_obj.section_notes


def record_review(version_obj, *, who, comment):
    version_obj.reviews = (*version_obj.reviews, {
        "when": utcnow(), "who": who, "comment": comment,
        "notes": dict(version_obj.section_notes)})


def submission_message(found):
    """The guard's reason for a refused submission: how many problems, and the first."""
    if len(found) == 1:
        return _("Il piano ha un problema da correggere prima dell'invio: ${first}",
                 mapping={"first": found[0].message})
    return _("Il piano ha ${count} problemi da correggere prima dell'invio; il primo: "
             "${first}", mapping={"count": len(found), "first": found[0].message})
