"""The fund charts render under the portal's real CSP, with no console error, and pass axe."""
import pytest

from portal import main
from portal.demo import demo_password
from tests.browser.conftest import assert_accessible, axe_context, serve_in_thread
from tests.conftest import make_settings
from tests.functional.applications.conftest import run_in_app
from tests.functional.payments.funds_fixtures import seed

pytestmark = pytest.mark.browser


@pytest.fixture
def funded_server(app_dir):
    """The demo portal with ledger figures (BA-01, TA-01), served by waitress."""
    app = main({}, **make_settings(app_dir))
    run_in_app(app, seed)
    with serve_in_thread(app) as base:
        yield base


def log_in(page, base, who):
    page.goto(base + "/@@accedi")
    page.fill("input[name=login]", who)
    page.fill("input[name=password]", demo_password(who))
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url(base + "/@@area-personale")


@pytest.mark.parametrize(("who", "link", "table", "rows"), [
    ("rup-ba01", "/ambiti/ba-01/@@fondi", "grafico-fondi-tabella", 2),
    ("regione", "/regione/@@fondi", "grafico-ambiti-tabella", 3),
])
def test_chart_drawn_from_its_table(funded_server, browser, who, link, table, rows):
    context = axe_context(browser)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    try:
        log_in(page, funded_server, who)
        page.click(f"a[href='{link}']")  # the personal area's «Monitoraggio della spesa per fondo»
        page.wait_for_url(funded_server + link)
        canvas = page.locator(f"canvas[data-chart-table='{table}']")
        canvas.wait_for()
        page.wait_for_function("c => c.getAttribute('data-chart-ready') === '3'",
                               arg=canvas.element_handle())
        drawn = page.evaluate("""c => c.chart.data.datasets.map(d => d.data)""",
                              canvas.element_handle())
        # the chart's numbers are the table's: budget, committed, paid columns
        table_values = page.evaluate("""id => Array.from(document.querySelectorAll(
            '#' + id + ' tbody tr')).map(r => Array.from(r.querySelectorAll('td'))
            .slice(0, 3).map(td => parseFloat(td.dataset.value)))""", table)
        assert len(table_values) == rows
        assert drawn == [list(col) for col in zip(*table_values, strict=True)]
        box = canvas.bounding_box()
        assert box["width"] > 100
        assert box["height"] > 100
        # pixels were painted (not a blank canvas)
        assert page.evaluate("""c => { const d = c.getContext('2d').getImageData(0, 0, c.width,
            c.height).data; for (let i = 3; i < d.length; i += 4) { if (d[i]) return true; }
            return false; }""", canvas.element_handle())
        assert_accessible(page, f"{who} {link}")
        assert errors == []
    finally:
        context.close()
