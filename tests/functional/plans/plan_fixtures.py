"""A complete zone plan of BA-01 for 2025–2027, made through the store as the editor saves it.

``build_plan(portal)`` fills every section with valid figures (no invariant broken);
``plan_app`` is the demo portal holding it as a draft; ``fire`` moves a version along the
workflow (``fire(app, path + "/versione-1", "submit", "take_in_charge", "approve")``).
"""
import pytest
import webtest

from portal.plans import store
from tests.conftest import login
from tests.functional.applications.conftest import run_in_app
from workflows import zone_plan as workflow
from workflows.registry import get_workflow

DISTRICT = "ba-01"
PERIOD = "2025-2027"
YEARS = ("2025", "2026", "2027")
#: per source: the same amount each year (the comunale source comes from the municipalities)
AVAILABLE = {"RES": "120.000,00", "FNPS": "350.000,00", "FNA": "260.000,00",
             "POV": "450.000,00", "FGSA": "180.000,00", "PNRR": "90.000,00", "FSE": ""}
#: BA-01's demo municipalities: Bari (316,000 inhabitants) and Modugno (37,000), €5 each a year
COFINANCING = {"072006": "1.580.000,00", "072027": "185.000,00"}
INTERVENTIONS = (
    {"code": "PSW", "title": "Servizio sociale professionale e segretariato sociale",
     "service": "PSW", "area": "MULBEN", "objective": "1A", "level": "AMBITO",
     "target": "Tutta la popolazione", "description": "Sportelli in ogni comune."},
    {"code": "SAD", "title": "Assistenza domiciliare socio-assistenziale", "service": "HOMECARE",
     "area": "ELD", "objective": "2D", "level": "AMBITO", "target": "Anziani non autosufficienti"},
    {"code": "CDM", "title": "Centri diurni per minori", "service": "DAYC", "area": "FAM",
     "objective": "3G", "level": "COMUNALE", "municipalities": ["072006"],
     "target": "Minori 6-17 anni"},
)
#: (intervention, source): the same amount each year
ALLOCATIONS = {("PSW", "FNPS"): "200.000,00", ("PSW", "COM"): "300.000,00",
               ("SAD", "FNA"): "250.000,00", ("SAD", "FGSA"): "100.000,00",
               ("CDM", "FNPS"): "100.000,00", ("CDM", "COM"): "900.000,00",
               ("CDM", "PNRR"): "50.000,00"}


def source_rows(version, available=None):
    available = AVAILABLE if available is None else available
    return [dict(s, amounts=dict.fromkeys(YEARS, available.get(s["code"], "")))
            for s in version.sources]


def cofinancing_rows(cofinancing=None):
    cofinancing = COFINANCING if cofinancing is None else cofinancing
    return [{"istat": istat, "amounts": dict.fromkeys(YEARS, amount)}
            for istat, amount in cofinancing.items()]


def allocation_rows(allocations=None):
    allocations = ALLOCATIONS if allocations is None else allocations
    return [{"intervention": i, "source": s, "year": y, "amount": amount}
            for (i, s), amount in allocations.items() for y in YEARS]


def fill(version, who="rup-ba01"):
    """Every section of ``version`` saved with the figures above (tokens ignored)."""
    store.save_sources(version, source_rows(version), sent_token=None, who=who)
    store.save_cofinancing(version, cofinancing_rows(), sent_token=None, who=who)
    store.save_interventions(version, list(INTERVENTIONS), sent_token=None, who=who)
    store.save_allocations(version, allocation_rows(), sent_token=None, who=who)
    return version


def set_aside_demo_plans(portal, registry=None):
    """The demo's plans (BA-01 approved, TA-01 sent) and the Region's plan settings go:
    the tests start from a portal whose only plan is theirs, with no minimum set."""
    for district in portal["ambiti"].values():
        folder = store.folder_of(district) if hasattr(district, "get") else None
        for name in list(folder.keys()) if folder is not None else ():
            folder.remove(name, registry=registry)
    region = portal["regione"]
    region.plan_min_cofinancing = region.plan_fnps_threshold = None


def build_plan(portal, registry=None):
    """BA-01's plan 2025–2027 with a complete first version (a draft); returns its path."""
    set_aside_demo_plans(portal, registry)
    district = portal["ambiti"][DISTRICT]
    plan = store.create_plan(district, PERIOD, who="rup-ba01", registry=registry)
    fill(store.latest(plan))
    return f"/ambiti/{DISTRICT}/piani/{PERIOD}"


def fire(app, path, *transitions, comment=""):
    """Fire ``transitions`` on the version at ``path`` as the system would (no permission
    check, no request: the submission guard is the pages' business), in one transaction."""
    def work(portal):
        version = portal
        for name in path.strip("/").split("/"):
            version = version[name]
        engine = get_workflow(app.registry, workflow.NAME)
        for transition in transitions:
            engine.fire(version, None, transition, comment, registry=app.registry)
        return version.state
    return run_in_app(app, work)


@pytest.fixture
def plan_app(wsgi_app):
    """Use for zone-plan pages: the demo portal with BA-01's complete draft plan 2025–2027."""
    wsgi_app.plan_path = run_in_app(wsgi_app, lambda portal: build_plan(portal, wsgi_app.registry))
    return wsgi_app


def client_as(app, who):
    return login(webtest.TestApp(app), who)
