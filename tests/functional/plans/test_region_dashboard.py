"""The Region's dashboard of the zone plans: BA-01's figures from the shared fixture plan."""
from decimal import Decimal

from content_types.values import euro
from portal.plans import dashboard, execution
from portal.plans.rules import model
from tests.functional.applications.conftest import run_in_app
from tests.functional.plans.plan_fixtures import (
    ALLOCATIONS,
    AVAILABLE,
    COFINANCING,
    INTERVENTIONS,
    YEARS,
    client_as,
    fire,
)

DASHBOARD = "/regione/@@piani-cruscotto"
ORDINARY = ("RES", "FNPS", "FNA", "POV", "FGSA")  # PNRR and FSE are "other resources"
INHABITANTS = 316_000 + 37_000


def amount(text):
    return model.parse_amount(text)


def expected_ordinary():
    per_year = sum(amount(AVAILABLE[c]) for c in ORDINARY) + sum(map(amount,
                                                                     COFINANCING.values()))
    return per_year * len(YEARS)


def expected_areas():
    area = {i["code"]: i["area"] for i in INTERVENTIONS}
    found = {}
    for (code, source), text in ALLOCATIONS.items():
        if source != "PNRR":
            found[area[code]] = found.get(area[code], 0) + amount(text) * len(YEARS)
    return found


def expected_fnps_allocated():
    return sum(amount(t) for (_c, s), t in ALLOCATIONS.items() if s == "FNPS") * len(YEARS)


def _approve_and_spend(app, threshold, sent=False):
    steps = ("take_in_charge", "approve") if sent else ("submit", "take_in_charge", "approve")
    fire(app, app.plan_path + "/versione-1", *steps)

    def spend(portal):
        portal["regione"].plan_fnps_threshold = threshold
        plan = portal["ambiti"]["ba-01"]["piani"]["2025-2027"]
        execution.record(plan, model.Movement("PSW", "FNPS", 2025, model.IMPEGNO,
                                              Decimal("150000.00"), "det. 1/2025"), who="rup-ba01")
        execution.record(plan, model.Movement("PSW", "FNPS", 2025, model.LIQUIDAZIONE,
                                              Decimal("100000.00"), "det. 2/2025"), who="rup-ba01")
    run_in_app(app, spend)


def test_a_draft_shows_its_state_but_none_of_its_figures(plan_app):
    """The Region may not open a draft: the dashboard does not show its figures either."""
    rows = run_in_app(plan_app, lambda portal: {
        r.district.code: r for r in dashboard.region_figures(portal).rows})
    assert rows["BA-01"].state == "draft"
    assert (rows["BA-01"].ordinary, rows["BA-01"].areas, rows["BA-01"].per_inhabitant) == (
        0, {}, None)


def test_the_figures_of_ba01_come_out_exactly(plan_app):
    def figures(portal):
        found = dashboard.region_figures(portal)
        return found, {r.district.code: r for r in found.rows}

    fire(plan_app, plan_app.plan_path + "/versione-1", "submit")
    found, rows = run_in_app(plan_app, figures)
    ba = rows["BA-01"]
    assert ba.state == "submitted"
    assert ba.inhabitants == INHABITANTS
    assert ba.ordinary == expected_ordinary() == Decimal("9375000.00")
    assert ba.per_inhabitant == (expected_ordinary() / INHABITANTS).quantize(Decimal("0.01"))
    assert ba.areas == expected_areas()
    assert ba.fnps is None  # nothing approved yet
    assert rows["TA-01"].state == dashboard.NO_PLAN
    assert rows["TA-01"].ordinary == 0
    assert found.by_state["submitted"] == 1
    assert found.by_state[dashboard.NO_PLAN] == 2

    _approve_and_spend(plan_app, Decimal(90), sent=True)
    found, rows = run_in_app(plan_app, figures)
    fnps = rows["BA-01"].fnps
    assert fnps.allocated == expected_fnps_allocated() == Decimal("900000.00")
    assert (fnps.committed, fnps.paid) == (Decimal("150000.00"), Decimal("100000.00"))
    assert (fnps.economia, fnps.residuo) == (Decimal("750000.00"), Decimal("50000.00"))
    assert fnps.committed_share == Decimal("16.7")
    assert rows["BA-01"].below
    assert found.by_state["approved"] == 1
    assert found.by_state["draft"] == 0
    # the period filter: a period nobody planned shows every ATS without a plan
    other = run_in_app(plan_app, lambda portal: dashboard.region_figures(portal, "2028-2030"))
    assert other.by_state[dashboard.NO_PLAN] == 3


def test_the_page_shows_the_figures_in_accessible_tables(plan_app):
    _approve_and_spend(plan_app, Decimal(20))
    page = client_as(plan_app, "regione").get(DASHBOARD)
    row = page.html.select_one('#tabella-piani tr[data-ambito="BA-01"]')
    assert row["data-stato"] == "approved"
    assert euro(expected_ordinary()) in row.text
    assert "16,7 %" in row.text
    assert row.select_one(".sotto-soglia") is not None
    budget = page.html.find(id="grafico-piani-bilancio-tabella")
    cells = [td["data-value"] for td in budget.select("tbody tr")[0].select("td")]
    assert cells[0] == f"{expected_ordinary():.2f}"
    total = [td["data-value"] for td in budget.select("tfoot td")]
    assert total == [f"{expected_ordinary():.2f}", "26.56"]  # 9,375,000 / 353,000
    fnps = page.html.find(id="grafico-piani-fnps-tabella")
    assert [td["data-value"] for td in fnps.select("tbody tr td")] == [
        "900000.00", "150000.00", "100000.00", "750000.00", "50000.00"]
    areas = page.html.find(id="grafico-piani-aree-tabella")
    heads = [th["data-key"] for th in areas.select("thead th[data-key]")]
    values = [td["data-value"] for td in areas.select("tbody tr")[0].select("td")]
    assert dict(zip(heads, values, strict=True)) == {
        k: f"{v:.2f}" for k, v in expected_areas().items()}
    states = {tr["data-stato"]: tr.td.text for tr in page.html.select("#tabella-stati tbody tr")}
    assert states["approved"] == "1"
    assert states["nessuno"] == "2"
    # CSP-safe: the charts come from the static script, the page has no inline script
    assert all(s.get("src") for s in page.html.find_all("script"))
    assert page.html.select('canvas[data-chart-table="grafico-piani-fnps-tabella"]')


def test_a_threshold_not_reached_is_not_flagged(plan_app):
    _approve_and_spend(plan_app, Decimal(15))
    page = client_as(plan_app, "regione").get(DASHBOARD)
    assert page.html.select_one('#tabella-piani tr[data-ambito="BA-01"] .sotto-soglia') is None


def test_a_bad_period_is_refused_without_an_error_page(plan_app):
    page = client_as(plan_app, "regione").get(DASHBOARD, {"periodo": "domani"}, status=422)
    assert page.html.find(id="errore-modulo") is not None


def test_the_region_officer_reaches_the_dashboard_from_the_personal_area(plan_app):
    area = client_as(plan_app, "regione").get("/@@area-personale")
    assert area.html.find(id="link-cruscotto-piani")["href"] == DASHBOARD
