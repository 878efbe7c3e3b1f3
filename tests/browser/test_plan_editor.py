"""The allocation grid of the zone-plan editor: what is left of each source changes while
typing (static/js/plan-editor.js, under the portal's real CSP), and the sections pass axe."""
import pytest

from portal import main
from portal.demo import demo_password
from tests.browser.conftest import assert_accessible, axe_context, serve_in_thread
from tests.conftest import make_settings
from tests.functional.applications.conftest import run_in_app
from tests.functional.plans.plan_fixtures import build_plan

pytestmark = pytest.mark.browser


@pytest.fixture
def plan_server(app_dir):
    """The demo portal with BA-01's complete draft plan 2025–2027, served by waitress."""
    app = main({}, **make_settings(app_dir))
    path = run_in_app(app, lambda portal: build_plan(portal, app.registry))
    with serve_in_thread(app) as base:
        yield base, path


def test_what_is_left_follows_the_typing_without_a_reload(plan_server, browser):
    base, path = plan_server
    context = axe_context(browser)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    try:
        page.goto(base + "/@@accedi")
        page.fill("input[name=login]", "rup-ba01")
        page.fill("input[name=password]", demo_password("rup-ba01"))
        page.get_by_role("button", name="Accedi").click()
        page.wait_for_url(base + "/@@area-personale")
        with page.expect_navigation():  # axe must not run on a page being left
            page.click("a[href='/ambiti/ba-01/@@piani']")
        assert_accessible(page, "piani")
        with page.expect_navigation():  # axe must not run on a page being left
            page.click(f"#piani-ambito a[href^='{path}/versione-1']")
        with page.expect_navigation():  # axe must not run on a page being left
            page.click(f"a[href='{path}/versione-1/@@allocazioni']")
        left = page.locator(".portal-left[data-fonte='FNPS'][data-anno='2026']")
        assert "50.000,00" in left.inner_text()
        url = page.url
        page.fill("input[name='PSW.FNPS.2026']", "260.000,00")  # 60,000 more than before
        page.wait_for_function(
            "el => el.textContent.includes('10.000,00') && el.classList.contains('text-danger')",
            arg=left.element_handle())
        assert "-" in left.inner_text() or "−" in left.inner_text()
        # another year of the same source is untouched; no reload happened
        assert "50.000,00" in page.locator(
            ".portal-left[data-fonte='FNPS'][data-anno='2025']").inner_text()
        assert page.url == url
        page.fill("input[name='PSW.FNPS.2026']", "nove")
        page.wait_for_function("el => el.classList.contains('is-invalid')",
                               arg=page.locator("input[name='PSW.FNPS.2026']").element_handle())
        assert_accessible(page, "allocazioni")
        for section in ("fonti", "cofinanziamento", "interventi"):
            page.goto(f"{base}{path}/versione-1/@@{section}")
            assert_accessible(page, section)
        page.goto(f"{base}{path}/versione-1")
        assert_accessible(page, "versione")
        page.goto(f"{base}{path}")
        assert_accessible(page, "piano")
        assert errors == []
    finally:
        context.close()
