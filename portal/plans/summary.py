"""The signed PDF summary of a plan version: issued once when approved, a signed draft otherwise.

An approved version is frozen, so its summary is issued once (on approval) and registered
(kind ``piano``, object the version): the QR code and /verifica name it. A version not yet
approved changes with every save: its summary is rendered and signed on request, marked
«BOZZA — non approvato», with no QR code, and never registered (a GET stores nothing and
drafts do not fill the registry with versions nobody will verify).
"""
import logging
from functools import partial

from pyramid.traversal import find_root, resource_path

from content_types.events import StateChanged
from content_types.values import format_datetime, utcnow
from content_types.zone_plan import PlanVersion
from portal.db import DOCUMENTS_KEY
from portal.documents import layouts
from portal.documents.errors import ConfigurationProblem, SigningFailed
from portal.documents.registry import lookup
from portal.documents.service import query_service
from portal.plans import store
from portal.plans.rules import budget, model
from portal.plans.rules.nomenclature import nomenclature
from workflows import zone_plan as workflow

log = logging.getLogger(__name__)

#: the document registry's kind of a plan summary
KIND = "piano"


def title_of(version):
    plan = store.plan_of(version)
    return f"Riepilogo del piano sociale di zona {plan.period} — versione {version.number}"


def _entry(table, code):
    found = table(code)
    return f"{code} — {found.title}" if found is not None else (code or "—")


def _figures(cells, code, years):
    by_year = {y: tuple(cells[code, y]) for y in years}
    period = sum((cells[code, y] for y in years), budget.Figure())
    return {"years": by_year, "period": tuple(period)}


def _total(cells, sources, years):
    by_year = {y: tuple(sum((cells[s.code, y] for s in sources), budget.Figure()))
               for y in years}
    period = sum((cells[s.code, y] for s in sources for y in years), budget.Figure())
    return {"years": by_year, "period": tuple(period)}


def _text(message):
    return message.interpolate() if hasattr(message, "interpolate") else str(message)


def summary_data(version):
    """What ``layouts.zone_plan_summary`` prints of ``version``, every figure from the rules."""
    plan = store.as_plan(version)
    cells = budget.by_source_year(plan)
    years = plan.years
    ordinary = [s for s in plan.sources if s.ordinary]
    other = [s for s in plan.sources if not s.ordinary]
    table = nomenclature()
    district = store.district_of(version)
    draft = version.state != workflow.APPROVED
    fields = [
        ("Ambito", f"{district.code} — {district.title}" if district is not None else ""),
        ("Periodo", store.plan_of(version).period.replace("-", "–")),
        ("Versione", str(version.number)),
        ("Stato", workflow.WORKFLOW.state_title(version.state)),
        ("Inviato alla Regione il", format_datetime(version.submitted_at)),
        ("Approvato il", format_datetime(version.approved_at)),
        ("Ultima modifica", format_datetime(version.modified)),
    ]
    return {
        "fields": fields, "draft": draft, "years": years,
        "ordinary_sources": [{"title": f"{s.code} — {s.title}", **_figures(cells, s.code, years)}
                             for s in ordinary],
        "ordinary_total": _total(cells, ordinary, years),
        "other_sources": [{"title": f"{s.code} — {s.title}", **_figures(cells, s.code, years)}
                          for s in other],
        "other_total": _total(cells, other, years),
        "interventions": [{
            "code": i.code, "title": i.title, "service": _entry(table.service, i.service),
            "area": _entry(table.area, i.area), "objective": _entry(table.objective, i.objective),
            "level": _text(model.LEVEL_TITLES.get(i.level, i.level)),
            "ordinary": budget.intervention_total(plan, i.code, ordinary_only=True),
            "other": (budget.intervention_total(plan, i.code)
                      - budget.intervention_total(plan, i.code, ordinary_only=True)),
        } for i in plan.interventions],
        "allocations": allocation_rows(plan),
        "problems": [_text(p.message) for p in budget.problems(plan)] if draft else [],
    }


def allocation_rows(plan):
    """One row per intervention and source with an allocation, in the plan's order."""
    rows = []
    for intervention in plan.interventions:
        for source in plan.sources:
            amounts = {y: plan.allocations[intervention.code, source.code, y]
                       for y in plan.years
                       if (intervention.code, source.code, y) in plan.allocations}
            if amounts:
                rows.append({"intervention": intervention.code, "source": source.code,
                             "years": amounts, "period": sum(amounts.values())})
    return rows


def _subject(version):
    district = store.district_of(version)
    return layouts.district_name(district.title) if district is not None else ""


def documents_of(version):
    """The registry of issued documents beside the tree (None outside a database)."""
    jar = getattr(find_root(version), "_p_jar", None)
    return jar.root().get(DOCUMENTS_KEY) if jar is not None else None


def issue(version, service, documents):
    """Issue, sign and register the approved version's summary (its id kept on the version)."""
    record = service.issue(
        documents, layouts.zone_plan_summary, summary_data(version), kind=KIND,
        title=title_of(version), object_uid=version.uid, object_path=resource_path(version),
        date=version.approved_at, subject=_subject(version))
    version.summary_uid = record.doc_id
    return record


def approved_document(version, service, documents):
    """The registered summary of an approved version, issued now if it has none (older data)."""
    if version.summary_uid and version.summary_uid in documents:
        return lookup(documents, version.summary_uid)
    return issue(version, service, documents)


def draft_pdf(version, service):
    """A signed summary of a version not approved: marked as a draft, not registered."""
    header = service.header(f"{title_of(version)} — {layouts.DRAFT_MARK}", date=utcnow(),
                            subject=_subject(version))
    return service.signer.sign(layouts.zone_plan_summary(header, summary_data(version))).data


def file_name(version, draft=False):
    plan = store.plan_of(version)
    code = (plan.district_code or "ambito").lower()
    suffix = "-bozza" if draft else ""
    return f"piano-{code}-{plan.period}-v{version.number}{suffix}.pdf"


def approved(event, registry):
    """On approval, issue the summary once (without a signer or registry, the first download does)."""
    version = event.object
    if (event.workflow != workflow.NAME or event.transition != workflow.APPROVE
            or not isinstance(version, PlanVersion) or version.summary_uid):
        return
    service = query_service(registry)
    documents = documents_of(version)
    if service is None or documents is None:
        log.info("summary of %s not issued: no document service or registry",
                 resource_path(version))
        return
    if version.approved_at is None:
        version.approved_at = utcnow()
    try:
        issue(version, service, documents)
    except (ConfigurationProblem, SigningFailed) as exc:
        # the Region's approval stands; the first download issues the summary
        log.warning("summary of %s not issued on approval: %s", resource_path(version), exc)


def includeme(config):
    config.add_subscriber(partial(approved, registry=config.registry), StateChanged)
