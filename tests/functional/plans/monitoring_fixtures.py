"""Set-up of the monitoring tests: BA-01's plan approved with the §6 example's FNPS cells, an
officer of TA-01, the ledger's vouchers of the demo call, the Region's threshold.

``monitored_app`` is ``plan_app`` with the plan's FNPS allocations reshaped as domain.md §6
(PSW 450k, CDM 400k over three years: 850k) and version 1 approved.
"""
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from content_types.events import LocalRolesChanged
from content_types.security import ATS_OFFICER, set_local_roles
from content_types.users import User
from portal.demo import demo_password
from portal.payments.ledger import Ledger, ledger_of
from portal.plans import store
from tests.functional.applications.conftest import run_in_app
from tests.functional.plans.plan_fixtures import (
    ALLOCATIONS,
    DISTRICT,
    INTERVENTIONS,
    YEARS,
    fire,
    source_rows,
)

OTHER_ATS_OFFICER = "rup-ta01"
#: the §6 example's FNPS allocations split over 2025–2027 (no year above FNPS's 350k)
FNPS_CELLS = {("PSW", "2025"): "150.000,00", ("PSW", "2026"): "150.000,00",
              ("PSW", "2027"): "150.000,00", ("CDM", "2025"): "150.000,00",
              ("CDM", "2026"): "150.000,00", ("CDM", "2027"): "100.000,00"}
#: the voucher intervention: FSE money paying the demo call's vouchers
VOUCHERS = {"code": "BUO", "title": "Buoni servizio per minori", "service": "DAYC",
            "area": "FAM", "objective": "3G", "level": "AMBITO", "target": "Minori 3-17 anni"}
VOUCHER_ALLOCATION = "40.000,00"
CALL_PATH = ("regione", "avvisi", "buoni-minori-2026")
WHEN = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def demo_series(portal):
    obj = portal
    for name in CALL_PATH:
        obj = obj[name]
    return obj.series


def reshape(portal, path):
    """The fixture's draft with the §6 FNPS cells and a voucher intervention on the demo call."""
    plan = _walk(portal, path)
    version = store.latest(plan)
    series = demo_series(portal)
    available = {"RES": "120.000,00", "FNPS": "350.000,00", "FNA": "260.000,00",
                 "POV": "450.000,00", "FGSA": "180.000,00", "PNRR": "90.000,00",
                 "FSE": "50.000,00"}
    store.save_sources(version, source_rows(version, available), sent_token=None, who="test")
    store.save_interventions(version, [*INTERVENTIONS, {**VOUCHERS, "voucher_series": [series]}],
                             sent_token=None, who="test")
    rows = [{"intervention": i, "source": s, "year": y, "amount": amount}
            for (i, s), amount in ALLOCATIONS.items() if s != "FNPS" for y in YEARS]
    rows += [{"intervention": i, "source": "FNPS", "year": y, "amount": amount}
             for (i, y), amount in FNPS_CELLS.items()]
    rows += [{"intervention": "BUO", "source": "FSE", "year": y, "amount": VOUCHER_ALLOCATION}
             for y in YEARS]
    store.save_allocations(version, rows, sent_token=None, who="test")
    assert store.problems_of(version) == []
    return series


def _walk(portal, path):
    obj = portal
    for name in path.strip("/").split("/"):
        obj = obj[name]
    return obj


def add_other_ats_officer(app):
    """An officer of TA-01 (password as the demo's)."""
    def work(portal):
        user = User(title=OTHER_ATS_OFFICER, email=f"{OTHER_ATS_OFFICER}@example.it", roles=(),
                    creator="admin")
        user.set_password(demo_password(OTHER_ATS_OFFICER))
        portal["utenti"].add(OTHER_ATS_OFFICER, user, registry=app.registry)
        district = portal["ambiti"]["ta-01"]
        set_local_roles(district, "user:" + OTHER_ATS_OFFICER, {ATS_OFFICER})
        app.registry.notify(LocalRolesChanged(district))
    run_in_app(app, work)


def pay_vouchers(app, committed, paid):
    """One voucher of the demo call committed and paid on FSE."""
    def work(portal):
        ledger = ledger_of(portal["ambiti"][DISTRICT])
        series = demo_series(portal)
        ledger.set_budget(series, "FSE", "100000.00", who="test", when=WHEN)
        ledger.commit(series, "uid-a", "BA01-2026-000001", committed, who="test", when=WHEN,
                      funds=("FSE",))
        ledger.pay("uid-a", paid, who="test", when=WHEN, reference="LIQ-BA01-1")
    run_in_app(app, work)


def set_threshold(app, threshold):
    def work(portal):
        portal["regione"].plan_fnps_threshold = (
            None if threshold is None else Decimal(threshold))
    run_in_app(app, work)


def movements_of(app, path):
    return run_in_app(app, lambda portal: tuple(_walk(portal, path).movements))


@pytest.fixture
def monitored_app(plan_app):
    """Use for the monitoring pages: BA-01's plan approved with the §6 FNPS cells (850k)."""
    path = plan_app.plan_path

    def work(portal):
        portal["ambiti"][DISTRICT].ledger = Ledger()  # the demo's own vouchers set aside
        reshape(portal, path)
    run_in_app(plan_app, work)
    fire(plan_app, path + "/versione-1", "submit", "take_in_charge", "approve")
    add_other_ats_officer(plan_app)
    return plan_app
